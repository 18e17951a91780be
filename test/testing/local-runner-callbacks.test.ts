// runWorkflowLocally and callbacks that are not simply answered: a submitter that fails, a callback left to time
// out, an answer that takes a while, and the options that go with them.
import { Worker } from 'node:worker_threads';
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { LocalRunError, runWorkflowLocally } from '../../lambda/testing';
import { handler as failingSubmitter } from '../fixtures/parity/failing-submitter';

const HOUR_MS = 3600 * 1000;

describe('a waitForCallback whose submitter fails', () => {
  test.each(['engine', 'official'] as const)('is not waiting for an answer: the failure reaches the handler, which succeeds (%s runner)', async (runner) => {
    const run = await runWorkflowLocally(failingSubmitter, { runner });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toEqual({ delivered: false, error: 'partner API unreachable' });
    expect(run.callbacks).toEqual([]);
    const submitter = run.operations.find((operation) => operation.label === 'notify-partner (submitter)')!;
    expect([submitter.status, submitter.attempt]).toEqual(['FAILED', 3]);
  });
});

describe('a waitForCallback on the official runner, polled late', () => {
  // The runner polls its checkpoint worker thread; on a loaded machine a poll goes out late and brings the
  // waitForCallback, its callback and its submitter's end at once. Holding each poll back makes that happen every run.
  const realSetTimeout = setTimeout; // the runner fakes the global one while it runs
  const approval = withDurableExecution(async (_event: unknown, ctx) => ctx.waitForCallback('approval', async () => undefined));

  test('is answered all the same', async () => {
    const postMessage = Worker.prototype.postMessage;
    const latePolls = jest.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, message: { data?: { type?: string } }) {
      if (message?.data?.type !== 'PollCheckpointData') return postMessage.call(this, message);
      realSetTimeout(() => postMessage.call(this, message), 100);
    });
    try {
      const run = await runWorkflowLocally(approval, { runner: 'official', callbacks: { approval: { result: 'yes' } } });
      expect([run.status, run.result]).toEqual(['SUCCEEDED', '"yes"']);
      expect(run.callbacks.map((callback) => callback.name)).toEqual(['approval']);
    } finally {
      latePolls.mockRestore();
    }
  }, 20_000); // without the answer the run would wait forever
});

describe('a callback no option answers', () => {
  const timed = withDurableExecution(async (_event: unknown, ctx) => {
    const [answer] = await ctx.createCallback('partner', { timeout: { days: 1 } });
    return answer.catch((error: Error) => `gave up: ${error.name}`);
  });

  test('with a timeout, is left to reach it on the simulated clock, as with no one answering on AWS', async () => {
    const run = await runWorkflowLocally(timed);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toBe('gave up: CallbackTimeoutError');
    const callback = run.operations.find((operation) => operation.label === 'partner')!;
    expect(callback.status).toBe('TIMED_OUT');
    expect(callback.error?.message).toBe('Callback timed out');
    expect(callback.endOffsetMs! - callback.startOffsetMs).toBe(24 * HOUR_MS);
  });

  test('an answer that takes a while arrives before the simulated clock moves to the timeout', async () => {
    const run = await runWorkflowLocally(timed, {
      callbacks: { partner: () => new Promise((resolve) => setTimeout(() => resolve({ result: 'signed' }), 50)) },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toBe('"signed"');
    expect(run.callbacks.map((callback) => callback.name)).toEqual(['partner']);
    expect(run.durationMs).toBeLessThan(HOUR_MS);
  });

  test('an answer function that throws stops the run with its error', async () => {
    await expect(runWorkflowLocally(timed, { callbacks: { partner: () => { throw new Error('answering failed'); } } }))
      .rejects.toThrow('answering failed');
    await expect(runWorkflowLocally(timed, { callbacks: { partner: async () => ({ result: 1, error: { message: 'x' } }) } }))
      .rejects.toThrow('the answer to callback "partner" must have exactly one of "result" or "error", got both');
  });
});

describe('the execution timeout', () => {
  const slow = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.step('start', async () => 'started');
    await ctx.wait('too-long', { days: 2 });
    return 'finished';
  });

  test('ends an execution that runs longer TIMED_OUT, at the timeout on the simulated clock', async () => {
    const run = await runWorkflowLocally(slow, { executionTimeoutSeconds: 24 * 3600 });
    expect(run.status).toBe('TIMED_OUT');
    expect(run.error?.message).toBe('Execution timed out');
    expect(run.durationMs).toBe(24 * HOUR_MS);
    expect(run.history.map((event) => event.EventType)).toContain('ExecutionTimedOut');
    expect((await runWorkflowLocally(slow, { executionTimeoutSeconds: 3 * 24 * 3600 })).status).toBe('SUCCEEDED');
  });

  test('leaves time for a waitForCallback\'s submitter: the callback is waited for only once the submitter ran', async () => {
    const approval = withDurableExecution(async (_event: unknown, ctx) => {
      const decision = await ctx.waitForCallback('approval', async () => undefined);
      return `approved: ${decision}`;
    });
    const run = await runWorkflowLocally(approval, { executionTimeoutSeconds: 3600, callbacks: { approval: { result: 'yes' } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toBe('approved: "yes"');
    expect(run.callbacks.map((callback) => callback.name)).toEqual(['approval']);
  });

  test('is refused out of range, and with the official runner, which has none', async () => {
    await expect(runWorkflowLocally(slow, { executionTimeoutSeconds: 0 }))
      .rejects.toThrow(new LocalRunError('runWorkflowLocally: executionTimeoutSeconds must be a whole number of seconds from 1 to 31622400 (366 days), got number 0'));
    await expect(runWorkflowLocally(slow, { executionTimeoutSeconds: 60, runner: 'official' }))
      .rejects.toThrow('executionTimeoutSeconds needs the local engine');
    await expect(runWorkflowLocally(slow, { runner: 'fast' as never })).rejects.toThrow("runner must be 'engine' or 'official', got the string \"fast\"");
  });
});

describe('skipTime: false', () => {
  test('runs waits on the machine\'s clock', async () => {
    const started = process.uptime();
    const run = await runWorkflowLocally(withDurableExecution(async (_event: unknown, ctx) => {
      await ctx.wait('one-second', { seconds: 1 });
      return 'waited';
    }), { skipTime: false });
    expect(run.result).toBe('waited');
    expect(process.uptime() - started).toBeGreaterThanOrEqual(0.99);
  });
});
