import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueExecutionName } from '../src';
import { triggersTest } from './triggers-fixture';

// addQueueSource: the dispatcher starts one execution per order, named after its orderId, so the same order sent
// twice (two messages) starts one execution. batchSize 1 puts the copies in separate batches, possibly at once: the
// second start is the service's idempotent path (same name, same payload), not the dispatcher's in-batch dedupe.
const { app, stack, workflow, integ } = triggersTest('QueueSource');

const deadLetters = new sqs.Queue(stack, 'OrdersDlq', { enforceSSL: true });
const orders = new sqs.Queue(stack, 'Orders', { enforceSSL: true, deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 } });
workflow.addQueueSource(orders, { executionName: QueueExecutionName.fromJsonPath('$.orderId'), batchSize: 1 });

const orderId = 'o-queue-1';
const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) };
const copy = (n: string) => integ.assertions.awsApiCall('SQS', 'sendMessage', {
  QueueUrl: orders.queueUrl,
  MessageBody: JSON.stringify({ orderId }),
  // Only to tell the two sends apart (integ-tests keys each call on its parameters): the payload is the body.
  MessageAttributes: { copy: { DataType: 'String', StringValue: n } },
});

// Exactly one execution with the order's name, SUCCEEDED (the array must have that one element).
const oneSucceeded = ExpectedResult.objectLike({
  DurableExecutions: [Match.objectLike({ DurableExecutionName: orderId, Status: 'SUCCEEDED' })],
});
const succeeded = integ.assertions
  .awsApiCall('Lambda', 'listDurableExecutionsByFunction', { FunctionName: workflow.functionName, DurableExecutionName: orderId, Statuses: ['SUCCEEDED'] })
  .expect(oneSucceeded)
  .waitForAssertions(wait);
// Both copies consumed (deleted, not in flight), and none sent to the dead-letter queue.
const drained = (queue: sqs.IQueue) => integ.assertions
  .awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: queue.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })
  .expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } }))
  .waitForAssertions(wait);
// Once both are consumed, still exactly one execution of that name, whatever its status.
const stillOne = integ.assertions
  .awsApiCall('Lambda', 'listDurableExecutionsByFunction', { FunctionName: workflow.functionName, DurableExecutionName: orderId })
  .expect(oneSucceeded);

copy('1').next(copy('2')).next(succeeded).next(drained(orders)).next(drained(deadLetters)).next(stillOne);
app.synth();
