/**
 * Errors the engine answers a call with, named and coded as the Lambda API names them, so a REST front end can
 * pass them on as the service would.
 */
export class ServiceError extends Error {
  constructor(name: string, message: string, readonly statusCode: number) {
    super(message);
    this.name = name;
  }
}

/** No such execution, callback or function. */
export class ResourceNotFoundException extends ServiceError {
  constructor(message: string) {
    super('ResourceNotFoundException', message, 404);
  }
}

/** A request the service refuses: a checkpoint that breaks its rules, a payload over a limit. */
export class InvalidParameterValueException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterValueException', message, 400);
  }
}

/** The callback has timed out or was already completed. */
export class CallbackTimeoutException extends ServiceError {
  constructor(message: string) {
    super('CallbackTimeoutException', message, 400);
  }
}

/** The execution name was used before, with a different payload. */
export class DurableExecutionAlreadyStartedException extends ServiceError {
  constructor(message: string) {
    super('DurableExecutionAlreadyStartedException', message, 409);
  }
}
