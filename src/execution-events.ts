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
