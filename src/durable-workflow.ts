import * as fs from 'fs';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflowAttributes, DurableWorkflowBase, IDurableWorkflow } from './durable-workflow-base';
import { ImportedWorkflow } from './imported-workflow';
import { describeValue, PropValidator } from './validation';
import { routeWorkflowGrants, workflowGrantee } from './workflow-grantee';

/** Runtimes Lambda durable functions support (container images aside). */
const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x', 'python3.13', 'python3.14', 'java17', 'java21', 'java25', 'dotnet8', 'dotnet10'];
const NODE_RUNTIMES = SUPPORTED_RUNTIMES.filter((name) => name.startsWith('nodejs'));

/** Lambda alias names: 1-128 of `[a-zA-Z0-9-_]`, not all digits (that would be a version). */
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/;

/** The actions the durable SDK calls from inside the function. */
const CHECKPOINT_ACTIONS = ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'];

/**
 * Properties of a `DurableWorkflow`.
 *
 * Every `lambda.FunctionOptions` prop works as on `lambda.Function`, with these differences:
 * `timeout` (the limit of one invocation) defaults to 5 minutes (or `executionTimeout`, if shorter) and may
 * not exceed 15 minutes or `executionTimeout`; `logRetention` defaults to one month; the log format is always JSON; and
 * `durableConfig` is replaced by `executionTimeout` and `retentionPeriod`.
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
   * Bundling options for `entry` (esbuild).
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
   * callback payloads. The function's role may decrypt this function's state through Lambda, and a
   * statement for the Lambda service is added to the key policy (a key imported from elsewhere needs
   * that statement added by its owner). `grantRead`, `grantStop`, `grantSendCallback` and `grant`
   * include decrypting this function's state through Lambda, which those APIs need.
   *
   * @default - Lambda encrypts durable state with an AWS owned key
   */
  readonly stateEncryptionKey?: kms.IKey;

  /**
   * The alias every start, permission and trigger uses. It points at the version this deployment
   * publishes.
   *
   * @default 'live'
   */
  readonly aliasName?: string;
}

/**
 * An AWS Lambda durable function ready to run workflows: durable config, JSON logs, a published
 * version that deploys never delete (running executions are pinned to it), an alias that callers
 * invoke, and a least-privilege role that can checkpoint.
 */
export class DurableWorkflow extends DurableWorkflowBase {
  /**
   * Import a workflow defined elsewhere from its unqualified function ARN and its qualifier.
   */
  public static fromWorkflowAttributes(scope: Construct, id: string, attrs: DurableWorkflowAttributes): IDurableWorkflow {
    return ImportedWorkflow.fromWorkflowAttributes(scope, id, attrs);
  }

  /**
   * Import a workflow defined elsewhere from its qualified ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS`).
   */
  public static fromQualifiedArn(scope: Construct, id: string, qualifiedArn: string): IDurableWorkflow {
    return ImportedWorkflow.fromQualifiedArn(scope, id, qualifiedArn);
  }

  /** The Lambda function. Invoke it through `qualifiedArn`, never unqualified. */
  public readonly function: lambda.Function;

  /** The version this deployment publishes. Retained on update and delete. */
  public readonly version: lambda.Version;

  /** The alias (`aliasName`) pointing at `version`. */
  public readonly alias: lambda.Alias;

  /** The function's execution role. */
  public readonly role: iam.IRole;

  /** The log group the function writes to. */
  public readonly logGroup: logs.ILogGroup;

  /** How long one execution may run in total. */
  public readonly executionTimeout: Duration;

  /** How long Lambda keeps an execution's history after it ends. */
  public readonly retentionPeriod: Duration;

  /** The key that encrypts durable state, if one was given. */
  public readonly stateEncryptionKey?: kms.IKey;

  /** The function's name. */
  public readonly functionName: string;

  /** The unqualified function ARN. Start executions with `qualifiedArn`. */
  public readonly functionArn: string;

  /** The alias name, which every start, permission and trigger uses. */
  public readonly qualifier: string;

  /** The alias ARN: what callers invoke to start an execution. */
  public readonly qualifiedArn: string;

  /** The function's role: grants to the workflow give the function permissions. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** Grants from workflows to this one, created on first use: see workflow-grantee.ts for why they are apart. */
  private workflowGrantsPolicy?: iam.Policy;

  constructor(scope: Construct, id: string, props: DurableWorkflowProps) {
    super(scope, id);
    // Annotated so that `v.fail(...)` (returns never) narrows types after it.
    const v: PropValidator = new PropValidator(this);
    if (typeof props !== 'object' || props === null) v.fail(`props must be an object with entry or code, got ${describeValue(props)}`);

    const {
      entry, handler, code, bundling, depsLockFilePath, projectRoot, runtime: runtimeProp,
      executionTimeout: executionTimeoutProp, retentionPeriod: retentionPeriodProp, stateEncryptionKey, aliasName: aliasNameProp,
      timeout: timeoutProp, role: roleProp, logGroup: logGroupProp, logRetention, logRemovalPolicy,
      logRetentionRole, logRetentionRetryOptions, logFormat, loggingFormat, durableConfig, currentVersionOptions,
      ...functionOptions
    } = props;

    // Durable config: whole seconds / whole days, within what CloudFormation accepts.
    if (durableConfig !== undefined) {
      v.fail('durableConfig is set by DurableWorkflow: use the executionTimeout and retentionPeriod props instead');
    }
    const executionTimeout = v.duration('executionTimeout', executionTimeoutProp, Duration.seconds(1), Duration.days(366))
      ?? Duration.days(14);
    const retentionPeriod = v.wholeDays('retentionPeriod', retentionPeriodProp, 1, 90) ?? Duration.days(30);
    this.executionTimeout = executionTimeout;
    this.retentionPeriod = retentionPeriod;
    const shortExecution = !executionTimeout.isUnresolved() && executionTimeout.toSeconds() < Duration.minutes(5).toSeconds();
    const timeout = v.duration('timeout', timeoutProp, Duration.seconds(1), Duration.minutes(15))
      ?? (shortExecution ? executionTimeout : Duration.minutes(5));
    if (!timeout.isUnresolved() && !executionTimeout.isUnresolved() && timeout.toMilliseconds() > executionTimeout.toMilliseconds()) {
      v.fail(`timeout must not exceed executionTimeout (${executionTimeout.toHumanString()}), got ${timeout.toHumanString()}`);
    }

    // Construct-typed props: JavaScript callers can pass anything, and aws-cdk-lib would fail with a TypeError.
    v.instance('role', roleProp, 'an iam.IRole', 'roleArn');
    v.instance('logGroup', logGroupProp, 'a logs.ILogGroup', 'logGroupArn');
    v.instance('stateEncryptionKey', stateEncryptionKey, 'a kms.IKey', 'keyArn');

    // Code: exactly one of entry and code; the runtime must run durable functions.
    v.string('entry', entry);
    v.string('handler', handler);
    if (entry !== undefined && code !== undefined) v.fail('entry and code are mutually exclusive: give one of them, got both');
    if (entry === undefined && code === undefined) v.fail('one of entry (a handler file to bundle) or code (prebuilt code) is required, got neither');
    v.instance('code', code, 'a lambda.Code', 'bind');
    const imageCode = code instanceof lambda.EcrImageCode || code instanceof lambda.AssetImageCode;
    const runtime = runtimeProp ?? (imageCode ? lambda.Runtime.FROM_IMAGE : lambda.Runtime.NODEJS_24_X);
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
    } else {
      if (handler === undefined && !isImage) v.fail("handler is required with code: the runtime's handler string, e.g. 'index.handler'");
      for (const [name, value] of Object.entries({ bundling, depsLockFilePath, projectRoot })) {
        if (value !== undefined) v.fail(`${name} applies only to entry bundling, but code was given`);
      }
    }

    const aliasName = v.string('aliasName', aliasNameProp) ?? 'live';
    v.pattern('aliasName', aliasName, ALIAS_NAME, "1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name)");

    // Logs: one log group, JSON format (durable functions require it).
    for (const [name, value] of Object.entries({ logFormat, loggingFormat })) {
      if (value !== undefined && value !== lambda.LoggingFormat.JSON) v.fail(`${name} must be JSON (durable functions require JSON logs), got ${describeValue(value)}`);
    }
    if (logGroupProp !== undefined) {
      if (logRetention !== undefined) v.fail('logGroup and logRetention are mutually exclusive: set the retention on the given log group');
      if (logRemovalPolicy !== undefined) v.fail('logGroup and logRemovalPolicy are mutually exclusive: set the removal policy on the given log group');
    }
    for (const [name, value] of Object.entries({ logRetentionRole, logRetentionRetryOptions })) {
      if (value !== undefined) v.fail(`${name} has no effect: DurableWorkflow creates its log group directly (no LogRetention custom resource)`);
    }

    // Versions stay: running executions are pinned to the version they started on.
    const versionRemoval = currentVersionOptions?.removalPolicy;
    if (versionRemoval !== undefined && versionRemoval !== RemovalPolicy.RETAIN) {
      v.fail(`currentVersionOptions.removalPolicy must be RETAIN (running executions are pinned to their version), got ${versionRemoval}`);
    }

    // Without a given role: no managed policies (the durable one allows logs and checkpoints on `*`).
    this.role = roleProp ?? new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // lambda.Function adds this one only when it creates the role itself.
      managedPolicies: functionOptions.vpc
        ? [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')]
        : undefined,
    });
    this.grantPrincipal = this.role;

    const logGroup = logGroupProp ?? new logs.LogGroup(this, 'LogGroup', {
      retention: logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy,
    });

    const options: lambda.FunctionOptions = {
      ...functionOptions,
      role: this.role,
      timeout,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      durableConfig: { executionTimeout, retentionPeriod },
      currentVersionOptions: { ...currentVersionOptions, removalPolicy: RemovalPolicy.RETAIN },
    };
    this.function = entry !== undefined
      ? new nodejs.NodejsFunction(this, 'Function', {
        ...options,
        entry,
        handler,
        runtime,
        depsLockFilePath,
        projectRoot,
        // `cdk-durable-workflow/runtime` without the client in `workflow` (see the package's exports); `module` is
        // esbuild's default condition, which naming any condition drops. A user's own `--conditions` replaces both.
        bundling: { ...bundling, esbuildArgs: { '--conditions': 'cdk-durable-workflow-handler,module', ...bundling?.esbuildArgs } },
      })
      : new lambda.Function(this, 'Function', {
        ...options,
        code: code!,
        runtime,
        handler: handler ?? lambda.Handler.FROM_IMAGE,
      });
    this.logGroup = this.function.logGroup;
    this.functionName = this.function.functionName;
    this.functionArn = this.function.functionArn;

    // The function writes its own log streams only.
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [this.logGroup.logGroupArn],
    });

    // Checkpoint permissions name the function's own ARN. In the role's default policy (which the
    // function depends on) that would be a dependency cycle, so they get a policy of their own.
    const checkpointPolicy = new iam.Policy(this, 'CheckpointPolicy', {
      statements: [new iam.PolicyStatement({ actions: CHECKPOINT_ACTIONS, resources: [this.executionArnPattern] })],
      roles: [this.role],
    });
    const fnLogicalId = Stack.of(this).resolve((this.function.node.defaultChild as lambda.CfnFunction).logicalId);
    Validations.of(checkpointPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
      reason: 'Durable execution ARNs are function:NAME:VERSION/durable-execution/NAME/ID: the version and execution '
        + "parts are only known at run time, so checkpoint permissions are scoped to this function's ARN followed by :*",
    });

    // Grants from workflows name a function or alias: kept out of the default policy (a cycle otherwise).
    routeWorkflowGrants(this.role, () => this.workflowGrantsPolicy ??= new iam.Policy(this, 'WorkflowGrantsPolicy', { roles: [this.role] }));

    if (stateEncryptionKey) {
      this.stateEncryptionKey = stateEncryptionKey;
      this.configureStateEncryption(stateEncryptionKey, checkpointPolicy);
    }

    this.version = this.function.currentVersion;
    this.alias = new lambda.Alias(this, 'Alias', { aliasName, version: this.version });
    // Callers start executions through the alias: by then the function can checkpoint.
    this.alias.node.addDependency(checkpointPolicy);
    this.qualifier = aliasName;
    this.qualifiedArn = this.alias.functionArn;
  }

  /**
   * Grant the given identity permission to describe executions, read their history and list them,
   * and, with a `stateEncryptionKey`, to decrypt their data through Lambda.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.withStateDecrypt(grantee, super.grantRead(grantee));
  }

  /**
   * Grant the given identity custom actions on this workflow's executions, and, with a
   * `stateEncryptionKey`, permission to decrypt their data through Lambda (stopping an execution
   * and sending a callback need it too).
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.withStateDecrypt(grantee, super.grant(grantee, ...actions));
  }

  /** Triggers invoke the alias, so their permissions and mappings depend on it. */
  protected get qualifiedFunction(): lambda.IFunction {
    return this.alias;
  }

  protected get executionTimeoutHint(): Duration | undefined {
    return this.executionTimeout;
  }

  private configureStateEncryption(key: kms.IKey, checkpointPolicy: iam.Policy) {
    // aws-cdk-lib's durableConfig has no key prop yet: set DurableConfig.KMSKeyArn on the L1.
    (this.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('DurableConfig.KMSKeyArn', key.keyArn);
    // The function reads its state through Lambda with its own credentials; Lambda encrypts as the
    // service. The statement names the function's ARN, so it joins the checkpoint policy (no cycle).
    checkpointPolicy.addStatements(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: this.stateKeyConditions(),
    }));
    // Lambda encrypts stored state (inputs, checkpoints, callback results) as the service itself,
    // for this account's functions only. No-op for a key imported from elsewhere.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowLambdaDurableExecutionState',
      principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
  }

  /**
   * Adds `kms:Decrypt` of this workflow's state to a grant, when state is encrypted. In the identity
   * policy, so it works for imported keys whose key policy delegates to IAM, as the default key policy does.
   */
  private withStateDecrypt(grantee: iam.IGrantable, grant: iam.Grant): iam.Grant {
    if (!this.stateEncryptionKey) return grant;
    return grant.combine(iam.Grant.addToPrincipal({
      grantee: workflowGrantee(grantee),
      actions: ['kms:Decrypt'],
      resourceArns: [this.stateEncryptionKey.keyArn],
      conditions: this.stateKeyConditions(),
    }));
  }

  /** Only through Lambda, and only this function's state (Lambda puts its ARN in the encryption context). */
  private stateKeyConditions(): Record<string, Record<string, unknown>> {
    const stack = Stack.of(this);
    return {
      StringEquals: {
        'kms:ViaService': `lambda.${stack.region}.${stack.urlSuffix}`,
        'kms:EncryptionContext:aws:lambda:FunctionArn': this.functionArn,
      },
    };
  }
}
