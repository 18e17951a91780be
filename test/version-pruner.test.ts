// The stack's version pruner as CloudFormation gets it: one per stack, configured with every workflow that prunes,
// allowed to list and delete those functions' versions only, run daily and after an alias moved, clean under cdk-nag.
// What it decides at run time: version-pruner.lambda.test.ts.
import { App, CfnParameter, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DurableWorkflow, DurableWorkflowProps, VersionRetention } from '../src';
import { VersionPruner } from '../src/version-pruner';
import { executionArns, inlineWorkflow, logicalId, newStack, onlyResource } from './support/synth';

/** A workflow with the default retention (keepLatest(3)) unless another is given. */
function pruned(stack: Stack, id: string, props: Partial<DurableWorkflowProps> = {}): DurableWorkflow {
  return inlineWorkflow(stack, { versionRetention: undefined, ...props }, id);
}

function prunerOf(stack: Stack): VersionPruner {
  const pruner = stack.node.tryFindChild('DurableWorkflowVersionPruner');
  expect(pruner).toBeInstanceOf(VersionPruner);
  return pruner as VersionPruner;
}

/** PRUNE_TARGETS as the pruner will read it, with each function name shown as the logical id it refers to. */
function pruneTargets(stack: Stack): unknown {
  const variable = Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalId(stack, prunerOf(stack).function)]
    .Properties.Environment.Variables.PRUNE_TARGETS;
  const parts: unknown[] = variable['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : (part as { Ref: string }).Ref)).join(''));
}

describe('one pruner per stack', () => {
  test('every workflow of the stack that prunes is in its configuration; a workflow that keeps all is not', () => {
    const stack = newStack();
    const a = pruned(stack, 'A');
    const b = pruned(stack, 'B', { versionRetention: VersionRetention.keepLatest(5) });
    inlineWorkflow(stack, {}, 'C');
    const d = pruned(stack, 'D');

    const template = Template.fromStack(stack);
    // Grouped by count, each name once: the compact form that lets a stack's worth of names fit in 4 KB.
    expect(pruneTargets(stack)).toEqual([
      [3, logicalId(stack, a.function), logicalId(stack, d.function)],
      [5, logicalId(stack, b.function)],
    ]);
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('workflows in separate stacks get separate pruners, each with its own workflows only', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    const a = pruned(first, 'A');
    const b = pruned(second, 'B', { versionRetention: VersionRetention.keepLatest(2) });

    expect(prunerOf(first)).not.toBe(prunerOf(second));
    expect(pruneTargets(first)).toEqual([[3, logicalId(first, a.function)]]);
    expect(pruneTargets(second)).toEqual([[2, logicalId(second, b.function)]]);
    expect(JSON.stringify(Template.fromStack(first).toJSON())).not.toContain(logicalId(second, b.function));
  });

  test('the shipped bundle on nodejs24.x, 15 minutes, JSON logs in its own log group kept a month', () => {
    const stack = newStack();
    pruned(stack, 'A');
    const pruner = prunerOf(stack);
    const template = Template.fromStack(stack);
    expect(template.findResources('AWS::Lambda::Function')[logicalId(stack, pruner.function)].Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 900,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, pruner.logGroup) } },
    });
    expect(template.findResources('AWS::Logs::LogGroup')[logicalId(stack, pruner.logGroup)].Properties).toEqual({ RetentionInDays: 30 });
  });

  test('a count given as a token reaches the configuration as a reference, each token in its own group', () => {
    const stack = newStack();
    const keep = new CfnParameter(stack, 'Keep', { type: 'Number' });
    const keepToo = new CfnParameter(stack, 'KeepToo', { type: 'Number' });
    const a = pruned(stack, 'A', { versionRetention: VersionRetention.keepLatest(keep.valueAsNumber) });
    const b = pruned(stack, 'B', { versionRetention: VersionRetention.keepLatest(keepToo.valueAsNumber) });
    const c = pruned(stack, 'C', { versionRetention: VersionRetention.keepLatest(keep.valueAsNumber) });
    const variable = Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalId(stack, prunerOf(stack).function)]
      .Properties.Environment.Variables.PRUNE_TARGETS;
    const ref = (wf: DurableWorkflow) => ({ Ref: logicalId(stack, wf.function) });
    // Both may resolve to the same number: two groups stay two groups, where two equal JSON keys would lose one.
    expect(variable['Fn::Join'][1]).toEqual(['[[', { Ref: 'Keep' }, ',"', ref(a), '","', ref(c), '"],[', { Ref: 'KeepToo' }, ',"', ref(b), '"]]']);
  });
});

describe('its role', () => {
  test('lists and deletes the versions of its workflows\' functions and writes its own logs: nothing else, nothing on *', () => {
    const stack = newStack();
    const a = pruned(stack, 'A');
    const b = pruned(stack, 'B');
    const pruner = prunerOf(stack);
    const template = Template.fromStack(stack);
    const fnArn = (wf: DurableWorkflow) => ({ 'Fn::GetAtt': [logicalId(stack, wf.function), 'Arn'] });

    const role = template.findResources('AWS::IAM::Role')[logicalId(stack, pruner.role)].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(stack, pruner.role) }] } }));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, pruner.logGroup), 'Arn'] } },
      ...[a, b].flatMap((wf) => [
        { Action: ['lambda:ListVersionsByFunction', 'lambda:ListAliases', 'lambda:ListDurableExecutionsByFunction'], Effect: 'Allow', Resource: fnArn(wf) },
        { Action: ['lambda:ListDurableExecutionsByFunction', 'lambda:DeleteFunction'], Effect: 'Allow', Resource: executionArns(logicalId(stack, wf.function)) },
      ]),
    ]]);
  });

  test('nag: a stack of pruned workflows has no unacknowledged AwsSolutions finding, and each acknowledgement names one function', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const workflows = [pruned(stack, 'A'), pruned(stack, 'B')];
    const pruner = prunerOf(stack);

    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    const acknowledged = pruner.role.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data))
      .filter((id) => id.startsWith('AwsSolutions-'));
    expect(acknowledged).toEqual(workflows.map((wf) => `AwsSolutions-IAM5[Resource::<${logicalId(stack, wf.function)}.Arn>:*]`));
  });
});

describe('when it runs', () => {
  test('daily: a Scheduler schedule sends {} (every workflow); its role may invoke the pruner itself, no version or alias', () => {
    const stack = newStack();
    pruned(stack, 'A');
    const pruner = prunerOf(stack);
    const template = Template.fromStack(stack);
    const prunerArn = { 'Fn::GetAtt': [logicalId(stack, pruner.function), 'Arn'] };

    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule');
    expect(schedule).toMatchObject({ ScheduleExpression: 'rate(1 day)', State: 'ENABLED', Target: { Arn: prunerArn, Input: '{}' } });
    const schedulerRoleId = schedule.Target.RoleArn['Fn::GetAtt'][0];
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: schedulerRoleId }] } }));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: [{ 'Fn::Join': ['', [prunerArn, ':$LATEST']] }, prunerArn],
    }]]);
  });

  test('after a deployment: a rule on CloudFormation\'s status change of each pruned alias passes that alias to the pruner', () => {
    const stack = newStack();
    const a = pruned(stack, 'A');
    const b = pruned(stack, 'B');
    inlineWorkflow(stack, {}, 'KeepsAll');
    const pruner = prunerOf(stack);
    const template = Template.fromStack(stack);

    const rule = onlyResource(template, 'AWS::Events::Rule');
    expect(rule.EventPattern).toEqual({
      'source': ['aws.cloudformation'],
      'detail-type': ['CloudFormation Resource Status Change'],
      'detail': {
        'stack-id': [{ Ref: 'AWS::StackId' }],
        'resource-type': ['AWS::Lambda::Alias'],
        'logical-resource-id': [logicalId(stack, a.alias), logicalId(stack, b.alias)],
        'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
      },
    });
    expect(rule.Targets).toEqual([{
      Arn: { 'Fn::GetAtt': [logicalId(stack, pruner.function), 'Arn'] },
      Id: 'Target0',
      InputTransformer: {
        InputPathsMap: { 'detail-physical-resource-id': '$.detail.physical-resource-id' },
        InputTemplate: '{"functionName":<detail-physical-resource-id>}',
      },
    }]);
    expect(onlyResource(template, 'AWS::Lambda::Permission')).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(stack, pruner.function), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(stack, pruner.afterDeploy), 'Arn'] },
    });
  });

  test('nothing in the deployment waits for the pruner: no custom resource, and no workflow resource refers to it', () => {
    const stack = newStack();
    const wf = pruned(stack, 'A');
    const template = Template.fromStack(stack).toJSON();
    const prunerIds = prunerOf(stack).node.findAll().filter(CfnResource.isCfnResource).map((r) => logicalId(stack, r));
    const workflowIds = wf.node.findAll().filter(CfnResource.isCfnResource).map((r) => logicalId(stack, r));

    expect(JSON.stringify(template)).not.toMatch(/Custom::|AWS::CloudFormation::CustomResource/);
    for (const id of workflowIds) {
      const resource = JSON.stringify(template.Resources[id]);
      expect(prunerIds.filter((prunerId) => resource.includes(prunerId))).toEqual([]);
    }
  });
});

describe('Lambda\'s 4 KB of environment', () => {
  test('60 workflows with generated names fit, more than a stack of default workflows holds; the 61st fails naming the size', () => {
    const stack = newStack();
    // Without dead-letter queues (7 resources a workflow, not 9): 60 default ones would pass CloudFormation's 500 resources.
    for (let i = 1; i <= 60; i++) pruned(stack, `Wf${i}`, { deadLetterQueueEnabled: false });
    expect(() => pruned(stack, 'Wf61')).toThrow(
      "DurableWorkflow 'Stack/Wf61': versionRetention must fit the stack's version pruner: its list of workflows "
      + "(environment variable PRUNE_TARGETS) would take up to 4141 bytes of Lambda's 4096 with this workflow (61 workflows in the stack; "
      + 'a function name CloudFormation generates counts as 64 characters). Give some workflows VersionRetention.all() '
      + 'or a short functionName, or move them to another stack, got VersionRetention.keepLatest(3)');
    expect((pruneTargets(stack) as unknown[][])[0]).toHaveLength(1 + 60);
    // The bound is what Lambda will count once every name is as long as a name may be.
    const variables: Record<string, any> = Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalId(stack, prunerOf(stack).function)]
      .Properties.Environment.Variables;
    const longest = (value: any): string => (typeof value === 'string' ? value : value['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'f'.repeat(64))).join(''));
    expect(Object.entries(variables).reduce((size, [name, value]) => size + name.length + longest(value).length, 0)).toBe(4141 - 67);
  });

  test('54 default workflows, as many as CloudFormation\'s 500 resources hold, synthesize with their pruner', () => {
    const stack = newStack();
    for (let i = 1; i <= 54; i++) pruned(stack, `Wf${i}`);
    // 9 a workflow, 9 for the pruner and 4 overflow policies of its role: a 55th workflow would pass 500.
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources)).toHaveLength(499);
    expect((pruneTargets(stack) as unknown[][])[0]).toHaveLength(1 + 54);
  });

  test('short literal function names are counted as they are: 65 workflows fit, and a workflow that keeps all costs nothing', () => {
    const stack = newStack();
    // Without dead-letter queues a workflow is 7 resources: 69 fit in CloudFormation's 500, beyond the 60 generated names.
    const workflows = Array.from({ length: 65 }, (_, i) => pruned(stack, `Wf${i}`, { functionName: `orders-${i}`, deadLetterQueueEnabled: false }));
    for (let i = 1; i <= 4; i++) inlineWorkflow(stack, { deadLetterQueueEnabled: false }, `All${i}`);
    expect(pruneTargets(stack)).toEqual([[3, ...workflows.map((wf) => logicalId(stack, wf.function))]]);
  });
});
