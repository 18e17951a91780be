// The durable test runner's skipTime installs fake timers process-wide, and they replace Date, performance.now and
// process.hrtime. A benchmark that runs under it times itself with the real monotonic clock kept here, so this module
// must be loaded before the runner's environment is set up (importing it first is enough).
const realHrtimeBigint = process.hrtime.bigint;

/** Milliseconds on the real monotonic clock, immune to the test runner's fake timers. */
export function nowMs(): number {
  return Number(realHrtimeBigint()) / 1e6;
}

/** Whether `process.hrtime` is still the real one (it is not while skipTime's fake timers are installed). */
export function clockIsFaked(): boolean {
  return process.hrtime.bigint !== realHrtimeBigint;
}
