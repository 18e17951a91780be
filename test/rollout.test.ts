// deploymentConfig and deploymentAlarms: CodeDeploy shifts the alias to each new version, rolled back by the
// workflow's own alarms and the user's; everything else about the alias and who may invoke it stays as it was.
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DurableWorkflowProps } from '../src';
import { inlineWorkflow, logicalId, newStack } from './support/synth';

const CANARY = codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;

function synth(props: Partial<DurableWorkflowProps> = { deploymentConfig: CANARY }, app = new App()) {
  const stack = new Stack(app, 'Stack');
  const wf = inlineWorkflow(stack, props);
  return { app, stack, wf, template: Template.fromStack(stack) };
}

function alarmNames(template: Template): unknown {
  return Object.values<any>(template.findResources('AWS::CodeDeploy::DeploymentGroup'))[0].Properties.AlarmConfiguration.Alarms;
}

describe('the deployment group', () => {
  test('a blue/green deployment with traffic control, the given config, rolled back on failure and on alarm', () => {
    const { stack, wf, template } = synth();
    expect(wf.deploymentGroup).toBeInstanceOf(codedeploy.LambdaDeploymentGroup);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 1);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      AlarmConfiguration: { Enabled: true },
      ServiceRoleArn: { 'Fn::GetAtt': [logicalId(stack, wf.deploymentGroup!.role), 'Arn'] },
    });
  });

  test('linear, all at once, or a config of your own', () => {
    synth({ deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE }).template
      .hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' });
    synth({ deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE }).template
      .hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });

    const stack = newStack();
    const config = new codedeploy.LambdaDeploymentConfig(stack, 'Slow', {
      trafficRouting: codedeploy.TrafficRouting.timeBasedCanary({ interval: Duration.minutes(30), percentage: 5 }),
    });
    inlineWorkflow(stack, { deploymentConfig: config });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: { Ref: logicalId(stack, config) } });
  });

  test('no deploymentConfig, no CodeDeploy', () => {
    const { wf, template } = synth({});
    expect(wf.deploymentGroup).toBeUndefined();
    for (const type of ['AWS::CodeDeploy::DeploymentGroup', 'AWS::CodeDeploy::Application', 'AWS::CloudWatch::Alarm']) template.resourceCountIs(type, 0);
  });
});

describe('the alarms that roll a deployment back', () => {
  test('the new version\'s invocation errors through the alias, and failed and timed-out executions; then the user\'s own', () => {
    const stack = newStack();
    const mine = new cloudwatch.Alarm(stack, 'Latency', {
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'CheckoutLatency' }), threshold: 3, evaluationPeriods: 1,
    });
    const wf = inlineWorkflow(stack, { deploymentConfig: CANARY, deploymentAlarms: [mine] });
    const template = Template.fromStack(stack);
    const fn = { Ref: logicalId(stack, wf.function) };
    const common = {
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    };
    const rollout = wf.node.findChild('Rollout');
    const alarm = (id: string) => template.findResources('AWS::CloudWatch::Alarm')[logicalId(stack, rollout.node.findChild(id))].Properties;

    expect(alarm('Errors')).toMatchObject({
      ...common,
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [logicalId(stack, wf.version), 'Version'] } },
        { Name: 'FunctionName', Value: fn },
        { Name: 'Resource', Value: { 'Fn::Join': ['', [fn, ':live']] } },
      ],
    });
    expect(alarm('Failed')).toMatchObject({ ...common, MetricName: 'DurableExecutionFailed', Dimensions: [{ Name: 'FunctionName', Value: fn }] });
    expect(alarm('TimedOut')).toMatchObject({ ...common, MetricName: 'DurableExecutionTimedOut', Dimensions: [{ Name: 'FunctionName', Value: fn }] });
    expect(alarmNames(template)).toEqual(['Errors', 'Failed', 'TimedOut'].map((id) => ({ Name: { Ref: logicalId(stack, rollout.node.findChild(id)) } }))
      .concat([{ Name: { Ref: logicalId(stack, mine) } }]));
  });

  test('alarms added to the deployment group later join them', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, { deploymentConfig: CANARY });
    const imported = cloudwatch.Alarm.fromAlarmName(stack, 'Pager', 'orders-pager');
    wf.deploymentGroup!.addAlarm(imported);
    expect(alarmNames(Template.fromStack(stack))).toContainEqual({ Name: 'orders-pager' });
  });
});

describe('the alias', () => {
  test('CodeDeploy moves it: its update policy names the application and the group, which it waits for', () => {
    const { stack, wf, template } = synth();
    const group = wf.deploymentGroup!;
    const alias = template.findResources('AWS::Lambda::Alias')[logicalId(stack, wf.alias)];
    expect(alias.UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: logicalId(stack, group.application) },
        DeploymentGroupName: { Ref: logicalId(stack, group) },
      },
    });
    expect(alias.DependsOn).toEqual(expect.arrayContaining([logicalId(stack, group)]));
  });

  test('nothing else about it changes: properties, its invoke permissions, grants, the pruner\'s rule', () => {
    const build = (props: Partial<DurableWorkflowProps>) => {
      const stack = newStack();
      const wf = inlineWorkflow(stack, { versionRetention: undefined, ...props });
      wf.addEventRule('OnOrder', { eventPattern: { source: ['shop'] } });
      wf.grantStart(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
      const template = Template.fromStack(stack).toJSON();
      const { UpdatePolicy, DependsOn, ...alias } = template.Resources[logicalId(stack, wf.alias)];
      const ofType = (type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
      return { alias, dependsOn: DependsOn, updatePolicy: UpdatePolicy, permissions: ofType('AWS::Lambda::Permission'), rules: ofType('AWS::Events::Rule'), policies: ofType('AWS::IAM::Policy') };
    };
    const plain = build({});
    const shifted = build({ deploymentConfig: CANARY });

    expect(plain.updatePolicy).toBeUndefined();
    expect(shifted.alias).toEqual(plain.alias);
    expect(shifted.dependsOn).toEqual(expect.arrayContaining(plain.dependsOn));
    expect(shifted.permissions).toEqual(plain.permissions);
    expect(shifted.rules).toEqual(plain.rules);
    // The workflow's, the caller's and the pruner's policies, plus the CodeDeploy role's none (it has a managed policy only).
    expect(shifted.policies).toEqual(plain.policies);
  });
});

test('nag: a workflow with a rollout has no unacknowledged AwsSolutions finding; only the CodeDeploy role\'s managed policy is acknowledged', () => {
  const { app, wf } = synth({ deploymentConfig: CANARY, versionRetention: undefined });
  expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  const role = wf.deploymentGroup!.node.findChild('ServiceRole');
  expect(role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data)))
    .toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]']);
});

describe('bad input fails at synth, naming the prop and the value', () => {
  const alarm = (stack: Stack, id: string) => cloudwatch.Alarm.fromAlarmName(stack, id, id);

  test('deploymentAlarms without deploymentConfig', () => {
    const stack = newStack();
    expect(() => inlineWorkflow(stack, { deploymentAlarms: [alarm(stack, 'A')] })).toThrow("DurableWorkflow 'Stack/Flow': deploymentAlarms must come "
      + 'with deploymentConfig: they roll back a CodeDeploy deployment, and without deploymentConfig the alias moves at once, got 1 alarm and no deploymentConfig');
  });

  test('more alarms than CodeDeploy takes', () => {
    const stack = newStack();
    const alarms = Array.from({ length: 8 }, (_, i) => alarm(stack, `A${i}`));
    expect(() => inlineWorkflow(stack, { deploymentConfig: CANARY, deploymentAlarms: alarms })).toThrow("DurableWorkflow 'Stack/Flow': "
      + "deploymentAlarms must hold at most 7 alarms (CodeDeploy takes 10 per deployment group and the workflow's own 3 come first), got 8");
    expect(() => inlineWorkflow(stack, { deploymentConfig: CANARY, deploymentAlarms: alarms.slice(0, 7) }, 'Seven')).not.toThrow();
  });

  test.each([
    [{ deploymentConfig: 'CodeDeployDefault.LambdaAllAtOnce' as unknown as codedeploy.ILambdaDeploymentConfig }, 'deploymentConfig must be a '
      + "codedeploy.ILambdaDeploymentConfig (LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES, ...), got 'CodeDeployDefault.LambdaAllAtOnce'"],
    [{ deploymentConfig: CANARY, deploymentAlarms: 'pager' as unknown as cloudwatch.IAlarm[] }, "deploymentAlarms must be a list, each a cloudwatch.IAlarm, got 'pager'"],
    [{ deploymentConfig: CANARY, deploymentAlarms: [{} as cloudwatch.IAlarm] }, 'deploymentAlarms[0] must be a cloudwatch.IAlarm, got an object (Object)'],
  ])('%#: %s', (props, message) => {
    expect(() => synth(props)).toThrow(`DurableWorkflow 'Stack/Flow': ${message}`);
  });
});
