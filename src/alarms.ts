import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Duration, Size } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflow } from './durable-workflow';
import { IDurableWorkflow } from './durable-workflow-base';
import { describeValue, PropValidator } from './validation';
import { VersionPruner } from './version-pruner';

/** Lambda's hard limits per execution. */
const MAX_OPERATIONS = 3_000;
const MAX_STORAGE = Size.mebibytes(100);

/**
 * Properties for `DurableWorkflowAlarms`.
 */
export interface DurableWorkflowAlarmsProps {
  /**
   * The workflow to watch (owned or imported).
   */
  readonly workflow: IDurableWorkflow;

  /**
   * An SNS topic notified when any of the alarms goes off.
   *
   * @default - no action; call `addAlarmAction` to add one
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Failed executions within one period that raise the failures alarm.
   *
   * @default 1
   */
  readonly failedThreshold?: number;

  /**
   * Timed-out executions within one period that raise the timeouts alarm.
   *
   * @default 1
   */
  readonly timedOutThreshold?: number;

  /**
   * Operations in one execution that raise the operations alarm: the execution fails at 3,000.
   *
   * @default 2400 (80% of the limit)
   */
  readonly operationsThreshold?: number;

  /**
   * Data written by one execution that raises the storage alarm: the execution fails at 100 MB.
   *
   * @default Size.mebibytes(80) (80% of the limit)
   */
  readonly storageWrittenThreshold?: Size;

  /**
   * The period each alarm evaluates.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * The recommended alarms for a durable workflow: failed executions, timed-out executions, and
 * executions approaching the per-execution operations (3,000) and storage (100 MB) limits; and, when
 * the stack's version pruner prunes the workflow, failed pruner runs.
 * Pass `alarmTopic` to be notified through SNS.
 */
export class DurableWorkflowAlarms extends Construct {
  /** Goes off when executions fail. */
  public readonly failedAlarm: cloudwatch.Alarm;
  /** Goes off when executions exceed their execution timeout. */
  public readonly timedOutAlarm: cloudwatch.Alarm;
  /** Goes off when an execution approaches the 3,000-operation limit. */
  public readonly operationsAlarm: cloudwatch.Alarm;
  /** Goes off when an execution approaches the 100 MB storage limit. */
  public readonly storageAlarm: cloudwatch.Alarm;
  /**
   * Goes off when a run of the stack's version pruner fails (throttled, a call failed, or it crashed),
   * so old versions were not all pruned. One per stack, shared by every `DurableWorkflowAlarms` of its
   * pruned workflows; undefined when this workflow's versions are not pruned (`VersionRetention.all()`,
   * or an imported workflow).
   */
  public readonly prunerFailuresAlarm?: cloudwatch.Alarm;

  private readonly pruner?: VersionPruner;

  constructor(scope: Construct, id: string, props: DurableWorkflowAlarmsProps) {
    super(scope, id);
    const v: PropValidator = PropValidator.of(this, 'DurableWorkflowAlarms');
    const workflow = props?.workflow;
    if (typeof workflow?.metricFailed !== 'function') {
      v.fail(`workflow must be an IDurableWorkflow (a DurableWorkflow or an imported one), got ${describeValue(workflow)}`);
    }
    v.instance('alarmTopic', props.alarmTopic, 'an sns.ITopic', 'topicArn');
    const period = v.duration('period', props.period) ?? Duration.minutes(5);
    const failed = v.count('failedThreshold', props.failedThreshold, 1) ?? 1;
    const timedOut = v.count('timedOutThreshold', props.timedOutThreshold, 1) ?? 1;
    const operations = v.count('operationsThreshold', props.operationsThreshold, 1, MAX_OPERATIONS) ?? 2_400;
    const storage = v.bytes('storageWrittenThreshold', props.storageWrittenThreshold, Size.bytes(1), MAX_STORAGE) ?? Size.mebibytes(80).toBytes();

    this.failedAlarm = this.alarm('Failed', workflow.metricFailed({ period }), failed,
      `Durable executions of ${workflow.functionName} failed`);
    this.timedOutAlarm = this.alarm('TimedOut', workflow.metricTimedOut({ period }), timedOut,
      `Durable executions of ${workflow.functionName} timed out`);
    this.operationsAlarm = this.alarm('Operations', workflow.metricOperations({ period }), operations,
      `An execution of ${workflow.functionName} is approaching ${MAX_OPERATIONS} operations, where it fails`);
    this.storageAlarm = this.alarm('StorageWritten', workflow.metricStorageWrittenBytes({ period }), storage,
      `An execution of ${workflow.functionName} is approaching 100 MB written, where it fails`);

    this.pruner = DurableWorkflow.isDurableWorkflow(workflow) ? VersionPruner.forFunction(workflow.function) : undefined;
    this.prunerFailuresAlarm = this.pruner?.failuresAlarm();

    if (props.alarmTopic) {
      this.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    }
  }

  /**
   * The four alarms this construct created for the workflow (not the stack's `prunerFailuresAlarm`).
   */
  public get alarms(): cloudwatch.Alarm[] {
    return [this.failedAlarm, this.timedOutAlarm, this.operationsAlarm, this.storageAlarm];
  }

  /**
   * Run these actions when any of the alarms goes off, `prunerFailuresAlarm` included (an action
   * already on it is not added twice).
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(...actions);
    }
    for (const action of actions) this.pruner?.addFailuresAlarmAction(action);
  }

  private alarm(id: string, metric: cloudwatch.Metric, threshold: number, description: string): cloudwatch.Alarm {
    return metric.createAlarm(this, id, {
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // These metrics are only published when executions happen: no data means nothing went wrong.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }
}
