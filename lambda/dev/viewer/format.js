// Times and durations as the page shows them; the API gives epoch seconds, the dev API ISO strings.

const UNITS = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's']];

/** A duration as its two largest units (`850ms`, `4.2s`, `3m 20s`, `2d 5h`), as the text and SVG timelines write it. */
export function formatDuration(ms) {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value}ms`;
  if (value < 60_000) return `${Number((value / 1000).toFixed(value < 10_000 ? 2 : 1))}s`;
  const first = UNITS.findIndex(([size]) => value >= size);
  const [bigSize, bigUnit] = UNITS[first];
  const [smallSize, smallUnit] = UNITS[first + 1];
  const big = Math.floor(value / bigSize);
  const small = Math.floor((value - big * bigSize) / smallSize);
  return small > 0 ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`;
}

/** A timestamp (epoch seconds, milliseconds in a Date, or an ISO string) as a Date. */
export function toDate(value) {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? new Date(value * 1000) : new Date(value);
}

/** Local date and time to the second: `2026-03-01 14:02:09`. */
export function formatTime(value) {
  const date = toDate(value);
  if (!date) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** From start to end, or to now while it runs. */
export function elapsed(start, end) {
  const from = toDate(start);
  if (!from) return '';
  return formatDuration((toDate(end) ?? new Date()).getTime() - from.getTime());
}
