// addQueueSource as synthesized: the dispatcher, its mapping, its environment (the dispatcher's config contract), its
// permissions, and the checks of its options.
import { Annotations as CdkAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DurableWorkflow, IQueueSource, QueueExecutionName, QueuePayload, QueueSourceOptions } from '../src';
import { readQueueDispatcherConfig } from '../src/queue-dispatcher-config';
import { ALIAS_ARN, ENV, inlineWorkflow, logicalId, newStack, onlyResource, statementsOfRole } from './support/synth';

const VISIBILITY_WARNING = 'cdk-durable-workflow:queueSourceVisibilityTimeout';

function setUp(queueProps: sqs.QueueProps = {}) {
  const stack = newStack({ env: ENV });
  const workflow = inlineWorkflow(stack, {}, 'Wf');
  const queue = new sqs.Queue(stack, 'Orders', queueProps);
  return { stack, workflow, queue };
}

const arnOf = (stack: Stack, construct: any) => ({ 'Fn::GetAtt': [logicalId(stack, construct), 'Arn'] });
const aliasRef = (stack: Stack, wf: DurableWorkflow) => ({ Ref: logicalId(stack, wf.alias) });

/** The resource of `type` that belongs to this queue source. */
function resourceOf(template: Template, type: string, source: IQueueSource, child: string): any {
  const id = logicalId(Stack.of(source), source.node.findChild(child));
  return template.findResources(type)[id].Properties;
}

/** Every statement the dispatcher's role is allowed. */
function dispatcherStatements(template: Template, source: IQueueSource): any[] {
  return statementsOfRole(template, logicalId(Stack.of(source), source.dispatcher.role!));
}

const SQS_CONSUME = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

describe('the dispatcher and its mapping', () => {
  test('a mapping from the queue to the dispatcher that reports failed messages only', () => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue);
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping')).toEqual({
      EventSourceArn: arnOf(stack, queue),
      FunctionName: { Ref: logicalId(stack, source.dispatcher) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(stack.resolve(source.eventSourceMapping.eventSourceMappingId)).toEqual({ Ref: logicalId(stack, source.node.findChild('Dispatcher').node.findChild('Mapping')) });
    expect(source.queue).toBe(queue);
  });

  test('batch size, batching window and concurrency reach the mapping', () => {
    const { stack, workflow, queue } = setUp({ visibilityTimeout: Duration.minutes(5) });
    workflow.addQueueSource(queue, { batchSize: 100, maxBatchingWindow: Duration.seconds(30), maxConcurrency: 5 });
    expect(onlyResource(Template.fromStack(stack), 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the shipped bundle on nodejs24.x, 5 s timeout, JSON logs into its own log group kept a month', () => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue);
    const template = Template.fromStack(stack);
    expect(resourceOf(template, 'AWS::Lambda::Function', source, 'Dispatcher')).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 5,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, source.logGroup) } },
    });
    expect(resourceOf(template, 'AWS::Logs::LogGroup', source, 'LogGroup')).toEqual({ RetentionInDays: 30 });
  });

  test('its environment is what the dispatcher reads: the alias, the name source and the payload source', () => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue, { executionName: QueueExecutionName.fromJsonPath('$.order.id'), payload: QueuePayload.record() });
    const env = resourceOf(Template.fromStack(stack), 'AWS::Lambda::Function', source, 'Dispatcher').Environment.Variables;
    expect(env.WORKFLOW_ARN).toEqual(aliasRef(stack, workflow));
    // As Lambda will see it, with the alias ARN CloudFormation puts in its place.
    expect(readQueueDispatcherConfig({ ...env, WORKFLOW_ARN: ALIAS_ARN })).toEqual({
      workflowArn: ALIAS_ARN,
      executionName: { kind: 'jsonPath', path: '$.order.id' },
      payload: 'record',
    });
  });

  test.each<[string, QueueSourceOptions, Record<string, string>]>([
    ['the defaults', {}, { EXECUTION_NAME_FROM: 'messageId', PAYLOAD_FROM: 'jsonBody' }],
    ['a message attribute and the raw body', { executionName: QueueExecutionName.fromMessageAttribute('orderId'), payload: QueuePayload.rawBody() },
      { EXECUTION_NAME_FROM: 'messageAttribute:orderId', PAYLOAD_FROM: 'rawBody' }],
    ['the message id and the JSON body, given', { executionName: QueueExecutionName.fromMessageId(), payload: QueuePayload.jsonBody() },
      { EXECUTION_NAME_FROM: 'messageId', PAYLOAD_FROM: 'jsonBody' }],
  ])('name and payload sources: %s', (_, options, expected) => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue, options);
    expect(resourceOf(Template.fromStack(stack), 'AWS::Lambda::Function', source, 'Dispatcher').Environment.Variables).toMatchObject(expected);
  });
});

describe('permissions', () => {
  test('its own log streams, invoke the alias, consume this queue: nothing else, no wildcard, no managed policy', () => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue);
    const template = Template.fromStack(stack);
    expect(dispatcherStatements(template, source)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: arnOf(stack, source.logGroup) },
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, workflow) },
      { Action: SQS_CONSUME, Effect: 'Allow', Resource: arnOf(stack, queue) },
    ]);
    expect(resourceOf(template, 'AWS::IAM::Role', source, 'ServiceRole')).toEqual({
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
        Version: '2012-10-17',
      },
    });
    // The workflow's own role gains nothing on the queue (it may send to its own dead-letter queue only).
    expect(JSON.stringify(statementsOfRole(template, logicalId(stack, workflow.role!)))).not.toContain(logicalId(stack, queue));
  });

  test('an encrypted queue: decrypt with its key, that key only', () => {
    const stack = newStack({ env: ENV });
    const workflow = inlineWorkflow(stack, {}, 'Wf');
    const key = new kms.Key(stack, 'QueueKey');
    const queue = new sqs.Queue(stack, 'Orders', { encryptionMasterKey: key });
    const source = workflow.addQueueSource(queue);
    expect(dispatcherStatements(Template.fromStack(stack), source)).toContainEqual({ Action: 'kms:Decrypt', Effect: 'Allow', Resource: arnOf(stack, key) });
  });

  test('an imported queue with its key: the same, by ARN', () => {
    const stack = newStack({ env: ENV });
    const workflow = inlineWorkflow(stack, {}, 'Wf');
    const queueArn = 'arn:aws:sqs:us-east-1:123456789012:orders';
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const source = workflow.addQueueSource(sqs.Queue.fromQueueAttributes(stack, 'Orders', { queueArn, keyArn }));
    const template = Template.fromStack(stack);
    expect(dispatcherStatements(template, source).slice(1)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, workflow) },
      { Action: SQS_CONSUME, Effect: 'Allow', Resource: queueArn },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: keyArn },
    ]);
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping').EventSourceArn).toBe(queueArn);
  });

  test('the mapping waits for the permissions: it names the dispatcher, which depends on its role\'s policy', () => {
    const { stack, workflow, queue } = setUp();
    const source = workflow.addQueueSource(queue);
    const template = Template.fromStack(stack);
    const dispatcherId = logicalId(stack, source.dispatcher);
    const policyId = logicalId(stack, source.dispatcher.role!.node.findChild('DefaultPolicy'));
    expect(template.findResources('AWS::Lambda::Function')[dispatcherId].DependsOn).toContain(policyId);
  });
});

describe('imported workflows, FIFO queues, several queues', () => {
  test('an imported workflow: the dispatcher starts and may invoke its qualified ARN only', () => {
    const stack = newStack({ env: ENV });
    const workflow = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    const queue = new sqs.Queue(stack, 'Orders');
    const source = workflow.addQueueSource(queue);
    const template = Template.fromStack(stack);
    expect(resourceOf(template, 'AWS::Lambda::Function', source, 'Dispatcher').Environment.Variables.WORKFLOW_ARN).toBe(ALIAS_ARN);
    expect(dispatcherStatements(template, source)).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ALIAS_ARN });
    expect(source.node.path).toMatch(/^Stack\/Wf\/QueueSource:/);
  });

  test('a FIFO queue: batches of up to 10, no batching window', () => {
    const { stack, workflow, queue } = setUp({ fifo: true });
    workflow.addQueueSource(queue, { batchSize: 10, maxConcurrency: 2 });
    expect(onlyResource(Template.fromStack(stack), 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      EventSourceArn: arnOf(stack, queue), BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  test('two queues on one workflow: a dispatcher each, each consuming its own queue', () => {
    const { stack, workflow, queue } = setUp();
    const refunds = new sqs.Queue(stack, 'Refunds');
    const fromOrders = workflow.addQueueSource(queue);
    const fromRefunds = workflow.addQueueSource(refunds, { executionName: QueueExecutionName.fromJsonPath('$.refundId') });
    const template = Template.fromStack(stack);
    const mappings = Object.values<any>(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    expect(mappings.map((m) => [m.EventSourceArn, m.FunctionName])).toEqual([
      [arnOf(stack, queue), { Ref: logicalId(stack, fromOrders.dispatcher) }],
      [arnOf(stack, refunds), { Ref: logicalId(stack, fromRefunds.dispatcher) }],
    ]);
    const consumed = (source: IQueueSource) => dispatcherStatements(template, source).filter((s) => s.Action === SQS_CONSUME || `${s.Action}`.startsWith('sqs:'));
    expect(consumed(fromOrders)).toEqual([{ Action: SQS_CONSUME, Effect: 'Allow', Resource: arnOf(stack, queue) }]);
    expect(consumed(fromRefunds)).toEqual([{ Action: SQS_CONSUME, Effect: 'Allow', Resource: arnOf(stack, refunds) }]);
  });

  test('one queue source per queue', () => {
    const { workflow, queue } = setUp();
    workflow.addQueueSource(queue);
    expect(() => workflow.addQueueSource(queue, { batchSize: 5 })).toThrow("DurableWorkflow 'Stack/Wf': queue must not already feed this workflow "
      + "(one dispatcher per workflow and queue: give all its options to one addQueueSource), got 'Stack/Orders' a second time");
  });

  test('one queue may feed two workflows', () => {
    const { stack, workflow, queue } = setUp();
    const other = inlineWorkflow(stack, {}, 'Other');
    workflow.addQueueSource(queue);
    other.addQueueSource(queue);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(2);
  });
});

describe('timeout and the queue\'s visibility timeout', () => {
  test('the default timeout grows with the batch size: 1 second per 20 messages above 100', () => {
    const { stack, workflow, queue } = setUp({ visibilityTimeout: Duration.minutes(10) });
    const source = workflow.addQueueSource(queue, { batchSize: 1000, maxBatchingWindow: Duration.seconds(10) });
    expect(resourceOf(Template.fromStack(stack), 'AWS::Lambda::Function', source, 'Dispatcher').Timeout).toBe(50);
  });

  test('a timeout over the visibility timeout is refused, as Lambda would refuse the mapping', () => {
    const { workflow, queue } = setUp({ visibilityTimeout: Duration.seconds(20) });
    expect(() => workflow.addQueueSource(queue, { timeout: Duration.seconds(30) })).toThrow(
      "DurableWorkflow 'Stack/Wf': timeout must be at most the visibility timeout of queue 'Stack/Orders' (20 seconds): Lambda refuses an SQS "
      + "mapping whose function may run longer, got 30 seconds. Raise the queue's visibilityTimeout (6 times the timeout is what AWS "
      + 'recommends) or lower timeout');
  });

  test('a default timeout too long for the queue says it is the default, and for what', () => {
    const { workflow, queue } = setUp();
    expect(() => workflow.addQueueSource(queue, { batchSize: 2000, maxBatchingWindow: Duration.seconds(5) }))
      .toThrow(/visibility timeout of queue 'Stack\/Orders' \(30 seconds\).* got 1 minute 40 seconds \(the default for batchSize 2000\)/);
  });

  test('with a queue that has SQS\'s default (30 s) and the default timeout (5 s), no warning', () => {
    const { stack, workflow, queue } = setUp();
    workflow.addQueueSource(queue);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('less than 6 times the timeout: an acknowledgeable warning saying what to raise it to', () => {
    const { stack, workflow, queue } = setUp({ visibilityTimeout: Duration.minutes(1) });
    const source = workflow.addQueueSource(queue, { timeout: Duration.seconds(15) });
    Annotations.fromStack(stack).hasWarning(`/${source.node.path}`, Match.stringLikeRegexp(
      "visibility timeout of queue 'Stack/Orders' \\(1 minute\\) is less than 6 times the dispatcher's timeout \\(15 seconds\\).*"
      + "maxReceiveCount.*Raise the queue's visibilityTimeout to 1 minute 30 seconds or more.*" + VISIBILITY_WARNING));

    const acknowledged = setUp({ visibilityTimeout: Duration.minutes(1) });
    acknowledged.workflow.addQueueSource(acknowledged.queue, { timeout: Duration.seconds(15) });
    CdkAnnotations.of(acknowledged.workflow).acknowledgeWarning(VISIBILITY_WARNING, 'throttling is not expected');
    Annotations.fromStack(acknowledged.stack).hasNoWarning('*', Match.anyValue());
  });

  test('an imported queue\'s visibility timeout is unknown: neither checked nor warned about', () => {
    const stack = newStack({ env: ENV });
    const workflow = inlineWorkflow(stack, {}, 'Wf');
    const queue = sqs.Queue.fromQueueArn(stack, 'Orders', 'arn:aws:sqs:us-east-1:123456789012:orders');
    const source = workflow.addQueueSource(queue, { timeout: Duration.minutes(10) });
    expect(resourceOf(Template.fromStack(stack), 'AWS::Lambda::Function', source, 'Dispatcher').Timeout).toBe(600);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('bad options', () => {
  const add = (options: QueueSourceOptions, queueProps: sqs.QueueProps = { visibilityTimeout: Duration.minutes(15) }) => () => {
    const { workflow, queue } = setUp(queueProps);
    workflow.addQueueSource(queue, options);
  };
  const FIFO: sqs.QueueProps = { fifo: true, visibilityTimeout: Duration.minutes(15) };

  test.each<[string, QueueSourceOptions, sqs.QueueProps | undefined, string]>([
    ['batchSize 0', { batchSize: 0 }, undefined, 'batchSize must be a whole number from 1 to 10000, got number 0'],
    ['batchSize 2.5', { batchSize: 2.5 }, undefined, 'batchSize must be a whole number from 1 to 10000, got number 2.5'],
    ['batchSize over 10,000', { batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) }, undefined,
      'batchSize must be a whole number from 1 to 10000, got number 10001'],
    ['batchSize 11 without a window', { batchSize: 11 }, undefined,
      'batchSize must be from 1 to 10 without a maxBatchingWindow of at least 1 second (up to 10000 with one), got 11'],
    ['batchSize 11 with a window of 0', { batchSize: 11, maxBatchingWindow: Duration.seconds(0) }, undefined,
      'batchSize must be from 1 to 10 without a maxBatchingWindow of at least 1 second (up to 10000 with one), got 11'],
    ['batchSize 11 on a FIFO queue', { batchSize: 11 }, FIFO, 'batchSize must be from 1 to 10 for a FIFO queue, got 11'],
    ['a batching window on a FIFO queue', { maxBatchingWindow: Duration.seconds(10) }, FIFO,
      'maxBatchingWindow must not be set for a FIFO queue (Lambda has no batching window for FIFO queues), got 10 seconds'],
    ['a batching window over 5 minutes', { maxBatchingWindow: Duration.minutes(6) }, undefined,
      'maxBatchingWindow must be between 0 seconds and 5 minutes (300 s), got 6 minutes'],
    ['a batching window of 1.5 seconds', { maxBatchingWindow: Duration.millis(1500) }, undefined,
      'maxBatchingWindow must be a whole number of seconds between 0 seconds and 5 minutes (300 s), got 1 second 500 millis'],
    ['maxConcurrency 1', { maxConcurrency: 1 }, undefined, 'maxConcurrency must be a whole number from 2 to 1000, got number 1'],
    ['maxConcurrency 1001', { maxConcurrency: 1001 }, undefined, 'maxConcurrency must be a whole number from 2 to 1000, got number 1001'],
    ['a timeout over 15 minutes', { timeout: Duration.minutes(16) }, undefined,
      'timeout must be between 1 second and 15 minutes (900 s), got 16 minutes'],
    ['a NaN timeout', { timeout: Duration.seconds(NaN) }, undefined, 'timeout must be between 1 second and 15 minutes (900 s), got NaN seconds'],
    ['an Infinity batching window', { maxBatchingWindow: Duration.minutes(Infinity) }, undefined,
      'maxBatchingWindow must be between 0 seconds and 5 minutes (300 s), got Infinity seconds'],
    ['a JSON path without $', { executionName: QueueExecutionName.fromJsonPath('orderId') }, undefined,
      "executionName: JSON path 'orderId' is not supported: use '$' followed by .key (letters, digits, _ and -) or [index] steps"],
    ['a reserved attribute name', { executionName: QueueExecutionName.fromMessageAttribute('AWS.TraceId') }, undefined,
      "executionName: message attribute name 'AWS.TraceId' is not valid"],
    ['a name source given as a string', { executionName: '$.orderId' as unknown as QueueExecutionName }, undefined,
      "executionName must be a QueueExecutionName (fromMessageId, fromJsonPath or fromMessageAttribute), got '$.orderId'"],
    ['a payload given as a string', { payload: 'jsonBody' as unknown as QueuePayload }, undefined,
      "payload must be a QueuePayload (jsonBody, rawBody or record), got 'jsonBody'"],
  ])('%s', (_, options, queueProps, message) => {
    expect(add(options, queueProps)).toThrow(`DurableWorkflow 'Stack/Wf': ${message}`);
  });

  test('something else than a queue', () => {
    const { workflow } = setUp();
    expect(() => workflow.addQueueSource('arn:aws:sqs:us-east-1:123456789012:orders' as unknown as sqs.IQueue))
      .toThrow("DurableWorkflow 'Stack/Wf': queue must be an sqs.IQueue, got 'arn:aws:sqs:us-east-1:123456789012:orders'");
  });

  test('nothing is created by a call that fails', () => {
    const { stack, workflow, queue } = setUp();
    expect(() => workflow.addQueueSource(queue, { batchSize: 11 })).toThrow();
    expect(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping')).toEqual({});
    expect(workflow.node.children.map((c) => c.node.id)).not.toContainEqual(expect.stringMatching(/^QueueSource/));
  });
});
