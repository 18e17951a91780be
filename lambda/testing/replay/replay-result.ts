/** An operation as a replay report names it. */
export interface ReplayOperation {
  /** `STEP`, `WAIT`, `CALLBACK`, `CONTEXT` or `CHAINED_INVOKE`. */
  readonly type: string;
  /** The SDK's finer kind: `Step`, `Wait`, `WaitForCallback`, `Map`, `MapIteration`, ... (when known). */
  readonly subType?: string;
  /** The name given in code; undefined for an unnamed operation (or when the SDK's error does not say). */
  readonly name?: string;
}

/** An operation of the history. */
export interface RecordedOperation extends ReplayOperation {
  readonly id: string;
  /** `STARTED`, `PENDING`, `SUCCEEDED`, `FAILED`, ... as the history left it. */
  readonly status: string;
  /** The name a timeline shows: the given name, or one derived from the operation it belongs to. */
  readonly label: string;
  /** The labels of the contexts it runs in, outermost first. */
  readonly contexts: string[];
}

/** The new code replays the history: the execution would resume on it. */
export interface ReplayCompatible {
  readonly compatible: true;
  /** The execution the history is of: its name or ARN, or what `options.execution` said. */
  readonly execution: string;
  /**
   * How the replay ended. `waits`: at an operation the history holds open (a wait, a callback, a retry delay, an
   * invoke), as the execution does. `continues`: past the end of the history, at the first operation the history does
   * not hold (`next`), which the check does not take. `ends`: the handler ended the execution, as the history did or
   * where the history holds nothing still open.
   */
  readonly outcome: 'waits' | 'continues' | 'ends';
  /** `continues`: the first update past the history (the operation's type and name). */
  readonly next?: ReplayOperation;
  /** `ends`: `SUCCEEDED` or `FAILED`. */
  readonly status?: string;
  /** Operations the history holds (the EXECUTION operation aside). */
  readonly operations: number;
  /** One line saying all this. */
  readonly message: string;
}

/** The new code does not replay the history: resuming the execution on it would fail, or take another path. */
export interface ReplayDivergence {
  readonly compatible: false;
  readonly execution: string;
  /**
   * `non-deterministic`: the SDK's determinism check failed (another operation, or another name, where the history
   * holds one). `ended-early`: the handler ended the execution without reaching an operation the history holds open.
   * `failed`: the handler fails the execution on replay (the history did not fail). `refused`: its first checkpoint
   * breaks the service's rules.
   */
  readonly reason: 'non-deterministic' | 'ended-early' | 'failed' | 'refused';
  /** The operation's number in the history (the `#` of the timeline `run` prints), when one is concerned. */
  readonly position?: number;
  /** What the history holds there. */
  readonly recorded?: RecordedOperation;
  /** What the new code did there instead, as far as the SDK says. */
  readonly replayed?: ReplayOperation;
  /** The error's type (`NonDeterministicExecutionError`, the handler's own error, the service's). */
  readonly errorType?: string;
  /** The SDK's own error text (or the handler's, or the service's). */
  readonly error: string;
  /** Operations the history holds (the EXECUTION operation aside). */
  readonly operations: number;
  /** The report, several lines: execution and position, the history's operation, the new code's, the error. */
  readonly message: string;
}

/** What `checkReplay` finds. */
export type ReplayResult = ReplayCompatible | ReplayDivergence;

/** The sub-types that say no more than their type. */
const PLAIN_SUBTYPES = new Set(['Step', 'Wait', 'Callback', 'ChainedInvoke', 'RunInChildContext']);

/** `STEP "charge"`, `CONTEXT (Map) "items"`, `WAIT (unnamed)`. */
export function describeOperation(operation: ReplayOperation): string {
  const kind = operation.subType !== undefined && !PLAIN_SUBTYPES.has(operation.subType) ? ` (${operation.subType})` : '';
  return `${operation.type}${kind} ${operation.name !== undefined ? JSON.stringify(operation.name) : '(unnamed)'}`;
}
