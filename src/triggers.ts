import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * Options for `onSchedule`: an EventBridge Scheduler schedule that starts an execution each time it fires.
 *
 * The target options (`input`, `role`, `deadLetterQueue`, `retryAttempts`, `maxEventAge`) are those of
 * aws-cdk-lib's `LambdaInvoke` scheduler target.
 */
export interface ScheduleTriggerOptions extends schedulerTargets.ScheduleTargetBaseProps {
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
 * Options for `onEvent`: an EventBridge rule that starts an execution for every matching event.
 *
 * The retry options (`deadLetterQueue`, `retryAttempts`, `maxEventAge`) are those of aws-cdk-lib's
 * `LambdaFunction` rule target.
 */
export interface EventTriggerOptions extends eventsTargets.TargetBaseProps {
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
   * The execution's input payload.
   *
   * @default - the whole EventBridge event
   */
  readonly input?: events.RuleTargetInput;

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
