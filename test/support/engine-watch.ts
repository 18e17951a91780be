// Awaitable views of what a DurableEngine tells its observers, for tests that drive it from outside.
import type { Operation } from '@aws/durable-execution-sdk-js';
import type { DurableEngine, ReadyCallback } from '../../lambda/testing/engine/durable-engine';
import type { ExecutionRecord } from '../../lambda/testing/engine/store/execution-store';

export interface EngineWatch {
  /** Resolves when the execution ends; rejects if one of its invocations fails. */
  ended(arn: string): Promise<ExecutionRecord>;
  /** The next callback that waits for its answer (the earliest not yet taken). */
  nextCallback(): Promise<ReadyCallback & { readonly executionArn: string }>;
  /** Resolves the next time an execution waits on nothing the engine can move. */
  waiting(arn: string): Promise<Operation[]>;
  /** Resolves once the execution's history holds `count` events of `type` (at once if it does already). */
  recorded(arn: string, type: string, count?: number): Promise<void>;
}

export function watch(engine: DurableEngine): EngineWatch {
  const endings = new Map<string, (record: ExecutionRecord) => void>();
  const failures = new Map<string, (error: Error) => void>();
  const waits = new Map<string, (operations: Operation[]) => void>();
  const callbacks: Array<ReadyCallback & { executionArn: string }> = [];
  const callbackTakers: Array<(callback: ReadyCallback & { executionArn: string }) => void> = [];
  const histories = new Set<() => void>();
  engine.observe({
    historyRecorded: () => {
      for (const check of histories) check();
    },
    executionEnded: (record) => endings.get(record.arn)?.(record),
    invocationFailed: (record, outcome) => failures.get(record.arn)?.(new Error(`invocation failed: ${JSON.stringify(outcome)}`)),
    executionWaiting: (record, operations) => waits.get(record.arn)?.(operations),
    callbackReady: (record, callback) => {
      const ready = { ...callback, executionArn: record.arn };
      const taker = callbackTakers.shift();
      if (taker) taker(ready);
      else callbacks.push(ready);
    },
  });
  return {
    ended: (arn) => new Promise((resolve, reject) => {
      const record = engine.describe(arn);
      if (record && record.status !== 'RUNNING') resolve(record);
      endings.set(arn, resolve);
      failures.set(arn, reject);
    }),
    nextCallback: () => new Promise((resolve) => {
      const ready = callbacks.shift();
      if (ready) resolve(ready);
      else callbackTakers.push(resolve);
    }),
    waiting: (arn) => new Promise((resolve) => waits.set(arn, resolve)),
    recorded: (arn, type, count = 1) => new Promise((resolve) => {
      const check = () => {
        if (engine.history(arn).filter((event) => event.EventType === type).length < count) return;
        histories.delete(check);
        resolve();
      };
      histories.add(check);
      check();
    }),
  };
}
