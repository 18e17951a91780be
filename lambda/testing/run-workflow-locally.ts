import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { checkAnswer, checkJson } from './callback-answers';
import type { AnsweredCallback, CallbackAnswer, CallbackResponder, PendingCallback } from './callback-answers';
import { runOnEngine } from './engine-run';
import type { ExecutionTimeline, TimelineError } from './history-timeline';
import { describe, LocalRunError } from './local-run-error';
import { runOnOfficialRunner } from './official-run';

export { LocalRunError } from './local-run-error';
export type { AnsweredCallback, CallbackAnswer, CallbackFailure, CallbackResponder, PendingCallback } from './callback-answers';

/** The longest execution timeout a durable function takes: 366 days. */
const MAX_EXECUTION_TIMEOUT_SECONDS = 31_622_400;

/** Options of `runWorkflowLocally`. */
export interface RunWorkflowLocallyOptions {
  /** The input of the execution: what a caller passes to `Invoke`. It must be JSON-serializable. */
  readonly payload?: unknown;
  /**
   * Answers for callbacks, by callback name. A callback that has no answer here goes to
   * `onCallback`; with neither, the run fails with an error naming the callback, unless the
   * callback has a timeout, which it is then left to reach.
   */
  readonly callbacks?: Record<string, CallbackResponder>;
  /** Answers every callback that `callbacks` does not name (the CLI's `--interactive` prompt). */
  readonly onCallback?: (callback: PendingCallback) => CallbackAnswer | Promise<CallbackAnswer>;
  /**
   * Skip waits and retry delays instead of sleeping through them. The timeline still shows
   * them at their full length.
   * @default true
   */
  readonly skipTime?: boolean;
  /**
   * Other durable handlers the workflow calls with `ctx.invoke`, by the function name or ARN it passes.
   * @default none
   */
  readonly functions?: Record<string, DurableLambdaHandler>;
  /**
   * The execution timeout of the function's durable config: the execution ends TIMED_OUT when it runs longer
   * (on the simulated clock). The local engine only.
   * @default none
   */
  readonly executionTimeoutSeconds?: number;
  /**
   * What runs the workflow: `'engine'`, this package's local durable engine (the Lambda service's part played
   * in process, on a simulated clock; several runs at once), or `'official'`, the durable SDK's own
   * `LocalDurableTestRunner` from @aws/durable-execution-sdk-js-testing (fake timers for the whole process,
   * one run at a time, callback timeouts in real time).
   * @default 'engine'
   */
  readonly runner?: 'engine' | 'official';
}

/** What a local run produced: the outcome and the timeline of its operations. */
export interface LocalRunResult extends ExecutionTimeline {
  /** `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `STOPPED`. */
  readonly status: string;
  /** The workflow's return value (when it succeeded). */
  readonly result?: unknown;
  /** Why the execution failed (when it did). */
  readonly error?: TimelineError;
  /** The callbacks answered, in the order they were answered. */
  readonly callbacks: AnsweredCallback[];
  /** The execution's history, in the format of `GetDurableExecutionHistory`. */
  readonly history: Event[];
}

/**
 * Runs a durable handler (`workflow.handler(...)` or the SDK's `withDurableExecution(...)`) to the end on this
 * machine, with waits and retry delays skipped. Callbacks are answered from `options`.
 *
 * By default the handler runs on this package's local durable engine, which stands where the Lambda service
 * stands; `runner: 'official'` runs it on the durable SDK's `LocalDurableTestRunner` instead.
 */
export async function runWorkflowLocally(
  handler: DurableLambdaHandler,
  options: RunWorkflowLocallyOptions = {},
): Promise<LocalRunResult> {
  if (typeof handler !== 'function') {
    throw new LocalRunError(`runWorkflowLocally: handler must be a function made with workflow.handler() or withDurableExecution(), got ${describe(handler)}`);
  }
  if (options.payload !== undefined) checkJson(options.payload, 'runWorkflowLocally: payload');
  for (const [name, responder] of Object.entries(options.callbacks ?? {})) {
    if (typeof responder !== 'function') checkAnswer(responder, `callbacks.${name}`);
  }
  for (const [name, fn] of Object.entries(options.functions ?? {})) {
    if (typeof fn !== 'function') throw new LocalRunError(`runWorkflowLocally: functions.${name} must be a durable handler, got ${describe(fn)}`);
  }
  const timeout = options.executionTimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_EXECUTION_TIMEOUT_SECONDS)) {
    throw new LocalRunError(`runWorkflowLocally: executionTimeoutSeconds must be a whole number of seconds from 1 to ${MAX_EXECUTION_TIMEOUT_SECONDS} (366 days), got ${describe(timeout)}`);
  }
  const runner = options.runner ?? 'engine';
  if (runner === 'engine') return runOnEngine(handler, options);
  if (runner !== 'official') throw new LocalRunError(`runWorkflowLocally: runner must be 'engine' or 'official', got ${describe(runner)}`);
  if (timeout !== undefined) {
    throw new LocalRunError('runWorkflowLocally: executionTimeoutSeconds needs the local engine; the official runner has no execution timeout');
  }
  return runOnOfficialRunner(handler, options);
}
