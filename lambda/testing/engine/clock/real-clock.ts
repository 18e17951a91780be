import type { EngineClock } from './engine-clock';

/** setTimeout cannot wait longer than this; a longer timer is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of a `RealClock`. */
export interface RealClockOptions {
  /**
   * How many times faster than the machine's clock executions' time runs: waits, retry delays and callback
   * timeouts take 1/speed of what they say.
   * @default 1
   */
  readonly speed?: number;
}

/** Where an execution's time stood at a moment of the machine's clock; it runs on from there at `speed`. */
interface Anchor {
  readonly time: number;
  readonly machine: number;
}

/** The machine's clock, or a multiple of it: waits and retry delays take as long as they say, divided by `speed`. */
export class RealClock implements EngineClock {
  private readonly speed: number;
  private readonly anchors = new Map<string, Anchor>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(options: RealClockOptions = {}) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new RangeError(`speed must be a positive number, got ${this.speed}`);
  }

  public begin(executionArn: string, at?: Date): Date {
    const machine = Date.now();
    this.anchors.set(executionArn, { time: Math.max(machine, at?.getTime() ?? 0), machine });
    return this.now(executionArn);
  }

  public now(executionArn: string): Date {
    const anchor = this.anchors.get(executionArn);
    const machine = Date.now();
    return new Date(anchor ? anchor.time + (machine - anchor.machine) * this.speed : machine);
  }

  public handlerTime(executionArn: string, due: Date): Date {
    const anchor = this.anchors.get(executionArn);
    return anchor ? new Date(anchor.machine + (due.getTime() - anchor.time) / this.speed) : due;
  }

  public schedule(executionArn: string, due: Date | undefined, wake: () => void): void {
    clearTimeout(this.timers.get(executionArn));
    this.timers.delete(executionArn);
    if (due === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.handlerTime(executionArn, due).getTime() - Date.now()));
    this.timers.set(executionArn, setTimeout(() => {
      this.timers.delete(executionArn);
      wake();
    }, delay));
  }

  public skipTo(): boolean {
    return false;
  }

  public advance(executionArn: string, to: Date): void {
    const now = this.now(executionArn).getTime();
    if (to.getTime() > now) this.anchors.set(executionArn, { time: to.getTime(), machine: Date.now() });
  }

  public release(executionArn: string): void {
    clearTimeout(this.timers.get(executionArn));
    this.timers.delete(executionArn);
    this.anchors.delete(executionArn);
  }
}
