import type { EngineClock } from './engine-clock';

/** setTimeout cannot wait longer than this; a longer timer is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The machine's clock: waits and retry delays take as long as they say. */
export class RealClock implements EngineClock {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  public begin(): Date {
    return new Date();
  }

  public now(): Date {
    return new Date();
  }

  public handlerTime(_executionArn: string, due: Date): Date {
    return due;
  }

  public schedule(executionArn: string, due: Date | undefined, wake: () => void): void {
    this.release(executionArn);
    if (due === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, due.getTime() - Date.now()));
    this.timers.set(executionArn, setTimeout(() => {
      this.timers.delete(executionArn);
      wake();
    }, delay));
  }

  public skipTo(): boolean {
    return false;
  }

  public release(executionArn: string): void {
    clearTimeout(this.timers.get(executionArn));
    this.timers.delete(executionArn);
  }
}
