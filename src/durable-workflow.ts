import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflowAttributes, DurableWorkflowBase, IDurableWorkflow } from './durable-workflow-base';
import { executionArns, stateKeyConditions, WorkflowPrincipal } from './durable-workflow-grants';
import { DurableWorkflowProps, ResolvedLogs, ResolvedProps, resolveProps } from './durable-workflow-props';
import { ImportedWorkflow } from './imported-workflow';
import { createRollout, ResolvedRollout } from './rollout';
import { PropValidator } from './validation';
import { VersionPruner } from './version-pruner';

/** The actions the durable SDK calls from inside the function. */
const CHECKPOINT_ACTIONS = ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'];

const DURABLE_WORKFLOW_SYMBOL = Symbol.for('cdk-durable-workflow.DurableWorkflow');

/**
 * An AWS Lambda durable function ready to run workflows: durable config, JSON logs, a published
 * version that deploys never delete (running executions are pinned to it), an alias that callers
 * invoke, and a least-privilege role that can checkpoint.
 */
export class DurableWorkflow extends DurableWorkflowBase {
  /**
   * Whether `x` is a `DurableWorkflow` defined in this app (an imported workflow is not).
   */
  public static isDurableWorkflow(x: any): x is DurableWorkflow {
    return x !== null && typeof x === 'object' && DURABLE_WORKFLOW_SYMBOL in x;
  }

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

  /**
   * The CodeDeploy deployment group that shifts `alias` to each new version, with `deploymentConfig`.
   * Add alarms or traffic hooks to it (`addAlarm`, `addPreHook`, `addPostHook`).
   */
  public readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;

  /**
   * The function's execution role: the given `role` or the one created. Always set (optional only
   * in type, as on `IDurableWorkflow`, where an imported workflow may have none).
   */
  public readonly role?: iam.IRole;

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

  /**
   * The workflow as a principal: grants to it give its function permissions. Its statements go into
   * a policy of this workflow's own on `role` (`PrincipalPolicy`), which nothing depends on, so a grant
   * that names this workflow or anything that depends on it is never a dependency cycle. Grant to
   * `function` instead for statements that must be in place before the function is created.
   */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: DurableWorkflowProps) {
    super(scope, id);
    Object.defineProperty(this, DURABLE_WORKFLOW_SYMBOL, { value: true });
    const resolved = resolveProps(PropValidator.of(this, 'DurableWorkflow'), props);

    this.executionTimeout = resolved.executionTimeout;
    this.retentionPeriod = resolved.retentionPeriod;
    this.stateEncryptionKey = resolved.stateEncryptionKey;
    const role = resolved.role ?? this.createRole(resolved);
    this.role = role;
    this.grantPrincipal = new WorkflowPrincipal(this, role);

    this.function = this.createFunction(resolved, role, resolved.logs.logGroup ?? this.createLogGroup(resolved.logs));
    this.logGroup = this.function.logGroup;
    this.functionName = this.function.functionName;
    this.functionArn = this.function.functionArn;

    // The function writes its own log streams only; before it runs (the role's default policy).
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [this.logGroup.logGroupArn],
    });
    const checkpointPolicy = this.allowCheckpoints(role);
    if (this.stateEncryptionKey) {
      this.encryptState(this.stateEncryptionKey, checkpointPolicy);
    }

    this.version = this.function.currentVersion;
    this.alias = new lambda.Alias(this, 'Alias', { aliasName: resolved.aliasName, version: this.version });
    // Callers start executions through the alias: by then the function can checkpoint.
    this.alias.node.addDependency(checkpointPolicy);
    this.qualifier = resolved.aliasName;
    this.qualifiedArn = this.alias.functionArn;

    if (resolved.rollout) {
      this.deploymentGroup = this.createDeploymentGroup(resolved.rollout);
    }
    if (resolved.keepLatestVersions !== undefined) {
      this.pruneVersions(resolved.keepLatestVersions, resolved.functionOptions.functionName);
    }
  }

  /** Triggers invoke the alias, so their permissions and mappings depend on it. */
  protected get qualifiedFunction(): lambda.IFunction {
    return this.alias;
  }

  protected get executionTimeoutHint(): Duration | undefined {
    return this.executionTimeout;
  }

  /** Without a given role: no managed policies (the durable one allows logs and checkpoints on `*`). */
  private createRole(resolved: ResolvedProps): iam.IRole {
    return new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // lambda.Function adds this one only when it creates the role itself.
      managedPolicies: resolved.functionOptions.vpc
        ? [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')]
        : undefined,
    });
  }

  private createLogGroup(resolved: ResolvedLogs): logs.ILogGroupRef {
    return new logs.LogGroup(this, 'LogGroup', { retention: resolved.retention, removalPolicy: resolved.removalPolicy });
  }

  private createFunction(resolved: ResolvedProps, role: iam.IRole, logGroup: logs.ILogGroupRef): lambda.Function {
    const options: lambda.FunctionOptions = {
      ...resolved.functionOptions,
      role,
      timeout: resolved.timeout,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      durableConfig: { executionTimeout: resolved.executionTimeout, retentionPeriod: resolved.retentionPeriod },
      currentVersionOptions: resolved.versionOptions,
    };
    const { code, entry, handler, runtime, bundling, depsLockFilePath, projectRoot } = resolved.code;
    return entry !== undefined
      ? new nodejs.NodejsFunction(this, 'Function', { ...options, entry, handler, runtime, bundling, depsLockFilePath, projectRoot })
      : new lambda.Function(this, 'Function', { ...options, code: code!, handler: handler!, runtime });
  }

  /**
   * Checkpoint permissions name the function's own ARN. In the role's default policy (which the
   * function depends on) that would be a dependency cycle, so they get a policy of their own.
   */
  private allowCheckpoints(role: iam.IRole): iam.Policy {
    const checkpointPolicy = new iam.Policy(this, 'CheckpointPolicy', {
      statements: [new iam.PolicyStatement({ actions: CHECKPOINT_ACTIONS, resources: [executionArns(this.functionArn)] })],
      roles: [role],
    });
    const fnLogicalId = Stack.of(this).resolve((this.function.node.defaultChild as lambda.CfnFunction).logicalId);
    Validations.of(checkpointPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
      reason: 'Durable execution ARNs are function:NAME:VERSION/durable-execution/NAME/ID: the version and execution '
        + "parts are only known at run time, so checkpoint permissions are scoped to this function's ARN followed by :*",
    });
    return checkpointPolicy;
  }

  /** CodeDeploy shifts the alias; it moves only once the deployment group and its alarms are in place. */
  private createDeploymentGroup(rollout: ResolvedRollout): codedeploy.LambdaDeploymentGroup {
    const group = createRollout(this, this.alias, this.version, rollout);
    this.alias.node.addDependency(group);
    return group;
  }

  /** The stack's one pruner deletes this function's versions that nothing needs any more. */
  private pruneVersions(keepLatest: number, functionName: string | undefined) {
    VersionPruner.of(this).add(PropValidator.of(this, 'DurableWorkflow'), {
      function: this.function,
      alias: this.alias,
      keepLatest,
      literalName: functionName !== undefined && !Token.isUnresolved(functionName) ? functionName : undefined,
    });
  }

  private encryptState(key: kms.IKey, checkpointPolicy: iam.Policy) {
    // aws-cdk-lib's durableConfig has no key prop yet: set DurableConfig.KMSKeyArn on the L1.
    (this.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('DurableConfig.KMSKeyArn', key.keyArn);
    // The function reads its state through Lambda with its own credentials; Lambda encrypts as the
    // service. The statement names the function's ARN, so it joins the checkpoint policy (no cycle).
    checkpointPolicy.addStatements(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: stateKeyConditions(this),
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
}
