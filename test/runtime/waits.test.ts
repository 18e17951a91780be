// ctx.wait with human durations and SDK objects, and ctx.waitUntil, under the SDK's LocalDurableTestRunner.
import { OperationType } from '@aws/durable-execution-sdk-js';
import { workflow } from '../../lambda';
import { gate, operationsOfType, run, runThroughGates, useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

const RULE = ': use whole seconds from 1 s to 366 days, as "30 seconds", "2 hours" or { minutes: 5 }';

describe('waits', () => {
  test.each([
    ['"30 seconds"', '30 seconds', 30],
    ['"1 minute"', '1 minute', 60],
    ['"2 hours"', '2 hours', 7200],
    ['"7 days"', '7 days', 604800],
    ['an SDK duration object', { hours: 1, minutes: 30 }, 5400],
  ])('ctx.wait takes %s', async (_what, duration, seconds) => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait('pause', duration);
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('done');
    expect(result.getOperations()[0].getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test.each([
    ['"45 seconds"', '45 seconds', 45],
    ['an SDK duration object', { minutes: 2 }, 120],
  ])('ctx.wait without a name takes %s', async (_what, duration, seconds) => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait(duration);
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('done');
    const [wait] = operationsOfType(result, OperationType.WAIT);
    expect(wait.getName()).toBeUndefined();
    expect(wait.getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test.each([
    ['soon', `wait "pause" duration "soon" is not a duration${RULE}`],
    ['30', `wait "pause" duration "30" is not a duration${RULE}`],
    ['', `wait "pause" duration "" is not a duration${RULE}`],
    ['1500ms', `wait "pause" duration "1500ms" is 1.5 s${RULE}`],
    ['0 seconds', `wait "pause" duration "0 seconds" is 0 s${RULE}`],
    ['400 days', `wait "pause" duration "400 days" is 34560000 s${RULE}`],
    [5, `wait "pause" duration 5 is not a duration${RULE}`],
    [{}, `wait "pause" duration {} is not a duration${RULE}`],
    [{ seconds: 0 }, `wait "pause" duration {"seconds":0} is 0 s${RULE}`],
    [{ seconds: 1.5 }, `wait "pause" duration {"seconds":1.5} is 1.5 s${RULE}`],
    [{ minutes: -1 }, `wait "pause" duration {"minutes":-1} is not a duration${RULE}`],
    [{ days: 367 }, `wait "pause" duration {"days":367} is 31708800 s${RULE}`],
  ])('a malformed duration %p fails with a clear error', async (duration, message) => {
    const handler = workflow.handler(async (_event, ctx) => ctx.wait('pause', duration as workflow.Duration));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: message });
    expect(operationsOfType(result, OperationType.WAIT)).toHaveLength(0);
  });

  test.each([
    ['a future date', 10 * 60_000, 600],
    ['a past date', -60_000, 1],
    ['a date two years ahead', 2 * 365 * 86_400_000, 31_622_400],
  ])('waitUntil %s is exactly one wait of the clamped length, unchanged by the replay after it', async (_what, offsetMs, seconds) => {
    const until = new Date(Date.now() + offsetMs);
    let resumed = 0;
    let bodies = 0;
    const handler = workflow.handler(async (_event, ctx) => {
      bodies++;
      await ctx.waitUntil('until', until);
      await gate(ctx, 'after-wait'); // the replay after it runs waitUntil again with `until` now in the past
      return ctx.step('after', async () => ++resumed);
    });

    const { result, invocations } = await runThroughGates(handler, ['after-wait']);

    expect(result.getResult()).toBe(1);
    expect(invocations).toBeGreaterThanOrEqual(2);
    expect(bodies).toBe(invocations);
    const waits = operationsOfType(result, OperationType.WAIT);
    expect(waits).toHaveLength(1);
    expect(waits[0].getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test('waitUntil with an invalid date fails with a clear error', async () => {
    const handler = workflow.handler(async (_event, ctx) => ctx.waitUntil('until', new Date('not a date')));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: 'waitUntil "until" needs a valid Date, got Invalid Date' });
  });

  test('a year-long wait completes under skipTime', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait('a year', '366 days');
      return ctx.step('after a year', async () => 'woke up');
    });

    const wallStart = process.uptime(); // process.hrtime and Date are faked by skipTime; uptime is not
    const result = await run(handler);
    const wallSeconds = process.uptime() - wallStart;

    expect(result.getResult()).toBe('woke up');
    const [wait] = operationsOfType(result, OperationType.WAIT);
    expect(wait.getStatus()).toBe('SUCCEEDED');
    expect(wait.getWaitDetails()?.waitSeconds).toBe(366 * 86_400);
    console.log(`year-long wait: ${(wallSeconds * 1000).toFixed(0)} ms of wall time`);
  });
});
