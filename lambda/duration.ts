// Durations for ctx.wait and ctx.waitUntil: SST's human strings ("2 hours") parsed by `ms`, never by hand.
import type { Duration } from '@aws/durable-execution-sdk-js';
import ms from 'ms';
import { InvalidArgumentError, quoted } from './errors';

/** The shortest durable wait. */
export const MIN_WAIT_SECONDS = 1;
/** The longest durable wait: the maximum execution lifetime, 366 days. */
export const MAX_WAIT_SECONDS = 366 * 24 * 60 * 60;

/** A wait length: the SDK's `{ minutes: 1 }` objects or an SST-style string such as `"30 seconds"` or `"7 days"`. */
export type WaitDuration = Duration | string;

const SECONDS_PER_UNIT = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };

/**
 * Checks a wait length and returns it as the SDK's Duration: whole seconds, 1 s to 366 days. The SDK checks nothing (a
 * number or `{ seconds: 0 }` reaches the service or fails with a TypeError), so both forms are checked here, before any
 * checkpoint. Objects pass through as given, so the SDK sees exactly what the caller wrote.
 */
export function toDuration(duration: WaitDuration, waitName?: string): Duration {
  const seconds = typeof duration === 'string' ? parseHuman(duration) : sumObject(duration);
  if (!(Number.isInteger(seconds) && seconds >= MIN_WAIT_SECONDS && seconds <= MAX_WAIT_SECONDS)) {
    throw new InvalidArgumentError(`wait${quoted(waitName)} duration ${JSON.stringify(duration)} is `
      + `${Number.isNaN(seconds) ? 'not a duration' : `${seconds} s`}: use whole seconds from 1 s to 366 days, as "30 seconds", `
      + '"2 hours" or { minutes: 5 }');
  }
  return typeof duration === 'string' ? { seconds } : duration;
}

/** Seconds in an SST-style string, or NaN. A bare number is milliseconds to `ms` ("30" would be 30 ms): a unit is required. */
function parseHuman(text: string): number {
  try {
    return /[a-z]/i.test(text) ? (ms(text as ms.StringValue) ?? NaN) / 1000 : NaN;
  } catch {
    return NaN;
  }
}

/** Seconds in an SDK duration object, or NaN unless it has at least one unit and every unit is a non-negative number. */
function sumObject(duration: unknown): number {
  const fields = Object.entries(SECONDS_PER_UNIT).filter(([unit]) => (duration as Record<string, unknown> | null)?.[unit] !== undefined);
  return fields.reduce((sum, [unit, factor]) => {
    const value = (duration as Record<string, unknown>)[unit];
    return sum + (typeof value === 'number' && value >= 0 ? value * factor : NaN);
  }, fields.length > 0 ? 0 : NaN);
}

/**
 * Seconds from `now` until `until`, rounded up and clamped to [1 s, 366 days], so every call yields exactly one
 * valid wait: a past date waits 1 s instead of creating no operation (which would change the operation sequence
 * between replays), and a date beyond the longest possible execution waits as long as the execution can live.
 */
export function secondsUntil(until: Date, now: number, waitName?: string): number {
  const target = until instanceof Date ? until.getTime() : NaN;
  if (!Number.isFinite(target)) throw new InvalidArgumentError(`waitUntil${quoted(waitName)} needs a valid Date, got ${String(until)}`);
  return Math.min(MAX_WAIT_SECONDS, Math.max(MIN_WAIT_SECONDS, Math.ceil((target - now) / 1000)));
}
