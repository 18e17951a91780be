// ctx.invoke on the engine: the target runs as an execution of its own, started at the caller's time, and the
// caller's CHAINED_INVOKE ends the way that execution ends.
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { BROKEN, broken, handler as caller, PRICER, pricer } from '../fixtures/parity/invoke';
import { watch } from '../support/engine-watch';

test('an invoked function runs as its own execution, linked to the caller both ways', async () => {
  const engine = new DurableEngine();
  engine.register('caller', caller);
  engine.register('pricer', pricer); // found by the function name in the ARN the caller passes
  engine.register(BROKEN, broken); // or by exactly what it passes
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'caller', payload: JSON.stringify({ sku: 'mug' }) });
  const ended = await events.ended(arn);
  expect(JSON.parse(ended.result!)).toEqual({ price: { sku: 'mug', cents: 30 }, failure: 'InvokeError: pricing engine exploded' });

  const children = engine.list().filter((execution) => execution.invokedBy?.arn === arn);
  expect(children.map((child) => [child.functionName, child.status])).toEqual([['pricer', 'SUCCEEDED'], [BROKEN, 'FAILED']]);
  const started = engine.history(arn).filter((event) => event.EventType === 'ChainedInvokeStarted');
  expect(started.map((event) => event.ChainedInvokeStartedDetails)).toEqual([
    { FunctionName: PRICER, Input: { Payload: '{"sku":"mug"}' }, DurableExecutionArn: children[0].arn },
    { FunctionName: BROKEN, Input: { Payload: '{}' }, DurableExecutionArn: children[1].arn },
  ]);
  const succeeded = engine.history(arn).find((event) => event.EventType === 'ChainedInvokeSucceeded')!;
  expect(JSON.parse(succeeded.ChainedInvokeSucceededDetails!.Result!.Payload!)).toEqual({ sku: 'mug', cents: 30 });
  // The child starts at the caller's time and its 30 s wait lies between the caller's start and end of the invoke.
  const pricerEnd = children[0].endTimestamp!.getTime();
  expect(children[0].startTimestamp.getTime()).toBeGreaterThanOrEqual(started[0].EventTimestamp!.getTime());
  expect(pricerEnd - children[0].startTimestamp.getTime()).toBeGreaterThanOrEqual(30_000);
  expect(succeeded.EventTimestamp!.getTime()).toBeGreaterThanOrEqual(pricerEnd);
});

test('invoking a function the engine does not have fails the operation, as the service would', async () => {
  const engine = new DurableEngine();
  engine.register('lonely', withDurableExecution(async (_event: unknown, ctx) =>
    ctx.invoke('missing', 'arn:aws:lambda:us-east-1:123456789012:function:missing:live', {}).catch((error: Error) => `${error.name}: ${error.message}`)));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'lonely' });
  expect((await events.ended(arn)).result).toBe(
    '"InvokeError: Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing:live"');
  const failed = engine.history(arn).find((event) => event.EventType === 'ChainedInvokeFailed')!;
  expect(failed.ChainedInvokeFailedDetails?.Error?.Payload?.ErrorType).toBe('ResourceNotFoundException');
});
