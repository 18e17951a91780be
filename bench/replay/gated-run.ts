// Runs a durable handler under the SDK's LocalDurableTestRunner with invocation boundaries it controls. Waits and
// retries are no reliable boundary (the runner may finish them inside the same invocation), so a workflow marks
// each boundary with a callback "gate", answered here only once the invocation that reached it has returned: the
// work after a gate runs in a fresh invocation that first replays everything before it.
import type { DurableContext, DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import type { TestResult } from '@aws/durable-execution-sdk-js-testing';

/** An invocation boundary: a callback nobody answers until gatedRun does. */
export function gate(ctx: DurableContext, name: string): Promise<string | undefined> {
  return ctx.waitForCallback(name, async () => undefined);
}

export interface GatedRunResult {
  readonly result: TestResult;
  /** Handler invocations: one more than the number of gates. */
  readonly invocations: number;
}

/** Runs `handler` to the end, opening `gates` (by name, in order) one invocation at a time. */
export async function gatedRun(handler: DurableLambdaHandler, gates: readonly string[], payload?: unknown): Promise<GatedRunResult> {
  let ended = 0;
  let onInvocationEnd = (): void => undefined;
  const counted: DurableLambdaHandler = async (event, context) => {
    const output = await handler(event, context);
    ended++;
    onInvocationEnd();
    return output;
  };
  const runner = new LocalDurableTestRunner({ handlerFunction: counted });
  const running = runner.run({ payload });
  // A run that ends (or fails) before reaching a gate must fail the benchmark, not hang it.
  const endedEarly = running.then((result) => {
    throw new Error(`the run ended ${result.getStatus()} before opening every gate: ${JSON.stringify(result.getError())}`);
  });
  endedEarly.catch(() => undefined);
  const beforeEnd = <T>(step: Promise<T>) => Promise.race([step, endedEarly]);
  for (const [index, name] of gates.entries()) {
    const operation = runner.getOperation(name);
    await beforeEnd(operation.waitForData(WaitingOperationStatus.SUBMITTED));
    // Invocation `index + 1` reached this gate; answer only after it has returned.
    await beforeEnd(new Promise<void>((resolve) => {
      onInvocationEnd = () => (ended > index ? resolve() : undefined);
      onInvocationEnd();
    }));
    await operation.sendCallbackSuccess('');
  }
  return { result: await running, invocations: ended };
}
