import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PropValidator } from './validation';

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
const STATUS_CHANGE_DETAIL_TYPE = 'Durable Execution Status Change';

/**
 * A rule, child `id` of `workflow`, on the default bus that matches the status change events of the
 * function `functionArn`, optionally only some statuses.
 */
export function onExecutionStatusChange(
  v: PropValidator, workflow: Construct, functionArn: string, id: string, options: ExecutionStatusChangeOptions = {},
): events.Rule {
  const statuses = v.listOf('statuses', options.statuses, Object.values(ExecutionStatus), 'omit it to match every status');
  v.instance('target', options.target, 'an events.IRuleTarget', 'bind');
  const rule = new events.Rule(workflow, id, options);
  rule.addEventPattern({
    source: ['aws.lambda'],
    detailType: [STATUS_CHANGE_DETAIL_TYPE],
    detail: {
      // Events carry the version-qualified ARN (`...:function:NAME:7`); the trailing colon keeps
      // `NAME-other` from matching.
      functionArn: events.Match.prefix(`${functionArn}:`),
      ...(statuses ? { status: statuses } : {}),
    },
  });
  if (options.target) {
    rule.addTarget(options.target);
  }
  return rule;
}
