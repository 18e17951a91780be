import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { LocalRunError, runWorkflowLocally, type LocalRunResult, type PendingCallback } from '../../lambda/testing';
import { handler, plain } from '../fixtures/runner/approval-workflow';
import { handler as branchClocks } from '../fixtures/runner/branch-clocks';
import { handler as parallelApprovals } from '../fixtures/runner/parallel-approvals';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const TWO_DAYS_MS = 2 * DAY_MS;
// Wall-clock time the run really took, on top of the simulated waits: generous, never seconds.
const SLACK_MS = 5_000;

function operation(run: LocalRunResult, label: string) {
  const found = run.operations.find((op) => op.label === label);
  if (!found) throw new Error(`no operation "${label}" in ${run.operations.map((op) => op.label).join(', ')}`);
  return found;
}

describe('runWorkflowLocally', () => {
  let approved: LocalRunResult;
  beforeAll(async () => {
    approved = await runWorkflowLocally(handler, {
      payload: { orderId: 'o-1', paymentFailures: 2 },
      callbacks: { approval: { result: { approved: true } } },
    });
  });

  test('runs a raw-SDK workflow to the end, answering its callback from the options', () => {
    expect(approved.status).toBe('SUCCEEDED');
    expect(approved.result).toEqual({ reservation: 'res-o-1', payment: 'pay-o-1', tracking: 'trk-o-1' });
    expect(approved.error).toBeUndefined();
  });

  test('lists the operations in the order they started, with type, status and attempts', () => {
    expect(approved.operations.map((op) => [op.label, op.type, op.status, op.attempt, op.depth])).toEqual([
      ['reserve', 'STEP', 'SUCCEEDED', 1, 0],
      ['charge', 'STEP', 'SUCCEEDED', 3, 0],
      ['cool-off', 'WAIT', 'SUCCEEDED', undefined, 0],
      ['approval', 'CONTEXT', 'SUCCEEDED', undefined, 0],
      ['approval (callback)', 'CALLBACK', 'SUCCEEDED', undefined, 1],
      ['approval (submitter)', 'STEP', 'SUCCEEDED', 1, 1],
      ['ship', 'CONTEXT', 'SUCCEEDED', undefined, 0],
      ['label', 'STEP', 'SUCCEEDED', 1, 1],
    ]);
    const charge = operation(approved, 'charge');
    expect(charge.attempts.map((attempt) => attempt.error?.message)).toEqual([
      'card declined on attempt 1', 'card declined on attempt 2', undefined,
    ]);
    expect(charge.result).toBe('pay-o-1');
  });

  test('puts skipped waits and retry delays on the simulated clock at their full length', () => {
    const charge = operation(approved, 'charge');
    // Retry delays of 30 s then 60 s (backoff rate 2, no jitter), and the moment the next attempt took to start.
    expect(charge.attempts[1].startOffsetMs - charge.attempts[0].endOffsetMs!).toBeGreaterThanOrEqual(30_000);
    expect(charge.attempts[1].startOffsetMs - charge.attempts[0].endOffsetMs!).toBeLessThan(30_000 + SLACK_MS);
    expect(charge.attempts[2].startOffsetMs - charge.attempts[1].endOffsetMs!).toBeGreaterThanOrEqual(60_000);
    expect(charge.attempts[2].startOffsetMs - charge.attempts[1].endOffsetMs!).toBeLessThan(60_000 + SLACK_MS);

    const wait = operation(approved, 'cool-off');
    expect(wait.waitSeconds).toBe(2 * 24 * 3600);
    expect(wait.endOffsetMs! - wait.startOffsetMs).toBe(TWO_DAYS_MS);
    expect(wait.endTime!.getTime() - wait.startTime.getTime()).toBe(TWO_DAYS_MS);

    // Everything after the wait happens two days (and the retry delays) after the start.
    expect(operation(approved, 'ship').startOffsetMs).toBeGreaterThanOrEqual(TWO_DAYS_MS + 90_000);
    expect(approved.durationMs).toBeGreaterThanOrEqual(TWO_DAYS_MS + 90_000);
    expect(approved.durationMs).toBeLessThan(TWO_DAYS_MS + 90_000 + 60_000);
    const starts = approved.operations.map((op) => op.startOffsetMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  test('reports the callback id it answered, the one the workflow handed out', () => {
    expect(approved.callbacks).toHaveLength(1);
    const [callback] = approved.callbacks;
    expect(callback.name).toBe('approval');
    expect(callback.answer).toEqual({ result: { approved: true } });
    expect(callback.callbackId).toBe(operation(approved, 'approval (callback)').callbackId);
    expect(callback.callbackId.length).toBeGreaterThan(10);
  });

  test('a function answer sees the pending callback; a failed callback fails the workflow', async () => {
    const seen: PendingCallback[] = [];
    const run = await runWorkflowLocally(handler, {
      payload: { orderId: 'o-2' },
      callbacks: {
        approval: (callback) => {
          seen.push(callback);
          return { error: { message: 'manager said no', type: 'Rejected' } };
        },
      },
    });
    expect(seen.map((callback) => callback.name)).toEqual(['approval']);
    expect(seen[0].callbackId).toBe(operation(run, 'approval (callback)').callbackId);
    expect(run.status).toBe('FAILED');
    expect(run.error?.message).toBe('manager said no');
    expect(operation(run, 'approval (callback)').status).toBe('FAILED');
    expect(operation(run, 'approval (callback)').error).toMatchObject({ message: 'manager said no', type: 'Rejected' });
    expect(run.operations.map((op) => op.label)).not.toContain('ship');
  });

  test('answers callbacks that are open at the same time, in parallel branches', async () => {
    const run = await runWorkflowLocally(parallelApprovals, {
      callbacks: { legal: { result: 'legal ok' }, finance: async () => ({ result: 'finance ok' }) },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toEqual(['legal ok', 'finance ok']);
    expect(run.callbacks.map((callback) => callback.name).sort()).toEqual(['finance', 'legal']);
    const callbackIds = run.operations.filter((op) => op.type === 'CALLBACK').map((op) => op.callbackId);
    expect(run.callbacks.map((callback) => callback.callbackId).sort()).toEqual([...callbackIds].sort());
  });

  test('onCallback answers callbacks the options do not name', async () => {
    const run = await runWorkflowLocally(handler, {
      payload: { orderId: 'o-3' },
      onCallback: async () => ({ result: { approved: false } }),
    });
    expect(run.status).toBe('FAILED');
    expect(run.error?.message).toBe('order o-3 was rejected');
    expect(run.callbacks.map((callback) => [callback.name, callback.answer])).toEqual([['approval', { result: { approved: false } }]]);
  });

  test('an unanswered callback fails the run with an error naming it, and the next run still works', async () => {
    await expect(runWorkflowLocally(handler, { payload: { orderId: 'o-4' }, callbacks: { aproval: { result: true } } }))
      .rejects.toThrow(/Callback "approval" is waiting for an answer and none was given \(answers were given for: aproval\)/);
    const next = await runWorkflowLocally(handler, { payload: { orderId: 'o-5' }, callbacks: { approval: { result: { approved: true } } } });
    expect(next.status).toBe('SUCCEEDED');
  });

  test('refuses a handler that is not durable instead of waiting forever', async () => {
    await expect(runWorkflowLocally(plain as never, { payload: { orderId: 'x' } }))
      .rejects.toThrow(new LocalRunError('The handler is not a durable handler: it returned object {"statusCode":200} instead of an invocation status. '
        + 'Wrap it with workflow.handler() from cdk-durable-workflow/runtime or withDurableExecution() from @aws/durable-execution-sdk-js.'));
    await expect(runWorkflowLocally((async () => { throw new Error('kaboom'); }) as never))
      .rejects.toThrow(/not a durable handler: it threw "kaboom"/);
    await expect(runWorkflowLocally(42 as never)).rejects.toThrow(/handler must be a function .* got number 42/);
  });

  test('a durable handler that stops its invocation (a result it cannot serialize) is reported as such, not as "not durable"', async () => {
    const unserializable = withDurableExecution(async (_event: unknown, ctx) => ctx.step('big', async () => BigInt(1) as unknown as number));
    const failure = runWorkflowLocally(unserializable);
    await expect(failure).rejects.toThrow(/^The workflow's invocation stopped with SerdesFailedError: .*Lambda would retry the invocation/);
    await expect(failure).rejects.not.toThrow(/not a durable handler/);
  });

  test('rejects bad options with the option named, before running anything', async () => {
    await expect(runWorkflowLocally(handler, { payload: { big: BigInt(1) } }))
      .rejects.toThrow(/payload must be JSON-serializable: Do not know how to serialize a BigInt/);
    await expect(runWorkflowLocally(handler, { callbacks: { approval: { result: 1, error: { message: 'x' } } } }))
      .rejects.toThrow('callbacks.approval must have exactly one of "result" or "error", got both');
    await expect(runWorkflowLocally(handler, { callbacks: { approval: {} } }))
      .rejects.toThrow('callbacks.approval must have exactly one of "result" or "error", got neither');
    await expect(runWorkflowLocally(handler, { payload: { orderId: 'o' }, callbacks: { approval: () => ({ result: () => 1 }) } }))
      .rejects.toThrow('the answer to callback "approval": "result" must be JSON-serializable, got a function');
  });

  test('runs several executions at once on the engine; the official runner, which patches the process clock, one at a time', async () => {
    const runs = await Promise.all(['o-6', 'o-7', 'o-8'].map((orderId, index) => runWorkflowLocally(handler, {
      payload: { orderId, paymentFailures: index },
      callbacks: { approval: { result: { approved: true } } },
    })));
    expect(runs.map((run) => [run.status, (run.result as { tracking: string }).tracking, operation(run, 'charge').attempt]))
      .toEqual([['SUCCEEDED', 'trk-o-6', 1], ['SUCCEEDED', 'trk-o-7', 2], ['SUCCEEDED', 'trk-o-8', 3]]);
    // Each execution has its own clock: a run's two-day wait is not another's.
    for (const run of runs) expect(run.durationMs).toBeLessThan(TWO_DAYS_MS + 90_000 + SLACK_MS);

    const quick = withDurableExecution(async () => 'done');
    const first = runWorkflowLocally(quick, { runner: 'official' });
    await expect(runWorkflowLocally(quick, { runner: 'official' })).rejects.toThrow(/another run on the official runner is in progress/);
    expect((await first).result).toBe('done');
  });
});

describe('simulated time of concurrent branches', () => {
  let run: LocalRunResult;
  beforeAll(async () => { run = await runWorkflowLocally(branchClocks); });
  const span = (label: string) => {
    const found = operation(run, label);
    return { start: found.startOffsetMs, end: found.endOffsetMs!, found };
  };

  test('each parallel branch keeps its own clock: a sibling\'s two-day wait does not delay it', () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toEqual({ branches: [1, 2, 3], items: [1, 4, 9], nested: expect.stringContaining('doomed failed') });
    expect(span('after-one-day').start).toBeGreaterThanOrEqual(DAY_MS);
    expect(span('after-one-day').start).toBeLessThan(DAY_MS + SLACK_MS);
    expect(span('after-two-days').start).toBeGreaterThanOrEqual(TWO_DAYS_MS);
    // The flaky step's retries (10 s, then 20 s) take 30 s, not the length of the longest wait.
    const flaky = span('flaky');
    expect(flaky.found.attempt).toBe(3);
    expect(flaky.end - flaky.start).toBeGreaterThanOrEqual(30_000);
    expect(flaky.end - flaky.start).toBeLessThan(30_000 + SLACK_MS);
    expect(span('parallel-branch-2').end).toBeLessThan(30_000 + SLACK_MS);
    // The parallel ends with its slowest branch.
    expect(span('branches').end).toBeGreaterThanOrEqual(span('parallel-branch-1').end);
    expect(span('branches').end).toBeLessThan(TWO_DAYS_MS + SLACK_MS);
  });

  test('a map item waiting for a free slot starts after an earlier item ended', () => {
    const items = span('items');
    expect(items.start).toBeGreaterThanOrEqual(span('branches').end);
    expect(span('map-item-0').end - items.start).toBeGreaterThanOrEqual(HOUR_MS);
    expect(span('map-item-0').end - items.start).toBeLessThan(HOUR_MS + SLACK_MS);
    expect(span('map-item-1').end - items.start).toBeGreaterThanOrEqual(2 * HOUR_MS);
    expect(span('map-item-2').start).toBeGreaterThanOrEqual(span('map-item-0').end);
    // The third item waits three hours once a slot is free: after one hour (or, when the runner
    // ended both running items in one burst, after two), so the map takes four or five hours.
    expect(span('map-item-2').end - span('map-item-2').start).toBeGreaterThanOrEqual(3 * HOUR_MS);
    expect(items.end - items.start).toBeGreaterThanOrEqual(4 * HOUR_MS);
    expect(items.end - items.start).toBeLessThan(5 * HOUR_MS + SLACK_MS);
  });

  test('failures nest under their contexts, the parent resumes after its child, and the list is in start order', () => {
    expect(['outer', 'inner', 'doomed'].map((label) => [operation(run, label).status, operation(run, label).depth])).toEqual([
      ['FAILED', 0], ['FAILED', 1], ['FAILED', 2],
    ]);
    expect(operation(run, 'doomed').error?.message).toBe('doomed failed');
    expect(span('outer').start).toBeGreaterThanOrEqual(span('items').end);
    expect(span('last').start).toBeGreaterThanOrEqual(span('outer').end);
    expect(run.durationMs).toBeGreaterThanOrEqual(span('last').end);
    const starts = run.operations.map((op) => op.startOffsetMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});
