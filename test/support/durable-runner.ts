// Running workflow.handler handlers as real durable executions under the SDK's LocalDurableTestRunner, for the runtime
// tests: one test environment per file, plain runs, runs split into invocations at callback "gates", side-effect counts.
import { createRetryStrategy, retryPresets } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler, OperationType } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import type { TestResult } from '@aws/durable-execution-sdk-js-testing';
import type { workflow } from '../../lambda';

/** Sets up the runner's environment (skipTime) for the calling test file, and tears it down after. */
export function useDurableTestRunner(): void {
  beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
  afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());
}

export const noRetry = { retryStrategy: retryPresets.noRetry };
export const threeAttempts = { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }) };

export function run(handler: DurableLambdaHandler, payload?: unknown): Promise<TestResult> {
  return new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload });
}

/**
 * Runs a handler that stops at callbacks named in `gates`, answering each only after the invocation that reached it
 * has suspended, so whatever follows a gate runs in a new invocation that replays the handler from the start.
 * (Retries and waits are no reliable boundary: the local runner may finish them inside the same invocation.)
 */
export async function runThroughGates(handler: DurableLambdaHandler, gates: string[]): Promise<{ result: TestResult; invocations: number }> {
  let ended = 0;
  let onEnd = () => undefined as void;
  const observed: DurableLambdaHandler = async (event, context) => {
    const output = await handler(event, context);
    ended++;
    onEnd();
    return output;
  };
  const runner = new LocalDurableTestRunner({ handlerFunction: observed });
  const running = runner.run();
  for (const [index, gate] of gates.entries()) {
    const operation = runner.getOperation(gate);
    await operation.waitForData(WaitingOperationStatus.SUBMITTED);
    await new Promise<void>((resolve) => {
      onEnd = () => (ended > index ? resolve() : undefined);
      onEnd();
    });
    await operation.sendCallbackSuccess('');
  }
  const result = await running;
  return { result, invocations: ended };
}

/** A callback nobody answers until runThroughGates does: an invocation boundary. */
export const gate = (ctx: workflow.Context, name: string) => ctx.waitForCallback(name, async () => undefined);

export function operationsOfType(result: TestResult, type: OperationType) {
  return result.getOperations().filter((op) => op.getType() === type);
}

/** Counts real side effects by key, across every invocation and replay. */
export function sideEffects() {
  const counts: Record<string, number> = {};
  const order: string[] = [];
  return {
    counts,
    order,
    record(key: string) {
      counts[key] = (counts[key] ?? 0) + 1;
      order.push(key);
    },
  };
}
