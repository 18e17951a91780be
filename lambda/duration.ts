// Durations for ctx.wait and ctx.waitUntil: SST's human strings ("2 hours") parsed by `ms`, never by hand.
import type { Duration } from '@aws/durable-execution-sdk-js';
import ms from 'ms';
import { InvalidArgumentError } from './errors';

/** The shortest durable wait. */
export const MIN_WAIT_SECONDS = 1;
/** The longest durable wait: the maximum execution lifetime, 366 days. */
export const MAX_WAIT_SECONDS = 366 * 24 * 60 * 60;

/** A wait length: the SDK's `{ minutes: 1 }` objects or an SST-style string such as `"30 seconds"` or `"7 days"`. */
export type WaitDuration = Duration | string;

const UNITS = ['days', 'hours', 'minutes', 'seconds'] as const;
const SECONDS_PER_UNIT = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };
const STRING_EXAMPLES = 'use a number and a unit, e.g. "30 seconds", "1 minute", "2 hours" or "7 days"';
const OBJECT_EXAMPLES = 'use { days, hours, minutes, seconds } (e.g. { minutes: 5 }) or a string such as "5 minutes"';

/**
 * Checks a wait length and returns it as the SDK's Duration. The SDK checks nothing (a number or `{ seconds: 0 }`
 * reaches the service or fails with a TypeError), so both forms are checked here, before any checkpoint.
 */
export function toDuration(duration: WaitDuration, waitName?: string): Duration {
  const what = `wait${waitName === undefined ? '' : ` "${waitName}"`} duration ${describe(duration)}`;
  const seconds = typeof duration === 'string' ? parseHuman(duration, what) : sumObject(duration, what);
  if (!Number.isInteger(seconds)) {
    const shown = typeof duration === 'string' ? `${Math.round(seconds * 1000)} ms` : `${seconds} s`;
    throw new InvalidArgumentError(`${what} is ${shown}: durable waits take whole seconds`);
  }
  if (seconds < MIN_WAIT_SECONDS || seconds > MAX_WAIT_SECONDS) {
    throw new InvalidArgumentError(
      `${what} is ${seconds} s: a durable wait lasts ${MIN_WAIT_SECONDS} s to ${MAX_WAIT_SECONDS} s (366 days)`,
    );
  }
  // Objects pass through as given, so the SDK sees exactly what the caller wrote.
  return typeof duration === 'string' ? { seconds } : duration;
}

function parseHuman(text: string, what: string): number {
  let millis: number | undefined;
  try {
    // A bare number is milliseconds to `ms` ("30" would be 30 ms): require a unit, as SST's strings have.
    millis = /[a-z]/i.test(text) ? ms(text as ms.StringValue) : undefined;
  } catch {
    millis = undefined;
  }
  if (millis === undefined || !Number.isFinite(millis)) {
    throw new InvalidArgumentError(`${what} is not a duration: ${STRING_EXAMPLES}`);
  }
  return millis / 1000;
}

function sumObject(duration: unknown, what: string): number {
  const fields = duration !== null && typeof duration === 'object' ? duration as Record<string, unknown> : undefined;
  const given = UNITS.filter((unit) => fields?.[unit] !== undefined);
  if (!fields || given.length === 0) throw new InvalidArgumentError(`${what} is not a duration: ${OBJECT_EXAMPLES}`);
  let seconds = 0;
  for (const unit of given) {
    const value = fields[unit];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${what}: ${unit} must be a non-negative number, got ${describe(value)}`);
    }
    seconds += value * SECONDS_PER_UNIT[unit];
  }
  return seconds;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Seconds from `now` until `until`, rounded up and clamped to [1 s, 366 days], so every call yields exactly one
 * valid wait: a past date waits 1 s instead of creating no operation (which would change the operation sequence
 * between replays), and a date beyond the longest possible execution waits as long as the execution can live.
 */
export function secondsUntil(until: Date, now: number, waitName?: string): number {
  const target = until instanceof Date ? until.getTime() : Number.NaN;
  if (!Number.isFinite(target)) {
    throw new InvalidArgumentError(
      `waitUntil${waitName === undefined ? '' : ` "${waitName}"`} needs a valid Date, got ${String(until)}`,
    );
  }
  const seconds = Math.ceil((target - now) / 1000);
  return Math.min(MAX_WAIT_SECONDS, Math.max(MIN_WAIT_SECONDS, seconds));
}
