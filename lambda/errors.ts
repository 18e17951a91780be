// Typed errors of the runtime helper. Handler-side errors come first, then the client-side errors a caller
// branches on. Every client error keeps the AWS error code and message it came from.

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

/** Fields every client-side AWS error keeps. */
export interface AwsErrorDetails {
  /** The AWS error code, e.g. `ResourceNotFoundException`. */
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  /** The Lambda API operation that failed, e.g. `GetDurableExecution`. */
  readonly operation: string;
  readonly cause: unknown;
}

/** A Lambda API call made by the workflow client failed. `message` is the AWS message, unchanged. */
export class WorkflowApiError extends Error implements AwsErrorDetails {
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly operation: string;
  declare readonly cause: unknown;

  constructor(details: AwsErrorDetails & { readonly message: string }) {
    super(details.message, { cause: details.cause });
    this.name = 'WorkflowApiError';
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    this.operation = details.operation;
  }
}

/** 409: an execution with this name already exists with a different payload (`DurableExecutionAlreadyStartedException`). */
export class ExecutionAlreadyStartedError extends WorkflowApiError {
  constructor(details: AwsErrorDetails & { readonly message: string }) {
    super(details);
    this.name = 'ExecutionAlreadyStartedError';
  }
}

/** The callback expired or was already closed (`CallbackTimeoutException`). */
export class CallbackClosedError extends WorkflowApiError {
  constructor(details: AwsErrorDetails & { readonly message: string }) {
    super(details);
    this.name = 'CallbackClosedError';
  }
}

/** The function, version, alias or execution does not exist (`ResourceNotFoundException`). */
export class NotFoundError extends WorkflowApiError {
  constructor(details: AwsErrorDetails & { readonly message: string }) {
    super(details);
    this.name = 'NotFoundError';
  }
}

/** Lambda throttled the request (`TooManyRequestsException`) after the client's own retries. */
export class ThrottledError extends WorkflowApiError {
  /** Seconds Lambda asked the caller to wait (the `Retry-After` header), when given. */
  readonly retryAfterSeconds?: number;

  constructor(details: AwsErrorDetails & { readonly message: string; readonly retryAfterSeconds?: number }) {
    super(details);
    this.name = 'ThrottledError';
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Turns an error thrown by @aws-sdk/client-lambda into the typed error a caller branches on. Others pass through. */
export function toWorkflowError(error: unknown, operation: string): unknown {
  if (!isServiceException(error)) return error;
  const details = {
    code: error.name,
    message: error.message,
    statusCode: error.$metadata?.httpStatusCode,
    requestId: error.$metadata?.requestId,
    operation,
    cause: error,
  };
  switch (error.name) {
    case 'DurableExecutionAlreadyStartedException':
      return new ExecutionAlreadyStartedError(details);
    case 'CallbackTimeoutException':
      return new CallbackClosedError(details);
    case 'ResourceNotFoundException':
      return new NotFoundError(details);
    case 'TooManyRequestsException': {
      const retryAfter = Number((error as { retryAfterSeconds?: string }).retryAfterSeconds);
      return new ThrottledError({ ...details, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined });
    }
    default:
      return new WorkflowApiError(details);
  }
}

interface ServiceExceptionLike extends Error {
  readonly $fault: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

function isServiceException(error: unknown): error is ServiceExceptionLike {
  return error instanceof Error && typeof (error as Partial<ServiceExceptionLike>).$fault === 'string';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
