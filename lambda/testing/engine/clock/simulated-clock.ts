import type { EngineClock } from './engine-clock';

/**
 * Time that runs with the machine's clock while an execution works and jumps to its next timer when it is idle: a
 * year-long wait takes no longer than a step. Each execution jumps on its own, so executions that run side by side
 * keep independent times.
 */
export class SimulatedClock implements EngineClock {
  /** Per execution: how far its time is ahead of the machine's clock. */
  private readonly offsets = new Map<string, number>();

  public begin(executionArn: string, at?: Date): Date {
    this.offsets.set(executionArn, at === undefined ? 0 : Math.max(0, at.getTime() - Date.now()));
    return this.now(executionArn);
  }

  public now(executionArn: string): Date {
    return new Date(Date.now() + this.offset(executionArn));
  }

  /** A timer falls due as soon as the execution is idle, so the handler may poll for it at once. */
  public handlerTime(executionArn: string, due: Date): Date {
    return new Date(Math.min(Date.now(), due.getTime() - this.offset(executionArn)));
  }

  public schedule(): void {
    // Nothing to arm: this clock moves only when the execution is idle (skipTo).
  }

  public skipTo(executionArn: string, due: Date): boolean {
    this.advance(executionArn, due);
    return true;
  }

  public advance(executionArn: string, to: Date): void {
    const ahead = to.getTime() - this.now(executionArn).getTime();
    if (ahead > 0) this.offsets.set(executionArn, this.offset(executionArn) + ahead);
  }

  public release(executionArn: string): void {
    this.offsets.delete(executionArn);
  }

  private offset(executionArn: string): number {
    return this.offsets.get(executionArn) ?? 0;
  }
}
