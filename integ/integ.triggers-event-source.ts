import { Annotations, Duration } from 'aws-cdk-lib';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { triggersTest } from './triggers-fixture';

// addEventSource: an SQS event source mapping on the alias. Mappings invoke synchronously, so the
// execution timeout stays within 15 minutes.
const { app, stack, workflow, integ, expectExecutionSucceeded } = triggersTest('EventSource', {
  executionTimeout: Duration.minutes(10),
});

const orders = new sqs.Queue(stack, 'Orders', { enforceSSL: true, visibilityTimeout: Duration.minutes(15) });
workflow.addEventSource(new lambdaEventSources.SqsEventSource(orders, { batchSize: 1 }));
Annotations.of(workflow).acknowledgeWarning('cdk-durable-workflow:eventSourceNoExecutionName',
  'The echo workflow has no side effects: a redelivered message may run it twice.');

integ.assertions
  .awsApiCall('SQS', 'sendMessage', { QueueUrl: orders.queueUrl, MessageBody: JSON.stringify({ orderId: 'o-3' }) })
  .next(expectExecutionSucceeded());
app.synth();
