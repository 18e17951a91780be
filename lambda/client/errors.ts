// Typed errors of the workflow client: what a caller branches on. Each keeps the AWS error code and message it came
// from.

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
