// An engine that stops (its process ended) leaves its executions RUNNING in the store; another engine on that store
// takes them up: each is invoked again from its stored state, replaying what it checkpointed without running it again.
// A failed invocation is retried the same way.
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { RealClock } from '../../lambda/testing/engine/clock/real-clock';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { MemoryExecutionStore } from '../../lambda/testing/engine/store/memory-store';
import { watch } from '../support/engine-watch';

/** A workflow that counts how often each step body runs. */
function counted() {
  const runs: Record<string, number> = {};
  const count = (name: string) => { runs[name] = (runs[name] ?? 0) + 1; };
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.step('before', async () => count('before'));
    await ctx.wait('a-day', { days: 1 });
    const [answer] = await ctx.createCallback('go');
    const result = await answer;
    await ctx.step('after', async () => count('after'));
    return result;
  });
  return { runs, handler };
}

test('executions left RUNNING by a stopped engine are taken up by the next: each step runs once, timers fall due, callbacks still answer', async () => {
  const store = new MemoryExecutionStore();
  const { runs, handler } = counted();
  const first = new DurableEngine({ store, clock: new RealClock() });
  first.register('fn', handler);
  const firstEvents = watch(first);
  const waiting = first.start({ functionName: 'fn', name: 'waiting' }).arn;
  const answering = first.start({ functionName: 'fn', name: 'answering' }).arn;
  // Each is left where its invocation suspended: one in its wait, one waiting for its callback.
  await firstEvents.recorded(waiting, 'InvocationCompleted');
  await firstEvents.recorded(answering, 'InvocationCompleted');
  first.skip(answering);
  const callbackId = (await firstEvents.nextCallback()).callbackId;
  await firstEvents.recorded(answering, 'InvocationCompleted', 2);
  first.close();

  const second = new DurableEngine({ store, clock: new RealClock() });
  expect(() => second.resume()).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  second.register('fn', handler);
  const events = watch(second);
  expect(second.resume().map((execution) => execution.name).sort()).toEqual(['answering', 'waiting']);
  expect(second.resume()).toEqual([]);

  second.sendCallbackSuccess(callbackId, 'answered after the restart');
  expect((await events.ended(answering)).result).toBe('"answered after the restart"');
  expect(second.skip(waiting)?.kind).toBe('wait');
  second.sendCallbackSuccess((await events.nextCallback()).callbackId, 'later');
  expect((await events.ended(waiting)).result).toBe('"later"');
  expect(runs).toEqual({ before: 2, after: 2 });
  // The skipped day lasts a day on the resumed execution's clock too: its time never runs backwards.
  const history = second.history(waiting);
  const wait = history.filter((event) => event.Name === 'a-day').map((event) => event.EventTimestamp!.getTime());
  expect(wait[1] - wait[0]).toBeGreaterThanOrEqual(24 * 3600 * 1000);
  const times = history.map((event) => event.EventTimestamp!.getTime());
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

test('a failed invocation leaves the execution RUNNING; reinvoke runs it again from its stored state', async () => {
  const { runs, handler } = counted();
  let calls = 0;
  const lostOnce: DurableLambdaHandler = async (event, context) => {
    if (++calls === 1) throw new Error('the invocation was lost');
    return handler(event, context);
  };
  const engine = new DurableEngine();
  engine.register('fn', lostOnce);
  const failed = new Promise((resolve) => engine.observe({ invocationFailed: (_execution, outcome) => resolve(outcome) }));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  expect(await failed).toMatchObject({ kind: 'threw', error: { message: 'the invocation was lost' } });
  expect(engine.describe(arn)?.status).toBe('RUNNING');
  engine.reinvoke(arn);
  expect(() => engine.reinvoke(arn)).toThrow('has an invocation running');
  engine.sendCallbackSuccess((await events.nextCallback()).callbackId, 'ok');
  expect((await events.ended(arn)).status).toBe('SUCCEEDED');
  expect(runs).toEqual({ before: 1, after: 1 });
});

test('close stops an engine\'s timers: nothing more happens to its executions', async () => {
  const engine = new DurableEngine({ clock: new RealClock() });
  engine.register('fn', withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('short', { seconds: 1 });
    return 'woke';
  }));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  await events.recorded(arn, 'InvocationCompleted');
  engine.close();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(engine.describe(arn)?.status).toBe('RUNNING');
  expect(engine.history(arn).map((event) => event.EventType)).not.toContain('WaitSucceeded');
});
