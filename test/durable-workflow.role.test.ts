import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { executionArns, inlineWorkflow, logicalId, newStack } from './support/synth';

// What the workflow's own role may do: logs, checkpoints, its dead-letter queue. Its state key: encryption-keys.test.ts;
// an immutable role: immutable-role.test.ts; grants to others: durable-workflow-grants.test.ts.

describe('execution role', () => {
  test('default role: lambda trust, no managed policies, log writes on its own group, checkpoints in a policy of its own', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    const fnId = logicalId(stack, wf.function);
    const roleId = logicalId(stack, wf.role!);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(2);
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual(expect.arrayContaining([
      [
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, wf.deadLetterQueue!), 'Arn'] } },
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, wf.logGroup), 'Arn'] } },
      ],
      [{ Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Effect: 'Allow', Resource: executionArns(fnId) }],
    ]));
    for (const policy of policies) expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
  });

  test('the log and dead-letter permissions are in the role\'s default policy, which the function waits for', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    const defaultPolicyId = logicalId(stack, wf.role!.node.findChild('DefaultPolicy'));
    const defaultPolicy = template.findResources('AWS::IAM::Policy')[defaultPolicyId];
    expect(defaultPolicy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage' }),
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
    ]);
    expect(template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)].DependsOn).toContain(defaultPolicyId);
  });

  test('the checkpoint policy is not a dependency of the function (no cycle), but of the alias', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    const checkpointPolicyId = Object.entries<any>(template.findResources('AWS::IAM::Policy'))
      .find(([, p]) => JSON.stringify(p).includes('CheckpointDurableExecution'))![0];
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)];
    expect(fn.DependsOn).not.toContain(checkpointPolicyId);
    template.hasResource('AWS::Lambda::Alias', { DependsOn: Match.arrayWith([checkpointPolicyId]) });
  });

  test('a given role gets the checkpoint policy and log writes; no role is created', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const wf = inlineWorkflow(stack, { role });
    const template = Template.fromStack(stack);
    expect(wf.role).toBe(role);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, role) }],
      PolicyDocument: {
        Statement: [{
          Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
          Effect: 'Allow',
          Resource: executionArns(logicalId(stack, wf.function)),
        }],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [logicalId(stack, role), 'Arn'] } });
  });

  test('an imported role gets the checkpoint policy too', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/flow-role');
    const wf = inlineWorkflow(stack, { role });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['flow-role'],
      PolicyDocument: { Statement: [{ Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Resource: executionArns(logicalId(stack, wf.function)) }] },
    });
  });

  test('VPC: the created role gets the ENI policy lambda.Function would attach', () => {
    const stack = newStack();
    inlineWorkflow(stack, { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 1 }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }],
    });
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() } });
  });

  test('tracing: lambda.Function adds the X-Ray permissions to the created role', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, { tracing: lambda.Tracing.ACTIVE });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, wf.role!) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] })]) },
    });
  });
});
