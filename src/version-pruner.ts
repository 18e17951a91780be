import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Aws, CfnElement, Duration, Lazy, Stack, Token } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import { executionArns } from './durable-workflow-grants';
import { acknowledgeRule, AWS_SOLUTIONS, COMPLIANCE, INLINE_POLICY_REASON, SERVERLESS } from './nag-acknowledgements';
import { schedulerRole } from './triggers';
import { PropValidator } from './validation';
import { VersionPrunerFunction } from './version-pruner-function';

/** The construct id of a stack's pruner: fixed, so that every workflow of the stack finds the same one. */
const PRUNER_ID = 'DurableWorkflowVersionPruner';

/** Lambda allows 4 KB of environment variables per function, names and values together. */
const ENVIRONMENT_LIMIT = 4096;
/** What the generated function sets besides PRUNE_TARGETS. */
const OTHER_ENVIRONMENT = 'AWS_NODEJS_CONNECTION_REUSE_ENABLED'.length + '1'.length;
/** A name CloudFormation generates is only known at deploy time: counted at Lambda's maximum. */
const MAX_FUNCTION_NAME = 64;
/** A count given as a token, counted at the digits of the largest integer. */
const MAX_COUNT_DIGITS = 16;

/** A workflow's function, as the pruner needs it. */
export interface PrunedFunction {
  readonly function: lambda.Function;
  /** The alias whose moves start a prune. */
  readonly alias: lambda.Alias;
  /** How many of the newest versions are always kept. */
  readonly keepLatest: number;
  /** The function name when given as a literal (`functionName`), to size the configuration exactly. */
  readonly literalName?: string;
}

/**
 * The one version pruner of a stack: the bundled `version-pruner.lambda.ts` function, configured with
 * every workflow of the stack that prunes (`PRUNE_TARGETS`), run daily by EventBridge Scheduler and
 * after every deployment that moves one of their aliases. Its role may list and delete versions of
 * those functions only.
 */
export class VersionPruner extends Construct {
  /** The stack's pruner, created with the first workflow that prunes. */
  public static of(scope: IConstruct): VersionPruner {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PRUNER_ID);
    if (existing instanceof VersionPruner) return existing;
    if (existing) throw new Error(`${stack.node.path}: the construct id ${PRUNER_ID} is reserved for the version pruner of DurableWorkflow`);
    return new VersionPruner(stack, PRUNER_ID);
  }

  /** The pruner that prunes this function's versions, if any. */
  public static forFunction(fn: lambda.IFunction): VersionPruner | undefined {
    const pruner = Stack.of(fn).node.tryFindChild(PRUNER_ID);
    return pruner instanceof VersionPruner && pruner.pruned.some((p) => p.function === fn) ? pruner : undefined;
  }

  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Runs the pruner once a day. */
  public readonly schedule: scheduler.Schedule;
  /** Runs the pruner after CloudFormation has moved a pruned workflow's alias. */
  public readonly afterDeploy: events.Rule;

  private readonly pruned: PrunedFunction[] = [];
  private failures?: cloudwatch.Alarm;
  private readonly failureActionArns = new Set<string>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Deletes versions of the durable workflows of stack ${stack.stackName} that nothing needs any more`,
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    this.function = new VersionPrunerFunction(this, 'Function', {
      description: 'Deletes versions of durable workflows that no alias, newest-n or RUNNING execution needs (cdk-durable-workflow)',
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Listing every version's RUNNING executions is bounded by Lambda's 15 requests a second.
      timeout: Duration.minutes(15),
      memorySize: 256,
      environment: { PRUNE_TARGETS: Lazy.string({ produce: () => stack.toJsonString(pruneTargets(this.pruned)) }) },
    });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [this.logGroup.logGroupArn],
    });

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      description: `Prunes the versions of the durable workflows of stack ${stack.stackName}`,
      target: new InvokeUnqualified(this.function, { input: scheduler.ScheduleTargetInput.fromObject({}), role: schedulerRole(this) }),
    });

    // CloudFormation reports each resource's status to EventBridge: an alias's UPDATE_COMPLETE comes after
    // it moved to the new version (and after a CodeDeploy shift ended). Asynchronous by nature: the deploy
    // neither waits for the pruner nor fails with it.
    this.afterDeploy = new events.Rule(this, 'AfterDeploy', {
      description: `Prunes a durable workflow of stack ${stack.stackName} after its alias moved`,
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Resource Status Change'],
        detail: {
          'stack-id': [Aws.STACK_ID],
          'resource-type': ['AWS::Lambda::Alias'],
          'logical-resource-id': Lazy.list({ produce: () => this.pruned.map((p) => (p.alias.node.defaultChild as CfnElement).logicalId) }),
          'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
        },
      },
    });
    // The alias's physical id is its ARN; the pruner takes the function name from it.
    this.afterDeploy.addTarget(new eventsTargets.LambdaFunction(this.function, {
      event: events.RuleTargetInput.fromObject({ functionName: events.EventField.fromPath('$.detail.physical-resource-id') }),
    }));
    this.acknowledgeFindings();
  }

  /** What cdk-nag asks of any function, and this one does without, each for its reason. */
  private acknowledgeFindings(): void {
    const missedRun = 'A run that fails is counted in the pruner\'s Errors (prunerFailuresAlarm) and made up by the next one, '
      + 'daily at the latest: its events carry nothing that a later run would not find again';
    acknowledgeRule(this.function, [...SERVERLESS, ...COMPLIANCE], 'LambdaDLQ', missedRun);
    acknowledgeRule(this.afterDeploy, SERVERLESS, 'EventBusDLQ', missedRun);
    acknowledgeRule(this.function, SERVERLESS, 'LambdaTracing', 'A maintenance function of a few Lambda API calls a day, '
      + 'each decision logged as a JSON line; tracing would add X-Ray permissions on *');
    acknowledgeRule(this.function, COMPLIANCE, 'LambdaConcurrency', 'It runs daily and after deploys; reserved concurrency '
      + 'would come out of the account\'s unreserved pool, which a new account (10) cannot spare');
    acknowledgeRule(this.function, COMPLIANCE, 'LambdaInsideVPC', 'It calls the Lambda API only, on its public endpoint; '
      + 'in a VPC it would need a NAT gateway or a Lambda interface endpoint');
    acknowledgeRule(this.logGroup, COMPLIANCE, 'CloudWatchLogGroupEncrypted', 'Its lines hold function names, version '
      + 'numbers and counts of running executions, no execution data');
    acknowledgeRule(this.role, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
  }

  /**
   * Prunes `pruned.function` from now on: adds it to the configuration, the permissions and the
   * after-deploy rule. Fails through `v` when the configuration would outgrow Lambda's environment limit.
   */
  public add(v: PropValidator, pruned: PrunedFunction): void {
    const size = this.environmentSize([...this.pruned, pruned]);
    if (size > ENVIRONMENT_LIMIT) {
      v.fail('versionRetention must fit the stack\'s version pruner: its list of workflows (environment variable PRUNE_TARGETS) '
        + `would take up to ${size} bytes of Lambda's ${ENVIRONMENT_LIMIT} with this workflow (${this.pruned.length + 1} workflows in the stack; `
        + `a function name CloudFormation generates counts as ${MAX_FUNCTION_NAME} characters). Give some workflows VersionRetention.all() `
        + `or a short functionName, or move them to another stack, got VersionRetention.keepLatest(${pruned.keepLatest})`);
    }
    this.pruned.push(pruned);

    const functionArn = pruned.function.functionArn;
    // Listing authorizes on the function ARN as the request names it: unqualified, or qualified by the version asked about.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListDurableExecutionsByFunction'],
      resources: [functionArn],
    }));
    // DeleteFunction on versions only: on the unqualified ARN it would delete the whole function.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:ListDurableExecutionsByFunction', 'lambda:DeleteFunction'],
      resources: [executionArns(functionArn)],
    }));
    const fnLogicalId = Stack.of(this).resolve((pruned.function.node.defaultChild as CfnElement).logicalId);
    // On the role: CDK moves statements of a large default policy into overflow managed policies, its children.
    acknowledgeRule(this.role, AWS_SOLUTIONS, 'IAM5',
      'Versions are deleted as function:NAME:VERSION, and their executions listed with the version as qualifier: the '
      + 'version numbers are only known at run time, so these two actions are scoped to this function\'s ARN followed by :*',
      `Resource::<${fnLogicalId}.Arn>:*`);
  }

  /** Failed runs: the pruner throws when a run cannot finish (throttled, or a call failed), and when it crashes. */
  public metricFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** The stack's one alarm on failed runs, created on first use. */
  public failuresAlarm(): cloudwatch.Alarm {
    this.failures ??= this.metricFailures({ period: Duration.minutes(5) }).createAlarm(this, 'FailuresAlarm', {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `The version pruner of stack ${Stack.of(this).stackName} failed: old versions of its durable workflows `
        + 'were not all pruned. Its log group has one JSON line per decision and error.',
    });
    return this.failures;
  }

  /** Adds an action to the failures alarm once, however many `DurableWorkflowAlarms` of the stack ask for it. */
  public addFailuresAlarmAction(action: cloudwatch.IAlarmAction): void {
    const alarm = this.failuresAlarm();
    const arn = JSON.stringify(Stack.of(this).resolve(action.bind(this, alarm).alarmActionArn));
    if (this.failureActionArns.has(arn)) return;
    this.failureActionArns.add(arn);
    alarm.addAlarmAction(action);
  }

  /** An upper bound of the pruner's environment size in bytes, with these functions: `pruneTargets` as JSON. */
  private environmentSize(pruned: PrunedFunction[]): number {
    const groups = [...byKeepLatest(pruned)].map(([keepLatest, functions]) => {
      const count = Token.isUnresolved(keepLatest) ? MAX_COUNT_DIGITS : String(keepLatest).length;
      const names = functions.reduce((sum, p) => sum + ',""'.length + (p.literalName?.length ?? MAX_FUNCTION_NAME), 0);
      return '[]'.length + count + names;
    });
    const json = '[]'.length + groups.reduce((sum, group) => sum + group, 0) + Math.max(0, groups.length - 1);
    return 'PRUNE_TARGETS'.length + json + OTHER_ENVIRONMENT;
  }
}

/**
 * PRUNE_TARGETS: one group `[keepLatest, ...functionNames]` per count, e.g. `[[3,"orders","billing"],[5,"audit"]]`.
 * Lambda allows 4 KB of environment, so each name costs only its quotes and a comma: 60 workflows with generated
 * names (64 characters at most) fit, more than the 54 default workflows that a stack holds within CloudFormation's
 * 500 resources. Groups, not an object keyed by count: two counts given as different tokens may resolve to the same
 * number, and as JSON keys they would collide.
 */
function pruneTargets(pruned: PrunedFunction[]): unknown[][] {
  return [...byKeepLatest(pruned)].map(([keepLatest, functions]) => [keepLatest, ...functions.map((p) => p.function.functionName)]);
}

/** The pruned functions by how many versions they keep, in the order they were added. */
function byKeepLatest(pruned: PrunedFunction[]): Map<number, PrunedFunction[]> {
  const groups = new Map<number, PrunedFunction[]>();
  for (const p of pruned) groups.set(p.keepLatest, [...groups.get(p.keepLatest) ?? [], p]);
  return groups;
}

/**
 * A Scheduler target that invokes the function itself (`$LATEST`): its role may invoke the unqualified
 * ARN only, where `LambdaInvoke` grants every version and alias too (`functionArn:*`).
 */
class InvokeUnqualified extends schedulerTargets.ScheduleTargetBase {
  constructor(private readonly fn: lambda.IFunction, props: schedulerTargets.ScheduleTargetBaseProps) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    this.fn.grantInvokeLatestVersion(role);
  }
}
