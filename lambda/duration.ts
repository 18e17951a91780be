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

/** Parses a human duration into the SDK's Duration; objects pass through untouched so SDK behaviour is kept. */
export function toDuration(duration: WaitDuration, waitName?: string): Duration {
  if (typeof duration !== 'string') return duration;
  const what = `wait${waitName === undefined ? '' : ` "${waitName}"`} duration "${duration}"`;
  let millis: number | undefined;
  try {
    millis = ms(duration as ms.StringValue);
  } catch {
    millis = undefined;
  }
  if (millis === undefined || !Number.isFinite(millis)) {
    throw new InvalidArgumentError(
      `${what} is not a duration: use a number and a unit, e.g. "30 seconds", "1 minute", "2 hours" or "7 days"`,
    );
  }
  const seconds = millis / 1000;
  if (!Number.isInteger(seconds)) {
    throw new InvalidArgumentError(`${what} is ${millis} ms: durable waits take whole seconds`);
  }
  if (seconds < MIN_WAIT_SECONDS || seconds > MAX_WAIT_SECONDS) {
    throw new InvalidArgumentError(
      `${what} is ${seconds} s: a durable wait lasts ${MIN_WAIT_SECONDS} s to ${MAX_WAIT_SECONDS} s (366 days)`,
    );
  }
  return { seconds };
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
