// What the client sends the Lambda API: JSON payloads and ErrorObjects, checked before any request.
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import type { ErrorObject } from '@aws-sdk/client-lambda';
import { InvalidArgumentError } from '../errors';

/** An error to stop an execution or fail a callback with: an Error, a message, or its fields. */
export type ErrorInput = Error | string | {
  readonly message?: string;
  /** Error type, e.g. `PaymentDeclined`. `name` is accepted too. */
  readonly type?: string;
  readonly name?: string;
  /** Extra data; serialized to JSON unless a string. */
  readonly data?: unknown;
  readonly stack?: string | readonly string[];
};

/** Converts what a caller passes as an error into the API's ErrorObject. */
export function toErrorObject(error: ErrorInput): ErrorObject {
  if (error instanceof Error) {
    return { ErrorMessage: error.message, ErrorType: error.name, StackTrace: stackLines(error.stack) };
  }
  if (typeof error === 'string') return { ErrorMessage: error, ErrorType: 'Error' };
  if (error === null || typeof error !== 'object') {
    throw new InvalidArgumentError(`An error must be an Error, a string or { message, type, data }, got ${String(error)}`);
  }
  return {
    ErrorMessage: error.message,
    ErrorType: error.type ?? error.name ?? 'Error',
    ErrorData: error.data === undefined || typeof error.data === 'string' ? error.data : toJson(error.data, 'Error data'),
    StackTrace: stackLines(error.stack),
  };
}

function stackLines(stack: string | readonly string[] | undefined): string[] | undefined {
  if (stack === undefined) return undefined;
  return typeof stack === 'string' ? stack.split('\n').map((line) => line.trim()) : [...stack];
}

/** JSON.stringify that names the value when it cannot be sent (cycles, BigInt, functions). */
export function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidArgumentError(`${what} is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (json === undefined) throw new InvalidArgumentError(`${what} is not JSON-serializable: ${typeof value} has no JSON form`);
  return json;
}

export function decode(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined || bytes.length === 0 ? undefined : new TextDecoder().decode(bytes);
}
