// The synth benchmark's floor: the same N workflows wired by hand with plain aws-cdk-lib. It never loads the
// construct library, so the comparison also charges DurableWorkflow for the modules it pulls in.
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HandWiredPruner } from './baseline-pruner';
import { forEachWorkflow } from './stacks';

export function addWorkflows(app: App, count: number, codeDir: string): void {
  forEachWorkflow(app, count, codeDir, (scope, id, code) => addHandWiredWorkflow(new Construct(scope, id), code));
}

/**
 * What DurableWorkflow's defaults produce, written out by hand: a role without managed policies, a one-month log
 * group, a two-week dead-letter queue (SSL only), a JSON-logging durable function (5 minute timeout, 14 day
 * executions kept 30 days), a retained version, an alias, log-stream permissions on its own log group, the checkpoint
 * permissions in a policy of their own, and the stack's version pruner keeping the newest 3 versions.
 */
function addHandWiredWorkflow(scope: Construct, code: lambda.Code): void {
  const role = new iam.Role(scope, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(scope, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
  });
  const fn = new lambda.Function(scope, 'Function', {
    code,
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    role,
    timeout: Duration.minutes(5),
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    durableConfig: { executionTimeout: Duration.days(14), retentionPeriod: Duration.days(30) },
    currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    deadLetterQueue,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  // In the role's default policy this would be a dependency cycle (the function depends on that policy).
  const checkpoint = new iam.Policy(scope, 'CheckpointPolicy', {
    statements: [new iam.PolicyStatement({
      actions: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
      resources: [`${fn.functionArn}:*`],
    })],
    roles: [role],
  });
  const alias = new lambda.Alias(scope, 'Alias', { aliasName: 'live', version: fn.currentVersion });
  alias.node.addDependency(checkpoint);
  HandWiredPruner.of(Stack.of(scope)).add(fn, alias, 3);
}
