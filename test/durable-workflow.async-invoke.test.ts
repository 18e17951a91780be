import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { inlineWorkflow, logicalId, newStack, onlyResource, statementsOfRole } from './support/synth';

// Asynchronous starts, as AWS documents them for durable functions: a dead-letter queue (created by default) receives
// the event of every asynchronous start whose execution ends FAILED, STOPPED or TIMED_OUT; destinations are not
// supported; the retry and event-age settings apply to the alias, which starts invoke.

describe('the dead-letter queue', () => {
  test('by default: a queue of its own (14 days, SSE, TLS only) in the function\'s DeadLetterConfig, which the role may send to', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    const queueId = logicalId(stack, wf.deadLetterQueue!);
    expect(onlyResource(template, 'AWS::SQS::Queue')).toEqual({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    expect(onlyResource(template, 'AWS::Lambda::Function').DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(statementsOfRole(template, logicalId(stack, wf.role!))).toContainEqual(
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
  });

  test('with a state key it holds start payloads under that key, which the role may use through SQS for this queue only', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = inlineWorkflow(stack, { stateEncryptionKey: key });
    const template = Template.fromStack(stack);
    const queueId = logicalId(stack, wf.deadLetterQueue!);
    expect(onlyResource(template, 'AWS::SQS::Queue').KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] });
    expect(statementsOfRole(template, logicalId(stack, wf.role!))).toContainEqual({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
        ArnEquals: { 'kms:EncryptionContext:aws:sqs:arn': { 'Fn::GetAtt': [queueId, 'Arn'] } },
      },
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
    });
  });

  test('a queue or topic of your own replaces it; deadLetterQueueEnabled: false means none', () => {
    const stack = newStack();
    const mine = new sqs.Queue(stack, 'Mine');
    const topic = new sns.Topic(stack, 'Topic');
    const a = inlineWorkflow(stack, { deadLetterQueue: mine }, 'A');
    const b = inlineWorkflow(stack, { deadLetterTopic: topic }, 'B');
    const c = inlineWorkflow(stack, { deadLetterQueueEnabled: false }, 'C');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(a.deadLetterQueue).toBe(mine);
    expect(b.deadLetterQueue).toBeUndefined();
    expect(c.deadLetterQueue).toBeUndefined();
    const functions = template.findResources('AWS::Lambda::Function');
    expect(functions[logicalId(stack, b.function)].Properties.DeadLetterConfig).toEqual({ TargetArn: { Ref: logicalId(stack, topic) } });
    expect(functions[logicalId(stack, c.function)].Properties.DeadLetterConfig).toBeUndefined();
  });

  test.each([
    ['a queue and a topic', () => ({ deadLetterQueue: new sqs.Queue(newStack(), 'Q'), deadLetterTopic: new sns.Topic(newStack(), 'T') }),
      'deadLetterQueue and deadLetterTopic are mutually exclusive: a function has one dead-letter target, got both'],
    ['a queue with deadLetterQueueEnabled: false', () => ({ deadLetterQueue: new sqs.Queue(newStack(), 'Q'), deadLetterQueueEnabled: false }),
      'deadLetterQueueEnabled must not be false with deadLetterQueue: leave it unset, got false'],
  ])('%s is refused', (_what, props, message) => {
    expect(() => inlineWorkflow(newStack(), props())).toThrow(`DurableWorkflow 'Stack/Flow': ${message}`);
  });
});

describe('asynchronous invocation settings', () => {
  test('retryAttempts and maxEventAge configure the alias, which starts invoke, not $LATEST', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, { retryAttempts: 0, maxEventAge: Duration.hours(1) });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Lambda::EventInvokeConfig')).toEqual({
      FunctionName: { Ref: logicalId(stack, wf.function) },
      // The alias's name, taken from its ARN: the configuration waits for the alias.
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: logicalId(stack, wf.alias) }] }] },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  test.each(['onFailure', 'onSuccess'])('%s is refused: durable functions do not support destinations', (prop) => {
    const stack = newStack();
    const destination = new destinations.SqsDestination(new sqs.Queue(stack, 'Failures'));
    expect(() => inlineWorkflow(stack, { [prop]: destination })).toThrow(new RegExp(
      `^DurableWorkflow 'Stack/Flow': ${prop} must not be set: durable functions do not support Lambda destinations \\(AWS\\)\\. `
      + 'The dead-letter queue \\(deadLetterQueue, created by default\\) receives the event of every asynchronous start that ends FAILED, STOPPED or TIMED_OUT'));
  });
});
