import { Duration } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { triggersTest } from './triggers-fixture';

// addSchedule: EventBridge Scheduler invokes the alias with a role scoped to it.
const { app, workflow, expectExecutionSucceeded } = triggersTest('Schedule');

workflow.addSchedule('EveryMinute', {
  schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
  input: scheduler.ScheduleTargetInput.fromObject({ startedBy: 'schedule' }),
});

expectExecutionSucceeded();
app.synth();
