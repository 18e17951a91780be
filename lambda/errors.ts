// Typed errors of the handler side of the runtime helper (the client's are in client/errors.ts).

/** A value passed to the runtime helper is invalid; thrown before any request or checkpoint. */
export class InvalidArgumentError extends Error {
  name = 'InvalidArgumentError';
}

/** The SDK's checkpoint limit for one operation's result: 256 KiB of serialized JSON. */
export const CHECKPOINT_LIMIT_BYTES = 256 * 1024;

/** A step result is larger than one checkpoint can hold. Never retried: the same result would fail again. */
export class CheckpointSizeError extends Error {
  name = 'CheckpointSizeError';

  constructor(readonly stepName: string | undefined, readonly sizeBytes: number) {
    super(`Step${quoted(stepName)} returned ${sizeBytes} bytes of JSON, over the ${CHECKPOINT_LIMIT_BYTES}-byte checkpoint limit`);
  }
}

/** A callback received through `ctx.waitForCallbackJson` did not carry valid JSON. */
export class CallbackPayloadError extends Error {
  name = 'CallbackPayloadError';

  constructor(readonly callbackName: string | undefined, readonly payload: string, cause: unknown) {
    super(`Callback${quoted(callbackName)} result is not valid JSON (${messageOf(cause)}): ${payload.slice(0, 200)}`, { cause });
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
  name = 'RollbackError';
  /** SST compatibility: the first failed step, its undo error and the error that started the rollback. */
  readonly stepName: string;
  readonly undoError: unknown;

  constructor(readonly failures: readonly RollbackFailure[], readonly attempted: number, readonly originalError: unknown) {
    super(
      failures.map((f) => f.error),
      `Rollback failed for ${failures.length} of ${attempted} compensation(s): `
      + failures.map((f) => `"${f.stepName}": ${messageOf(f.error)}`).join('; '),
      { cause: originalError },
    );
    this.stepName = failures[0]?.stepName ?? '';
    this.undoError = failures[0]?.error;
  }
}

/**
 * The undo of a step must run but its code is not available in this invocation: the step ran inside a child context,
 * map item or parallel branch that failed in an earlier invocation, and the SDK never re-runs a failed NESTED child.
 */
export class CompensationUnavailableError extends Error {
  name = 'CompensationUnavailableError';

  constructor(readonly stepName: string) {
    super(`The undo of "${stepName}" cannot run: its NESTED child context failed in an earlier invocation and is not `
      + 're-run (use NestingType.FLAT or virtualContext: true)');
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ` "name"` for messages, or nothing for an unnamed operation. */
export function quoted(name: string | undefined): string {
  return name === undefined ? '' : ` "${name}"`;
}
