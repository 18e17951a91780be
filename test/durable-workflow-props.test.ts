import * as path from 'path';
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DurableWorkflow, DurableWorkflowProps } from '../src';
import { inlineWorkflow, newStack } from './support/synth';

// Every prop that cannot work fails at synth, before any resource exists, naming the prop, what is
// allowed and the value. Random props: durable-workflow-props.property.test.ts.
const FIXTURES = path.join(__dirname, 'fixtures');

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
      inlineWorkflow(stack, { code: bucketCode(), ...resolved });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    if (typeof message === 'string') expect((error as Error).message).toContain(message);
    else expect((error as Error).message).toMatch(message);
  });
});

test('props that are not an object fail the same way', () => {
  expect(() => new DurableWorkflow(newStack(), 'Flow', undefined as unknown as DurableWorkflowProps))
    .toThrow("DurableWorkflow 'Stack/Flow': props must be an object with entry or code, got undefined");
});

/** A Duration whose amount a JavaScript caller set below zero (the factories refuse to make one). */
function negative(seconds: number): Duration {
  const d = Duration.seconds(seconds);
  (d as unknown as { amount: number }).amount = -seconds;
  return d;
}

describe('Durations that are no length at all', () => {
  // aws-cdk-lib's own message ("'NaN seconds' cannot be converted into a whole number of millis") names no prop.
  test.each<[string, Partial<DurableWorkflowProps>, string]>([
    ['NaN executionTimeout', { executionTimeout: Duration.seconds(NaN) }, 'executionTimeout must be between 1 second and 366 days (31622400 s), got NaN seconds'],
    ['Infinity executionTimeout', { executionTimeout: Duration.days(Infinity) }, 'executionTimeout must be between 1 second and 366 days (31622400 s), got Infinity seconds'],
    ['negative executionTimeout', { executionTimeout: negative(5) }, 'executionTimeout must be between 1 second and 366 days (31622400 s), got -5 seconds'],
    ['NaN timeout', { timeout: Duration.minutes(NaN) }, 'timeout must be between 1 second and 15 minutes (900 s), got NaN seconds'],
    ['negative timeout', { timeout: negative(60) }, 'timeout must be between 1 second and 15 minutes (900 s), got -60 seconds'],
    ['NaN retentionPeriod', { retentionPeriod: Duration.days(NaN) }, 'retentionPeriod must be a whole number of days between 1 and 90, got NaN seconds'],
    ['Infinity retentionPeriod', { retentionPeriod: Duration.days(Infinity) }, 'retentionPeriod must be a whole number of days between 1 and 90, got Infinity seconds'],
    ['NaN maxEventAge', { maxEventAge: Duration.seconds(NaN) }, 'maxEventAge must be between 1 minute and 6 hours (21600 s), got NaN seconds'],
    ['Infinity maxEventAge', { maxEventAge: Duration.hours(Infinity) }, 'maxEventAge must be between 1 minute and 6 hours (21600 s), got Infinity seconds'],
  ])('%s names the prop, the range and the value', (_name, props, message) => {
    expect(() => inlineWorkflow(newStack(), props)).toThrow(`DurableWorkflow 'Stack/Flow': ${message}`);
  });
});

describe('construct-typed props given something else', () => {
  // Each of these was a TypeError deep in aws-cdk-lib (`vpc: {}`: "selectSubnets is not a function") or a broken template.
  const PROPS: Array<[keyof DurableWorkflowProps, string]> = [
    ['vpc', 'an ec2.IVpc'],
    ['securityGroups', 'a list, each an ec2.ISecurityGroup'],
    ['deadLetterQueue', 'an sqs.IQueue'],
    ['deadLetterTopic', 'an sns.ITopic'],
    ['layers', 'a list, each a lambda.ILayerVersion'],
    ['filesystem', 'a lambda.FileSystem (FileSystem.fromEfsAccessPoint)'],
    ['events', 'a list, each a lambda.IEventSource'],
    ['initialPolicy', 'a list, each an iam.PolicyStatement'],
    ['environmentEncryption', 'a kms.IKey'],
    ['logGroupEncryptionKey', 'a kms.IKey'],
    ['codeSigningConfig', 'a lambda.ICodeSigningConfig'],
    ['profilingGroup', 'a codeguruprofiler.IProfilingGroup'],
    ['insightsVersion', 'a lambda.LambdaInsightsVersion'],
    ['paramsAndSecrets', 'a lambda.ParamsAndSecretsLayerVersion'],
    ['adotInstrumentation', 'a lambda.AdotInstrumentationConfig ({ layerVersion, execWrapper })'],
    ['architecture', 'a lambda.Architecture (Architecture.ARM_64 or X86_64)'],
    ['runtimeManagementMode', 'a lambda.RuntimeManagementMode'],
    ['snapStart', 'a lambda.SnapStartConf'],
    ['tenancyConfig', 'a lambda.TenancyConfig'],
  ];

  test.each(PROPS)('%s: {} is a named error', (prop, type) => {
    expect(() => inlineWorkflow(newStack(), { [prop]: {} })).toThrow(`DurableWorkflow 'Stack/Flow': ${prop} must be ${type}, got an object (Object)`);
  });

  test('a list names the item that is not one', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const good = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    expect(() => inlineWorkflow(stack, { vpc, securityGroups: [good, 'sg-123' as unknown as ec2.ISecurityGroup] })).toThrow(
      "DurableWorkflow 'Stack/Flow': securityGroups[1] must be an ec2.ISecurityGroup, got 'sg-123'");
  });

  test.each<[string, Partial<DurableWorkflowProps>, string]>([
    ['memorySize 64', { memorySize: 64 }, 'memorySize must be a whole number from 128 to 10240, got number 64'],
    ['ephemeralStorageSize 100 MiB', { ephemeralStorageSize: Size.mebibytes(100) }, 'ephemeralStorageSize must be from 536870912 to 10737418240 bytes, got 104857600 bytes'],
    ['retryAttempts 3', { retryAttempts: 3 }, 'retryAttempts must be a whole number from 0 to 2, got number 3'],
  ])('%s is out of range', (_name, props, message) => {
    expect(() => inlineWorkflow(newStack(), props)).toThrow(`DurableWorkflow 'Stack/Flow': ${message}`);
  });
});
