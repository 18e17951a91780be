// How the functions this library ships (src/*.lambda.ts) log: one JSON object per line, written to stdout as it is.
// Their log format is JSON, under which Lambda wraps what `console` prints in an object of its own (a JSON line printed
// with `console.info` arrives as a string inside `message`, encoded twice), but passes a JSON line written to stdout
// through, taking its `level` (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).

/** One log line: its level and message, and the fields that say what it is about. */
export interface LogEntry {
  readonly level: 'INFO' | 'ERROR';
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Writes `entry` as one JSON line on stdout. */
export function writeLogLine(entry: LogEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}
