import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DurableWorkflow, DurableWorkflowProps, ExecutionStatus } from '../src';

/**
 * A stack with one DurableWorkflow whose finished executions are routed to a queue (through
 * `onExecutionStatusChange`), so a test can check on deploy that its trigger started one.
 */
export function triggersTest(name: string, props: Partial<DurableWorkflowProps> = {}) {
  const app = new App();
  const stack = new Stack(app, `DurableWorkflowTriggers${name}`);
  const workflow = new DurableWorkflow(stack, 'Workflow', {
    entry: path.join(__dirname, 'triggers-workflow.handler.ts'),
    runtime: lambda.Runtime.NODEJS_24_X,
    ...props,
  });
  const finished = new sqs.Queue(stack, 'Finished', { enforceSSL: true });
  workflow.onExecutionStatusChange('Finished', {
    statuses: [ExecutionStatus.SUCCEEDED],
    target: new eventsTargets.SqsQueue(finished),
  });
  const integ = new IntegTest(app, `Triggers${name}`, { testCases: [stack], diffAssets: false });

  /** Deploy-time check: an execution of this workflow succeeded. */
  const expectExecutionSucceeded = () => integ.assertions
    .awsApiCall('SQS', 'receiveMessage', { QueueUrl: finished.queueUrl, WaitTimeSeconds: 20 })
    .expect(ExpectedResult.objectLike({
      Messages: Match.arrayWith([Match.objectLike({ Body: Match.stringLikeRegexp('"status":"SUCCEEDED"') })]),
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

  return { app, stack, workflow, integ, expectExecutionSucceeded };
}
