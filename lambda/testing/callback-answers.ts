import { describe, LocalRunError } from './local-run-error';

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

/** A callback answered during the run. */
export interface AnsweredCallback extends PendingCallback {
  readonly answer: CallbackAnswer;
}

/** Where a run's answers come from: answers by callback name, and the one that answers the rest. */
export interface CallbackAnswers {
  readonly callbacks?: Record<string, CallbackResponder>;
  readonly onCallback?: (callback: PendingCallback) => CallbackAnswer | Promise<CallbackAnswer>;
}

/** The responder for a callback: the one named for it, else `onCallback`. */
export function responderFor(answers: CallbackAnswers, callback: PendingCallback): CallbackResponder | undefined {
  const named = callback.name !== undefined ? answers.callbacks?.[callback.name] : undefined;
  return named ?? answers.onCallback;
}

/** The error of a callback that waits for an answer none of the options gives. */
export function unansweredError(answers: CallbackAnswers, callback: PendingCallback): LocalRunError {
  const known = Object.keys(answers.callbacks ?? {});
  return new LocalRunError(`Callback ${callback.name !== undefined ? `"${callback.name}"` : '(unnamed)'} is waiting for an answer and none was given`
    + `${known.length ? ` (answers were given for: ${known.join(', ')})` : ''}. `
    + `Answer it with options.callbacks${callback.name !== undefined ? `["${callback.name}"]` : ''} or options.onCallback `
    + `(CLI: --callback ${callback.name ?? 'NAME'}='<json>', --fail-callback ${callback.name ?? 'NAME'}='<message>' or --interactive).`);
}

/** Checks an answer given in the options or returned by a responder. */
export function checkAnswer(answer: CallbackAnswer | undefined, where: string): asserts answer is CallbackAnswer {
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
  if (hasResult) checkJson(answer.result, `${where}: "result"`);
}

/** Checks a value can be sent as JSON. */
export function checkJson(value: unknown, what: string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new LocalRunError(`${what} must be JSON-serializable: ${(error as Error).message}`);
  }
  if (text === undefined) throw new LocalRunError(`${what} must be JSON-serializable, got ${describe(value)}`);
}

/** The failure an answer's `error` sends, as `SendDurableExecutionCallbackFailure` takes it. */
export function failureOf(failure: CallbackFailure): { ErrorMessage: string; ErrorType: string; ErrorData?: string } {
  return { ErrorMessage: failure.message, ErrorType: failure.type ?? 'CallbackFailure', ErrorData: failure.data };
}
