import { AwsApiCall, ExpectedResult, IntegTest, InvocationType, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import type { IDurableWorkflow } from '../src';

/** Options of `assertApprovedExecution`. */
export interface ApprovedExecutionOptions {
  /** The execution's input; its `orderId` comes back in the result. */
  readonly orderId: string;
  /**
   * ARN of the KMS key that encrypts the workflow's state: callers then need it, through Lambda,
   * to read results and send callback payloads.
   */
  readonly stateKeyArn?: string;
}

/**
 * Deploy-time checks (they run only when the test is deployed, never in snapshot mode): start an
 * execution through the alias, asynchronously; wait until its approval callback is open; answer
 * it; wait until GetDurableExecution says SUCCEEDED with the approved result.
 *
 * The workflow's first operation must be `createCallback('approval')`: history event 1.
 */
export function assertApprovedExecution(integ: IntegTest, workflow: IDurableWorkflow, options: ApprovedExecutionOptions): void {
  const start = integ.assertions.invokeFunction({
    functionName: workflow.qualifiedArn,
    invocationType: InvocationType.EVENT,
    payload: JSON.stringify({ orderId: options.orderId }),
  });
  const executionArn = start.getAttString('DurableExecutionArn');
  const history = { DurableExecutionArn: executionArn, MaxItems: 2 };

  const callbackOpen = integ.assertions.awsApiCall('Lambda', 'getDurableExecutionHistory', history)
    .assertAtPath('Events.1.EventType', ExpectedResult.exact('CallbackStarted'))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });

  // Only the callback id comes back: a custom resource response must stay under 4 KB.
  const callbackIdPath = 'Events.1.CallbackStartedDetails.CallbackId';
  const callback = integ.assertions.awsApiCall('Lambda', 'getDurableExecutionHistory', history, [callbackIdPath]);
  const answer = integ.assertions.awsApiCall('Lambda', 'sendDurableExecutionCallbackSuccess', {
    CallbackId: callback.getAttString(callbackIdPath),
    Result: JSON.stringify({ approved: true }),
  });

  const succeeded = integ.assertions.awsApiCall('Lambda', 'getDurableExecution', { DurableExecutionArn: executionArn, IncludeExecutionData: true })
    .expect(ExpectedResult.objectLike({
      Status: 'SUCCEEDED',
      // JSON from Node.js or Python (which puts a space after ':' and ',').
      Result: Match.stringLikeRegexp(`"orderId":\\s*"${options.orderId}",\\s*"approved":\\s*true`),
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });

  start.next(callbackOpen).next(callback).next(answer).next(succeeded);

  if (options.stateKeyArn) {
    const useKeyThroughLambda = {
      Effect: 'Allow',
      // The same scope as the workflow's own grants: decrypt this function's state, through Lambda only.
      Action: ['kms:Decrypt'],
      Resource: [options.stateKeyArn],
      Condition: {
        StringEquals: {
          'kms:ViaService': `lambda.${workflow.stack.region}.${workflow.stack.urlSuffix}`,
          'kms:EncryptionContext:aws:lambda:FunctionArn': workflow.functionArn,
        },
      },
    };
    for (const call of [callbackOpen, callback, answer, succeeded] as AwsApiCall[]) {
      call.provider.addToRolePolicy(useKeyThroughLambda);
      call.waiterProvider?.addToRolePolicy(useKeyThroughLambda);
    }
  }
}
