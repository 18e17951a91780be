import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DurableWorkflow } from '../src';
import { ALIAS_ARN, ENV, FN_ARN, inlineWorkflow, logicalId, newStack } from './support/synth';

// Where grants to a workflow go: a policy of the workflow's own (`PrincipalPolicy`), attached to its
// role, which nothing depends on. So no grant that names the workflow is a dependency cycle, and
// workflows that share a role keep their grants apart.

/** The statements of `wf`'s PrincipalPolicy, after checking it is attached to `wf.role` and nothing waits for it. */
function principalPolicyOf(stack: Stack, template: Template, wf: DurableWorkflow): any[] {
  const id = logicalId(stack, wf.node.findChild('PrincipalPolicy'));
  const policy = template.findResources('AWS::IAM::Policy')[id];
  expect(policy.Properties.Roles).toEqual([{ Ref: logicalId(stack, wf.role!) }]);
  const dependents = Object.entries<any>(template.toJSON().Resources).filter(([, r]) => [r.DependsOn ?? []].flat().includes(id));
  expect(dependents).toEqual([]);
  return policy.Properties.PolicyDocument.Statement;
}

function defaultPolicyStatements(stack: Stack, template: Template, wf: DurableWorkflow): any[] {
  const policy = template.findResources('AWS::IAM::Policy')[logicalId(stack, wf.role!.node.findChild('DefaultPolicy'))];
  return policy.Properties.PolicyDocument.Statement;
}

test('a workflow may start, read, stop and answer its own executions without a dependency cycle', () => {
  const stack = newStack();
  const wf = inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') });
  wf.grantStart(wf);
  wf.grantRead(wf);
  wf.grantStop(wf.role!);
  wf.grantSendCallback(wf.function);
  // Template.fromStack fails on a cycle: these statements name the function and its alias.
  const template = Template.fromStack(stack);
  const statements = principalPolicyOf(stack, template, wf);
  expect(statements.map((s) => s.Action)).toEqual([
    'lambda:InvokeFunction',
    ['lambda:GetDurableExecution', 'lambda:GetDurableExecutionHistory', 'lambda:ListDurableExecutionsByFunction'],
    'kms:Decrypt',
    'lambda:StopDurableExecution',
    ['lambda:SendDurableExecutionCallbackSuccess', 'lambda:SendDurableExecutionCallbackFailure', 'lambda:SendDurableExecutionCallbackHeartbeat'],
  ]);
  expect(statements[0].Resource).toEqual({ Ref: logicalId(stack, wf.alias) });
});

test('two workflows that start each other: no dependency cycle', () => {
  const stack = newStack();
  const a = inlineWorkflow(stack, {}, 'A');
  const b = inlineWorkflow(stack, {}, 'B');
  a.grantStart(b);
  b.grantStart(a);
  const template = Template.fromStack(stack);
  expect(principalPolicyOf(stack, template, b)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, a.alias) } }]);
  expect(principalPolicyOf(stack, template, a)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, b.alias) } }]);
});

describe('grants from aws-cdk-lib to a workflow', () => {
  test('land in its PrincipalPolicy; the role\'s default policy keeps only what the function itself needs', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    new s3.Bucket(stack, 'Bucket').grantRead(wf);
    new kms.Key(stack, 'Key').grantDecrypt(wf);
    new sqs.Queue(stack, 'Queue').grantSendMessages(wf);
    new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() }).grantPassRole(wf.grantPrincipal);
    wf.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:us-east-1:123456789012:parameter/x'] }));
    const template = Template.fromStack(stack);
    const actions = principalPolicyOf(stack, template, wf).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 'kms:Decrypt', 'sqs:SendMessage', 'iam:PassRole', 'ssm:GetParameter']));
    expect(defaultPolicyStatements(stack, template, wf).map((s) => s.Action)).toEqual(['sqs:SendMessage', ['logs:CreateLogStream', 'logs:PutLogEvents']]);
  });

  test('fn.grantInvoke(workflow), where fn knows the workflow\'s ARN, is not a cycle (granted to the function, it would be)', () => {
    const build = (grantee: (wf: DurableWorkflow) => iam.IGrantable) => {
      const stack = newStack();
      const wf = inlineWorkflow(stack);
      const fn = new lambda.Function(stack, 'Notifier', {
        code: lambda.Code.fromInline('exports.handler = async () => ({})'),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        environment: { WORKFLOW_ARN: wf.qualifiedArn },
      });
      fn.grantInvoke(grantee(wf));
      return { stack, wf, fn, template: () => Template.fromStack(stack) };
    };

    const { stack, wf, fn, template } = build((workflow) => workflow);
    expect(principalPolicyOf(stack, template(), wf)).toEqual([{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: [{ 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] }, ':*']] }],
    }]);
    expect(build((workflow) => workflow.function).template).toThrow(/dependency cycle/);
  });

  test('grantInvoke keys its grants per principal: two workflows on one role each get theirs', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const a = inlineWorkflow(stack, { role }, 'A');
    const b = inlineWorkflow(stack, { role }, 'B');
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:notify', sameEnvironment: true,
    });
    fn.grantInvoke(a);
    fn.grantInvoke(b);
    const template = Template.fromStack(stack);
    for (const wf of [a, b]) {
      expect(principalPolicyOf(stack, template, wf)).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction' })]);
    }
  });
});

test('a role the workflow may assume trusts the workflow\'s role', () => {
  const stack = newStack();
  const wf = inlineWorkflow(stack);
  new iam.Role(stack, 'Assumable', { assumedBy: wf.grantPrincipal });
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [logicalId(stack, wf.role!), 'Arn'] } } }],
    },
  });
});

describe('workflows sharing one role', () => {
  /** Two workflows on one role; a caller starts A, B reads the queue and may start A. */
  function sharedRoleApp(withA: boolean) {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const role = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const queue = new sqs.Queue(stack, 'Queue');
    const b = inlineWorkflow(stack, { role }, 'B');
    queue.grantConsumeMessages(b);
    const a = withA ? inlineWorkflow(stack, { role }, 'A') : undefined;
    if (a) {
      a.grantStart(b);
      a.grantRead(a);
    }
    return { stack, role, a, b, template: Template.fromStack(stack) };
  }

  test('each keeps its own grants, each in its own policy on the role', () => {
    const { stack, a, b, template } = sharedRoleApp(true);
    const aAlias = { Ref: logicalId(stack, a!.alias) };
    expect(principalPolicyOf(stack, template, a!)).toEqual([expect.objectContaining({ Action: expect.arrayContaining(['lambda:GetDurableExecution']) })]);
    const bStatements = principalPolicyOf(stack, template, b);
    expect(bStatements).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aAlias });
    expect(bStatements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage']) }));
    expect(JSON.stringify(principalPolicyOf(stack, template, a!))).not.toContain('sqs:');
  });

  test('removing one workflow from the app removes only its grants', () => {
    const before = sharedRoleApp(true);
    const after = sharedRoleApp(false);
    const bPolicyId = logicalId(after.stack, after.b.node.findChild('PrincipalPolicy'));
    // B's own policy is unchanged but for the grant that named A (A's alias no longer exists).
    const withoutA = principalPolicyOf(before.stack, before.template, before.b)
      .filter((s) => s.Action !== 'lambda:InvokeFunction');
    expect(principalPolicyOf(after.stack, after.template, after.b)).toEqual(withoutA);
    expect(after.template.findResources('AWS::IAM::Policy')[bPolicyId]).toBeDefined();
    // Nothing of A is left: no policy of its own, no statement naming its function or alias.
    const policies = Object.keys(after.template.findResources('AWS::IAM::Policy'));
    expect(policies.filter((id) => id.startsWith('A'))).toEqual([]);
    expect(policies.filter((id) => id.startsWith('B')).length).toBe(2); // B's checkpoint and principal policies
    expect(JSON.stringify(after.template.toJSON())).not.toMatch(/"A(Function|Alias)/);
  });
});

describe('addToRolePolicy', () => {
  const statement = () => new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:us-east-1:123456789012:parameter/x'] });

  test('on an imported workflow with its role: the role\'s policy', () => {
    const stack = newStack({ env: ENV });
    const role = iam.Role.fromRoleArn(stack, 'FnRole', 'arn:aws:iam::123456789012:role/orders-role');
    DurableWorkflow.fromWorkflowAttributes(stack, 'Wf', { functionArn: FN_ARN, qualifier: 'live', role }).addToRolePolicy(statement());
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['orders-role'],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'ssm:GetParameter' })] },
    });
  });

  test('on an imported workflow without a role: nothing, and a warning', () => {
    const stack = newStack({ env: ENV });
    DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN).addToRolePolicy(statement());
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Wf', Match.stringLikeRegexp('Add statement to this resource\'s role'));
  });
});
