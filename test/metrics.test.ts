import { App, CfnElement, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DurableWorkflow, IDurableWorkflow } from '../src';

const ALIAS_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders:live';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** Renders a metric the way CloudWatch receives it: as an alarm's properties in the template. */
function renderedAlarm(stack: Stack, metric: cloudwatch.Metric): any {
  metric.createAlarm(stack, 'Probe', { threshold: 1, evaluationPeriods: 1 });
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
  expect(alarms).toHaveLength(1);
  return (alarms[0] as any).Properties;
}

const CANNED: Array<[string, (wf: IDurableWorkflow) => cloudwatch.Metric, string, string]> = [
  ['metricStarted', (wf) => wf.metricStarted(), 'DurableExecutionStarted', 'Sum'],
  ['metricSucceeded', (wf) => wf.metricSucceeded(), 'DurableExecutionSucceeded', 'Sum'],
  ['metricFailed', (wf) => wf.metricFailed(), 'DurableExecutionFailed', 'Sum'],
  ['metricTimedOut', (wf) => wf.metricTimedOut(), 'DurableExecutionTimedOut', 'Sum'],
  ['metricStopped', (wf) => wf.metricStopped(), 'DurableExecutionStopped', 'Sum'],
  ['metricDuration', (wf) => wf.metricDuration(), 'DurableExecutionDuration', 'Average'],
  ['metricOperations', (wf) => wf.metricOperations(), 'DurableExecutionOperations', 'Maximum'],
  ['metricStorageWrittenBytes', (wf) => wf.metricStorageWrittenBytes(), 'DurableExecutionStorageWrittenBytes', 'Maximum'],
  ['metricRunning', (wf) => wf.metricRunning(), 'ApproximateRunningDurableExecutions', 'Maximum'],
  ['metric(name)', (wf) => wf.metric('DurableExecutionStarted'), 'DurableExecutionStarted', 'Sum'],
];

describe.each(CANNED)('%s', (_name, make, metricName, statistic) => {
  test(`is ${metricName} in AWS/Lambda for this function, ${statistic} over 5 minutes`, () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    expect(renderedAlarm(stack, make(wf))).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
      Statistic: statistic,
      Period: 300,
    });
  });
});

test('options override the defaults', () => {
  const stack = newStack();
  const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
  const props = renderedAlarm(stack, wf.metricDuration({ statistic: 'p99', period: Duration.hours(1) }));
  expect(props).toMatchObject({ MetricName: 'DurableExecutionDuration', ExtendedStatistic: 'p99', Period: 3600 });
  expect(props.Statistic).toBeUndefined();
});

test('the dimension follows a tokenized ARN', () => {
  const stack = newStack();
  const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', Fn.importValue('OrdersArn'));
  expect(renderedAlarm(stack, wf.metricFailed()).Dimensions).toEqual([{
    Name: 'FunctionName',
    Value: { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::ImportValue': 'OrdersArn' }] }] },
  }]);
});

test('an owned workflow\'s metrics name its function', () => {
  const stack = newStack();
  const wf = new DurableWorkflow(stack, 'Wf', {
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    handler: 'index.handler',
  });
  expect(renderedAlarm(stack, wf.metricSucceeded()).Dimensions).toEqual([{
    Name: 'FunctionName',
    Value: { Ref: stack.getLogicalId(wf.function.node.defaultChild as CfnElement) },
  }]);
});
