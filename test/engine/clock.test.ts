// The engine's clock: each execution's time jumps to its next timer only when the execution is idle, so no branch
// runs ahead of a sibling's work, and executions side by side keep their own times.
import { createRetryStrategy, JitterStrategy, withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { RealClock } from '../../lambda/testing/engine/clock/real-clock';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { watch } from '../support/engine-watch';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

function offsetOf(history: Event[], type: string, name: string): number {
  const event = history.find((candidate) => candidate.EventType === type && candidate.Name === name);
  if (!event) throw new Error(`no ${type} for ${name} in ${history.map((candidate) => `${candidate.EventType}:${candidate.Name}`).join(', ')}`);
  return event.EventTimestamp!.getTime() - history[0].EventTimestamp!.getTime();
}

test('a waiting branch does not run ahead of a sibling that is still working: time moves once both are idle', async () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    const results = await ctx.parallel('branches', [
      async (branch) => {
        await branch.wait('an-hour', { hours: 1 });
        return branch.step('after-the-hour', async () => 'later');
      },
      async (branch) => {
        const done: string[] = [];
        for (const name of ['work-1', 'work-2', 'work-3']) done.push(await branch.step(name, async () => { await sleep(20); return name; }));
        return done.join(',');
      },
    ]);
    return results.getResults();
  });
  const engine = new DurableEngine();
  engine.register('fn', handler);
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  expect(JSON.parse((await events.ended(arn)).result!)).toEqual(['later', 'work-1,work-2,work-3']);

  const history = engine.history(arn);
  const waitEnded = history.find((event) => event.EventType === 'WaitSucceeded')!;
  const lastWork = history.find((event) => event.EventType === 'StepSucceeded' && event.Name === 'work-3')!;
  expect(lastWork.EventId!).toBeLessThan(waitEnded.EventId!);
  expect(offsetOf(history, 'StepSucceeded', 'work-3')).toBeLessThan(HOUR_MS);
  expect(offsetOf(history, 'WaitSucceeded', 'an-hour') - offsetOf(history, 'WaitStarted', 'an-hour')).toBe(HOUR_MS);
  expect(offsetOf(history, 'StepStarted', 'after-the-hour')).toBeGreaterThanOrEqual(HOUR_MS);
  // Idle within the invocation, the handler went on without being suspended and replayed.
  expect(engine.describe(arn)?.invocations).toBe(1);
});

test('retry delays and a year-long wait take no time, and pass in full on the execution\'s clock', async () => {
  let attempts = 0;
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('a-year', { days: 365 });
    return ctx.step('flaky', async () => {
      attempts++;
      if (attempts < 4) throw new Error(`attempt ${attempts}`);
      return attempts;
    }, { retryStrategy: createRetryStrategy({ maxAttempts: 4, initialDelay: { minutes: 1 }, backoffRate: 2, jitter: JitterStrategy.NONE }) });
  });
  const engine = new DurableEngine();
  engine.register('fn', handler);
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  expect((await events.ended(arn)).result).toBe('4');
  const history = engine.history(arn);
  const starts = history.filter((event) => event.EventType === 'StepStarted').map((event) => event.EventTimestamp!.getTime());
  const failures = history.filter((event) => event.EventType === 'StepFailed');
  expect(failures.map((event) => event.StepFailedDetails?.RetryDetails)).toEqual([
    { CurrentAttempt: 1, NextAttemptDelaySeconds: 60 },
    { CurrentAttempt: 2, NextAttemptDelaySeconds: 120 },
    { CurrentAttempt: 3, NextAttemptDelaySeconds: 240 },
  ]);
  failures.forEach((failure, index) => {
    const delay = failure.StepFailedDetails!.RetryDetails!.NextAttemptDelaySeconds! * 1000;
    expect(starts[index + 1] - failure.EventTimestamp!.getTime()).toBeGreaterThanOrEqual(delay);
    expect(starts[index + 1] - failure.EventTimestamp!.getTime()).toBeLessThan(delay + 5_000);
  });
  expect(offsetOf(history, 'WaitSucceeded', 'a-year')).toBeGreaterThanOrEqual(365 * DAY_MS);
});

test('executions side by side keep their own clocks', async () => {
  const waiting = (days: number) => withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('wait', { days });
    return ctx.step('after', async () => days);
  });
  const engine = new DurableEngine();
  engine.register('long', waiting(300));
  engine.register('short', waiting(1));
  const events = watch(engine);
  const started = [engine.start({ functionName: 'long' }), engine.start({ functionName: 'short' }), engine.start({ functionName: 'long' })];
  const ended = await Promise.all(started.map((execution) => events.ended(execution.arn)));
  expect(ended.map((execution) => [execution.status, execution.result])).toEqual([['SUCCEEDED', '300'], ['SUCCEEDED', '1'], ['SUCCEEDED', '300']]);
  const days = ended.map((execution) => (execution.endTimestamp!.getTime() - execution.startTimestamp.getTime()) / DAY_MS);
  expect(days[1]).toBeGreaterThanOrEqual(1);
  expect(days[1]).toBeLessThan(1.01);
  expect(Math.min(days[0], days[2])).toBeGreaterThanOrEqual(300);
});

test('the execution timeout ends a waiting execution TIMED_OUT at the timeout', async () => {
  const engine = new DurableEngine();
  engine.register('fn', withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('week', { days: 7 });
    return 'never';
  }), { executionTimeoutSeconds: 3 * 24 * 3600 });
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  const ended = await events.ended(arn);
  expect(ended).toMatchObject({ status: 'TIMED_OUT', error: { ErrorMessage: 'Execution timed out' } });
  expect(ended.endTimestamp!.getTime() - ended.startTimestamp.getTime()).toBe(3 * DAY_MS);
  const history = engine.history(arn);
  expect(history[0].ExecutionStartedDetails?.ExecutionTimeout).toBe(3 * 24 * 3600);
  expect(history.at(-1)?.EventType).toBe('ExecutionTimedOut');
  expect(history.map((event) => event.EventType)).not.toContain('WaitSucceeded');
});

test('a RealClock with speed runs waits that many times faster; the wait lasts its full length on the execution\'s clock', async () => {
  const engine = new DurableEngine({ clock: new RealClock({ speed: 3600 }) });
  engine.register('fn', withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('an-hour', { hours: 1 });
    return ctx.step('after', async () => 'done');
  }));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  expect((await events.ended(arn)).result).toBe('"done"');
  const history = engine.history(arn);
  expect(offsetOf(history, 'WaitSucceeded', 'an-hour') - offsetOf(history, 'WaitStarted', 'an-hour')).toBeGreaterThanOrEqual(HOUR_MS);
  expect(() => new RealClock({ speed: 0 })).toThrow('speed must be a positive number, got 0');
});

test('skip moves an execution to its next timer on a real clock; an execution with no timer has nothing to skip to', async () => {
  const engine = new DurableEngine({ clock: new RealClock() });
  engine.register('fn', withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait('a-day', { days: 1 });
    const [answer] = await ctx.createCallback('go');
    return answer;
  }));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  await events.recorded(arn, 'InvocationCompleted');
  const timer = engine.skip(arn)!;
  expect(timer).toMatchObject({ kind: 'wait', due: expect.any(Date) });
  const callback = await events.nextCallback();
  expect(offsetOf(engine.history(arn), 'WaitSucceeded', 'a-day')).toBeGreaterThanOrEqual(DAY_MS);
  expect(timer.due.getTime() - engine.describe(arn)!.startTimestamp.getTime()).toBeGreaterThanOrEqual(DAY_MS);
  // Waiting for its callback alone (no execution timeout): no timer.
  expect(engine.skip(arn)).toBeUndefined();
  engine.sendCallbackSuccess(callback.callbackId, 'went');
  expect((await events.ended(arn)).result).toBe('"went"');
  expect(() => engine.skip(arn)).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException' }));
});
