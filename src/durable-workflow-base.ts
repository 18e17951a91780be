import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Annotations, Duration, IResource, Resource } from 'aws-cdk-lib/core';
import { ExecutionStatus, ExecutionStatusChangeOptions } from './execution-events';
import { EventTriggerOptions, ScheduleTriggerOptions } from './triggers';
import { describeValue } from './validation';
import { workflowGrantee } from './workflow-grantee';

/** Actions that read executions: describe, history, list. */
const READ_ACTIONS = [
  'lambda:GetDurableExecution',
  'lambda:GetDurableExecutionHistory',
  'lambda:ListDurableExecutionsByFunction',
];

/** Actions that answer a `waitForCallback` / `createCallback` operation. */
const SEND_CALLBACK_ACTIONS = [
  'lambda:SendDurableExecutionCallbackSuccess',
  'lambda:SendDurableExecutionCallbackFailure',
  'lambda:SendDurableExecutionCallbackHeartbeat',
];

/** What EventBridge calls the events Lambda emits when a durable execution changes status. */
const STATUS_CHANGE_DETAIL_TYPE = 'Durable Execution Status Change';

/** Checks statuses given from any jsii language: JavaScript and Python callers can pass any string. */
function validateStatuses(statuses: string[]): void {
  const allowed: string[] = Object.values(ExecutionStatus);
  if (!Array.isArray(statuses)) {
    throw new Error(`statuses must be a list of execution statuses (${allowed.join(', ')}), got ${describeValue(statuses)}`);
  }
  if (statuses.length === 0) {
    throw new Error(`statuses must name at least one status (${allowed.join(', ')}); omit it to match every status`);
  }
  const bad = statuses.filter((status) => !allowed.includes(status));
  if (bad.length > 0) {
    throw new Error(`statuses contains ${bad.map((s) => JSON.stringify(s)).join(', ')}, not an execution status; allowed: ${allowed.join(', ')}`);
  }
}

/** Event source mappings invoke synchronously: a synchronous invoke ends after 15 minutes. */
const EVENT_SOURCE_MAX_EXECUTION = Duration.minutes(15);

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
   * Grant the given identity permission to start executions: `lambda:InvokeFunction` on the
   * qualified ARN only.
   */
  grantStart(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to describe executions, read their history and list them.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to stop executions.
   */
  grantStop(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to complete, fail and heartbeat callbacks of executions.
   */
  grantSendCallback(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity custom actions on this workflow's executions.
   *
   * The resource is the execution ARN pattern `functionArn:*`: execution ARNs are qualified by
   * the version an execution runs on, never by the alias.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

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

  // ---- Execution status events ----

  /**
   * An EventBridge rule on the default bus that matches this workflow's
   * `Durable Execution Status Change` events, optionally only some statuses.
   */
  onExecutionStatusChange(id: string, options?: ExecutionStatusChangeOptions): events.Rule;

  /**
   * An EventBridge rule on the default bus that matches this workflow's executions that
   * failed or timed out.
   */
  onExecutionFailed(id: string, options?: events.OnEventOptions): events.Rule;

  // ---- Triggers (all invoke the qualified ARN) ----

  /**
   * Start an execution on a schedule (EventBridge Scheduler, invoking the qualified ARN).
   *
   * The schedule's role may invoke the qualified ARN only.
   */
  onSchedule(id: string, options: ScheduleTriggerOptions): scheduler.Schedule;

  /**
   * Start an execution for every event matching a pattern (an EventBridge rule whose target and
   * invoke permission are on the qualified ARN).
   */
  onEvent(id: string, options: EventTriggerOptions): events.Rule;

  /**
   * Start executions from an event source mapping (SQS, Kinesis, DynamoDB streams, ...) on the
   * qualified ARN.
   *
   * Event source mappings invoke synchronously, which caps an execution at 15 minutes, and cannot
   * pass an execution name, so a redelivered record starts a second execution. Both are reported
   * as synth warnings.
   */
  addEventSource(source: lambda.IEventSource): void;
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
}

/**
 * What owned and imported durable workflows share: grants, metrics, execution events and triggers.
 */
export abstract class DurableWorkflowBase extends Resource implements IDurableWorkflow {
  public abstract readonly functionName: string;
  public abstract readonly functionArn: string;
  public abstract readonly qualifier: string;
  public abstract readonly qualifiedArn: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;

  public grantStart(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: workflowGrantee(grantee),
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.qualifiedArn],
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: workflowGrantee(grantee),
      actions: READ_ACTIONS,
      // ListDurableExecutionsByFunction authorizes on the function itself; the others on execution ARNs.
      resourceArns: [this.functionArn, this.executionArnPattern],
    });
  }

  public grantStop(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'lambda:StopDurableExecution');
  }

  public grantSendCallback(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...SEND_CALLBACK_ACTIONS);
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: workflowGrantee(grantee),
      actions,
      resourceArns: [this.executionArnPattern],
    });
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

  // ---- Execution status events ----

  public onExecutionStatusChange(id: string, options: ExecutionStatusChangeOptions = {}): events.Rule {
    if (options.statuses !== undefined) {
      validateStatuses(options.statuses);
    }
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern({
      source: ['aws.lambda'],
      detailType: [STATUS_CHANGE_DETAIL_TYPE],
      detail: {
        // Events carry the version-qualified ARN (`...:function:NAME:7`); the trailing colon keeps
        // `NAME-other` from matching.
        functionArn: events.Match.prefix(`${this.functionArn}:`),
        ...(options.statuses ? { status: options.statuses } : {}),
      },
    });
    if (options.target) {
      rule.addTarget(options.target);
    }
    return rule;
  }

  public onExecutionFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onExecutionStatusChange(id, {
      ...options,
      statuses: [ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT],
    });
  }

  // ---- Triggers ----

  public onSchedule(id: string, options: ScheduleTriggerOptions): scheduler.Schedule {
    if (!options?.schedule) {
      throw new Error('onSchedule needs a schedule: ScheduleExpression.rate(...), .cron(...) or .at(...)');
    }
    return new scheduler.Schedule(this, id, {
      schedule: options.schedule,
      scheduleName: options.scheduleName,
      description: options.description,
      enabled: options.enabled,
      scheduleGroup: options.scheduleGroup,
      timeWindow: options.timeWindow,
      start: options.start,
      end: options.end,
      // LambdaInvoke grants its role `lambda:InvokeFunction` on exactly the ARN it targets: the qualified one.
      target: new schedulerTargets.LambdaInvoke(this.qualifiedFunction, {
        input: options.input,
        role: options.role,
        deadLetterQueue: options.deadLetterQueue,
        retryAttempts: options.retryAttempts,
        maxEventAge: options.maxEventAge,
      }),
    });
  }

  public onEvent(id: string, options: EventTriggerOptions): events.Rule {
    const rule = new events.Rule(this, id, {
      eventPattern: options.eventPattern,
      eventBus: options.eventBus,
      ruleName: options.ruleName,
      description: options.description,
      enabled: options.enabled,
    });
    rule.addTarget(new eventsTargets.LambdaFunction(this.qualifiedFunction, {
      event: options.input,
      deadLetterQueue: options.deadLetterQueue,
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
    }));
    return rule;
  }

  public addEventSource(source: lambda.IEventSource): void {
    this.qualifiedFunction.addEventSource(source);
    Annotations.of(this).addWarningV2(
      'cdk-durable-workflow:eventSourceNoExecutionName',
      'Event source mappings cannot pass an execution name, so a record delivered twice starts two executions. '
      + 'Make the workflow idempotent (for example, key its side effects on the record id), or let a small function '
      + 'consume the source and start executions asynchronously with the record id as the execution name.',
    );
    const timeout = this.executionTimeoutHint;
    if (timeout && !timeout.isUnresolved() && timeout.toSeconds() > EVENT_SOURCE_MAX_EXECUTION.toSeconds()) {
      Annotations.of(this).addWarningV2(
        'cdk-durable-workflow:eventSourceExecutionTimeout',
        `executionTimeout is ${timeout.toHumanString()}, but event source mappings invoke synchronously, `
        + 'which ends an execution after 15 minutes. Set executionTimeout to 15 minutes or less, or start '
        + 'long executions asynchronously (onEvent, onSchedule, or a function calling Invoke with InvocationType Event).',
      );
    }
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

  /**
   * `arn:...:function:NAME:*`: matches every execution ARN of this function
   * (`...:function:NAME:VERSION/durable-execution/NAME/ID`).
   */
  protected get executionArnPattern(): string {
    return `${this.functionArn}:*`;
  }
}
