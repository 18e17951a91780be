import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DurableWorkflow, DurableWorkflowProps } from '../src';

const REPO_ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const INLINE = lambda.Code.fromInline('exports.handler = async () => ({})');

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/** A workflow with prebuilt inline code (no bundling) plus the given props. */
function workflow(stack: Stack, props: Partial<DurableWorkflowProps> = {}, id = 'Flow'): DurableWorkflow {
  return new DurableWorkflow(stack, id, { code: INLINE, handler: 'index.handler', ...props } as DurableWorkflowProps);
}

/** The logical id in the template (overrides included: versions carry a hash of the function). */
function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId);
}

/** `${fn.Arn}:*` as CloudFormation renders it. */
function executionArns(fnLogicalId: string) {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fnLogicalId, 'Arn'] }, ':*']] };
}

/** Every Resource of every statement of every identity policy in the template. */
function identityPolicyResources(template: Template): unknown[] {
  const docs: any[] = [];
  for (const policy of Object.values<any>(template.findResources('AWS::IAM::Policy'))) docs.push(policy.Properties.PolicyDocument);
  for (const policy of Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))) docs.push(policy.Properties.PolicyDocument);
  for (const role of Object.values<any>(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) docs.push(inline.PolicyDocument);
  }
  return docs.flatMap((doc) => doc.Statement).flatMap((statement: any) => [statement.Resource].flat());
}

describe('durable config', () => {
  test('defaults: 14-day execution timeout, 30-day retention, nodejs24.x, 5-minute invocation timeout', () => {
    const stack = newStack();
    const wf = workflow(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 1209600, RetentionPeriodInDays: 30, KMSKeyArn: Match.absent() },
      Runtime: 'nodejs24.x',
      Timeout: 300,
    });
    expect(wf.executionTimeout.toSeconds()).toBe(1209600);
    expect(wf.retentionPeriod.toDays()).toBe(30);
  });

  test('custom execution timeout, retention and invocation timeout', () => {
    const stack = newStack();
    workflow(stack, { executionTimeout: Duration.hours(2), retentionPeriod: Duration.days(7), timeout: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 7200, RetentionPeriodInDays: 7 },
      Timeout: 60,
    });
  });

  test('an execution timeout under 5 minutes is also the default invocation timeout', () => {
    const stack = newStack();
    workflow(stack, { executionTimeout: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 60 }, Timeout: 60 });
  });

  test('the range limits themselves are accepted', () => {
    const stack = newStack();
    workflow(stack, { executionTimeout: Duration.days(366), retentionPeriod: Duration.days(90), timeout: Duration.minutes(15) }, 'Max');
    workflow(stack, { executionTimeout: Duration.seconds(1), retentionPeriod: Duration.hours(24), timeout: Duration.seconds(1) }, 'Min');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 31622400, RetentionPeriodInDays: 90 }, Timeout: 900 });
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 1, RetentionPeriodInDays: 1 }, Timeout: 1 });
  });

  test('tokens are passed through unchecked', () => {
    const stack = newStack();
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' });
    const alias = new CfnParameter(stack, 'AliasName');
    const wf = workflow(stack, {
      executionTimeout: Duration.seconds(seconds.valueAsNumber),
      retentionPeriod: Duration.days(days.valueAsNumber),
      timeout: Duration.seconds(Token.asNumber(seconds.value)),
      aliasName: alias.valueAsString,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: { Ref: 'Seconds' }, RetentionPeriodInDays: { Ref: 'Days' } },
      Timeout: { Ref: 'Seconds' },
    });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: { Ref: 'AliasName' } });
    expect(stack.resolve(wf.qualifier)).toEqual({ Ref: 'AliasName' });
  });

  test('Lambda options pass through to the function', () => {
    const stack = newStack();
    workflow(stack, {
      memorySize: 1024,
      environment: { TABLE: 'orders' },
      description: 'order saga',
      architecture: lambda.Architecture.ARM_64,
      functionName: 'order-saga',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Environment: { Variables: { TABLE: 'orders' } },
      Description: 'order saga',
      Architectures: ['arm64'],
      FunctionName: 'order-saga',
    });
  });
});

describe('code', () => {
  test('prebuilt Python code with an explicit handler', () => {
    const stack = newStack();
    workflow(stack, {
      code: lambda.Code.fromAsset(path.join(FIXTURES, 'python-handler')),
      handler: 'app.handler',
      runtime: lambda.Runtime.PYTHON_3_13,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.13',
      Handler: 'app.handler',
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
  });

  test.each([
    lambda.Runtime.NODEJS_22_X, lambda.Runtime.PYTHON_3_14, lambda.Runtime.JAVA_17, lambda.Runtime.JAVA_21,
    lambda.Runtime.JAVA_25, lambda.Runtime.DOTNET_8, lambda.Runtime.DOTNET_10,
  ])('runtime %s is accepted with code', (runtime) => {
    const stack = newStack();
    workflow(stack, { code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'artifacts'), 'flow.zip'), runtime });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Runtime: runtime.name });
  });

  test('a container image needs no handler', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'flows');
    workflow(stack, { code: lambda.Code.fromEcrImage(repository), runtime: lambda.Runtime.FROM_IMAGE, handler: undefined });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Handler: Match.absent(),
      Runtime: Match.absent(),
      DurableConfig: { ExecutionTimeout: 1209600 },
    });
  });

  test('container image code defaults the runtime to FROM_IMAGE', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'flows');
    workflow(stack, { code: lambda.Code.fromEcrImage(repository), handler: undefined });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', Runtime: Match.absent() });
  });

  test('entry is bundled with esbuild into an asset; handler names the export', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new DurableWorkflow(stack, 'Flow', {
      entry: path.join(FIXTURES, 'handler.ts'),
      handler: 'main',
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.main',
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      DurableConfig: { ExecutionTimeout: 1209600, RetentionPeriodInDays: 30 },
    });

    // The asset is the bundled handler: the durable SDK inlined, the AWS SDK left to the runtime.
    const assembly = app.synth();
    const assetHash = template.findResources('AWS::Lambda::Function')[logicalIdOfFunction(template)]
      .Properties.Code.S3Key.replace('.zip', '');
    const bundle = fs.readFileSync(path.join(assembly.directory, `asset.${assetHash}`, 'index.js'), 'utf8');
    expect(bundle).toContain('withDurableExecution');
    expect(bundle).toContain('cool-off');
    expect(bundle).not.toMatch(/require\(["']@aws\/durable-execution-sdk-js["']\)/);
  });
});

function logicalIdOfFunction(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function'));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('logs', () => {
  test('a log group with one-month retention, JSON format', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, wf.logGroup as logs.LogGroup) } },
    });
    // No LogRetention custom resource (and its Lambda function with a managed policy).
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('logRetention and logRemovalPolicy shape the created log group', () => {
    const stack = newStack();
    workflow(stack, { logRetention: logs.RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 7 },
      DeletionPolicy: 'Delete',
    });
  });

  test('a given log group is used and written to', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_YEAR });
    const wf = workflow(stack, { logGroup, loggingFormat: lambda.LoggingFormat.JSON });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, logGroup) } } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, wf.role as iam.Role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalId(stack, logGroup), 'Arn'] },
        }]),
      },
    });
  });
});

describe('version and alias', () => {
  test('the published version is retained on update and delete; the alias points at it', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const template = Template.fromStack(stack);
    const versionId = logicalId(stack, wf.version);
    template.hasResource('AWS::Lambda::Version', {
      Properties: { FunctionName: { Ref: logicalId(stack, wf.function) } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: logicalId(stack, wf.function) },
      FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
    });
  });

  test('a custom alias name', () => {
    const stack = newStack();
    const wf = workflow(stack, { aliasName: 'prod_v-2' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod_v-2' });
    expect(wf.qualifier).toBe('prod_v-2');
  });

  test('a code change publishes a new version (the logical id follows the code)', () => {
    const versionIdFor = (source: string) => {
      const stack = newStack();
      return logicalId(stack, workflow(stack, { code: lambda.Code.fromInline(source) }).version);
    };
    expect(versionIdFor('exports.handler = async () => 1')).not.toBe(versionIdFor('exports.handler = async () => 2'));
  });

  test('other currentVersionOptions are kept', () => {
    const stack = newStack();
    workflow(stack, { currentVersionOptions: { description: 'release 7', removalPolicy: RemovalPolicy.RETAIN } });
    Template.fromStack(stack).hasResource('AWS::Lambda::Version', { Properties: { Description: 'release 7' }, DeletionPolicy: 'Retain' });
  });

  test('attributes', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const fnId = logicalId(stack, wf.function);
    expect(stack.resolve(wf.functionName)).toEqual({ Ref: fnId });
    expect(stack.resolve(wf.functionArn)).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(wf.qualifier).toBe('live');
    expect(stack.resolve(wf.qualifiedArn)).toEqual({ Ref: logicalId(stack, wf.alias) });
    expect(wf.grantPrincipal).toBe(wf.role);
    expect(wf.function.role).toBe(wf.role);
  });
});

describe('imports', () => {
  test('DurableWorkflow.fromQualifiedArn and fromWorkflowAttributes give workflows that can be granted on', () => {
    const stack = newStack();
    const fnArn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
    const byArn = DurableWorkflow.fromQualifiedArn(stack, 'ByArn', `${fnArn}:live`);
    const byAttrs = DurableWorkflow.fromWorkflowAttributes(stack, 'ByAttrs', { functionArn: fnArn, qualifier: 'prod' });
    expect([byArn.functionName, byArn.qualifier, byArn.qualifiedArn]).toEqual(['orders', 'live', `${fnArn}:live`]);
    expect([byAttrs.functionArn, byAttrs.qualifiedArn]).toEqual([fnArn, `${fnArn}:prod`]);
    const caller = workflow(stack);
    byArn.grantStart(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: `${fnArn}:live` }]) },
    });
  });
});

describe('execution role', () => {
  test('default role: lambda trust, no managed policies, log writes on its own group, checkpoints in a policy of its own', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const template = Template.fromStack(stack);
    const fnId = logicalId(stack, wf.function);
    const roleId = logicalId(stack, wf.role as iam.Role);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(2);
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual(expect.arrayContaining([
      [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, wf.logGroup as logs.LogGroup), 'Arn'] } }],
      [{ Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Effect: 'Allow', Resource: executionArns(fnId) }],
    ]));
    for (const policy of policies) expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
  });

  test('the checkpoint policy is not a dependency of the function (no cycle), but of the alias', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const template = Template.fromStack(stack);
    const checkpointPolicyId = Object.entries<any>(template.findResources('AWS::IAM::Policy'))
      .find(([, p]) => JSON.stringify(p).includes('CheckpointDurableExecution'))![0];
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)];
    expect(fn.DependsOn).not.toContain(checkpointPolicyId);
    template.hasResource('AWS::Lambda::Alias', { DependsOn: Match.arrayWith([checkpointPolicyId]) });
  });

  test('a given role gets the checkpoint policy and log writes; no role is created', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const wf = workflow(stack, { role });
    const template = Template.fromStack(stack);
    expect(wf.role).toBe(role);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, role) }],
      PolicyDocument: {
        Statement: [{
          Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
          Effect: 'Allow',
          Resource: executionArns(logicalId(stack, wf.function)),
        }],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [logicalId(stack, role), 'Arn'] } });
  });

  test('an imported role gets the checkpoint policy too', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/flow-role');
    const wf = workflow(stack, { role });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['flow-role'],
      PolicyDocument: { Statement: [{ Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Resource: executionArns(logicalId(stack, wf.function)) }] },
    });
  });

  test('VPC: the created role gets the ENI policy lambda.Function would attach', () => {
    const stack = newStack();
    workflow(stack, { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 1 }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }],
    });
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() } });
  });

  test('tracing: lambda.Function adds the X-Ray permissions to the created role', () => {
    const stack = newStack();
    const wf = workflow(stack, { tracing: lambda.Tracing.ACTIVE });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, wf.role as iam.Role) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] })]) },
    });
  });
});

describe('grants', () => {
  function grantSetup() {
    const stack = newStack();
    const wf = workflow(stack);
    const user = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    return { stack, wf, user, fnId: logicalId(stack, wf.function), aliasId: logicalId(stack, wf.alias) };
  }

  function statementsOf(stack: Stack, role: iam.Role): unknown[] {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(stack, role) }] } });
    return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
  }

  test('grantStart: InvokeFunction on the alias ARN only', () => {
    const { stack, wf, user, aliasId } = grantSetup();
    wf.grantStart(user);
    expect(statementsOf(stack, user)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: aliasId } }]);
  });

  test('grantRead: get, history and list on the function ARN and the execution ARNs', () => {
    const { stack, wf, user, fnId } = grantSetup();
    wf.grantRead(user);
    expect(statementsOf(stack, user)).toEqual([{
      Action: ['lambda:GetDurableExecution', 'lambda:GetDurableExecutionHistory', 'lambda:ListDurableExecutionsByFunction'],
      Effect: 'Allow',
      Resource: [{ 'Fn::GetAtt': [fnId, 'Arn'] }, executionArns(fnId)],
    }]);
  });

  test('grantStop: StopDurableExecution on the execution ARNs', () => {
    const { stack, wf, user, fnId } = grantSetup();
    wf.grantStop(user);
    expect(statementsOf(stack, user)).toEqual([{ Action: 'lambda:StopDurableExecution', Effect: 'Allow', Resource: executionArns(fnId) }]);
  });

  test('grantSendCallback: success, failure and heartbeat on the execution ARNs', () => {
    const { stack, wf, user, fnId } = grantSetup();
    wf.grantSendCallback(user);
    expect(statementsOf(stack, user)).toEqual([{
      Action: ['lambda:SendDurableExecutionCallbackSuccess', 'lambda:SendDurableExecutionCallbackFailure', 'lambda:SendDurableExecutionCallbackHeartbeat'],
      Effect: 'Allow',
      Resource: executionArns(fnId),
    }]);
  });

  test('grant: any actions on the execution ARNs', () => {
    const { stack, wf, user, fnId } = grantSetup();
    wf.grant(user, 'lambda:GetDurableExecution');
    expect(statementsOf(stack, user)).toEqual([{ Action: 'lambda:GetDurableExecution', Effect: 'Allow', Resource: executionArns(fnId) }]);
  });

  test('a.grantStart(b): another workflow may start this one (ctx.invoke)', () => {
    const stack = newStack();
    const a = workflow(stack, {}, 'A');
    const b = workflow(stack, {}, 'B');
    a.grantStart(b);
    expect(statementsOf(stack, b.role as iam.Role)).toContainEqual({
      Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, a.alias) },
    });
  });

  /** The policy that holds the grants a workflow got from workflows; the function must not depend on it. */
  function workflowGrantsOf(stack: Stack, template: Template, wf: DurableWorkflow): any[] {
    const id = logicalId(stack, wf.node.findChild('WorkflowGrantsPolicy') as iam.Policy);
    const policy = template.findResources('AWS::IAM::Policy')[id];
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId(stack, wf.role as iam.Role) }]);
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)];
    expect(fn.DependsOn ?? []).not.toContain(id);
    return policy.Properties.PolicyDocument.Statement;
  }

  test('a workflow may start, read, stop and answer its own executions without a dependency cycle', () => {
    const stack = newStack();
    const wf = workflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') });
    wf.grantStart(wf);
    wf.grantRead(wf);
    wf.grantStop(wf);
    wf.grantSendCallback(wf.function);
    // Template.fromStack fails on a cycle: these statements name the function and its alias.
    const template = Template.fromStack(stack);
    const statements = workflowGrantsOf(stack, template, wf);
    expect(statements.map((s) => s.Action)).toEqual([
      'lambda:InvokeFunction',
      ['lambda:GetDurableExecution', 'lambda:GetDurableExecutionHistory', 'lambda:ListDurableExecutionsByFunction'],
      'kms:Decrypt',
      'lambda:StopDurableExecution',
      ['lambda:SendDurableExecutionCallbackSuccess', 'lambda:SendDurableExecutionCallbackFailure', 'lambda:SendDurableExecutionCallbackHeartbeat'],
    ]);
    expect(statements[0].Resource).toEqual({ Ref: logicalId(stack, wf.alias) });
  });

  test('two workflows that start each other: no dependency cycle', () => {
    const stack = newStack();
    const a = workflow(stack, {}, 'A');
    const b = workflow(stack, {}, 'B');
    a.grantStart(b);
    b.grantStart(a);
    const template = Template.fromStack(stack);
    expect(workflowGrantsOf(stack, template, b)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, a.alias) } }]);
    expect(workflowGrantsOf(stack, template, a)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, b.alias) } }]);
  });

  test('other grants to a workflow stay in its role\'s default policy, which the function waits for', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    other.grantPassRole(wf.grantPrincipal);
    const template = Template.fromStack(stack);
    const defaultPolicyId = logicalId(stack, wf.role.node.findChild('DefaultPolicy') as iam.Policy);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('ServiceRoleDefaultPolicy'),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'iam:PassRole' })]) },
    });
    expect(template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)].DependsOn).toContain(defaultPolicyId);
    expect(wf.node.tryFindChild('WorkflowGrantsPolicy')).toBeUndefined();
  });

  test('no "*" resource in any identity policy of a stack with a workflow and every grant', () => {
    const { stack, wf, user } = grantSetup();
    const other = workflow(stack, {}, 'Other');
    wf.grantStart(user);
    wf.grantRead(user);
    wf.grantStop(user);
    wf.grantSendCallback(user);
    wf.grantStart(other);
    const resources = identityPolicyResources(Template.fromStack(stack));
    expect(resources.length).toBeGreaterThanOrEqual(8);
    expect(resources).not.toContain('*');
  });
});

describe('state encryption key', () => {
  /** Through Lambda only, and only for this function's state (Lambda's encryption context names it). */
  function viaLambdaFor(stack: Stack, wf: DurableWorkflow) {
    return {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['lambda.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
        'kms:EncryptionContext:aws:lambda:FunctionArn': { 'Fn::GetAtt': [logicalId(stack, wf.function), 'Arn'] },
      },
    };
  }

  /** The statements of the policy that holds the checkpoint permissions. */
  function checkpointStatements(template: Template): any[] {
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes('CheckpointDurableExecution'));
    expect(policies).toHaveLength(1);
    return policies[0].Properties.PolicyDocument.Statement;
  }

  test('DurableConfig.KMSKeyArn; the role may decrypt its state through Lambda; the Lambda service in the key policy', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = workflow(stack, { stateEncryptionKey: key });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 1209600, RetentionPeriodInDays: 30, KMSKeyArn: keyArn },
    });
    // Decrypt only: Lambda encrypts state as the service. In the checkpoint policy, since the
    // condition names the function's ARN (in the role's default policy that is a cycle).
    expect(checkpointStatements(template)).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: keyArn,
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('kms:GenerateDataKey');
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowLambdaDurableExecutionState',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Resource: '*',
        }]),
      },
    });
    expect(wf.stateEncryptionKey).toBe(key);
  });

  // Lambda decrypts with the caller's credentials for these APIs (IncludeExecutionData, stop, callbacks).
  test.each<[string, (wf: DurableWorkflow, grantee: iam.IGrantable) => iam.Grant]>([
    ['grantRead', (wf, grantee) => wf.grantRead(grantee)],
    ['grantStop', (wf, grantee) => wf.grantStop(grantee)],
    ['grantSendCallback', (wf, grantee) => wf.grantSendCallback(grantee)],
    ['grant', (wf, grantee) => wf.grant(grantee, 'lambda:GetDurableExecutionState')],
  ])('%s adds kms:Decrypt of this function\'s state through Lambda', (_name, grant) => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = workflow(stack, { stateEncryptionKey: key });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    grant(wf, operator);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId(stack, operator) }] },
    })).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
    });
  });

  test('grantStart adds no key permission: Lambda encrypts the input as the service', () => {
    const stack = newStack();
    const wf = workflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grantStart(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, caller) }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, wf.alias) } }] },
    });
  });

  test('an imported key: the ARN is wired and the role may decrypt through Lambda', () => {
    const stack = newStack();
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const wf = workflow(stack, { stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyArn) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { KMSKeyArn: keyArn } });
    expect(checkpointStatements(template)).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: keyArn,
    });
  });

  test('two workflows sharing a key add one Lambda service statement', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    workflow(stack, { stateEncryptionKey: key }, 'A');
    workflow(stack, { stateEncryptionKey: key }, 'B');
    const keyPolicy = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
    expect(keyPolicy.Statement.filter((s: any) => s.Sid === 'AllowLambdaDurableExecutionState')).toHaveLength(1);
  });
});

describe('bad input', () => {
  const bucketCode = () => lambda.Code.fromInline('exports.handler = async () => ({})');
  const cases: Array<[string, Partial<DurableWorkflowProps> | (() => Partial<DurableWorkflowProps>), string | RegExp]> = [
    ['execution timeout above 366 days', { executionTimeout: Duration.days(400) },
      "DurableWorkflow 'Stack/Flow': executionTimeout must be between 1 second and 366 days (31622400 s), got 400 days"],
    ['execution timeout of zero', { executionTimeout: Duration.seconds(0) }, /executionTimeout must be between 1 second and 366 days .*, got 0 seconds/],
    ['execution timeout in fractional seconds', { executionTimeout: Duration.millis(1500) }, /executionTimeout must be a whole number of seconds between 1 second and 366 days .*, got 1 second 500 millis/],
    ['retention of zero days', { retentionPeriod: Duration.days(0) }, /retentionPeriod must be a whole number of days between 1 and 90, got 0 days/],
    ['retention above 90 days', { retentionPeriod: Duration.days(91) }, /retentionPeriod must be a whole number of days between 1 and 90, got 91 days/],
    ['retention in fractional days', { retentionPeriod: Duration.hours(36) }, /retentionPeriod must be a whole number of days between 1 and 90, got 1 day 12 hours/],
    ['invocation timeout above 15 minutes', { timeout: Duration.minutes(16) }, /timeout must be between 1 second and 15 minutes \(900 s\), got 16 minutes/],
    ['invocation timeout above the execution timeout', { timeout: Duration.minutes(10), executionTimeout: Duration.minutes(5) },
      /timeout must not exceed executionTimeout \(5 minutes\), got 10 minutes/],
    ['entry and code', { entry: path.join(FIXTURES, 'handler.ts') }, /entry and code are mutually exclusive/],
    ['neither entry nor code', { code: undefined }, /one of entry \(a handler file to bundle\) or code \(prebuilt code\) is required, got neither/],
    ['a missing entry file', { code: undefined, entry: 'does/not/exist.ts' }, /entry must be an existing file, got 'does\/not\/exist.ts' \(resolved to .*does\/not\/exist.ts\)/],
    ['a directory as entry', { code: undefined, entry: FIXTURES }, /entry must be an existing file/],
    ['entry with a Python runtime', { code: undefined, entry: path.join(FIXTURES, 'handler.ts'), runtime: lambda.Runtime.PYTHON_3_13 },
      /runtime must be one of nodejs22.x, nodejs24.x with entry, got python3.13/],
    ['code without handler', { handler: undefined }, /handler is required with code/],
    ['bundling with code', { bundling: { minify: true } }, /bundling applies only to entry bundling, but code was given/],
    ['depsLockFilePath with code', { depsLockFilePath: 'package-lock.json' }, /depsLockFilePath applies only to entry bundling/],
    ['an unsupported runtime', { runtime: lambda.Runtime.NODEJS_20_X },
      'runtime must be one of nodejs22.x, nodejs24.x, python3.13, python3.14, java17, java21, java25, dotnet8, dotnet10 (or FROM_IMAGE with container image code), got nodejs20.x'],
    ['provided.al2023', { runtime: lambda.Runtime.PROVIDED_AL2023 }, /runtime must be one of .*, got provided.al2023/],
    ['both logGroup and logRetention', () => ({ logGroup: new logs.LogGroup(new Stack(), 'G'), logRetention: logs.RetentionDays.ONE_DAY }),
      /logGroup and logRetention are mutually exclusive/],
    ['both logGroup and logRemovalPolicy', () => ({ logGroup: new logs.LogGroup(new Stack(), 'G'), logRemovalPolicy: RemovalPolicy.DESTROY }),
      /logGroup and logRemovalPolicy are mutually exclusive/],
    ['logRetentionRole', () => ({ logRetentionRole: new iam.Role(new Stack(), 'R', { assumedBy: new iam.AccountRootPrincipal() }) }),
      /logRetentionRole has no effect/],
    ['container image code with a zip runtime', () => ({ code: lambda.Code.fromEcrImage(ecr.Repository.fromRepositoryName(new Stack(), 'R', 'flows')), runtime: lambda.Runtime.NODEJS_24_X }),
      'runtime must be FROM_IMAGE (or unset) with container image code, got nodejs24.x'],
    ['FROM_IMAGE with zip code', { runtime: lambda.Runtime.FROM_IMAGE },
      'runtime must not be FROM_IMAGE without container image code (lambda.Code.fromEcrImage or fromAssetImage)'],
    ['a text loggingFormat', { loggingFormat: lambda.LoggingFormat.TEXT }, "loggingFormat must be JSON (durable functions require JSON logs), got 'Text'"],
    ['a text logFormat', { logFormat: 'Text' }, "logFormat must be JSON (durable functions require JSON logs), got 'Text'"],
    ['durableConfig passed directly', { durableConfig: { executionTimeout: Duration.hours(1) } },
      /durableConfig is set by DurableWorkflow: use the executionTimeout and retentionPeriod props instead/],
    ['an all-digit alias name', { aliasName: '123' }, /aliasName must be 1-128 letters, digits, '-' or '_', not all digits \(a Lambda alias name\), got '123'/],
    ['$LATEST as alias name', { aliasName: '$LATEST' }, /aliasName must be .*, got '\$LATEST'/],
    ['an empty alias name', { aliasName: '' }, /aliasName must be .*, got ''/],
    ['an alias name with a space', { aliasName: 'go live' }, /aliasName must be .*, got 'go live'/],
    ['an alias name of 129 characters', { aliasName: 'a'.repeat(129) }, /aliasName must be .*, got 'a{129}'/],
    ['a version removal policy other than RETAIN', { currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY } },
      /currentVersionOptions.removalPolicy must be RETAIN \(running executions are pinned to their version\), got destroy/],
    ['a number as executionTimeout', { executionTimeout: 3600 as unknown as Duration }, /executionTimeout must be a Duration, got number 3600/],
    ['a string as aliasName', { aliasName: 7 as unknown as string }, /aliasName must be a string, got number 7/],
    ['a non-runtime as runtime', { runtime: 'nodejs24.x' as unknown as lambda.Runtime }, /runtime must be a lambda.Runtime, got 'nodejs24.x'/],
    ['a path as code', { code: 'dist/flow.zip' as unknown as lambda.Code }, "code must be a lambda.Code, got 'dist/flow.zip'"],
    ['a role ARN as role', { role: 'arn:aws:iam::123456789012:role/flow' as unknown as iam.IRole }, "role must be an iam.IRole, got 'arn:aws:iam::123456789012:role/flow'"],
    ['a name as logGroup', { logGroup: '/flows/orders' as unknown as logs.ILogGroup }, "logGroup must be a logs.ILogGroup, got '/flows/orders'"],
    ['a key ARN as stateEncryptionKey', { stateEncryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/1' as unknown as kms.IKey },
      "stateEncryptionKey must be a kms.IKey, got 'arn:aws:kms:us-east-1:123456789012:key/1'"],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const stack = newStack();
    const resolved = typeof props === 'function' ? props() : props;
    let error: unknown;
    try {
      workflow(stack, { code: bucketCode(), ...resolved });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    if (typeof message === 'string') expect((error as Error).message).toContain(message);
    else expect((error as Error).message).toMatch(message);
  });
});
