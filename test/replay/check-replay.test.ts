// checkReplay against a finished v1 history: v2 handlers that replay it and v2 handlers that diverge, each reported
// where it diverges with both operations; a history that stops inside a child context; completed child contexts.
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { checkReplay, runWorkflowLocally } from '../../lambda/testing';
import type { ReplayResult } from '../../lambda/testing';
import type { Operation } from '../fixtures/replay/order-workflow';
import { nameOf, orderWorkflow, renameStep, V1 } from '../fixtures/replay/order-workflow';

let finished: Event[];
beforeAll(async () => {
  const run = await runWorkflowLocally(orderWorkflow(V1), { callbacks: { approval: { result: 'yes' } } });
  expect(run.status).toBe('SUCCEEDED');
  finished = run.history;
});

const replayOn = (plan: readonly Operation[], history: unknown = finished) => checkReplay(orderWorkflow(plan), history);

function divergence(result: ReplayResult) {
  if (result.compatible) throw new Error(`expected a divergence, got: ${result.message}`);
  return result;
}

describe('a finished v1 history (steps, a child context, a wait, a callback, a map)', () => {
  test('the same code replays it and ends the execution as the history did', async () => {
    const result = await replayOn(V1);
    expect(result).toMatchObject({ compatible: true, outcome: 'ends', status: 'SUCCEEDED', operations: 14 });
    expect(result.message).toMatch(/^[0-9a-f-]{36}: compatible: replays the history \(14 operations\) and ends the execution \(SUCCEEDED\)$/);
  });

  test('a step appended after the recorded end is compatible: the execution would continue with it, and the check stops there', async () => {
    let ran = false;
    const gates = { get notify() { ran = true; return Promise.resolve(); } };
    const result = await checkReplay(orderWorkflow([...V1, { step: 'notify' }], { gates }), finished);
    expect(result).toMatchObject({ compatible: true, outcome: 'continues', next: { type: 'STEP', name: 'notify' } });
    expect(result.message).toMatch(/and would continue with STEP "notify"$/);
    // An at-least-once step's function starts while its START checkpoint is on its way (the SDK's order); the check
    // ends the invocation at that checkpoint, before the step could succeed.
    expect(ran).toBe(true);
  });

  test('a renamed step is reported at its position, with the recorded and the new name and the SDK\'s error', async () => {
    const result = divergence(await replayOn(renameStep(V1, 'charge', 'take-payment')));
    expect(result).toMatchObject({
      reason: 'non-deterministic',
      position: 2,
      recorded: { type: 'STEP', name: 'charge', status: 'SUCCEEDED', contexts: [] },
      replayed: { type: 'STEP', name: 'take-payment' },
      errorType: 'NonDeterministicExecutionError',
    });
    expect(result.error).toMatch(/Non-deterministic execution detected: Operation name mismatch for step "2"\. Expected name "charge", but got "take-payment"\./);
    expect(result.message).toBe([
      `${result.execution}: diverges at operation #2 of 14`,
      '  history:  STEP "charge"',
      '  new code: STEP "take-payment"',
      `  NonDeterministicExecutionError: ${result.error}`,
    ].join('\n'));
  });

  test('two steps swapped: the first of them is reported', async () => {
    const result = divergence(await replayOn([V1[1], V1[0], ...V1.slice(2)]));
    expect(result).toMatchObject({ position: 1, recorded: { type: 'STEP', name: 'reserve' }, replayed: { type: 'STEP', name: 'charge' } });
  });

  test('a wait removed: the wait is reported, and what the code does there instead (another type, named by a second replay)', async () => {
    const result = divergence(await replayOn(V1.filter((operation) => !('wait' in operation))));
    expect(result).toMatchObject({
      position: 6,
      recorded: { type: 'WAIT', name: 'cool-off' },
      replayed: { type: 'CONTEXT', subType: 'WaitForCallback', name: 'approval' },
    });
    expect(result.error).toMatch(/Operation type mismatch for step "4"\. Expected type "WAIT", but got "CONTEXT"/);
    expect(result.message).toContain('\n  history:  WAIT "cool-off"\n  new code: CONTEXT (WaitForCallback) "approval"\n');
  });

  test('a step inserted before the end is reported where the history holds the next operation', async () => {
    const inserted = [...V1.slice(0, 5), { step: 'fraud-check' }, V1[5]];
    const result = divergence(await replayOn(inserted));
    expect(result).toMatchObject({
      position: 10,
      recorded: { type: 'CONTEXT', subType: 'Map', name: 'pack' },
      replayed: { type: 'STEP', name: 'fraud-check' },
    });
    expect(result.message).toContain('\n  history:  CONTEXT (Map) "pack"\n  new code: STEP "fraud-check"\n');
  });

  test('a history serialized to JSON (ISO times) and the raw API\'s JSON (epoch seconds) are judged alike', async () => {
    const iso = JSON.parse(JSON.stringify({ Events: finished }));
    const epoch = JSON.parse(JSON.stringify(finished, (_key, value) => (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) / 1000 : value)));
    for (const history of [iso, epoch]) {
      expect(await replayOn(V1, history)).toMatchObject({ compatible: true, outcome: 'ends' });
      expect(await replayOn(renameStep(V1, 'label', 'print'), history)).toMatchObject({ compatible: true });
    }
  });
});

describe('a history that stops inside a child context', () => {
  // GetDurableExecutionHistory of an execution inside "ship": every event up to its first step's success.
  let inside: Event[];
  beforeAll(() => {
    inside = finished.slice(0, finished.findIndex((event) => event.EventType === 'StepSucceeded' && event.Name === 'label') + 1);
  });

  test('an inner step renamed before the recorded point is reported inside the context', async () => {
    const result = divergence(await replayOn(renameStep(V1, 'label', 'print-label'), inside));
    expect(result).toMatchObject({
      position: 4,
      recorded: { type: 'STEP', name: 'label', contexts: ['ship'] },
      replayed: { type: 'STEP', name: 'print-label' },
      operations: 4,
    });
    expect(result.message.split('\n')[0]).toBe(`${result.execution}: diverges at operation #4 of 4, inside "ship"`);
  });

  test('a change after the recorded point is compatible: the history does not hold it yet', async () => {
    expect(await replayOn(renameStep(V1, 'dispatch', 'hand-over'), inside))
      .toMatchObject({ compatible: true, outcome: 'continues', next: { type: 'STEP', name: 'hand-over' } });
    expect(await replayOn(V1.filter((operation) => nameOf(operation) !== 'cool-off'), inside)).toMatchObject({ compatible: true });
  });
});

describe('a child context that completed', () => {
  const changedInside = renameStep(V1, 'label', 'print-label');

  test('is not re-run by the raw SDK: a change inside it is compatible for that execution', async () => {
    expect(await replayOn(changedInside)).toMatchObject({ compatible: true, outcome: 'ends' });
  });

  test('is re-run by workflow.handler (childOperationsDepth Infinity), whose executions then diverge inside it', async () => {
    const result = divergence(await checkReplay(orderWorkflow(changedInside, { runtime: true }), finished));
    expect(result).toMatchObject({ position: 4, recorded: { name: 'label', contexts: ['ship'] }, replayed: { name: 'print-label' } });
    // The same for a map's items, which are child contexts too.
    const repacked = V1.map((operation) => ('map' in operation ? { ...operation, itemStep: 'box' } : operation));
    expect(divergence(await checkReplay(orderWorkflow(repacked, { runtime: true }), finished)))
      .toMatchObject({ recorded: { type: 'STEP', name: 'wrap', contexts: ['pack', 'map-item-0'] }, replayed: { name: 'box' } });
    expect(await replayOn(repacked)).toMatchObject({ compatible: true });
  });

  test('childOperationsDepth overrides what the handler says: 0 replays from results, 1 re-runs top-level contexts', async () => {
    const runtimeHandler = orderWorkflow(changedInside, { runtime: true });
    expect(await checkReplay(runtimeHandler, finished, { childOperationsDepth: 0 })).toMatchObject({ compatible: true });
    expect(await checkReplay(orderWorkflow(changedInside), finished, { childOperationsDepth: 1 })).toMatchObject({ compatible: false, position: 4 });
  });
});

describe('what it cannot check is an error, not a verdict', () => {
  test.each([
    ['a handler that is not a function', () => checkReplay({} as never, finished), /^checkReplay: handler must be a function made with workflow\.handler\(\) or withDurableExecution\(\), got object \{\}$/],
    ['a handler that is not durable', () => checkReplay((async () => ({ statusCode: 200 })) as never, finished),
      /^The handler is not a durable handler: it returned object \{"statusCode":200\} instead of an invocation status\. Wrap it with workflow\.handler\(\)/],
    ['a value that is not a history', () => checkReplay(orderWorkflow(V1), { Items: [] }), /^the history is not an execution history: expected GetDurableExecutionHistory's response/],
    ['a depth that is not one', () => checkReplay(orderWorkflow(V1), finished, { childOperationsDepth: -1 }), /childOperationsDepth must be a whole number from 0, or Infinity, got number -1/],
  ])('%s', async (_, check, message) => {
    await expect(check()).rejects.toThrow(message);
    await expect(check()).rejects.toMatchObject({ name: 'LocalRunError' });
  });

  test('a replay that neither suspends, ends nor checkpoints gives up after timeoutSeconds', async () => {
    const stuck = withDurableExecution(async (_event: unknown, ctx) => {
      await ctx.step('reserve', async () => 'reserve-done');
      return new Promise<never>(() => undefined);
    });
    await expect(checkReplay(stuck, finished, { timeoutSeconds: 0.2 }))
      .rejects.toThrow(/^The replay of [0-9a-f-]{36} did not end within 0\.2 s: the handler neither suspended, ended nor checkpointed/);
  });
});
