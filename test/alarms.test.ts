import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DurableWorkflow, DurableWorkflowAlarms, DurableWorkflowAlarmsProps } from '../src';
import { VersionPruner } from '../src/version-pruner';
import { inlineWorkflow, logicalId } from './support/synth';

const ALIAS_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders:live';

function synth(props: Omit<DurableWorkflowAlarmsProps, 'workflow'> = {}, setup?: (stack: Stack) => Partial<DurableWorkflowAlarmsProps>) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const workflow = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
  const alarms = new DurableWorkflowAlarms(stack, 'Alarms', { workflow, ...props, ...setup?.(stack) });
  return { stack, alarms, template: Template.fromStack(stack) };
}

function alarmFor(template: Template, metricName: string): any {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
}

const COMMON = {
  Namespace: 'AWS/Lambda',
  Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 1,
  Period: 300,
  TreatMissingData: 'notBreaching',
};

describe('the recommended set', () => {
  test('creates four alarms', () => {
    synth().template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test.each([
    ['DurableExecutionFailed', 'Sum', 1],
    ['DurableExecutionTimedOut', 'Sum', 1],
    // 80% of the 3,000 operations an execution may perform.
    ['DurableExecutionOperations', 'Maximum', 2400],
    // 80 MiB: 80% of the 100 MB an execution may write.
    ['DurableExecutionStorageWrittenBytes', 'Maximum', 83_886_080],
  ])('%s: %s >= %d', (metricName, statistic, threshold) => {
    expect(alarmFor(synth().template, metricName)).toMatchObject({ ...COMMON, Statistic: statistic, Threshold: threshold });
  });

  test('thresholds and period are configurable', () => {
    const { template } = synth({
      failedThreshold: 5,
      timedOutThreshold: 2,
      operationsThreshold: 2900,
      storageWrittenThreshold: Size.mebibytes(50),
      period: Duration.minutes(1),
    });
    expect(alarmFor(template, 'DurableExecutionFailed')).toMatchObject({ Threshold: 5, Period: 60 });
    expect(alarmFor(template, 'DurableExecutionTimedOut')).toMatchObject({ Threshold: 2, Period: 60 });
    expect(alarmFor(template, 'DurableExecutionOperations')).toMatchObject({ Threshold: 2900, Period: 60 });
    expect(alarmFor(template, 'DurableExecutionStorageWrittenBytes')).toMatchObject({ Threshold: 52_428_800, Period: 60 });
  });
});

describe('notifications', () => {
  test('alarmTopic notifies the topic from every alarm', () => {
    let topic: sns.Topic | undefined;
    const { stack, template } = synth({}, (s) => ({ alarmTopic: topic = new sns.Topic(s, 'Topic') }));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms.map((a) => a.Properties.AlarmActions)).toEqual(Array(4).fill([{ Ref: logicalId(stack, topic!) }]));
  });

  test('no topic, no actions', () => {
    const alarms = Object.values(synth().template.findResources('AWS::CloudWatch::Alarm')) as any[];
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  test('addAlarmAction adds an action to every alarm', () => {
    const stack = new Stack(new App(), 'Stack');
    const workflow = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    const alarms = new DurableWorkflowAlarms(stack, 'Alarms', { workflow });
    const pager = new sns.Topic(stack, 'Pager');
    alarms.addAlarmAction(new cloudwatchActions.SnsAction(pager));
    expect(alarms.alarms).toHaveLength(4);
    const rendered = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(rendered.map((a) => a.Properties.AlarmActions)).toEqual(Array(4).fill([{ Ref: logicalId(stack, pager) }]));
  });
});

describe('bad input', () => {
  test.each([
    [{ failedThreshold: 0 }, 'failedThreshold must be a whole number of at least 1, got number 0'],
    [{ timedOutThreshold: 1.5 }, 'timedOutThreshold must be a whole number of at least 1, got number 1.5'],
    [{ timedOutThreshold: '2' as unknown as number }, "timedOutThreshold must be a whole number of at least 1, got '2'"],
    [{ operationsThreshold: 3001 }, 'operationsThreshold must be a whole number from 1 to 3000, got number 3001'],
    [{ storageWrittenThreshold: Size.mebibytes(101) }, 'storageWrittenThreshold must be from 1 to 104857600 bytes, got 105906176 bytes'],
    [{ storageWrittenThreshold: Size.bytes(0) }, 'storageWrittenThreshold must be from 1 to 104857600 bytes, got 0 bytes'],
    [{ storageWrittenThreshold: 80_000_000 as unknown as Size }, 'storageWrittenThreshold must be a Size, got number 80000000'],
    [{ period: 300 as unknown as Duration }, 'period must be a Duration, got number 300'],
    [{ period: Duration.minutes(NaN) }, 'period must be a finite, non-negative Duration, got NaN seconds'],
    [{ period: Duration.minutes(Infinity) }, 'period must be a finite, non-negative Duration, got Infinity seconds'],
    [{ alarmTopic: 'arn:aws:sns:us-east-1:123456789012:pager' as unknown as sns.ITopic }, "alarmTopic must be an sns.ITopic, got 'arn:aws:sns:us-east-1:123456789012:pager'"],
  ])('%j fails clearly', (props, message) => {
    expect(() => synth(props)).toThrow(`DurableWorkflowAlarms 'Stack/Alarms': ${message}`);
  });

  test('a missing workflow fails clearly', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new DurableWorkflowAlarms(stack, 'Alarms', {} as DurableWorkflowAlarmsProps))
      .toThrow("DurableWorkflowAlarms 'Stack/Alarms': workflow must be an IDurableWorkflow (a DurableWorkflow or an imported one), got undefined");
  });
});

describe('the stack\'s version pruner', () => {
  function prunedStack() {
    const stack = new Stack(new App(), 'Stack');
    const workflow = inlineWorkflow(stack, { versionRetention: undefined });
    const pruner = stack.node.findChild('DurableWorkflowVersionPruner') as VersionPruner;
    return { stack, workflow, pruner };
  }

  test('a pruned workflow\'s alarms include one on the pruner\'s failed runs (its Errors)', () => {
    const { stack, workflow, pruner } = prunedStack();
    const alarms = new DurableWorkflowAlarms(stack, 'Alarms', { workflow });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    expect(alarms.alarms).toHaveLength(4);
    expect(template.findResources('AWS::CloudWatch::Alarm')[logicalId(stack, alarms.prunerFailuresAlarm!)].Properties).toMatchObject({
      ...COMMON,
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack, pruner.function) } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  test('one alarm per stack, however many workflows have alarms; a topic given twice notifies once', () => {
    const { stack, workflow } = prunedStack();
    const other = inlineWorkflow(stack, { versionRetention: undefined }, 'Other');
    const topic = new sns.Topic(stack, 'Topic');
    const pager = new sns.Topic(stack, 'Pager');
    const first = new DurableWorkflowAlarms(stack, 'A', { workflow, alarmTopic: topic });
    const second = new DurableWorkflowAlarms(stack, 'B', { workflow: other, alarmTopic: topic });
    second.addAlarmAction(new cloudwatchActions.SnsAction(pager));

    expect(second.prunerFailuresAlarm).toBe(first.prunerFailuresAlarm);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 9);
    expect(template.findResources('AWS::CloudWatch::Alarm')[logicalId(stack, first.prunerFailuresAlarm!)].Properties.AlarmActions)
      .toEqual([{ Ref: logicalId(stack, topic) }, { Ref: logicalId(stack, pager) }]);
  });

  test('no pruner alarm for a workflow that keeps every version, or an imported one', () => {
    const stack = new Stack(new App(), 'Stack');
    const keepsAll = inlineWorkflow(stack);
    inlineWorkflow(stack, { versionRetention: undefined }, 'Pruned');
    const imported = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    expect(new DurableWorkflowAlarms(stack, 'KeepsAll', { workflow: keepsAll }).prunerFailuresAlarm).toBeUndefined();
    expect(new DurableWorkflowAlarms(stack, 'Imported', { workflow: imported }).prunerFailuresAlarm).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 8);
  });
});
