import * as path from 'path';
import { App, CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DurableWorkflow, DurableWorkflowProps, QueueExecutionName } from '../src';

// aws-cdk-lib 2.257 does not hand the construct tree to validation plugins, so
// `Validations.of(app).addPlugins(...)` cannot run a pack here: validateScope is cdk-nag's
// direct entry point and checks the same rules against the same acknowledgements.
function nag(app: App, pack: NagPack = new AwsSolutionsChecks()) {
  return pack.validateScope(app);
}

const PACKS = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];

/** Every finding of the four packs, as `rule: [construct paths]`. */
function findings(app: App): Record<string, string[]> {
  return Object.fromEntries(PACKS().flatMap((pack) => nag(app, pack).violations)
    .map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]));
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

describe('AwsSolutions', () => {
  test('a default DurableWorkflow has no unacknowledged finding', () => {
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

  test('the only AwsSolutions acknowledgement of a default workflow is the execution-ARN wildcard of the checkpoint policy', () => {
    const { stack, workflow } = appWith();
    const checkpointPolicy = workflow.node.findChild('CheckpointPolicy');
    const awsSolutions = (c: IConstruct) => acknowledgedIds(c).filter((id) => id.startsWith('AwsSolutions-'));
    expect(awsSolutions(checkpointPolicy)).toEqual([`AwsSolutions-IAM5[Resource::<${fnLogicalId(stack, workflow)}.Arn>:*]`]);
    const elsewhere = workflow.node.findAll().filter((c) => c !== checkpointPolicy).flatMap(awsSolutions);
    // The dead-letter queue: cdk-nag does not see that the function's DeadLetterConfig names it.
    expect(elsewhere).toEqual(['AwsSolutions-SQS3']);
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

  test('a queue source has no finding and needs no AwsSolutions acknowledgement: every grant names its resource', () => {
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
    expect(source.node.findAll().flatMap(acknowledgedIds).filter((id) => id.startsWith('AwsSolutions-'))).toEqual([]);
  });
});

describe('AwsSolutions, Serverless, HIPAA.Security and NIST.800.53.R5', () => {
  test('a default workflow (with the stack\'s version pruner): only the choices its props make are left, on its function and log group', () => {
    const { app } = appWith();
    const fn = ['Stack/Flow/Function/Resource'];
    expect(findings(app)).toEqual({
      'Serverless-LambdaDefaultMemorySize': fn, // memorySize
      'Serverless-LambdaTracing': fn, // tracing
      'HIPAA.Security-CloudWatchLogGroupEncrypted': ['Stack/Flow/LogGroup/Resource'], // logGroupEncryptionKey
      'HIPAA.Security-LambdaConcurrency': fn, // reservedConcurrentExecutions
      'HIPAA.Security-LambdaInsideVPC': fn, // vpc
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted': ['Stack/Flow/LogGroup/Resource'],
      'NIST.800.53.R5-LambdaConcurrency': fn,
      'NIST.800.53.R5-LambdaInsideVPC': fn,
    });
  });

  test('fully configured (VPC, tracing, keys, every grant and trigger, a queue source, the pruner, a rollout): nothing left on the workflow', () => {
    const { app, stack, workflow } = appWith({});
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 1 });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const deadLetters = new sqs.Queue(stack, 'DeadLetters', { encryptionMasterKey: key, enforceSSL: true });
    const queue = (id: string) => new sqs.Queue(stack, id, {
      encryptionMasterKey: key, enforceSSL: true, deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });
    const wf = new DurableWorkflow(stack, 'Full', {
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      handler: 'index.handler',
      vpc,
      tracing: lambda.Tracing.ACTIVE,
      stateEncryptionKey: key,
      logGroupEncryptionKey: key,
      memorySize: 512,
      reservedConcurrentExecutions: 10,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grantStart(operator);
    wf.grantRead(operator);
    wf.grantStop(operator);
    wf.grantSendCallback(operator);
    wf.grant(operator, 'lambda:GetDurableExecutionState');
    wf.grantStart(workflow);
    wf.addQueueSource(queue('Orders'));
    wf.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Stream', { encryptionKey: key }), {
      startingPosition: lambda.StartingPosition.LATEST,
      // SQS-managed encryption: aws-cdk-lib's grant to send to a queue with a KMS key allows kms:GenerateDataKey* and
      // kms:ReEncrypt* (AwsSolutions-IAM5 on the workflow's role), a choice of yours.
      onFailure: new sources.SqsDlq(new sqs.Queue(stack, 'StreamFailures', { enforceSSL: true })),
    }));
    wf.addSchedule('Daily', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), deadLetterQueue: deadLetters });
    wf.addEventRule('OnOrder', { eventPattern: { source: ['shop'] }, deadLetterQueue: deadLetters });
    wf.onExecutionFailed('Failed', { target: new targets.SqsQueue(deadLetters, { deadLetterQueue: deadLetters }) });

    const all = findings(app);
    const ours = (p: string) => p.startsWith('Stack/Full/') || p.startsWith('Stack/DurableWorkflowVersionPruner/');
    expect(Object.entries(all).filter(([, paths]) => paths.some(ours))).toEqual([]);
    // What is left is on what the test itself made: its VPC, stream and queues, its operator role (the :* of the grants is
    // on the grantee, for you to judge); and on the default workflow `Flow` beside it.
    const left = [...new Set(Object.values(all).flat().map((p) => p.split('/').slice(0, 2).join('/')))].sort();
    expect(left).toEqual(['Stack/DeadLetters', 'Stack/Flow', 'Stack/Operator', 'Stack/Stream', 'Stack/StreamFailures', 'Stack/Vpc']);
  });

  test('each acknowledgement inside a workflow has a reason; IAM findings name what they apply to', () => {
    const stack = new Stack(new App(), 'Stack');
    const wf = new DurableWorkflow(stack, 'Flow', {
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      handler: 'index.handler',
      vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }),
      tracing: lambda.Tracing.ACTIVE,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
    });
    wf.addQueueSource(new sqs.Queue(stack, 'Orders'));
    wf.addSchedule('Daily', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) });
    const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>)));
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledged) {
      expect(reason.length).toBeGreaterThan(60);
      if (/-IAM[45]$|-IAM[45]\[/.test(id)) expect(id).toMatch(/^AwsSolutions-IAM[45]\[(Resource|Policy)::.+\]$/);
    }
  });
});
