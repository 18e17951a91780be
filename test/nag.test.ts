import * as path from 'path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DurableWorkflow, DurableWorkflowProps, QueueExecutionName } from '../src';

// aws-cdk-lib 2.257 does not hand the construct tree to validation plugins, so
// `Validations.of(app).addPlugins(...)` cannot run the pack here: validateScope is cdk-nag's
// direct entry point and checks the same rules against the same acknowledgements.
function nag(app: App) {
  return new AwsSolutionsChecks().validateScope(app);
}

function appWith(props: Partial<DurableWorkflowProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const workflow = new DurableWorkflow(stack, 'Flow', {
    code: lambda.Code.fromAsset(path.join(__dirname, 'fixtures', 'python-handler')),
    handler: 'app.handler',
    runtime: lambda.Runtime.PYTHON_3_14,
    ...props,
  } as DurableWorkflowProps);
  return { app, stack, workflow };
}

function fnLogicalId(stack: Stack, workflow: DurableWorkflow): string {
  return stack.resolve((workflow.function.node.defaultChild as CfnElement).logicalId);
}

function acknowledgedIds(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data))
    // Older aws-cdk-lib versions prefix ids with `annotation::`, as cdk-nag itself ignores.
    .map((id) => id.replace(/^annotation::/i, ''));
}

test('a default DurableWorkflow has no unacknowledged AwsSolutions finding', () => {
  const { app } = appWith({ code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: undefined });
  const report = nag(app);
  expect(report.violations).toEqual([]);
  expect(report.success).toBe(true);
});

test('a Python workflow has none either', () => {
  expect(nag(appWith().app).violations).toEqual([]);
});

test('a workflow with a state encryption key has none either: the key permissions name the key', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  new DurableWorkflow(stack, 'Flow', {
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    handler: 'index.handler',
    stateEncryptionKey: new kms.Key(stack, 'StateKey', { enableKeyRotation: true }),
  });
  expect(nag(app).violations).toEqual([]);
});

test('the only acknowledgement is the execution-ARN wildcard of the checkpoint policy', () => {
  const { stack, workflow } = appWith();
  const checkpointPolicy = workflow.node.findChild('CheckpointPolicy');
  expect(acknowledgedIds(checkpointPolicy)).toEqual([`AwsSolutions-IAM5[Resource::<${fnLogicalId(stack, workflow)}.Arn>:*]`]);
  const elsewhere = workflow.node.findAll().filter((c) => c !== checkpointPolicy).flatMap(acknowledgedIds);
  expect(elsewhere).toEqual([]);
  expect(acknowledgedIds(stack)).toEqual([]);
});

test('the acknowledgement is not a blanket one: the same wildcard in a grant to someone else is still reported', () => {
  const { app, stack, workflow } = appWith();
  const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
  workflow.grantStop(operator);
  const report = nag(app);
  expect(report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([
    [`AwsSolutions-IAM5[Resource::<${fnLogicalId(stack, workflow)}.Arn>:*]`, ['Stack/Operator/DefaultPolicy/Resource']],
  ]);
});

test('a queue source has no finding and needs no acknowledgement: every grant names its resource', () => {
  const { app, stack, workflow } = appWith();
  const key = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
  const deadLetters = new sqs.Queue(stack, 'OrdersDlq', { encryptionMasterKey: key, enforceSSL: true });
  const orders = new sqs.Queue(stack, 'Orders', {
    encryptionMasterKey: key,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
  });
  const source = workflow.addQueueSource(orders, { executionName: QueueExecutionName.fromJsonPath('$.orderId') });
  expect(nag(app).violations).toEqual([]);
  expect(source.node.findAll().flatMap(acknowledgedIds)).toEqual([]);
});
