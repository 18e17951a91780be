/** The errors the engine answers with, and the HTTP status the Lambda API gives each. */
const STATUS_CODES = {
  /** No such execution, callback or function. */
  ResourceNotFoundException: 404,
  /** A request the service refuses: a checkpoint that breaks its rules, a payload over a limit. */
  InvalidParameterValueException: 400,
  /** The callback has timed out or was already completed. */
  CallbackTimeoutException: 400,
  /** The execution name was used before, with a different payload. */
  DurableExecutionAlreadyStartedException: 409,
} as const;

export type ServiceErrorName = keyof typeof STATUS_CODES;

/**
 * An error the engine answers a call with, named and coded as the Lambda API names it, so a REST front end can pass
 * it on as the service would.
 */
export class ServiceError extends Error {
  readonly statusCode: number;

  constructor(readonly name: ServiceErrorName, message: string) {
    super(message);
    this.statusCode = STATUS_CODES[name];
  }
}
