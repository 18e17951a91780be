import * as events from 'aws-cdk-lib/aws-events';

/**
 * The status of a durable execution, as Lambda reports it in `Durable Execution Status Change` events.
 */
export enum ExecutionStatus {
  /** The execution started. */
  RUNNING = 'RUNNING',
  /** The execution completed successfully. */
  SUCCEEDED = 'SUCCEEDED',
  /** The execution failed with an error. */
  FAILED = 'FAILED',
  /** The execution exceeded its execution timeout. */
  TIMED_OUT = 'TIMED_OUT',
  /** The execution was stopped with `StopDurableExecution`. */
  STOPPED = 'STOPPED',
}

/**
 * Options for `onExecutionStatusChange`.
 */
export interface ExecutionStatusChangeOptions extends events.OnEventOptions {
  /**
   * Only react to these statuses.
   *
   * @default - every status change
   */
  readonly statuses?: ExecutionStatus[];
}

/** What EventBridge calls the events Lambda emits when a durable execution changes status. */
export const STATUS_CHANGE_DETAIL_TYPE = 'Durable Execution Status Change';

/**
 * Checks statuses given from any jsii language (JavaScript and Python callers can pass any string).
 *
 * @internal
 */
export function validateStatuses(statuses: string[]): void {
  const allowed: string[] = Object.values(ExecutionStatus);
  if (statuses.length === 0) {
    throw new Error(`statuses must name at least one status (${allowed.join(', ')}); omit it to match every status`);
  }
  const bad = statuses.filter((status) => !allowed.includes(status));
  if (bad.length > 0) {
    throw new Error(`statuses: ${bad.map((s) => JSON.stringify(s)).join(', ')} is not an execution status; use ${allowed.join(', ')}`);
  }
}
