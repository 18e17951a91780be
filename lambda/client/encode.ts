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

/** 1 MB, as Lambda counts it (a mebibyte, as its 256 KB limit was 262,144 bytes). */
const MB = 1024 * 1024;

/**
 * Lambda's limits on what the client sends, from the API reference of @aws-sdk/client-lambda (the model this package is
 * tested with): an Invoke payload of "6 MB" synchronous and "1 MB" asynchronous (raised from 256 KB in 2025), a
 * callback result of 1 MB, and "the combined size of all error fields" of a callback failure or stop of 1 MB.
 */
export const LIMITS = {
  syncPayload: 6 * MB,
  asyncPayload: MB,
  callbackResult: MB,
  errorFields: MB,
} as const;

/** The UTF-8 bytes of `text`, as they go on the wire. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Refuses `bytes` over `limit`, naming what it is, its size and the limit. */
export function checkSize(what: string, bytes: number, limit: number, rule: string): void {
  if (bytes > limit) {
    throw new InvalidArgumentError(`${what} is ${bytes.toLocaleString('en-US')} bytes, over the ${limit.toLocaleString('en-US')}-byte limit of ${rule}`);
  }
}

/** Converts what a caller passes as an error into the API's ErrorObject, within Lambda's 1 MB for all its fields. */
export function toErrorObject(error: ErrorInput, what = 'Error'): ErrorObject {
  const errorObject = errorObjectOf(error);
  const { ErrorMessage = '', ErrorType = '', ErrorData = '', StackTrace = [] } = errorObject;
  const bytes = [ErrorMessage, ErrorType, ErrorData, ...StackTrace].reduce((sum, field) => sum + utf8(field).length, 0);
  checkSize(`${what} (message, type, data and stack trace together)`, bytes, LIMITS.errorFields, 'an ErrorObject (1 MB for all its fields)');
  return errorObject;
}

function errorObjectOf(error: ErrorInput): ErrorObject {
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
