import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Annotations, Duration, Stack } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { acknowledgeRule, COMPLIANCE, INLINE_POLICY_REASON } from './nag-acknowledgements';
import { describeValue, PropValidator } from './validation';

/**
 * Options for `scheduleTarget`: those of aws-cdk-lib's `LambdaInvoke` scheduler target (`input`,
 * `role`, `deadLetterQueue`, `retryAttempts`, `maxEventAge`).
 */
export interface ScheduleTargetOptions extends schedulerTargets.ScheduleTargetBaseProps {}

/**
 * Options for `addSchedule`: an EventBridge Scheduler schedule that starts an execution each time it
 * fires, with the target options of `scheduleTarget`.
 */
export interface ScheduleOptions extends ScheduleTargetOptions {
  /**
   * When the schedule fires: `ScheduleExpression.rate(...)`, `.cron(...)` or `.at(...)`.
   */
  readonly schedule: scheduler.ScheduleExpression;

  /**
   * The name of the schedule.
   *
   * @default - a unique name is generated
   */
  readonly scheduleName?: string;

  /**
   * A description of the schedule.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the schedule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The schedule group the schedule belongs to.
   *
   * @default - the `default` group
   */
  readonly scheduleGroup?: scheduler.IScheduleGroup;

  /**
   * A window in which the schedule may fire late, to spread load.
   *
   * @default TimeWindow.off()
   */
  readonly timeWindow?: scheduler.TimeWindow;

  /**
   * The date, in UTC, after which the schedule can fire. Ignored by one-time schedules.
   *
   * @default - no start date
   */
  readonly start?: Date;

  /**
   * The date, in UTC, before which the schedule can fire. Ignored by one-time schedules.
   *
   * @default - no end date
   */
  readonly end?: Date;
}

/**
 * Options for `ruleTarget`: the retry options of aws-cdk-lib's `LambdaFunction` rule target
 * (`deadLetterQueue`, `retryAttempts`, `maxEventAge`) and the execution's input.
 */
export interface RuleTargetOptions extends eventsTargets.TargetBaseProps {
  /**
   * The execution's input payload.
   *
   * @default - the whole EventBridge event
   */
  readonly input?: events.RuleTargetInput;
}

/**
 * Options for `addEventRule`: an EventBridge rule that starts an execution for every matching event,
 * with the target options of `ruleTarget`.
 */
export interface EventRuleOptions extends RuleTargetOptions {
  /**
   * The events that start an execution.
   */
  readonly eventPattern: events.EventPattern;

  /**
   * The bus the rule listens on.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The name of the rule.
   *
   * @default - a unique name is generated
   */
  readonly ruleName?: string;

  /**
   * A description of the rule.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the rule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

// Every trigger below invokes `qualified`: the workflow's alias (or, imported, its qualified ARN), so
// that targets, permissions and mappings name the qualifier. Durable functions refuse unqualified invokes.

/** EventBridge and Scheduler both retry a target up to 185 times, within an event age of 1 minute to 24 hours. */
const MAX_TARGET_RETRIES = 185;
const MIN_TARGET_EVENT_AGE = Duration.minutes(1);
const MAX_TARGET_EVENT_AGE = Duration.hours(24);

/** A Scheduler target whose role may invoke the qualified ARN only (LambdaInvoke grants exactly the ARN it targets). */
export function scheduleTarget(v: PropValidator, qualified: lambda.IFunction, options: ScheduleTargetOptions = {}): scheduler.IScheduleTarget {
  const { input, role, deadLetterQueue, retryAttempts, maxEventAge } = checkTargetOptions(v, options);
  v.instance('role', role, 'an iam.IRole', 'roleArn');
  v.instance('input', input, 'a scheduler.ScheduleTargetInput', 'bind');
  return new schedulerTargets.LambdaInvoke(qualified, { input, role, deadLetterQueue, retryAttempts, maxEventAge });
}

/** A rule target on the qualified ARN; binding it to a rule permits that rule alone to invoke it. */
export function ruleTarget(v: PropValidator, qualified: lambda.IFunction, options: RuleTargetOptions = {}): events.IRuleTarget {
  const { input, deadLetterQueue, retryAttempts, maxEventAge } = checkTargetOptions(v, options);
  v.instance('input', input, 'an events.RuleTargetInput', 'bind');
  return new eventsTargets.LambdaFunction(qualified, { event: input, deadLetterQueue, retryAttempts, maxEventAge });
}

/** The retry options both kinds of target share, within what EventBridge and Scheduler take. */
function checkTargetOptions<T extends ScheduleTargetOptions | RuleTargetOptions>(v: PropValidator, options: T): T {
  if (typeof options !== 'object' || options === null) v.fail(`options must be an object, got ${describeValue(options)}`);
  v.instance('deadLetterQueue', options.deadLetterQueue, 'an sqs.IQueue', 'queueArn');
  v.count('retryAttempts', options.retryAttempts, 0, MAX_TARGET_RETRIES);
  v.duration('maxEventAge', options.maxEventAge, MIN_TARGET_EVENT_AGE, MAX_TARGET_EVENT_AGE);
  return options;
}

/** A schedule, child `id` of `workflow`, that starts an execution each time it fires. */
export function addSchedule(
  v: PropValidator, workflow: Construct, qualified: lambda.IFunction, id: string, options: ScheduleOptions,
): scheduler.Schedule {
  if (typeof options?.schedule?.expressionString !== 'string') {
    v.fail(`schedule must be a scheduler.ScheduleExpression (rate, cron or at), got ${describeValue(options?.schedule)}`);
  }
  v.instance('scheduleGroup', options.scheduleGroup, 'a scheduler.IScheduleGroup', 'scheduleGroupName');
  v.instance('timeWindow', options.timeWindow, 'a scheduler.TimeWindow (TimeWindow.off() or flexible(...))', 'mode');
  for (const [name, date] of Object.entries({ start: options.start, end: options.end })) {
    if (date !== undefined && !(date instanceof Date && Number.isFinite(date.getTime()))) v.fail(`${name} must be a valid Date, got ${describeValue(date)}`);
  }
  return new scheduler.Schedule(workflow, id, {
    schedule: options.schedule,
    scheduleName: options.scheduleName,
    description: options.description,
    enabled: options.enabled,
    scheduleGroup: options.scheduleGroup,
    timeWindow: options.timeWindow,
    start: options.start,
    end: options.end,
    target: scheduleTarget(v, qualified, { ...options, role: options.role ?? schedulerRole(workflow) }),
  });
}

/**
 * The role EventBridge Scheduler assumes for the schedules of `scope` (its child `ScheduleRole`, made on first use),
 * trusted for this account's schedules. Rather than aws-cdk-lib's role per target at the stack's root, so that its
 * inline policy (each target's invoke grant) is acknowledged where it is made.
 */
export function schedulerRole(scope: Construct): iam.IRole {
  const existing = scope.node.tryFindChild('ScheduleRole');
  if (existing) return existing as iam.IRole;
  const role = new iam.Role(scope, 'ScheduleRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  acknowledgeRule(role, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
  return role;
}

/** A rule, child `id` of `workflow`, that starts an execution for every matching event. */
export function addEventRule(
  v: PropValidator, workflow: Construct, qualified: lambda.IFunction, id: string, options: EventRuleOptions,
): events.Rule {
  if (typeof options?.eventPattern !== 'object' || options.eventPattern === null) {
    v.fail(`eventPattern must be an events.EventPattern, got ${describeValue(options?.eventPattern)}`);
  }
  v.instance('eventBus', options.eventBus, 'an events.IEventBus', 'eventBusName');
  const rule = new events.Rule(workflow, id, {
    eventPattern: options.eventPattern,
    eventBus: options.eventBus,
    ruleName: options.ruleName,
    description: options.description,
    enabled: options.enabled,
  });
  rule.addTarget(ruleTarget(v, qualified, options));
  return rule;
}

/** Event source mappings invoke synchronously: a synchronous invoke ends after 15 minutes. */
const EVENT_SOURCE_MAX_EXECUTION = Duration.minutes(15);

/**
 * Maps `source` to the qualified ARN, and warns on `workflow` (acknowledgeably) that a mapping cannot
 * name executions and caps them at 15 minutes, when `executionTimeout` is known and longer.
 */
export function addEventSource(
  v: PropValidator, workflow: Construct, qualified: lambda.IFunction, source: lambda.IEventSource, executionTimeout?: Duration,
): void {
  if (typeof source?.bind !== 'function') v.fail(`source must be a lambda.IEventSource, got ${describeValue(source)}`);
  qualified.addEventSource(source);
  Annotations.of(workflow).addWarningV2(
    'cdk-durable-workflow:eventSourceNoExecutionName',
    'Event source mappings cannot pass an execution name, so a record delivered twice starts two executions. '
    + 'For an SQS queue, use addQueueSource(queue) instead: it starts executions asynchronously, named after each message. '
    + 'For other sources, make the workflow idempotent (for example, key its side effects on the record id), or let a '
    + 'small function consume the source and start executions asynchronously with the record id as the execution name.',
  );
  if (executionTimeout && !executionTimeout.isUnresolved() && executionTimeout.toSeconds() > EVENT_SOURCE_MAX_EXECUTION.toSeconds()) {
    Annotations.of(workflow).addWarningV2(
      'cdk-durable-workflow:eventSourceExecutionTimeout',
      `executionTimeout is ${executionTimeout.toHumanString()}, but event source mappings invoke synchronously, `
      + 'which ends an execution after 15 minutes. Set executionTimeout to 15 minutes or less, or start '
      + 'long executions asynchronously (addQueueSource for an SQS queue, addEventRule, addSchedule, or a function calling '
      + 'Invoke with InvocationType Event).',
    );
  }
}
