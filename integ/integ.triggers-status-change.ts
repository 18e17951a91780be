import { InvocationType } from '@aws-cdk/integ-tests-alpha';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { triggersTest } from './triggers-fixture';

// onExecutionStatusChange (the fixture routes SUCCEEDED to a queue) and onExecutionFailed (to a topic).
const { app, stack, workflow, integ, expectExecutionSucceeded } = triggersTest('StatusChange');

workflow.onExecutionFailed('Failed', { target: new eventsTargets.SnsTopic(new sns.Topic(stack, 'Failures')) });

// Start an execution the way callers do: asynchronously, on the qualified ARN.
integ.assertions
  .invokeFunction({
    functionName: workflow.qualifiedArn,
    invocationType: InvocationType.EVENT,
    payload: JSON.stringify({ orderId: 'o-2' }),
  })
  .next(expectExecutionSucceeded());
app.synth();
