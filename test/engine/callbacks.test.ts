// The engine driven from outside while executions wait: callback answers, heartbeats and stops, as the Lambda API's
// SendDurableExecutionCallback* and StopDurableExecution calls would make them.
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { checkCallbackId } from '../../lambda/client/target';
import { RealClock } from '../../lambda/testing/engine/clock/real-clock';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { watch } from '../support/engine-watch';

const approval = withDurableExecution(async (_event: unknown, ctx) => {
  const reviewed = await ctx.step('review', async () => 'reviewed');
  const [answer] = await ctx.createCallback('approval');
  const decision = await answer.catch((error: Error) => `${error.name}: ${error.message}`);
  return { reviewed, decision };
});

function engineWith(handler = approval) {
  const engine = new DurableEngine();
  engine.register('approval', handler);
  return { engine, events: watch(engine) };
}

test('an answer sent while the execution waits resumes it in a new invocation', async () => {
  const { engine, events } = engineWith();
  const { arn } = engine.start({ functionName: 'approval' });
  const callback = await events.nextCallback();
  expect(callback).toMatchObject({ executionArn: arn, name: 'approval' });
  // Nothing but an answer can move it on: the handler suspends, and the engine says what it waits for.
  const waitingOn = await events.waiting(arn);
  expect(waitingOn.map((operation) => [operation.Type, operation.Name, operation.CallbackDetails?.CallbackId])).toEqual([
    ['CALLBACK', 'approval', callback.callbackId],
  ]);
  expect(engine.describe(arn)).toMatchObject({ status: 'RUNNING', invocations: 1 });
  // Of the API's form, so the runtime client answers it against the dev server without refusing it first.
  expect(checkCallbackId(callback.callbackId)).toBe(callback.callbackId);

  engine.sendCallbackSuccess(callback.callbackId, 'yes');
  const ended = await events.ended(arn);
  expect(ended).toMatchObject({ status: 'SUCCEEDED', invocations: 2 });
  expect(JSON.parse(ended.result!)).toEqual({ reviewed: 'reviewed', decision: 'yes' });
  const types = engine.history(arn).map((event) => event.EventType);
  expect(types.filter((type) => type === 'InvocationCompleted')).toHaveLength(2);
  expect(types.slice(-3)).toEqual(['CallbackSucceeded', 'InvocationCompleted', 'ExecutionSucceeded']);
});

test('a failure sent from outside reaches the handler as CallbackExternalError', async () => {
  const { engine, events } = engineWith();
  const { arn } = engine.start({ functionName: 'approval' });
  const callback = await events.nextCallback();
  engine.sendCallbackFailure(callback.callbackId, { ErrorType: 'Rejected', ErrorMessage: 'over budget' });
  expect(JSON.parse((await events.ended(arn)).result!)).toEqual({ reviewed: 'reviewed', decision: 'CallbackExternalError: over budget' });
});

test('a callback answered twice, or unknown, is refused as the service refuses it', async () => {
  const { engine, events } = engineWith();
  const { arn } = engine.start({ functionName: 'approval' });
  const callback = await events.nextCallback();
  expect(() => engine.sendCallbackSuccess('no-such-callback', 'x')).toThrow(expect.objectContaining({
    name: 'ResourceNotFoundException', statusCode: 404, message: 'Callback no-such-callback not found',
  }));
  engine.sendCallbackSuccess(callback.callbackId, 'first');
  expect(() => engine.sendCallbackSuccess(callback.callbackId, 'second')).toThrow(expect.objectContaining({ name: 'CallbackTimeoutException' }));
  await events.ended(arn);
  expect(() => engine.sendCallbackHeartbeat(callback.callbackId)).toThrow(expect.objectContaining({ name: 'CallbackTimeoutException' }));
});

test('heartbeats keep a callback with a heartbeat timeout open; without them it times out', async () => {
  const guarded = withDurableExecution(async (_event: unknown, ctx) => {
    const [answer] = await ctx.createCallback('long-task', { heartbeatTimeout: { seconds: 1 } });
    return answer.catch((error: Error) => `${error.name}: ${error.message}`);
  });
  // Real time, so the heartbeats have time to pass between them.
  const engine = new DurableEngine({ clock: new RealClock() });
  engine.register('guarded', guarded);
  const events = watch(engine);
  const kept = engine.start({ functionName: 'guarded' }).arn;
  const callback = await events.nextCallback();
  for (let beat = 0; beat < 3; beat++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    engine.sendCallbackHeartbeat(callback.callbackId);
  }
  engine.sendCallbackSuccess(callback.callbackId, 'done after 1.5 s');
  expect((await events.ended(kept)).result).toBe('"done after 1.5 s"');

  const simulated = engineWith(guarded);
  const lapsed = simulated.engine.start({ functionName: 'approval' }).arn;
  expect((await simulated.events.ended(lapsed)).result).toBe('"CallbackTimeoutError: Callback timed out on heartbeat"');
  const timedOut = simulated.engine.history(lapsed).find((event) => event.EventType === 'CallbackTimedOut')!;
  expect(timedOut.CallbackTimedOutDetails?.Error?.Payload?.ErrorMessage).toBe('Callback timed out on heartbeat');
});

test('stop ends a waiting execution STOPPED with the error given; later calls are refused', async () => {
  const { engine, events } = engineWith();
  const { arn } = engine.start({ functionName: 'approval' });
  const callback = await events.nextCallback();
  const stopped = engine.stop(arn, { ErrorType: 'Cancelled', ErrorMessage: 'customer cancelled' });
  expect(stopped).toMatchObject({ status: 'STOPPED', error: { ErrorType: 'Cancelled', ErrorMessage: 'customer cancelled' } });
  expect(engine.describe(arn)?.endTimestamp).toBeInstanceOf(Date);
  const last = engine.history(arn).at(-1)!;
  expect([last.EventType, last.ExecutionStoppedDetails?.Error?.Payload?.ErrorMessage]).toEqual(['ExecutionStopped', 'customer cancelled']);
  expect(() => engine.sendCallbackSuccess(callback.callbackId, 'late')).toThrow(expect.objectContaining({ name: 'CallbackTimeoutException' }));
  expect(() => engine.stop(arn)).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException' }));
});

test('stop does not interrupt a running invocation: its next checkpoint is refused and the step never succeeds', async () => {
  let stepStarted!: () => void;
  const started = new Promise<void>((resolve) => { stepStarted = resolve; });
  const busy = withDurableExecution(async (_event: unknown, ctx) => ctx.step('slow', async () => {
    stepStarted();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return 'finished';
  }));
  const { engine, events } = engineWith(busy);
  const { arn } = engine.start({ functionName: 'approval' });
  await started;
  engine.stop(arn);
  expect((await events.ended(arn)).status).toBe('STOPPED');
  await new Promise((resolve) => setTimeout(resolve, 100)); // the invocation's refused checkpoint and its end
  const types = engine.history(arn).map((event) => event.EventType);
  expect(types).not.toContain('StepSucceeded');
  expect(types).toContain('ExecutionStopped');
  expect(engine.describe(arn)?.status).toBe('STOPPED');
});
