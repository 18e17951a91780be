import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Duration, Stack, Token } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflowAttributes, DurableWorkflowBase, IDurableWorkflow } from './durable-workflow-base';
import { executionArns, WorkflowPrincipal } from './durable-workflow-grants';
import { DurableWorkflowProps, ResolvedLogs, ResolvedProps, resolveProps } from './durable-workflow-props';
import {
  allowLambdaService, allowLogsService, checkKey, fixedFunctionName, fixedLogGroupName, functionArnOf, logGroupArnOf, stateKeyConditions,
} from './encryption-keys';
import { ImmutableRoleReport, isImmutableRole } from './immutable-role';
import { ImportedWorkflow } from './imported-workflow';
import { acknowledgeRule, AWS_SOLUTIONS, COMPLIANCE, INLINE_POLICY_REASON, SERVERLESS } from './nag-acknowledgements';
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

  /**
   * The dead-letter queue: the given `deadLetterQueue`, or the one created. Undefined with `deadLetterTopic` or
   * `deadLetterQueueEnabled: false`. AWS recommends an alarm on its `ApproximateNumberOfMessagesVisible`.
   */
  public readonly deadLetterQueue?: sqs.IQueue;

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
    const v = PropValidator.of(this, 'DurableWorkflow');
    const resolved = resolveProps(v, props);
    const key = resolved.stateEncryptionKey;
    if (key) checkKey(v, 'stateEncryptionKey', key, this, 'Lambda durable state');
    if (resolved.logs.encryptionKey) checkKey(v, 'logGroupEncryptionKey', resolved.logs.encryptionKey, this, 'CloudWatch Logs');

    this.executionTimeout = resolved.executionTimeout;
    this.retentionPeriod = resolved.retentionPeriod;
    this.stateEncryptionKey = key;
    // An immutable role gets nothing attached: what the workflow would add is reported instead.
    const immutable = resolved.role && isImmutableRole(resolved.role) ? new ImmutableRoleReport(this, 'ImmutableRoleReport', resolved.role) : undefined;
    const role = immutable ?? resolved.role ?? this.createRole(resolved);
    this.role = resolved.role ?? role;
    this.grantPrincipal = new WorkflowPrincipal(this, role, immutable === undefined);

    // The key policy must name the function before it exists: by a name fixed now, not by a reference to the function.
    const functionName = key ? fixedFunctionName(this, resolved.functionOptions.functionName) : resolved.functionOptions.functionName;
    const { deadLetterQueue, createDeadLetterQueue } = resolved.asyncInvoke;
    this.deadLetterQueue = deadLetterQueue ?? (createDeadLetterQueue ? this.createDeadLetterQueue(key) : undefined);
    this.function = this.createFunction(resolved, role, functionName, resolved.logs.logGroup ?? this.createLogGroup(resolved.logs));
    this.logGroup = this.function.logGroup;
    this.functionName = this.function.functionName;
    this.functionArn = this.function.functionArn;

    // The function writes its own log streams only; before it runs (the role's default policy).
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [this.logGroup.logGroupArn],
    });
    const checkpointPolicy = this.allowCheckpoints(role, key, immutable === undefined);
    if (key) this.encryptState(key, functionArnOf(this, functionName!));
    if (!resolved.role) this.acknowledgeRoleFindings(role, resolved);

    this.version = this.function.currentVersion;
    this.alias = new lambda.Alias(this, 'Alias', { aliasName: resolved.aliasName, version: this.version });
    // Callers start executions through the alias: by then the function can checkpoint.
    if (checkpointPolicy) this.alias.node.addDependency(checkpointPolicy);
    const { retryAttempts, maxEventAge } = resolved.asyncInvoke;
    if (retryAttempts !== undefined || maxEventAge !== undefined) this.alias.configureAsyncInvoke({ retryAttempts, maxEventAge });
    this.qualifier = resolved.aliasName;
    this.qualifiedArn = this.alias.functionArn;

    if (resolved.rollout) {
      this.deploymentGroup = this.createDeploymentGroup(resolved.rollout);
    }
    if (resolved.keepLatestVersions !== undefined) {
      this.pruneVersions(resolved.keepLatestVersions, functionName);
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

  /** With a key, the log group's name is fixed now: the key policy names it before it exists. */
  private createLogGroup(resolved: ResolvedLogs): logs.ILogGroupRef {
    const { retention, removalPolicy, encryptionKey } = resolved;
    const logGroupName = encryptionKey ? fixedLogGroupName(this) : undefined;
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention, removalPolicy, encryptionKey, logGroupName });
    if (encryptionKey) allowLogsService(this, encryptionKey, logGroupArnOf(this, logGroupName!));
    return logGroup;
  }

  /**
   * Where Lambda sends the event of an asynchronous start whose execution failed, stopped or timed out. It holds the
   * start's payload, so with a state key it is encrypted with that key, which the role may use through SQS for it alone.
   */
  private createDeadLetterQueue(key: kms.IKey | undefined): sqs.IQueue {
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      ...(key ? { encryptionMasterKey: key } : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    });
    const reason = 'This queue is the dead-letter queue of the workflow\'s function (its DeadLetterConfig), which '
      + 'cdk-nag does not see: a dead-letter queue of its own would only move the question';
    acknowledgeRule(queue, AWS_SOLUTIONS, 'SQS3', reason);
    acknowledgeRule(queue, SERVERLESS, 'SQSRedrivePolicy', reason);
    return queue;
  }

  private createFunction(resolved: ResolvedProps, role: iam.IRole, functionName: string | undefined, logGroup: logs.ILogGroupRef): lambda.Function {
    const options: lambda.FunctionOptions = {
      ...resolved.functionOptions,
      functionName,
      role,
      timeout: resolved.timeout,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      durableConfig: { executionTimeout: resolved.executionTimeout, retentionPeriod: resolved.retentionPeriod },
      currentVersionOptions: resolved.versionOptions,
      deadLetterQueue: this.deadLetterQueue,
      deadLetterTopic: resolved.asyncInvoke.deadLetterTopic,
    };
    const { code, entry, handler, runtime, bundling, depsLockFilePath, projectRoot } = resolved.code;
    const fn = entry !== undefined
      ? new nodejs.NodejsFunction(this, 'Function', { ...options, entry, handler, runtime, bundling, depsLockFilePath, projectRoot })
      : new lambda.Function(this, 'Function', { ...options, code: code!, handler: handler!, runtime });
    if (this.deadLetterQueue?.encryptionMasterKey) {
      // Lambda sends to the queue with the role's credentials; SQS encrypts under the queue's ARN.
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resourceArns: [this.deadLetterQueue.encryptionMasterKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` },
          ArnEquals: { 'kms:EncryptionContext:aws:sqs:arn': this.deadLetterQueue.queueArn },
        },
      });
    }
    return fn;
  }

  /**
   * Checkpoint permissions, and with a state key the decrypting of this function's state through Lambda (which the
   * function reads with its role's credentials), name the function's own ARN. In the role's default policy (which the
   * function depends on) that would be a dependency cycle, so they get a policy of their own. An immutable role gets
   * none: they are reported.
   */
  private allowCheckpoints(role: iam.IRole, key: kms.IKey | undefined, attach: boolean): iam.Policy | undefined {
    const statements = [new iam.PolicyStatement({ actions: CHECKPOINT_ACTIONS, resources: [executionArns(this.functionArn)] })];
    if (key) statements.push(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: stateKeyConditions(this) }));
    if (!attach) {
      statements.forEach((statement) => role.addToPrincipalPolicy(statement));
      return undefined;
    }
    const checkpointPolicy = new iam.Policy(this, 'CheckpointPolicy', { statements, roles: [role] });
    const fnLogicalId = Stack.of(this).resolve((this.function.node.defaultChild as lambda.CfnFunction).logicalId);
    acknowledgeRule(checkpointPolicy, AWS_SOLUTIONS, 'IAM5',
      'Durable execution ARNs are function:NAME:VERSION/durable-execution/NAME/ID: the version and execution '
      + "parts are only known at run time, so checkpoint permissions are scoped to this function's ARN followed by :*",
      `Resource::<${fnLogicalId}.Arn>:*`);
    acknowledgeRule(checkpointPolicy, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
    return checkpointPolicy;
  }

  /** What the role DurableWorkflow creates brings with it: the VPC policy lambda.Function would attach, X-Ray's `*`. */
  private acknowledgeRoleFindings(role: iam.IRole, resolved: ResolvedProps): void {
    if (resolved.functionOptions.vpc) {
      acknowledgeRule(role, AWS_SOLUTIONS, 'IAM4',
        'With vpc, the function needs to create and delete its network interfaces: lambda.Function attaches AWS\'s managed '
        + 'policy for it to a role it creates, and DurableWorkflow does the same to the role it creates instead',
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
    }
    const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
    if (!defaultPolicy) return;
    acknowledgeRule(defaultPolicy, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
    const tracing = resolved.functionOptions.tracing;
    if (tracing !== undefined && tracing !== lambda.Tracing.DISABLED) {
      acknowledgeRule(defaultPolicy, AWS_SOLUTIONS, 'IAM5',
        'With tracing, lambda.Function allows xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray authorizes '
        + 'on no resource narrower than *', 'Resource::*');
    }
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

  /**
   * Lambda encrypts durable state as the service (https://docs.aws.amazon.com/lambda/latest/dg/durable-encryption.html):
   * the key policy names the function by `functionArn`, fixed before the function exists.
   */
  private encryptState(key: kms.IKey, functionArn: string) {
    // aws-cdk-lib's durableConfig has no key prop yet: set DurableConfig.KMSKeyArn on the L1.
    (this.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('DurableConfig.KMSKeyArn', key.keyArn);
    allowLambdaService(this, key, functionArn);
  }
}
