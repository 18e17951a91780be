import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import type { IDurableWorkflow } from './durable-workflow-base';
import { acknowledgeRule, AWS_SOLUTIONS, COMPLIANCE } from './nag-acknowledgements';
import { PropValidator } from './validation';

/** CodeDeploy takes at most 10 alarms per deployment group. */
const MAX_ALARMS = 10;
/** The alarms every rollout watches: invocation errors, failed and timed-out executions. */
const DEFAULT_ALARMS = 3;

/** How the alias moves to a new version: through CodeDeploy, watched by these alarms. */
export interface ResolvedRollout {
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /** The user's own alarms, besides the workflow's. */
  readonly alarms: cloudwatch.IAlarm[];
}

/** Checks `deploymentConfig` and `deploymentAlarms`; `undefined` when the alias moves at once (no CodeDeploy). */
export function resolveRollout(
  v: PropValidator, deploymentConfig: codedeploy.ILambdaDeploymentConfig | undefined, deploymentAlarms: cloudwatch.IAlarm[] | undefined,
): ResolvedRollout | undefined {
  v.instance('deploymentConfig', deploymentConfig, 'a codedeploy.ILambdaDeploymentConfig (LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES, ...)', 'deploymentConfigName');
  v.instances('deploymentAlarms', deploymentAlarms, 'a cloudwatch.IAlarm', 'alarmArn');
  if (deploymentAlarms !== undefined) {
    if (deploymentConfig === undefined) {
      v.fail('deploymentAlarms must come with deploymentConfig: they roll back a CodeDeploy deployment, and without '
        + `deploymentConfig the alias moves at once, got ${deploymentAlarms.length} alarm${deploymentAlarms.length === 1 ? '' : 's'} and no deploymentConfig`);
    }
    const room = MAX_ALARMS - DEFAULT_ALARMS;
    if (deploymentAlarms.length > room) {
      v.fail(`deploymentAlarms must hold at most ${room} alarms (CodeDeploy takes ${MAX_ALARMS} per deployment group and the `
        + `workflow's own ${DEFAULT_ALARMS} come first), got ${deploymentAlarms.length}`);
    }
  }
  return deploymentConfig === undefined ? undefined : { deploymentConfig, alarms: deploymentAlarms ?? [] };
}

/**
 * The gradual rollout of a workflow: a CodeDeploy deployment group that shifts `alias` to each new
 * version, rolled back when an alarm goes off. Built as child `Rollout` of the workflow.
 */
export function createRollout(
  workflow: IDurableWorkflow & Construct, alias: lambda.Alias, version: lambda.IVersion, rollout: ResolvedRollout,
): codedeploy.LambdaDeploymentGroup {
  const scope = new Construct(workflow, 'Rollout');
  const period = Duration.minutes(1);
  const name = workflow.functionName;
  const alarm = (id: string, metric: cloudwatch.Metric, description: string) => metric.createAlarm(scope, id, {
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
  const alarms = [
    // Lambda's standard metrics carry the alias (Resource) and, for invokes through it, the version that ran
    // (ExecutedVersion): this counts the new version's errors alone.
    alarm('Errors', new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensionsMap: { FunctionName: name, Resource: `${name}:${alias.aliasName}`, ExecutedVersion: version.version },
      statistic: cloudwatch.Stats.SUM,
      period,
    }), `Invocations of ${name} through ${alias.aliasName} that ran the version being deployed failed`),
    // Durable execution metrics are published per function only, as far as public evidence goes: these count
    // executions of every version, so an old execution failing during a shift rolls it back too.
    alarm('Failed', workflow.metricFailed({ period }), `Durable executions of ${name} failed during a deployment`),
    alarm('TimedOut', workflow.metricTimedOut({ period }), `Durable executions of ${name} timed out during a deployment`),
  ];
  const group = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    alias,
    deploymentConfig: rollout.deploymentConfig,
    alarms: [...alarms, ...rollout.alarms],
  });
  acknowledgeRule(group.node.findChild('ServiceRole'), AWS_SOLUTIONS, 'IAM4',
    'The service role CodeDeploy needs to shift a Lambda alias: AWS\'s managed policy for it, in its Limited variant, '
    + 'which AWS keeps in step with the calls CodeDeploy makes',
    'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited');
  for (const rollback of alarms) {
    acknowledgeRule(rollback, COMPLIANCE, 'CloudWatchAlarmAction', 'CodeDeploy watches this alarm and rolls the deployment '
      + 'back when it goes off: that is its action (add others with addAlarmAction)');
  }
  return group;
}
