// The environment variables the construct sets and the dispatcher reads: one contract, checked on both sides.
import { executionNameSourceProblem, queueDispatcherEnvironment, readQueueDispatcherConfig } from '../src/queue-dispatcher-config';
import type { QueueDispatcherConfig } from '../src/queue-dispatcher-config';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders:live';

test.each<QueueDispatcherConfig>([
  { workflowArn: ARN, executionName: { kind: 'messageId' }, payload: 'jsonBody' },
  { workflowArn: ARN, executionName: { kind: 'jsonPath', path: '$.order.id' }, payload: 'rawBody' },
  { workflowArn: `${ARN.replace(':live', ':7')}`, executionName: { kind: 'messageAttribute', name: 'order.id' }, payload: 'record' },
])('what the construct sets is what the dispatcher reads: %j', (config) => {
  expect(readQueueDispatcherConfig(queueDispatcherEnvironment(config))).toEqual(config);
});

test('the variables, readable in the console', () => {
  expect(queueDispatcherEnvironment({ workflowArn: ARN, executionName: { kind: 'jsonPath', path: '$.orderId' }, payload: 'jsonBody' })).toEqual({
    WORKFLOW_ARN: ARN,
    EXECUTION_NAME_FROM: 'jsonPath:$.orderId',
    PAYLOAD_FROM: 'jsonBody',
  });
});

test('the message id and the JSON body by default', () => {
  expect(readQueueDispatcherConfig({ WORKFLOW_ARN: ARN })).toEqual({ workflowArn: ARN, executionName: { kind: 'messageId' }, payload: 'jsonBody' });
});

test('one error names every variable that is wrong', () => {
  const read = () => readQueueDispatcherConfig({
    WORKFLOW_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    EXECUTION_NAME_FROM: 'jsonPath:orderId',
    PAYLOAD_FROM: 'body',
  });

  expect(read).toThrow('Queue dispatcher misconfigured: WORKFLOW_ARN must be a qualified function ARN (…:function:NAME:ALIAS), got '
    + "'arn:aws:lambda:us-east-1:123456789012:function:orders'; EXECUTION_NAME_FROM: JSON path 'orderId' is not supported: use '$' "
    + "followed by .key (letters, digits, _ and -) or [index] steps, e.g. '$.orderId' or '$.items[0].sku'; PAYLOAD_FROM must be one "
    + "of jsonBody, rawBody, record, got 'body'");
  expect(() => readQueueDispatcherConfig({})).toThrow(/WORKFLOW_ARN must be a qualified function ARN .* got ''/);
  expect(() => readQueueDispatcherConfig({ WORKFLOW_ARN: ARN, EXECUTION_NAME_FROM: 'header:x' }))
    .toThrow(/EXECUTION_NAME_FROM must be messageId, jsonPath:PATH .* or messageAttribute:NAME, got 'header:x'/);
});

test.each(['orderId', 'order.id', 'x-1_2', 'a'.repeat(256), 'AWSX'])('message attribute name %s is accepted', (name) => {
  expect(executionNameSourceProblem({ kind: 'messageAttribute', name })).toBeUndefined();
});

test.each(['', '.orderId', 'orderId.', 'order..id', 'AWS.traceId', 'amazon.id', 'order id', 'a'.repeat(257)])(
  "message attribute name '%s' is refused", (name) => {
    expect(executionNameSourceProblem({ kind: 'messageAttribute', name })).toMatch(`message attribute name '${name}' is not valid`);
  });
