import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DurableWorkflow } from '../src';
import { inlineWorkflow, logicalId, newStack } from './support/synth';

// The function, its code, logs, version and alias. Role and state key: durable-workflow.role.test.ts.
const REPO_ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');

describe('durable config', () => {
  test('defaults: 14-day execution timeout, 30-day retention, nodejs24.x, 5-minute invocation timeout', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
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
    inlineWorkflow(stack, { executionTimeout: Duration.hours(2), retentionPeriod: Duration.days(7), timeout: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 7200, RetentionPeriodInDays: 7 },
      Timeout: 60,
    });
  });

  test('an execution timeout under 5 minutes is also the default invocation timeout', () => {
    const stack = newStack();
    inlineWorkflow(stack, { executionTimeout: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 60 }, Timeout: 60 });
  });

  test('the range limits themselves are accepted', () => {
    const stack = newStack();
    inlineWorkflow(stack, { executionTimeout: Duration.days(366), retentionPeriod: Duration.days(90), timeout: Duration.minutes(15) }, 'Max');
    inlineWorkflow(stack, { executionTimeout: Duration.seconds(1), retentionPeriod: Duration.hours(24), timeout: Duration.seconds(1) }, 'Min');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 31622400, RetentionPeriodInDays: 90 }, Timeout: 900 });
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { ExecutionTimeout: 1, RetentionPeriodInDays: 1 }, Timeout: 1 });
  });

  test('tokens are passed through unchecked', () => {
    const stack = newStack();
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' });
    const alias = new CfnParameter(stack, 'AliasName');
    const wf = inlineWorkflow(stack, {
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
    inlineWorkflow(stack, {
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
    inlineWorkflow(stack, {
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
    inlineWorkflow(stack, { code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'artifacts'), 'flow.zip'), runtime });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Runtime: runtime.name });
  });

  test('a container image needs no handler', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'flows');
    inlineWorkflow(stack, { code: lambda.Code.fromEcrImage(repository), runtime: lambda.Runtime.FROM_IMAGE, handler: undefined });
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
    inlineWorkflow(stack, { code: lambda.Code.fromEcrImage(repository), handler: undefined });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', Runtime: Match.absent() });
  });

  test('entry is bundled with esbuild into an asset; handler names the export', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const wf = new DurableWorkflow(stack, 'Flow', {
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
    const assetHash = template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)]
      .Properties.Code.S3Key.replace('.zip', '');
    const bundle = fs.readFileSync(path.join(assembly.directory, `asset.${assetHash}`, 'index.js'), 'utf8');
    expect(bundle).toContain('withDurableExecution');
    expect(bundle).toContain('cool-off');
    expect(bundle).not.toMatch(/require\(["']@aws\/durable-execution-sdk-js["']\)/);
  });
});

describe('logs', () => {
  test('a log group with one-month retention, JSON format', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, wf.logGroup) } },
    });
    // No LogRetention custom resource (and its Lambda function with a managed policy).
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('logRetention and logRemovalPolicy shape the created log group', () => {
    const stack = newStack();
    inlineWorkflow(stack, { logRetention: logs.RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 7 },
      DeletionPolicy: 'Delete',
    });
  });

  test('a given log group is used and written to', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_YEAR });
    const wf = inlineWorkflow(stack, { logGroup, loggingFormat: lambda.LoggingFormat.JSON });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, logGroup) } } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, wf.role!) }],
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
    const wf = inlineWorkflow(stack);
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
    const wf = inlineWorkflow(stack, { aliasName: 'prod_v-2' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod_v-2' });
    expect(wf.qualifier).toBe('prod_v-2');
  });

  test('a code change publishes a new version (the logical id follows the code)', () => {
    const versionIdFor = (source: string) => {
      const stack = newStack();
      return logicalId(stack, inlineWorkflow(stack, { code: lambda.Code.fromInline(source) }).version);
    };
    expect(versionIdFor('exports.handler = async () => 1')).not.toBe(versionIdFor('exports.handler = async () => 2'));
  });

  test('other currentVersionOptions are kept', () => {
    const stack = newStack();
    inlineWorkflow(stack, { currentVersionOptions: { description: 'release 7', removalPolicy: RemovalPolicy.RETAIN } });
    Template.fromStack(stack).hasResource('AWS::Lambda::Version', { Properties: { Description: 'release 7' }, DeletionPolicy: 'Retain' });
  });

  test('attributes', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const fnId = logicalId(stack, wf.function);
    expect(stack.resolve(wf.functionName)).toEqual({ Ref: fnId });
    expect(stack.resolve(wf.functionArn)).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(wf.qualifier).toBe('live');
    expect(stack.resolve(wf.qualifiedArn)).toEqual({ Ref: logicalId(stack, wf.alias) });
    expect(wf.function.role).toBe(wf.role);
  });

  test('isDurableWorkflow: true for a DurableWorkflow only', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    expect(DurableWorkflow.isDurableWorkflow(wf)).toBe(true);
    expect(DurableWorkflow.isDurableWorkflow(DurableWorkflow.fromQualifiedArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:orders:live'))).toBe(false);
    expect(DurableWorkflow.isDurableWorkflow(wf.function)).toBe(false);
    for (const other of [undefined, null, 'Flow', 7]) expect(DurableWorkflow.isDurableWorkflow(other)).toBe(false);
  });
});
