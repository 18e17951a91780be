// ctx.waitForCallbackJson beside the SDK's own waitForCallback.
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import { workflow } from '../../lambda';
import { useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

describe('callbacks', () => {
  test('waitForCallbackJson returns the parsed JSON value; waitForCallback still returns the raw string', async () => {
    const submitted: string[] = [];
    const handler = workflow.handler(async (_event, ctx) => {
      const approval = await ctx.waitForCallbackJson<{ approved: boolean; by: string }>('approval', async (callbackId) => {
        submitted.push(callbackId);
      });
      const raw = await ctx.waitForCallback('raw', async () => undefined);
      return { approval, approvedBy: approval.by, raw };
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });

    const running = runner.run();
    const approval = runner.getOperation('approval');
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackSuccess(JSON.stringify({ approved: true, by: 'ann' }));
    const raw = runner.getOperation('raw');
    await raw.waitForData(WaitingOperationStatus.SUBMITTED);
    await raw.sendCallbackSuccess('{"kept":"as text"}');
    const result = await running;

    expect(submitted).toHaveLength(1);
    expect(result.getResult()).toEqual({ approval: { approved: true, by: 'ann' }, approvedBy: 'ann', raw: '{"kept":"as text"}' });
  });

  test('a callback answered with something that is not JSON fails with CallbackPayloadError', async () => {
    const handler = workflow.handler(async (_event, ctx) => ctx.waitForCallbackJson('approval', async () => undefined));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });

    const running = runner.run();
    const approval = runner.getOperation('approval');
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackSuccess('yes please');
    const result = await running;

    expect(result.getError().errorType).toBe('CallbackPayloadError');
    expect(result.getError().errorMessage).toMatch(/^Callback "approval" result is not valid JSON \(.+\): yes please$/);
  });
});
