/**
 * The engine's time. Each execution has a time of its own: its history is stamped with it, and its waits, retry
 * delays and deadlines fall due on it. The handler keeps the machine's clock (`Date.now()` is never patched), so a
 * clock also says where a due time falls on the handler's clock, which is when the SDK polls for it.
 */
export interface EngineClock {
  /**
   * An execution starts, or is taken up again after a restart: its time begins at `at` (a chained invoke starts at
   * its caller's time, a resumed execution at its last event) or now, whichever is later.
   */
  begin(executionArn: string, at?: Date): Date;
  /** The execution's current time. */
  now(executionArn: string): Date;
  /** When, on the handler's clock, the execution's time reaches `due`. */
  handlerTime(executionArn: string, due: Date): Date;
  /**
   * The execution's earliest timer is now `due` (undefined: it has none): call `wake` when the execution's time
   * reaches it. Replaces the previous arrangement for the execution. A clock that skips idle time arms nothing.
   */
  schedule(executionArn: string, due: Date | undefined, wake: () => void): void;
  /**
   * The execution has nothing to do before `due`. A clock that skips idle time moves the execution's time to `due`
   * and returns true; a clock that keeps real time returns false and lets `schedule` wake the execution.
   */
  skipTo(executionArn: string, due: Date): boolean;
  /** Moves the execution's time forward to `to` at once, whatever the clock (someone asked to skip ahead). */
  advance(executionArn: string, to: Date): void;
  /** The execution has ended: forget it. */
  release(executionArn: string): void;
}
