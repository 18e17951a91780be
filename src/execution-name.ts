// How a value taken from a message becomes a durable execution name, the idempotency key of a start.
import { createHash } from 'node:crypto';

/** What the Lambda API accepts as an execution name. */
const VALID_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const INVALID_CHARACTER = /[^A-Za-z0-9_-]/g;
/** 24 hex digits (96 bits) of SHA-256 keep two different values apart; the readable prefix gets the other 39 characters. */
const HASH_LENGTH = 24;
const PREFIX_LENGTH = 64 - 1 - HASH_LENGTH;

/**
 * The execution name for a non-empty `value`, always the same for the same value:
 * - a value of 1-64 characters of `[A-Za-z0-9_-]` is the name as it is;
 * - any other value becomes `PREFIX-HASH`: PREFIX is the value with every character (code point) outside
 *   `[A-Za-z0-9_-]` replaced by `_`, cut to 39 characters; HASH is the first 24 hex digits of the SHA-256 of the
 *   value's UTF-8 bytes (`printf %s VALUE | sha256sum | cut -c1-24`). `order#1` gives `order_1-` and 24 hex digits.
 */
export function executionNameFor(value: string): string {
  if (value === '') throw new Error('An execution name cannot be derived from an empty value');
  if (VALID_NAME.test(value)) return value;
  const prefix = Array.from(value, (c) => c.replace(INVALID_CHARACTER, '_')).join('').slice(0, PREFIX_LENGTH);
  const hash = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return `${prefix}-${hash}`;
}
