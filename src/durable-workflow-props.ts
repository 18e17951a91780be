import * as fs from 'fs';
import * as path from 'path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib/core';
import { checkAliasName } from './qualifier';
import { ResolvedRollout, resolveRollout } from './rollout';
import { describeValue, PropValidator } from './validation';
import { resolveVersionRetention, VersionRetention } from './version-retention';

/**
 * Properties of a `DurableWorkflow`.
 *
 * Every `lambda.FunctionOptions` prop works as on `lambda.Function`, with these differences:
 * `timeout` (the limit of one invocation) defaults to 5 minutes (or `executionTimeout`, if shorter) and may
 * not exceed 15 minutes or `executionTimeout`; `logRetention` defaults to one month; the log format is always JSON;
 * `durableConfig` is replaced by `executionTimeout` and `retentionPeriod`; without `deadLetterQueue` or
 * `deadLetterTopic`, a dead-letter queue is created (`deadLetterQueueEnabled: false` for none): it receives the event of
 * every asynchronous start whose execution ends FAILED, STOPPED or TIMED_OUT, as AWS recommends; `retryAttempts` and
 * `maxEventAge` apply to the alias, which asynchronous starts invoke (on `lambda.Function` they apply to `$LATEST`);
 * `onFailure` and `onSuccess` are refused (durable functions do not support destinations); and with
 * `stateEncryptionKey`, `functionName` defaults to a name made from the construct path.
 */
export interface DurableWorkflowProps extends lambda.FunctionOptions {
  /**
   * A TypeScript or JavaScript file with the handler, bundled with esbuild at synth (as
   * `NodejsFunction` does). Exactly one of `entry` and `code` is required.
   *
   * @default - none; `code` is used
   */
  readonly entry?: string;

  /**
   * With `entry`: the name of the exported handler. With `code`: the full handler string of the
   * runtime (for example `index.handler` or `app.handler`); required then.
   *
   * @default 'handler' with `entry`
   */
  readonly handler?: string;

  /**
   * Prebuilt code for any durable-capable runtime (`lambda.Code.fromAsset(...)` and friends).
   * Exactly one of `entry` and `code` is required.
   *
   * @default - none; `entry` is bundled
   */
  readonly code?: lambda.Code;

  /**
   * Bundling options for `entry` (esbuild). The export condition `cdk-durable-workflow-handler` is set (through
   * `esbuildArgs['--conditions']`, which a value of your own replaces), so `cdk-durable-workflow/runtime` bundles
   * without its client.
   *
   * @default - `NodejsFunction` defaults: minify off, source maps off, `@aws-sdk/*` external
   */
  readonly bundling?: nodejs.BundlingOptions;

  /**
   * The lock file that tells `entry` bundling where the project is.
   *
   * @default - the first lock file found walking up from the current working directory
   */
  readonly depsLockFilePath?: string;

  /**
   * The directory that contains `entry` and its dependencies.
   *
   * @default - the directory of `depsLockFilePath`
   */
  readonly projectRoot?: string;

  /**
   * The runtime: one of nodejs22.x, nodejs24.x, python3.13, python3.14, java17, java21, java25,
   * dotnet8, dotnet10, or `Runtime.FROM_IMAGE` with container image `code`. `entry` needs Node.js.
   *
   * @default - lambda.Runtime.NODEJS_24_X; `Runtime.FROM_IMAGE` with container image `code`
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How long one execution may run in total, across all its invocations, waits and retries
   * (1 second to 366 days).
   *
   * @default Duration.days(14)
   */
  readonly executionTimeout?: Duration;

  /**
   * How long Lambda keeps an execution's history after it ends (whole days, 1 to 90).
   *
   * @default Duration.days(30)
   */
  readonly retentionPeriod?: Duration;

  /**
   * A customer managed KMS key that encrypts durable state: inputs, checkpoints, results and
   * callback payloads. A symmetric encryption key of the stack's Region (checked where known).
   * The function's role may decrypt this function's state through Lambda, and a statement letting
   * the Lambda service use the key for this function only is added to the key policy (a key imported
   * from elsewhere needs that statement added by its owner: a warning gives it). Lambda checks that
   * statement when it creates the function, so it names the function by its name: without
   * `functionName`, one is made from the construct path. `grantRead`, `grantStop`, `grantSendCallback`
   * (and `grant` with their actions) include decrypting this function's state through Lambda, which
   * those APIs need. The dead-letter queue the workflow creates is encrypted with it too.
   *
   * @default - Lambda encrypts durable state with an AWS owned key
   */
  readonly stateEncryptionKey?: kms.IKey;

  /**
   * A customer managed KMS key that encrypts the log group the workflow creates. A statement for CloudWatch Logs,
   * limited to this log group, is added to the key policy (a key imported from elsewhere needs that statement added by
   * its owner), and the log group gets a name made from the construct path. Not with `logGroup`: encrypt your own
   * log group yourself.
   *
   * @default - CloudWatch Logs encrypts the log group with its own key
   */
  readonly logGroupEncryptionKey?: kms.IKey;

  /**
   * The alias every start, permission and trigger uses. It points at the version this deployment
   * publishes.
   *
   * @default 'live'
   */
  readonly aliasName?: string;

  /**
   * Which published versions are kept. Versions are retained by CloudFormation either way; with
   * `keepLatest(n)` the stack's version pruner (one per stack, shared by its workflows) deletes a version
   * once no alias routes to it, it is not among the newest `n`, and no RUNNING execution is pinned to it,
   * daily and after each deployment that moves the alias. `VersionRetention.all()` keeps every version
   * and adds no pruner.
   *
   * @default VersionRetention.keepLatest(3)
   */
  readonly versionRetention?: VersionRetention;

  /**
   * Shift the alias to each new version gradually with CodeDeploy (canary, linear or all at once),
   * rolled back when an alarm goes off: invocation errors of the new version, failed or timed-out
   * executions, and `deploymentAlarms`. Only new executions follow the shift: running ones stay on
   * the version they started on.
   *
   * @default - the alias moves to the new version at once, without CodeDeploy
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;

  /**
   * More alarms that roll a deployment back (at most 7: CodeDeploy takes 10 per deployment group and
   * the workflow's own 3 come first). Requires `deploymentConfig`.
   *
   * @default - the workflow's own alarms only
   */
  readonly deploymentAlarms?: cloudwatch.IAlarm[];
}

/** Runtimes Lambda durable functions support (container images aside). */
const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x', 'python3.13', 'python3.14', 'java17', 'java21', 'java25', 'dotnet8', 'dotnet10'];
const NODE_RUNTIMES = SUPPORTED_RUNTIMES.filter((name) => name.startsWith('nodejs'));

/** `DurableWorkflowProps`, checked and with every default applied: what a `DurableWorkflow` is built from. */
export interface ResolvedProps {
  readonly code: ResolvedCode;
  readonly executionTimeout: Duration;
  readonly retentionPeriod: Duration;
  /** The limit of one invocation. */
  readonly timeout: Duration;
  readonly stateEncryptionKey?: kms.IKey;
  readonly aliasName: string;
  /** Asynchronous starts: the alias's retry and event-age settings, and where failed starts' events go. */
  readonly asyncInvoke: ResolvedAsyncInvoke;
  /** The given role; a role is created when there is none. */
  readonly role?: iam.IRole;
  readonly logs: ResolvedLogs;
  /** Options of the version each deployment publishes; its removal policy is always RETAIN. */
  readonly versionOptions: lambda.VersionOptions;
  /** How many of the newest versions the stack's pruner always keeps; `undefined`: every version is kept, no pruner. */
  readonly keepLatestVersions?: number;
  /** The CodeDeploy rollout of the alias; `undefined`: the alias moves at once. */
  readonly rollout?: ResolvedRollout;
  /** The other `lambda.FunctionOptions` (memory, environment, VPC, ...), passed through as given. */
  readonly functionOptions: lambda.FunctionOptions;
}

/** The function's code: an `entry` to bundle or prebuilt `code`. */
export interface ResolvedCode {
  readonly runtime: lambda.Runtime;
  readonly entry?: string;
  readonly bundling?: nodejs.BundlingOptions;
  readonly depsLockFilePath?: string;
  readonly projectRoot?: string;
  /** With `entry`, the export's name (`undefined`: NodejsFunction's default); with `code`, the runtime's handler string. */
  readonly handler?: string;
  readonly code?: lambda.Code;
}

/** Where the function logs: a given log group, or one to create with this retention, removal policy and key. */
export interface ResolvedLogs {
  readonly logGroup?: logs.ILogGroupRef;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly encryptionKey?: kms.IKey;
}

/**
 * Asynchronous invocation of the alias. Nothing set means Lambda's defaults, which do not re-run a failed durable
 * execution (AWS: durable executions are not retried on failure). The dead letters: a given queue or topic, or a queue
 * to create (`createQueue`), or none.
 */
export interface ResolvedAsyncInvoke {
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
  readonly deadLetterQueue?: sqs.IQueue;
  readonly deadLetterTopic?: sns.ITopic;
  readonly createDeadLetterQueue: boolean;
}

/**
 * Checks `props` and applies the defaults, creating nothing: every invalid prop fails here, through `v`,
 * before a resource exists. A new prop is taken out of `props` below, or it would reach `lambda.Function`.
 */
export function resolveProps(v: PropValidator, props: DurableWorkflowProps): ResolvedProps {
  if (typeof props !== 'object' || props === null) v.fail(`props must be an object with entry or code, got ${describeValue(props)}`);
  const {
    entry, handler, code, bundling, depsLockFilePath, projectRoot, runtime,
    executionTimeout, retentionPeriod, timeout, durableConfig, stateEncryptionKey, aliasName,
    role, logGroup, logRetention, logRemovalPolicy, logRetentionRole, logRetentionRetryOptions, logFormat, loggingFormat, logGroupEncryptionKey,
    retryAttempts, maxEventAge, onFailure, onSuccess, deadLetterQueue, deadLetterTopic, deadLetterQueueEnabled,
    currentVersionOptions, versionRetention, deploymentConfig, deploymentAlarms,
    ...functionOptions
  } = props;

  // Construct-typed props: JavaScript callers can pass anything, and aws-cdk-lib would fail with a TypeError.
  v.instance('role', role, 'an iam.IRole', 'roleArn');
  v.instance('stateEncryptionKey', stateEncryptionKey, 'a kms.IKey', 'keyArn');
  checkFunctionOptions(v, functionOptions);

  return {
    code: resolveCode(v, { entry, handler, code, bundling, depsLockFilePath, projectRoot, runtime }),
    ...resolveDurableConfig(v, { executionTimeout, retentionPeriod, timeout, durableConfig }),
    stateEncryptionKey,
    aliasName: checkAliasName(v, 'aliasName', aliasName) ?? 'live',
    asyncInvoke: resolveAsyncInvoke(v, {
      retryAttempts, maxEventAge, onFailure, onSuccess, deadLetterQueue, deadLetterTopic, deadLetterQueueEnabled,
    }),
    role,
    logs: resolveLogs(v, {
      logGroup, logRetention, logRemovalPolicy, logRetentionRole, logRetentionRetryOptions, logFormat, loggingFormat, logGroupEncryptionKey,
    }),
    versionOptions: resolveVersionOptions(v, currentVersionOptions),
    keepLatestVersions: resolveVersionRetention(v, versionRetention),
    rollout: resolveRollout(v, deploymentConfig, deploymentAlarms),
    functionOptions,
  };
}

/** Durable config in whole seconds and whole days, within what CloudFormation accepts, and the invocation timeout. */
function resolveDurableConfig(v: PropValidator, props: DurableWorkflowProps) {
  if (props.durableConfig !== undefined) {
    v.fail('durableConfig is set by DurableWorkflow: use the executionTimeout and retentionPeriod props instead');
  }
  const executionTimeout = v.duration('executionTimeout', props.executionTimeout, Duration.seconds(1), Duration.days(366))
    ?? Duration.days(14);
  const retentionPeriod = v.wholeDays('retentionPeriod', props.retentionPeriod, 1, 90) ?? Duration.days(30);
  const shortExecution = !executionTimeout.isUnresolved() && executionTimeout.toSeconds() < Duration.minutes(5).toSeconds();
  const timeout = v.duration('timeout', props.timeout, Duration.seconds(1), Duration.minutes(15))
    ?? (shortExecution ? executionTimeout : Duration.minutes(5));
  if (!timeout.isUnresolved() && !executionTimeout.isUnresolved() && timeout.toMilliseconds() > executionTimeout.toMilliseconds()) {
    v.fail(`timeout must not exceed executionTimeout (${executionTimeout.toHumanString()}), got ${timeout.toHumanString()}`);
  }
  return { executionTimeout, retentionPeriod, timeout };
}

/** Exactly one of entry and code; a runtime that runs durable functions and fits the code. */
function resolveCode(v: PropValidator, props: DurableWorkflowProps): ResolvedCode {
  const { entry, handler, code, bundling, depsLockFilePath, projectRoot } = props;
  v.string('entry', entry);
  v.string('handler', handler);
  if (entry !== undefined && code !== undefined) v.fail('entry and code are mutually exclusive: give one of them, got both');
  if (entry === undefined && code === undefined) v.fail('one of entry (a handler file to bundle) or code (prebuilt code) is required, got neither');
  v.instance('code', code, 'a lambda.Code', 'bind');
  const imageCode = code instanceof lambda.EcrImageCode || code instanceof lambda.AssetImageCode;
  const runtime = props.runtime ?? (imageCode ? lambda.Runtime.FROM_IMAGE : lambda.Runtime.NODEJS_24_X);
  if (typeof runtime !== 'object' || runtime === null || typeof runtime.name !== 'string') {
    v.fail(`runtime must be a lambda.Runtime, got ${describeValue(runtime)}`);
  }
  const isImage = runtime.name === lambda.Runtime.FROM_IMAGE.name;
  if (!SUPPORTED_RUNTIMES.includes(runtime.name) && !isImage) {
    v.fail(`runtime must be one of ${SUPPORTED_RUNTIMES.join(', ')} (or FROM_IMAGE with container image code), got ${runtime.name}`);
  }
  if (code !== undefined && imageCode && !isImage) {
    v.fail(`runtime must be FROM_IMAGE (or unset) with container image code, got ${runtime.name}`);
  }
  if (code !== undefined && !imageCode && isImage) {
    v.fail('runtime must not be FROM_IMAGE without container image code (lambda.Code.fromEcrImage or fromAssetImage)');
  }
  if (entry !== undefined) {
    if (!NODE_RUNTIMES.includes(runtime.name)) v.fail(`runtime must be one of ${NODE_RUNTIMES.join(', ')} with entry, got ${runtime.name}`);
    const entryPath = path.resolve(entry);
    if (!fs.existsSync(entryPath) || !fs.statSync(entryPath).isFile()) {
      v.fail(`entry must be an existing file, got '${entry}' (resolved to ${entryPath})`);
    }
    return { runtime, entry, handler, bundling: handlerBundling(bundling), depsLockFilePath, projectRoot };
  }
  if (handler === undefined && !isImage) v.fail("handler is required with code: the runtime's handler string, e.g. 'index.handler'");
  for (const [name, value] of Object.entries({ bundling, depsLockFilePath, projectRoot })) {
    if (value !== undefined) v.fail(`${name} applies only to entry bundling, but code was given`);
  }
  return { runtime, code, handler: handler ?? lambda.Handler.FROM_IMAGE };
}

/**
 * `cdk-durable-workflow/runtime` without the client in `workflow` (see the package's exports); `module` is esbuild's
 * default condition, which naming any condition drops. A user's own `--conditions` replaces both.
 */
function handlerBundling(bundling: nodejs.BundlingOptions | undefined): nodejs.BundlingOptions {
  return { ...bundling, esbuildArgs: { '--conditions': 'cdk-durable-workflow-handler,module', ...bundling?.esbuildArgs } };
}

/**
 * The construct-typed `lambda.FunctionOptions` passed through to `lambda.Function`, each with a member every
 * implementation has: anything else is a TypeError deep inside aws-cdk-lib (`vpc: {}`: "selectSubnets is not a function").
 */
const FUNCTION_OPTION_TYPES: ReadonlyArray<readonly [keyof lambda.FunctionOptions, string, string]> = [
  ['vpc', 'an ec2.IVpc', 'selectSubnets'],
  ['environmentEncryption', 'a kms.IKey', 'keyRef'],
  ['codeSigningConfig', 'a lambda.ICodeSigningConfig', 'codeSigningConfigRef'],
  ['filesystem', 'a lambda.FileSystem (FileSystem.fromEfsAccessPoint)', 'config'],
  ['profilingGroup', 'a codeguruprofiler.IProfilingGroup', 'profilingGroupName'],
  ['insightsVersion', 'a lambda.LambdaInsightsVersion', '_bind'],
  ['paramsAndSecrets', 'a lambda.ParamsAndSecretsLayerVersion', '_bind'],
  ['adotInstrumentation', 'a lambda.AdotInstrumentationConfig ({ layerVersion, execWrapper })', 'layerVersion'],
  ['architecture', 'a lambda.Architecture (Architecture.ARM_64 or X86_64)', 'dockerPlatform'],
  ['runtimeManagementMode', 'a lambda.RuntimeManagementMode', 'runtimeManagementConfig'],
  ['snapStart', 'a lambda.SnapStartConf', '_render'],
  ['tenancyConfig', 'a lambda.TenancyConfig', 'tenancyConfigProperty'],
];
const FUNCTION_OPTION_LISTS: ReadonlyArray<readonly [keyof lambda.FunctionOptions, string, string]> = [
  ['securityGroups', 'an ec2.ISecurityGroup', 'securityGroupId'],
  ['layers', 'a lambda.ILayerVersion', 'layerVersionArn'],
  ['events', 'a lambda.IEventSource', 'bind'],
  ['initialPolicy', 'an iam.PolicyStatement', 'toStatementJson'],
];

/** Construct-typed and sized options that `lambda.Function` takes as they are. */
function checkFunctionOptions(v: PropValidator, options: lambda.FunctionOptions): void {
  for (const [prop, type, member] of FUNCTION_OPTION_TYPES) v.instance(prop, options[prop], type, member);
  for (const [prop, type, member] of FUNCTION_OPTION_LISTS) v.instances(prop, options[prop] as unknown[] | undefined, type, member);
  v.count('memorySize', options.memorySize, 128, 10_240);
  v.bytes('ephemeralStorageSize', options.ephemeralStorageSize, Size.mebibytes(512), Size.mebibytes(10_240));
}

/**
 * Where asynchronous starts' failures go. AWS: durable functions support dead-letter queues but not destinations, and
 * "when a durable execution reaches a terminal state (FAILED, STOPPED, or TIMED_OUT) after an asynchronous invocation,
 * Lambda sends the original triggering event to the DLQ" (durable-invoking, durable-best-practices).
 */
function resolveAsyncInvoke(v: PropValidator, props: lambda.FunctionOptions): ResolvedAsyncInvoke {
  const { retryAttempts, maxEventAge, onFailure, onSuccess, deadLetterQueue, deadLetterTopic, deadLetterQueueEnabled } = props;
  for (const [name, value] of Object.entries({ onFailure, onSuccess })) {
    if (value !== undefined) {
      v.fail(`${name} must not be set: durable functions do not support Lambda destinations (AWS). The dead-letter queue `
        + `(deadLetterQueue, created by default) receives the event of every asynchronous start that ends FAILED, STOPPED or TIMED_OUT, got ${describeValue(value)}`);
    }
  }
  v.instance('deadLetterQueue', deadLetterQueue, 'an sqs.IQueue', 'queueArn');
  v.instance('deadLetterTopic', deadLetterTopic, 'an sns.ITopic', 'topicArn');
  if (deadLetterQueue !== undefined && deadLetterTopic !== undefined) {
    v.fail('deadLetterQueue and deadLetterTopic are mutually exclusive: a function has one dead-letter target, got both');
  }
  if (deadLetterQueueEnabled !== undefined && typeof deadLetterQueueEnabled !== 'boolean') {
    v.fail(`deadLetterQueueEnabled must be a boolean, got ${describeValue(deadLetterQueueEnabled)}`);
  }
  if (deadLetterQueueEnabled === false && (deadLetterQueue ?? deadLetterTopic) !== undefined) {
    v.fail(`deadLetterQueueEnabled must not be false with ${deadLetterQueue ? 'deadLetterQueue' : 'deadLetterTopic'}: leave it unset, got false`);
  }
  return {
    retryAttempts: v.count('retryAttempts', retryAttempts, 0, 2),
    maxEventAge: v.duration('maxEventAge', maxEventAge, Duration.minutes(1), Duration.hours(6)),
    deadLetterQueue,
    deadLetterTopic,
    createDeadLetterQueue: deadLetterQueue === undefined && deadLetterTopic === undefined && deadLetterQueueEnabled !== false,
  };
}

/** One log group, JSON format (durable functions require it), created directly (no LogRetention custom resource). */
function resolveLogs(v: PropValidator, props: DurableWorkflowProps): ResolvedLogs {
  const {
    logGroup, logRetention, logRemovalPolicy, logRetentionRole, logRetentionRetryOptions, logFormat, loggingFormat, logGroupEncryptionKey,
  } = props;
  v.instance('logGroup', logGroup, 'a logs.ILogGroup', 'logGroupArn');
  v.instance('logGroupEncryptionKey', logGroupEncryptionKey, 'a kms.IKey', 'keyArn');
  for (const [name, value] of Object.entries({ logFormat, loggingFormat })) {
    if (value !== undefined && value !== lambda.LoggingFormat.JSON) v.fail(`${name} must be JSON (durable functions require JSON logs), got ${describeValue(value)}`);
  }
  if (logGroup !== undefined) {
    if (logRetention !== undefined) v.fail('logGroup and logRetention are mutually exclusive: set the retention on the given log group');
    if (logRemovalPolicy !== undefined) v.fail('logGroup and logRemovalPolicy are mutually exclusive: set the removal policy on the given log group');
    if (logGroupEncryptionKey !== undefined) v.fail('logGroup and logGroupEncryptionKey are mutually exclusive: set the key on the given log group');
  }
  for (const [name, value] of Object.entries({ logRetentionRole, logRetentionRetryOptions })) {
    if (value !== undefined) v.fail(`${name} has no effect: DurableWorkflow creates its log group directly (no LogRetention custom resource)`);
  }
  return { logGroup, retention: logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: logRemovalPolicy, encryptionKey: logGroupEncryptionKey };
}

/** Versions stay: running executions are pinned to the version they started on. */
function resolveVersionOptions(v: PropValidator, options: lambda.VersionOptions | undefined): lambda.VersionOptions {
  const removal = options?.removalPolicy;
  if (removal !== undefined && removal !== RemovalPolicy.RETAIN) {
    v.fail(`currentVersionOptions.removalPolicy must be RETAIN (running executions are pinned to their version), got ${removal}`);
  }
  return { ...options, removalPolicy: RemovalPolicy.RETAIN };
}
