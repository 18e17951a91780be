import { Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DurableWorkflow, DurableWorkflowAttributes } from '../src';
import { ALIAS_ARN, ENV, FN_ARN, inlineWorkflow, newStack as newStackIn } from './support/synth';

const newStack = () => newStackIn({ env: ENV });

function starter(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Starter', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
}

function policyStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('fromQualifiedArn', () => {
  test('splits a literal ARN into function ARN, name and qualifier', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    expect(wf.functionArn).toBe(FN_ARN);
    expect(wf.functionName).toBe('orders');
    expect(wf.qualifier).toBe('live');
    expect(wf.qualifiedArn).toBe(ALIAS_ARN);
  });

  test('takes the environment from the ARN', () => {
    const wf = DurableWorkflow.fromQualifiedArn(newStack(), 'Wf', 'arn:aws:lambda:eu-west-1:210987654321:function:orders:live');
    expect(wf.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
  });

  test('accepts a version number as qualifier', () => {
    const wf = DurableWorkflow.fromQualifiedArn(newStack(), 'Wf', `${FN_ARN}:42`);
    expect(wf.qualifier).toBe('42');
  });

  test.each([
    [FN_ARN, `qualifiedArn must end in an alias name or version number (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS): durable functions refuse unqualified invokes, got '${FN_ARN}'`],
    [`${FN_ARN}:$LATEST`, "qualifiedArn's qualifier must be an alias name or a version number, not $LATEST"],
    [`${FN_ARN}:live:extra`, `qualifiedArn must have exactly one qualifier (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS), got '${FN_ARN}:live:extra'`],
    [`${FN_ARN}:bad!alias`, "qualifiedArn's qualifier must be an alias name (1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name)) or a version number, got 'bad!alias'"],
    ['orders:live', "qualifiedArn must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS), got 'orders:live'"],
    ['arn:aws:sqs:us-east-1:123456789012:queue', "qualifiedArn must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS), got 'arn:aws:sqs:us-east-1:123456789012:queue'"],
    [undefined, 'qualifiedArn must be a qualified Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS), got undefined'],
  ])('rejects %s', (arn, message) => {
    expect(() => DurableWorkflow.fromQualifiedArn(newStack(), 'Wf', arn as string)).toThrow(`DurableWorkflow 'Stack/Wf': ${message}`);
  });

  test('accepts a token and splits it at deploy time', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', Fn.importValue('OrdersArn'));
    const split = { 'Fn::Split': [':', { 'Fn::ImportValue': 'OrdersArn' }] };
    expect(stack.resolve(wf.qualifiedArn)).toEqual({ 'Fn::ImportValue': 'OrdersArn' });
    expect(stack.resolve(wf.functionName)).toEqual({ 'Fn::Select': [6, split] });
    expect(stack.resolve(wf.qualifier)).toEqual({ 'Fn::Select': [7, split] });
    expect(stack.resolve(wf.functionArn)).toEqual({
      'Fn::Join': [':', [0, 1, 2, 3, 4, 5, 6].map((i) => ({ 'Fn::Select': [i, split] }))],
    });
  });
});

describe('fromWorkflowAttributes', () => {
  test('builds the qualified ARN from the function ARN and the qualifier', () => {
    const wf = DurableWorkflow.fromWorkflowAttributes(newStack(), 'Wf', { functionArn: FN_ARN, qualifier: 'prod' });
    expect(wf.functionName).toBe('orders');
    expect(wf.qualifiedArn).toBe(`${FN_ARN}:prod`);
  });

  test.each([
    [{ functionArn: ALIAS_ARN, qualifier: 'live' }, `functionArn must be unqualified (arn:aws:lambda:REGION:ACCOUNT:function:NAME): pass functionArn '${FN_ARN}' and qualifier 'live', or use fromQualifiedArn, got '${ALIAS_ARN}'`],
    [{ functionArn: FN_ARN, qualifier: '$LATEST' }, 'qualifier must be an alias name or a version number, not $LATEST'],
    [{ functionArn: FN_ARN, qualifier: '' }, "qualifier must be an alias name (1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name)) or a version number, got ''"],
    [{ functionArn: 'orders', qualifier: 'live' }, "functionArn must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), got 'orders'"],
    [{ functionArn: FN_ARN }, 'qualifier must be an alias name or a version number, got undefined'],
    [{ qualifier: 'live' }, 'functionArn must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), got undefined'],
    [{ functionArn: FN_ARN, qualifier: 'live', role: 'arn:aws:iam::123456789012:role/orders' }, "role must be an iam.IRole, got 'arn:aws:iam::123456789012:role/orders'"],
    [undefined, 'attrs must be an object with functionArn and qualifier, got undefined'],
  ])('rejects %j', (attrs, message) => {
    expect(() => DurableWorkflow.fromWorkflowAttributes(newStack(), 'Wf', attrs as DurableWorkflowAttributes))
      .toThrow(`DurableWorkflow 'Stack/Wf': ${message}`);
  });

  test('accepts a token function ARN', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromWorkflowAttributes(stack, 'Wf', { functionArn: Fn.importValue('OrdersFn'), qualifier: 'live' });
    const split = { 'Fn::Split': [':', { 'Fn::ImportValue': 'OrdersFn' }] };
    expect(stack.resolve(wf.functionName)).toEqual({ 'Fn::Select': [6, split] });
    expect(stack.resolve(wf.qualifiedArn)).toEqual({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'OrdersFn' }, ':live']] });
  });
});

describe('grants on an imported workflow', () => {
  test('grantStart allows invoking the qualified ARN only', () => {
    const stack = newStack();
    DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN).grantStart(starter(stack));
    expect(policyStatements(stack)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ALIAS_ARN },
    ]);
  });

  test('grantRead and grantStop name the function and its execution ARNs', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    const role = starter(stack);
    wf.grantRead(role);
    wf.grantStop(role);
    expect(policyStatements(stack)).toEqual([
      {
        Action: ['lambda:GetDurableExecution', 'lambda:GetDurableExecutionHistory', 'lambda:ListDurableExecutionsByFunction'],
        Effect: 'Allow',
        Resource: [FN_ARN, `${FN_ARN}:*`],
      },
      { Action: 'lambda:StopDurableExecution', Effect: 'Allow', Resource: `${FN_ARN}:*` },
    ]);
  });

  test('granting to the workflow lands on its role when given', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'FnRole', 'arn:aws:iam::123456789012:role/orders-role', { mutable: true });
    const callee = DurableWorkflow.fromQualifiedArn(stack, 'Callee', 'arn:aws:lambda:us-east-1:123456789012:function:payments:live');
    const caller = DurableWorkflow.fromWorkflowAttributes(stack, 'Caller', { functionArn: FN_ARN, qualifier: 'live', role });
    callee.grantStart(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['orders-role'],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:payments:live' }] },
    });
  });

  test('an owned workflow may start an imported one', () => {
    const stack = newStack();
    const caller = inlineWorkflow(stack, {}, 'Caller');
    DurableWorkflow.fromQualifiedArn(stack, 'Callee', ALIAS_ARN).grantStart(caller);
    expect(policyStatements(stack)).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ALIAS_ARN });
  });

  test('granting to a workflow without a role adds nothing and warns', () => {
    const stack = newStack();
    const callee = DurableWorkflow.fromQualifiedArn(stack, 'Callee', 'arn:aws:lambda:us-east-1:123456789012:function:payments:live');
    const caller = DurableWorkflow.fromQualifiedArn(stack, 'Caller', ALIAS_ARN);
    expect(caller.grantPrincipal).toBeInstanceOf(iam.UnknownPrincipal);
    callee.grantStart(caller);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Caller', Match.stringLikeRegexp('Add statement to this resource\'s role'));
  });
});
