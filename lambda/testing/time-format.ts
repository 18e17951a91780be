const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration as its two largest units: `12ms`, `1.5s`, `3m 20s`, `2h 5m`, `2d`, `2d 3h`.
 * Precise enough to tell a retry delay from a step, short enough for a bar label.
 */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < SECOND) return `${value}ms`;
  if (value < MINUTE) return `${trimZeros((value / SECOND).toFixed(value < 10 * SECOND ? 2 : 1))}s`;
  const units: Array<[number, string]> = [[DAY, 'd'], [HOUR, 'h'], [MINUTE, 'm'], [SECOND, 's']];
  const first = units.findIndex(([size]) => value >= size);
  const [bigSize, bigUnit] = units[first];
  const [smallSize, smallUnit] = units[first + 1];
  const big = Math.floor(value / bigSize);
  const small = Math.floor((value - big * bigSize) / smallSize);
  return small > 0 ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`;
}

/**
 * An offset from the start of an execution, fixed width so columns line up: `+00:00:01.234`,
 * or `+2d 00:00:01.234` once a day has passed.
 */
export function formatOffset(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  const days = Math.floor(value / DAY);
  const rest = value - days * DAY;
  const clock = [
    Math.floor(rest / HOUR),
    Math.floor((rest % HOUR) / MINUTE),
    Math.floor((rest % MINUTE) / SECOND),
  ].map((n) => String(n).padStart(2, '0')).join(':');
  const millis = String(rest % SECOND).padStart(3, '0');
  return `+${days > 0 ? `${days}d ` : ''}${clock}.${millis}`;
}

function trimZeros(text: string): string {
  return text.replace(/\.?0+$/, '');
}
