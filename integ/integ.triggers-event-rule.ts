import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import * as events from 'aws-cdk-lib/aws-events';
import { triggersTest } from './triggers-fixture';

// addEventRule: an EventBridge rule on the default bus targets the alias, with the invoke permission on the alias.
const { app, workflow, integ, expectExecutionSucceeded } = triggersTest('EventRule');

workflow.addEventRule('OrderPlaced', {
  eventPattern: { source: ['integ.durable-workflow'], detailType: ['Order Placed'] },
  input: events.RuleTargetInput.fromEventPath('$.detail'),
});

integ.assertions
  .awsApiCall('EventBridge', 'putEvents', {
    Entries: [{ Source: 'integ.durable-workflow', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId: 'o-1' }) }],
  })
  .expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }))
  .next(expectExecutionSucceeded());
app.synth();
