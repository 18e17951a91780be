import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Duration, IResource, Resource } from 'aws-cdk-lib/core';
import { DurableWorkflowGrants } from './durable-workflow-grants';
import * as executionEvents from './execution-events';
import * as queueSource from './queue-source';
import * as triggers from './triggers';
import { PropValidator } from './validation';

/**
 * A durable workflow: a Lambda durable function invoked through a qualifier (an alias).
 *
 * Implemented by `DurableWorkflow` and by imported workflows.
 */
export interface IDurableWorkflow extends IResource, iam.IGrantable {
  /**
   * The function's name.
   *
   * @attribute
   */
  readonly functionName: string;

  /**
   * The unqualified function ARN. Durable functions refuse unqualified invokes: start executions
   * with `qualifiedArn`.
   *
   * @attribute
   */
  readonly functionArn: string;

  /**
   * The qualifier every start, permission and trigger uses (the alias name).
   *
   * @attribute
   */
  readonly qualifier: string;

  /**
   * The qualified ARN (`functionArn:qualifier`) that callers invoke to start an execution.
   *
   * @attribute
   */
  readonly qualifiedArn: string;

  /**
   * The role the function runs with. Undefined for an imported workflow given no role.
   */
  readonly role?: iam.IRole;

  /**
   * The key that encrypts durable state. Undefined when Lambda uses an AWS owned key (or, for an
   * imported workflow, when none was given).
   */
  readonly stateEncryptionKey?: kms.IKey;

  /**
   * The grants of this workflow: start, read, stop, sendCallback and custom actions.
   */
  readonly grants: DurableWorkflowGrants;

  /**
   * Grant the given identity permission to start executions: `lambda:InvokeFunction` on the
   * qualified ARN only. Same as `grants.start(grantee)`.
   */
  grantStart(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to describe executions, read their history and list them.
   * Same as `grants.read(grantee)`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to stop executions. Same as `grants.stop(grantee)`.
   */
  grantStop(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to complete, fail and heartbeat callbacks of executions.
   * Same as `grants.sendCallback(grantee)`.
   */
  grantSendCallback(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity custom actions on this workflow's executions. Same as
   * `grants.actions(grantee, ...actions)`.
   *
   * The resource is the execution ARN pattern `functionArn:*`: execution ARNs are qualified by
   * the version an execution runs on, never by the alias.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Add a statement to the permissions of the function's role. On a `DurableWorkflow`, it goes into
   * the workflow's own policy (see `grantPrincipal`); on an imported workflow without a role, nothing
   * is added and CDK warns.
   */
  addToRolePolicy(statement: iam.PolicyStatement): void;

  // ---- Metrics (AWS/Lambda, dimension FunctionName) ----

  /**
   * Return the given named metric of this workflow's executions.
   *
   * @default - sum over 5 minutes
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions started.
   *
   * @default - sum over 5 minutes
   */
  metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions that succeeded.
   *
   * @default - sum over 5 minutes
   */
  metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions that failed.
   *
   * @default - sum over 5 minutes
   */
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions that exceeded their execution timeout.
   *
   * @default - sum over 5 minutes
   */
  metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions stopped with `StopDurableExecution`.
   *
   * @default - sum over 5 minutes
   */
  metricStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Wall-clock time (milliseconds) executions spent running, start to end, waits included.
   *
   * @default - average over 5 minutes
   */
  metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Operations an execution performed (hard limit: 3,000 per execution).
   *
   * @default - maximum over 5 minutes
   */
  metricOperations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Bytes an execution persisted (hard limit: 100 MB per execution).
   *
   * @default - maximum over 5 minutes
   */
  metricStorageWrittenBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Executions currently running (approximate).
   *
   * @default - maximum over 5 minutes
   */
  metricRunning(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  // ---- Events the workflow emits ----

  /**
   * An EventBridge rule on the default bus that matches this workflow's
   * `Durable Execution Status Change` events, optionally only some statuses.
   */
  onExecutionStatusChange(id: string, options?: executionEvents.ExecutionStatusChangeOptions): events.Rule;

  /**
   * An EventBridge rule on the default bus that matches this workflow's executions that
   * failed or timed out.
   */
  onExecutionFailed(id: string, options?: events.OnEventOptions): events.Rule;

  // ---- What starts executions (all invoke the qualified ARN) ----

  /**
   * Add an EventBridge Scheduler schedule that starts an execution each time it fires. Its role (without
   * `role`, the workflow's `ScheduleRole`, shared by its schedules) may invoke the qualified ARN only.
   */
  addSchedule(id: string, options: triggers.ScheduleOptions): scheduler.Schedule;

  /**
   * Add an EventBridge rule that starts an execution for every event matching a pattern. Its target
   * and invoke permission are on the qualified ARN.
   */
  addEventRule(id: string, options: triggers.EventRuleOptions): events.Rule;

  /**
   * Start executions from an event source mapping (SQS, Kinesis, DynamoDB streams, ...) on the
   * qualified ARN.
   *
   * Event source mappings invoke synchronously, which caps an execution at 15 minutes, and cannot
   * pass an execution name, so a redelivered record starts a second execution. Both are reported
   * as synth warnings. For an SQS queue, `addQueueSource` has neither limit.
   */
  addEventSource(source: lambda.IEventSource): void;

  /**
   * Start one execution per message of an SQS queue, asynchronously (so it may run up to the execution
   * timeout), named after the message, so that a message delivered twice starts one execution. A dispatcher
   * function, bundled with this library, consumes the queue: it may invoke the qualified ARN only, and receive
   * and delete from this queue only. Messages not started go back to the queue, and to its dead-letter queue
   * after its `maxReceiveCount`. One per queue.
   */
  addQueueSource(queue: sqs.IQueue, options?: queueSource.QueueSourceOptions): queueSource.IQueueSource;

  /**
   * A target for a schedule of your own that starts an execution: its role may invoke the qualified
   * ARN only.
   */
  scheduleTarget(options?: triggers.ScheduleTargetOptions): scheduler.IScheduleTarget;

  /**
   * A target for a rule of your own that starts an execution: it invokes the qualified ARN, which
   * only that rule is permitted to invoke.
   */
  ruleTarget(options?: triggers.RuleTargetOptions): events.IRuleTarget;
}

/**
 * Attributes of a durable workflow defined outside this app (or this stack).
 */
export interface DurableWorkflowAttributes {
  /**
   * The unqualified function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`).
   */
  readonly functionArn: string;

  /**
   * The alias name or version number that executions are started through.
   * `$LATEST` is refused: permissions cannot name it and it is meant for development only.
   */
  readonly qualifier: string;

  /**
   * The role the function runs with, so that grants given to the workflow land on it.
   *
   * @default - unknown: granting permissions to the workflow itself adds nothing and warns
   */
  readonly role?: iam.IRole;

  /**
   * The key that encrypts the workflow's durable state, so that grants include decrypting it
   * through Lambda.
   *
   * @default - an AWS owned key: grants add no key permission
   */
  readonly stateEncryptionKey?: kms.IKey;
}

/**
 * What owned and imported durable workflows share: the whole `IDurableWorkflow` surface, from the
 * attributes alone. Grants, execution events and triggers live in their own files; this is where
 * they meet the workflow.
 *
 * @internal
 */
export abstract class DurableWorkflowBase extends Resource implements IDurableWorkflow {
  public abstract readonly functionName: string;
  public abstract readonly functionArn: string;
  public abstract readonly qualifier: string;
  public abstract readonly qualifiedArn: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;
  public abstract readonly role?: iam.IRole;
  public abstract readonly stateEncryptionKey?: kms.IKey;

  public readonly grants: DurableWorkflowGrants = DurableWorkflowGrants.fromWorkflow(this);

  public grantStart(grantee: iam.IGrantable): iam.Grant {
    return this.grants.start(grantee);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }

  public grantStop(grantee: iam.IGrantable): iam.Grant {
    return this.grants.stop(grantee);
  }

  public grantSendCallback(grantee: iam.IGrantable): iam.Grant {
    return this.grants.sendCallback(grantee);
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.grantPrincipal.addToPrincipalPolicy(statement);
  }

  // ---- Metrics ----

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: this.functionName },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    }).attachTo(this);
  }

  public metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionStarted', props);
  }

  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionSucceeded', props);
  }

  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionFailed', props);
  }

  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionTimedOut', props);
  }

  public metricStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionStopped', props);
  }

  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    // Average, like StateMachine.metricTime and Function.metricDuration; pass `statistic: 'p99'` for the tail.
    return this.metric('DurableExecutionDuration', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricOperations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    // Maximum: the limit is per execution, so the busiest execution is the one that matters.
    return this.metric('DurableExecutionOperations', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricStorageWrittenBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DurableExecutionStorageWrittenBytes', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricRunning(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ApproximateRunningDurableExecutions', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  // ---- Events the workflow emits ----

  public onExecutionStatusChange(id: string, options?: executionEvents.ExecutionStatusChangeOptions): events.Rule {
    return executionEvents.onExecutionStatusChange(this.validator(), this, this.functionArn, id, options);
  }

  public onExecutionFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onExecutionStatusChange(id, {
      ...options,
      statuses: [executionEvents.ExecutionStatus.FAILED, executionEvents.ExecutionStatus.TIMED_OUT],
    });
  }

  // ---- What starts executions ----

  public addSchedule(id: string, options: triggers.ScheduleOptions): scheduler.Schedule {
    return triggers.addSchedule(this.validator(), this, this.qualifiedFunction, id, options);
  }

  public addEventRule(id: string, options: triggers.EventRuleOptions): events.Rule {
    return triggers.addEventRule(this.validator(), this, this.qualifiedFunction, id, options);
  }

  public addEventSource(source: lambda.IEventSource): void {
    triggers.addEventSource(this.validator(), this, this.qualifiedFunction, source, this.executionTimeoutHint);
  }

  public addQueueSource(queue: sqs.IQueue, options?: queueSource.QueueSourceOptions): queueSource.IQueueSource {
    return queueSource.addQueueSource(this.validator(), this, queue, options);
  }

  public scheduleTarget(options?: triggers.ScheduleTargetOptions): scheduler.IScheduleTarget {
    return triggers.scheduleTarget(this.validator(), this.qualifiedFunction, options);
  }

  public ruleTarget(options?: triggers.RuleTargetOptions): events.IRuleTarget {
    return triggers.ruleTarget(this.validator(), this.qualifiedFunction, options);
  }

  /**
   * The function that triggers invoke, as aws-cdk-lib sees it: the qualified ARN (`functionArn:qualifier`),
   * so that targets, permissions and mappings name the qualifier.
   */
  protected abstract get qualifiedFunction(): lambda.IFunction;

  /**
   * The workflow's execution timeout when known, for the event source warnings.
   *
   * @default - unknown (imported workflows)
   */
  protected get executionTimeoutHint(): Duration | undefined {
    return undefined;
  }

  /** Checks input in the construct's message shape: `DurableWorkflow 'Stack/Id': ...`. */
  private validator(): PropValidator {
    return PropValidator.of(this, 'DurableWorkflow');
  }
}
