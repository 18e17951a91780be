import type { ErrorObject, Operation } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';

/** `RUNNING`, then one of the terminal statuses. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED';

/** One durable execution as the service keeps it (what `GetDurableExecution` describes). */
export interface ExecutionRecord {
  readonly arn: string;
  readonly id: string;
  /** The idempotency key: the `X-Amz-Durable-Execution-Name` of the start, or a generated one. */
  readonly name: string;
  readonly functionName: string;
  /** The version of the function the execution is pinned to: it replays against that code until it ends. */
  readonly version: string;
  readonly functionArn: string;
  readonly status: ExecutionStatus;
  /** The input as JSON text. */
  readonly input?: string;
  readonly result?: string;
  readonly error?: ErrorObject;
  readonly startTimestamp: Date;
  readonly endTimestamp?: Date;
  readonly executionTimeoutSeconds?: number;
  /** The id of the execution's own `EXECUTION` operation, the first of its operations. */
  readonly executionOperationId: string;
  /** Handler invocations so far, replays included. */
  readonly invocations: number;
  /** Set on an execution started by a chained invoke: the operation of the caller that waits for it. */
  readonly invokedBy?: { readonly arn: string; readonly operationId: string };
}

/** What a callback operation needs beyond its wire shape: its deadlines. */
export interface CallbackState {
  readonly timeoutSeconds?: number;
  readonly heartbeatTimeoutSeconds?: number;
  /** The start, or the last heartbeat: the heartbeat timeout counts from here. */
  readonly heartbeatAt: Date;
}

/** What a chained invoke needs beyond its wire shape. */
export interface InvokeState {
  readonly functionName: string;
  readonly executionArn?: string;
  /**
   * How the invoked execution ended, and when on its clock: the caller's operation ends the same way once the
   * caller's own time reaches that moment.
   */
  readonly outcome?: {
    readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED';
    readonly at: Date;
    readonly result?: string;
    readonly error?: ErrorObject;
  };
}

/** An operation as the service holds it: the wire shape the SDK receives, plus what only the service needs. */
export interface StoredOperation {
  readonly operation: Operation;
  /** Seconds a `WAIT` waits (its history events carry them). */
  readonly waitSeconds?: number;
  readonly callback?: CallbackState;
  /** A `CHAINED_INVOKE`: the function it targets, the execution it started, and how that ended. */
  readonly invoke?: InvokeState;
}

/**
 * Where the engine keeps executions, their operations, their history and the callback index. Synchronous, so each
 * checkpoint applies as one unit; `transaction` lets a store that persists (SQLite) make it atomic on disk too.
 * Timers are not stored: they follow from the operations (a wait's end, a retry's next attempt, a callback's
 * deadlines), so a store that survives a restart brings its timers back with it.
 */
export interface ExecutionStore {
  transaction<T>(work: () => T): T;
  insertExecution(record: ExecutionRecord): void;
  updateExecution(record: ExecutionRecord): void;
  getExecution(arn: string): ExecutionRecord | undefined;
  /** The execution started with this name on this function, if any (names are unique per function). */
  findExecution(functionName: string, name: string): ExecutionRecord | undefined;
  /** Every execution (with `status`: those in it), in the order they started. */
  listExecutions(status?: ExecutionStatus): ExecutionRecord[];
  /** Inserts or replaces an operation; operations keep the order they were first inserted in. */
  putOperation(arn: string, operation: StoredOperation): void;
  getOperation(arn: string, id: string): StoredOperation | undefined;
  listOperations(arn: string): StoredOperation[];
  /** Appends events (the store's from now on), numbering them on from the execution's last `EventId`. */
  appendEvents(arn: string, events: readonly Event[]): void;
  listEvents(arn: string): Event[];
  putCallback(callbackId: string, where: CallbackLocation): void;
  getCallback(callbackId: string): CallbackLocation | undefined;
}

/** Which operation of which execution a callback id answers. */
export interface CallbackLocation {
  readonly arn: string;
  readonly operationId: string;
}
