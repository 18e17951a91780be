import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
// eslint-disable-next-line import/no-extraneous-dependencies -- a dev dependency of the user's project, never a dependency of this jsii package
import {
  LocalDurableTestRunner,
  WaitingOperationStatus,
  type DurableOperation,
} from '@aws/durable-execution-sdk-js-testing';
import { timelineFromHistory, type ExecutionTimeline, type TimelineError } from './history-timeline';

/** How a callback is answered: with a result, or with a failure. Exactly one of the two. */
export interface CallbackAnswer {
  /**
   * The callback's result. Sent as JSON text, as a caller of `SendDurableExecutionCallbackSuccess`
   * (or `workflow.succeed`) would send it: the workflow receives `JSON.stringify(result)`.
   */
  readonly result?: unknown;
  /** Fail the callback instead, as `SendDurableExecutionCallbackFailure` would. */
  readonly error?: CallbackFailure;
}

/** A callback failure. */
export interface CallbackFailure {
  readonly message: string;
  /** @default 'CallbackFailure' */
  readonly type?: string;
  readonly data?: string;
}

/** A callback the workflow is waiting for. */
export interface PendingCallback {
  /**
   * The name in code: `ctx.waitForCallback(name, ...)` or `ctx.createCallback(name)`.
   * Undefined for unnamed callbacks.
   */
  readonly name?: string;
  /** The id a real caller would pass to `SendDurableExecutionCallbackSuccess`. */
  readonly callbackId: string;
  readonly operationId: string;
}

/** An answer, or a function that decides the answer when the callback is reached. */
export type CallbackResponder = CallbackAnswer | ((callback: PendingCallback) => CallbackAnswer | Promise<CallbackAnswer>);

/** Options of `runWorkflowLocally`. */
export interface RunWorkflowLocallyOptions {
  /** The input of the execution: what a caller passes to `Invoke`. It must be JSON-serializable. */
  readonly payload?: unknown;
  /**
   * Answers for callbacks, by callback name. A callback that has no answer here goes to
   * `onCallback`; with neither, the run fails with an error naming the callback.
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
}

/** A callback answered during the run. */
export interface AnsweredCallback extends PendingCallback {
  readonly answer: CallbackAnswer;
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
}

/** A local run could not be carried out: bad options, a handler that is not durable, an unanswered callback. */
export class LocalRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRunError';
  }
}

let running = false;

/**
 * Runs a durable handler (`workflow.handler(...)` or the SDK's `withDurableExecution(...)`) to the
 * end on this machine, under the durable SDK's own local backend (`LocalDurableTestRunner`),
 * with waits and retry delays skipped. Callbacks are answered from `options`.
 *
 * The local backend patches the process clock while it runs, so one run at a time per process.
 */
export async function runWorkflowLocally(
  handler: DurableLambdaHandler,
  options: RunWorkflowLocallyOptions = {},
): Promise<LocalRunResult> {
  if (typeof handler !== 'function') {
    throw new LocalRunError(`runWorkflowLocally: handler must be a function made with workflow.handler() or withDurableExecution(), got ${describe(handler)}`);
  }
  checkPayload(options.payload);
  for (const [name, responder] of Object.entries(options.callbacks ?? {})) {
    if (typeof responder !== 'function') checkAnswer(responder, `callbacks.${name}`);
  }
  if (running) {
    throw new LocalRunError('runWorkflowLocally: another local run is in progress in this process; the local backend patches the process clock, so await one run before starting the next');
  }

  running = true;
  try {
    await setUp(options.skipTime ?? true);
    try {
      return await execute(handler, options);
    } finally {
      await LocalDurableTestRunner.teardownTestEnvironment();
    }
  } finally {
    running = false;
  }
}

async function setUp(skipTime: boolean): Promise<void> {
  try {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime });
  } catch (error) {
    throw new LocalRunError(`runWorkflowLocally sets up the local durable backend itself and could not: ${(error as Error).message}. `
      + 'Do not call LocalDurableTestRunner.setupTestEnvironment() or install fake timers (jest.useFakeTimers()) around it.');
  }
}

async function execute(handler: DurableLambdaHandler, options: RunWorkflowLocallyOptions): Promise<LocalRunResult> {
  let abort!: (error: Error) => void;
  const aborted = new Promise<never>((_, reject) => { abort = reject; });
  // An abort after the run ended (a late answer failing) has no one left to tell.
  aborted.catch(() => undefined);

  const runner = new LocalDurableTestRunner({ handlerFunction: checkedHandler(handler, abort) });
  const answered: AnsweredCallback[] = [];
  const run = runner.run({ payload: options.payload }).catch((error: Error) => {
    throw new LocalRunError(`The local durable backend failed to run the handler: ${error.message}`);
  });
  // The execution may be abandoned (unanswered callback, non-durable handler): its promise must not go unhandled.
  run.catch(() => undefined);
  const answers: Array<Promise<void>> = [];
  void watchCallbacks(runner, options, answered, answers, abort);

  // Whatever stopped the run first (an answer that failed, a handler that is not durable) is the error to report.
  const outcome = await Promise.race([run, aborted]);
  await Promise.all(answers);

  const timeline = timelineFromHistory(outcome.getHistoryEvents());
  const status = outcome.getStatus() ?? 'RUNNING';
  if (status === 'SUCCEEDED') {
    return { ...timeline, status, result: outcome.getResult(), callbacks: answered };
  }
  const error = outcome.getError();
  return {
    ...timeline,
    status,
    error: { message: error.errorMessage ?? '', type: error.errorType, data: error.errorData, stackTrace: error.stackTrace },
    callbacks: answered,
  };
}

/**
 * Watches operations in the order they appear and answers callbacks as they open, adding each
 * answer in flight to `answers`. The runner ends the waits when the execution completes; a wait
 * begun after that never ends, which leaves this loop parked with nothing to do.
 */
async function watchCallbacks(
  runner: LocalDurableTestRunner,
  options: RunWorkflowLocallyOptions,
  answered: AnsweredCallback[],
  answers: Array<Promise<void>>,
  abort: (error: Error) => void,
): Promise<void> {
  for (let index = 0; ; index++) {
    const operation = runner.getOperationByIndex(index);
    try {
      await operation.waitForData(WaitingOperationStatus.STARTED);
    } catch {
      return; // the execution completed
    }
    const isCallbackOfWaitForCallback = operation.isCallback() && isWaitForCallbackChild(runner, operation);
    if (operation.isWaitForCallback() || (operation.isCallback() && !isCallbackOfWaitForCallback)) {
      answers.push(answerCallback(operation, options, answered).catch(abort));
    }
  }
}

function isWaitForCallbackChild(runner: LocalDurableTestRunner, operation: DurableOperation): boolean {
  const parentId = operation.getParentId();
  if (parentId === undefined) return false;
  const parent = runner.getOperationById(parentId);
  return parent.getOperationData() !== undefined && parent.isWaitForCallback();
}

async function answerCallback(operation: DurableOperation, options: RunWorkflowLocallyOptions, answered: AnsweredCallback[]): Promise<void> {
  // A waitForCallback is answered once its submitter ran, as a real caller would be.
  if (operation.isWaitForCallback()) {
    try {
      await operation.waitForData(WaitingOperationStatus.SUBMITTED);
    } catch {
      return; // the execution ended first (the submitter failed)
    }
  }
  const details = operation.getCallbackDetails();
  const callback: PendingCallback = {
    name: operation.getName(),
    callbackId: details!.callbackId,
    operationId: operation.getId()!,
  };
  const named = callback.name !== undefined ? options.callbacks?.[callback.name] : undefined;
  const responder = named ?? options.onCallback;
  if (!responder) {
    const known = Object.keys(options.callbacks ?? {});
    throw new LocalRunError(`Callback ${callback.name !== undefined ? `"${callback.name}"` : '(unnamed)'} is waiting for an answer and none was given`
      + `${known.length ? ` (answers were given for: ${known.join(', ')})` : ''}. `
      + `Answer it with options.callbacks${callback.name !== undefined ? `["${callback.name}"]` : ''} or options.onCallback `
      + `(CLI: --callback ${callback.name ?? 'NAME'}='<json>', --fail-callback ${callback.name ?? 'NAME'}='<message>' or --interactive).`);
  }
  const reply = typeof responder === 'function' ? await responder(callback) : responder;
  checkAnswer(reply, `the answer to callback "${callback.name ?? '(unnamed)'}"`);
  if (reply.error) {
    await operation.sendCallbackFailure({
      ErrorMessage: reply.error.message,
      ErrorType: reply.error.type ?? 'CallbackFailure',
      ErrorData: reply.error.data,
    });
  } else {
    await operation.sendCallbackSuccess(JSON.stringify(reply.result));
  }
  answered.push({ ...callback, answer: reply });
}

/**
 * The durable SDK's handler always returns an invocation status. Anything else is a plain
 * Lambda handler, which the local backend would wait on forever: stop with a clear error instead.
 */
function checkedHandler(handler: DurableLambdaHandler, abort: (error: Error) => void): DurableLambdaHandler {
  const notDurable = (detail: string) => new LocalRunError(
    `The handler is not a durable handler: ${detail}. Wrap it with workflow.handler() from cdk-durable-workflow/runtime `
    + 'or withDurableExecution() from @aws/durable-execution-sdk-js.');
  return async (event, context) => {
    let output: unknown;
    try {
      output = await handler(event, context);
    } catch (error) {
      // The durable SDK itself throws only unrecoverable errors (a result it cannot serialize, a failed
      // checkpoint), which make Lambda retry the invocation; it marks them with a flag, not a class
      // (the workflow's bundle carries its own copy of the SDK).
      const failure = (error as { isUnrecoverable?: unknown } | null)?.isUnrecoverable === true
        ? new LocalRunError(`The workflow's invocation stopped with ${(error as Error).name}: ${(error as Error).message}. `
          + 'Lambda would retry the invocation; the local run stops here.')
        : notDurable(`it threw "${(error as Error)?.message ?? String(error)}" instead of returning an invocation status`);
      abort(failure);
      throw failure;
    }
    const status = (output as { Status?: unknown } | null)?.Status;
    if (status !== 'SUCCEEDED' && status !== 'FAILED' && status !== 'PENDING') {
      const failure = notDurable(`it returned ${describe(output)} instead of an invocation status`);
      abort(failure);
      throw failure;
    }
    return output as Awaited<ReturnType<DurableLambdaHandler>>;
  };
}

function checkPayload(payload: unknown): void {
  if (payload === undefined) return;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new LocalRunError(`runWorkflowLocally: payload must be JSON-serializable: ${(error as Error).message}`);
  }
  if (text === undefined) {
    throw new LocalRunError(`runWorkflowLocally: payload must be JSON-serializable, got ${describe(payload)}`);
  }
}

function checkAnswer(answer: CallbackAnswer | undefined, where: string): asserts answer is CallbackAnswer {
  if (answer === null || typeof answer !== 'object') {
    throw new LocalRunError(`${where} must be an object with either "result" or "error", got ${describe(answer)}`);
  }
  const hasResult = 'result' in answer;
  const hasError = answer.error !== undefined;
  if (hasResult === hasError) {
    throw new LocalRunError(`${where} must have exactly one of "result" or "error", got ${hasResult ? 'both' : 'neither'}`);
  }
  if (hasError && (typeof answer.error !== 'object' || typeof answer.error.message !== 'string')) {
    throw new LocalRunError(`${where}: "error" must be { message: string, type?: string, data?: string }, got ${describe(answer.error)}`);
  }
  if (hasResult) {
    let text: string | undefined;
    try {
      text = JSON.stringify(answer.result);
    } catch (error) {
      throw new LocalRunError(`${where}: "result" must be JSON-serializable: ${(error as Error).message}`);
    }
    if (text === undefined) throw new LocalRunError(`${where}: "result" must be JSON-serializable, got ${describe(answer.result)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  try {
    const text = JSON.stringify(value);
    return `${typeof value} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
  } catch {
    return typeof value;
  }
}
