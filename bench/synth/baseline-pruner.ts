// The synth baseline's version pruner, wired by hand: one per stack, as DurableWorkflow makes it, running the same
// prebuilt function. It deletes old versions of the stack's workflows daily and after a deploy moved an alias.
import * as path from 'node:path';
import { Aws, CfnElement, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

/**
 * The library's prebuilt pruner code, where bench/build.ts copies it beside the bundled children (src/ finds it the
 * same way): one directory, so both apps stage the same asset.
 */
const CODE_DIR = path.join(__dirname, '..', 'assets', 'version-pruner.lambda');

/** DurableWorkflow's id for it: policy names and descriptions are made from the construct path. */
const ID = 'DurableWorkflowVersionPruner';

export class HandWiredPruner extends Construct {
  /** The stack's pruner, made with its first workflow. */
  public static of(stack: Stack): HandWiredPruner {
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof HandWiredPruner ? existing : new HandWiredPruner(stack);
  }

  private readonly role: iam.Role;
  /** Function names by how many versions they keep: PRUNE_TARGETS is `[[keepLatest, ...names], ...]`. */
  private readonly targets = new Map<number, string[]>();
  private readonly aliases: lambda.Alias[] = [];

  private constructor(stack: Stack) {
    super(stack, ID);
    this.role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Deletes versions of the durable workflows of stack ${stack.stackName} that nothing needs any more`,
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    const fn = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(CODE_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      description: 'Deletes versions of durable workflows that no alias, newest-n or RUNNING execution needs (cdk-durable-workflow)',
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      timeout: Duration.minutes(15),
      memorySize: 256,
      environment: {
        // Known once every workflow of the stack is added.
        PRUNE_TARGETS: Lazy.string({ produce: () => stack.toJsonString([...this.targets].map(([keep, names]) => [keep, ...names])) }),
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      },
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));

    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    });
    fn.grantInvokeLatestVersion(scheduleRole);
    new scheduler.Schedule(this, 'Daily', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      description: `Prunes the versions of the durable workflows of stack ${stack.stackName}`,
      // Invokes $LATEST (the targets in aws-scheduler-targets grant every version too), with Scheduler's default retries.
      target: {
        bind: () => ({
          arn: fn.functionArn,
          role: scheduleRole,
          input: scheduler.ScheduleTargetInput.fromObject({}),
          retryPolicy: { maximumEventAgeInSeconds: Duration.days(1).toSeconds(), maximumRetryAttempts: 185 },
        }),
      },
    });

    new events.Rule(this, 'AfterDeploy', {
      description: `Prunes a durable workflow of stack ${stack.stackName} after its alias moved`,
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Resource Status Change'],
        detail: {
          'stack-id': [Aws.STACK_ID],
          'resource-type': ['AWS::Lambda::Alias'],
          'logical-resource-id': Lazy.list({ produce: () => this.aliases.map((a) => (a.node.defaultChild as CfnElement).logicalId) }),
          'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
        },
      },
      targets: [new eventsTargets.LambdaFunction(fn, {
        event: events.RuleTargetInput.fromObject({ functionName: events.EventField.fromPath('$.detail.physical-resource-id') }),
      })],
    });
  }

  /** Prunes `fn`'s versions, keeping the newest `keepLatest`, and after each move of `alias`. */
  public add(fn: lambda.Function, alias: lambda.Alias, keepLatest: number): void {
    this.targets.set(keepLatest, [...this.targets.get(keepLatest) ?? [], fn.functionName]);
    this.aliases.push(alias);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListDurableExecutionsByFunction'],
      resources: [fn.functionArn],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:ListDurableExecutionsByFunction', 'lambda:DeleteFunction'],
      resources: [`${fn.functionArn}:*`],
    }));
  }
}
