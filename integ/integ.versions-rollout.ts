import { join } from 'node:path';
import { ExpectedResult, IntegTest, InvocationType } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { DurableWorkflow, VersionRetention } from '../src';
import { VersionPruner } from '../src/version-pruner';

// Pruning and a canary rollout on one workflow. Deployed, the assertions publish versions 2 to 4 out of band,
// start an execution on version 2 (it waits on its approval callback, so it stays RUNNING), let CodeDeploy shift
// the alias from 1 to 4 as a 10 % canary, run the pruner, and expect exactly versions 2 (running) and 4 (alias,
// newest) to be left: 1 (the alias left it) and 3 (nothing needs it) are deleted.
const app = new App();
const stack = new Stack(app, 'DurableWorkflowVersions');
const workflow = new DurableWorkflow(stack, 'Workflow', {
  entry: join(__dirname, 'fixtures', 'approval-workflow.ts'),
  versionRetention: VersionRetention.keepLatest(1),
  deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
});
const group = workflow.deploymentGroup!;
const pruner = VersionPruner.of(workflow);

const integ = new IntegTest(app, 'VersionsRollout', { testCases: [stack] });
const lambdaApi = (api: string, params: Record<string, unknown>, outputPaths?: string[]) =>
  integ.assertions.awsApiCall('Lambda', api, { FunctionName: workflow.functionName, ...params }, outputPaths);

// The deployment group as CodeDeploy reads it.
const deploymentGroup = integ.assertions.awsApiCall('CodeDeploy', 'getDeploymentGroup', {
  applicationName: group.application.applicationName,
  deploymentGroupName: group.deploymentGroupName,
}).expect(ExpectedResult.objectLike({
  deploymentGroupInfo: {
    deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    alarmConfiguration: { enabled: true },
    autoRollbackConfiguration: { enabled: true },
  },
}));

// Versions 2, 3 and 4: each a configuration change, then PublishVersion once the update is done.
let last = deploymentGroup;
for (const version of ['2', '3', '4']) {
  const update = lambdaApi('updateFunctionConfiguration', { Description: `integ round ${version}` });
  const updated = lambdaApi('getFunctionConfiguration', {})
    .expect(ExpectedResult.objectLike({ LastUpdateStatus: 'Successful', Description: `integ round ${version}` }))
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(5) });
  const published = lambdaApi('publishVersion', {}).expect(ExpectedResult.objectLike({ Version: version }));
  last = last.next(update).next(updated).next(published);
}

// An execution pinned to version 2, waiting on its approval callback.
const start = lambdaApi('invoke', { Qualifier: '2', InvocationType: 'Event', Payload: JSON.stringify({ orderId: 'integ-versions' }) });
start.provider.addToRolePolicy({ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [`${workflow.functionArn}:2`] });
const running = lambdaApi('listDurableExecutionsByFunction', { Qualifier: '2', Statuses: ['RUNNING'] })
  .assertAtPath('DurableExecutions.0.Status', ExpectedResult.exact('RUNNING'))
  .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) });
// Only the ARN comes back: a custom resource response must stay under 4 KB.
const executionArnPath = 'DurableExecutions.0.DurableExecutionArn';
const execution = lambdaApi('listDurableExecutionsByFunction', { Qualifier: '2', Statuses: ['RUNNING'] }, [executionArnPath]);

// CodeDeploy shifts the alias from 1 to 4 with the workflow's canary config.
// AppSpec's version is the number 0.0, written as AWS's examples write it.
const target = { Type: 'AWS::Lambda::Function', Properties: { Name: workflow.functionName, Alias: workflow.qualifier, CurrentVersion: '1', TargetVersion: '4' } };
const appSpec = `{"version":0.0,"Resources":[{"${workflow.qualifier}":${stack.toJsonString(target)}}]}`;
const deploy = integ.assertions.awsApiCall('CodeDeploy', 'createDeployment', {
  applicationName: group.application.applicationName,
  deploymentGroupName: group.deploymentGroupName,
  revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } },
}, ['deploymentId']);
deploy.provider.addToRolePolicy({
  Effect: 'Allow',
  Action: ['codedeploy:GetDeploymentConfig', 'codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
  Resource: ['*'],
});
const shifted = integ.assertions.awsApiCall('CodeDeploy', 'getDeployment', { deploymentId: deploy.getAttString('deploymentId') })
  .assertAtPath('deploymentInfo.status', ExpectedResult.exact('Succeeded'))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
const aliasMoved = lambdaApi('getAlias', { Name: workflow.qualifier }).expect(ExpectedResult.objectLike({ FunctionVersion: '4' }));

// The pruner, as the schedule runs it; then exactly 2 and 4 are left.
const prune = integ.assertions.invokeFunction({ functionName: pruner.function.functionName, invocationType: InvocationType.REQUEST_RESPONSE, payload: '{}' });
const versions = lambdaApi('listVersionsByFunction', {}).expect(ExpectedResult.objectLike({
  Versions: [{ Version: '$LATEST' }, { Version: '2' }, { Version: '4' }],
}));

// Stop the execution, so that destroying the stack does not wait for it.
const stop = integ.assertions.awsApiCall('Lambda', 'stopDurableExecution', {
  DurableExecutionArn: execution.getAttString(executionArnPath),
});

last.next(start).next(running).next(execution).next(deploy).next(shifted).next(aliasMoved).next(prune).next(versions).next(stop);
app.synth();
