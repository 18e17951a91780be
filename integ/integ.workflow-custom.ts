import { join } from 'node:path';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DurableWorkflow } from '../src';
import { assertApprovedExecution } from './execution-assertions';

// A workflow with everything brought in: the caller's role, a VPC, a KMS key for its durable state,
// and a Python runtime with prebuilt code.
const app = new App();
const stack = new Stack(app, 'DurableWorkflowCustom');

// Private subnets with a NAT gateway: the function reaches the Lambda API to checkpoint.
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const stateKey = new kms.Key(stack, 'StateKey', {
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
// A role of the caller's: DurableWorkflow adds the checkpoint, log and key permissions, and
// lambda.Function needs the VPC policy on a given role.
const role = new iam.Role(stack, 'WorkflowRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')],
});

const workflow = new DurableWorkflow(stack, 'Workflow', {
  runtime: lambda.Runtime.PYTHON_3_13,
  code: lambda.Code.fromAsset(join(__dirname, 'fixtures', 'python-approval')),
  handler: 'approval.handler',
  role,
  vpc,
  stateEncryptionKey: stateKey,
  executionTimeout: Duration.hours(2),
  retentionPeriod: Duration.days(1),
  timeout: Duration.minutes(1),
  aliasName: 'prod',
});

const integ = new IntegTest(app, 'WorkflowCustom', { testCases: [stack] });
assertApprovedExecution(integ, workflow, { orderId: 'integ-custom', stateKeyArn: stateKey.keyArn });
app.synth();
