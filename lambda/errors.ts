// Typed errors of the handler side of the runtime helper (the client's are in client/errors.ts).

/** A value passed to the runtime helper is invalid; thrown before any request or checkpoint. */
export class InvalidArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** The SDK's checkpoint limit for one operation's result: 256 KiB of serialized JSON. */
export const CHECKPOINT_LIMIT_BYTES = 256 * 1024;

/** A step result is larger than one checkpoint can hold. Never retried: the same result would fail again. */
export class CheckpointSizeError extends Error {
  constructor(readonly stepName: string | undefined, readonly sizeBytes: number, readonly limitBytes = CHECKPOINT_LIMIT_BYTES) {
    super(
      `Step ${stepName === undefined ? '(unnamed)' : `"${stepName}"`} returned ${sizeBytes} bytes of JSON, over the `
      + `${limitBytes}-byte (256 KiB) checkpoint limit. Return a smaller result (for example an S3 key instead of the data).`,
    );
    this.name = 'CheckpointSizeError';
  }
}

/** A callback received through `ctx.waitForCallbackJson` did not carry valid JSON. */
export class CallbackPayloadError extends Error {
  constructor(readonly callbackName: string | undefined, readonly payload: string, cause: unknown) {
    super(
      `Callback ${callbackName === undefined ? '(unnamed)' : `"${callbackName}"`} result is not valid JSON `
      + `(${cause instanceof Error ? cause.message : String(cause)}): ${truncate(payload, 200)}`,
    );
    this.name = 'CallbackPayloadError';
    this.cause = cause;
  }
}

/** One compensation that failed during `ctx.rollbackAll`. */
export interface RollbackFailure {
  /** Name of the `stepWithRollback` step whose undo failed. */
  readonly stepName: string;
  /** What the undo step threw once its retries were exhausted. */
  readonly error: unknown;
}

/**
 * `ctx.rollbackAll` attempted every compensation and at least one failed. `errors` (from AggregateError) holds each
 * undo's error; `failures` pairs them with their step names; `cause` is the error that triggered the rollback.
 */
export class RollbackError extends AggregateError {
  /** SST compatibility: the first failed step, its undo error and the error that started the rollback. */
  readonly stepName: string;
  readonly undoError: unknown;
  readonly originalError: unknown;

  constructor(readonly failures: readonly RollbackFailure[], readonly attempted: number, originalError: unknown) {
    super(
      failures.map((f) => f.error),
      `Rollback failed for ${failures.length} of ${attempted} compensation(s): `
      + failures.map((f) => `"${f.stepName}": ${messageOf(f.error)}`).join('; '),
      { cause: originalError },
    );
    this.name = 'RollbackError';
    this.stepName = failures[0]?.stepName ?? '';
    this.undoError = failures[0]?.error;
    this.originalError = originalError;
  }
}

/**
 * The undo of a step must run but its code is not available in this invocation: the step ran inside a child context,
 * map item or parallel branch that failed in an earlier invocation, and the SDK never re-runs a failed NESTED child.
 */
export class CompensationUnavailableError extends Error {
  constructor(readonly stepName: string) {
    super(
      `The undo of "${stepName}" must run, but its code is not available on this replay: the step ran inside a child `
      + 'context, map item or parallel branch that failed in an earlier invocation, and the SDK does not re-run a failed '
      + 'child context. Use nesting: NestingType.FLAT (map, parallel) or virtualContext: true (runInChildContext), '
      + 'which are re-run on replay, or catch the error inside the branch.',
    );
    this.name = 'CompensationUnavailableError';
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
