import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { executionArns, inlineWorkflow, logicalId, newStack, viaLambdaFor } from './support/synth';

// What the workflow's own role may do: logs, checkpoints, its state key. Grants to others: durable-workflow-grants.test.ts.

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
      [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, wf.logGroup), 'Arn'] } }],
      [{ Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Effect: 'Allow', Resource: executionArns(fnId) }],
    ]));
    for (const policy of policies) expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
  });

  test('the log permissions are in the role\'s default policy, which the function waits for', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack);
    const template = Template.fromStack(stack);
    const defaultPolicyId = logicalId(stack, wf.role!.node.findChild('DefaultPolicy'));
    const defaultPolicy = template.findResources('AWS::IAM::Policy')[defaultPolicyId];
    expect(defaultPolicy.Properties.PolicyDocument.Statement).toEqual([
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

describe('state encryption key', () => {
  /** The statements of the policy that holds the checkpoint permissions. */
  function checkpointStatements(template: Template): any[] {
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes('CheckpointDurableExecution'));
    expect(policies).toHaveLength(1);
    return policies[0].Properties.PolicyDocument.Statement;
  }

  test('DurableConfig.KMSKeyArn; the role may decrypt its state through Lambda; the Lambda service in the key policy', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = inlineWorkflow(stack, { stateEncryptionKey: key });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 1209600, RetentionPeriodInDays: 30, KMSKeyArn: keyArn },
    });
    // Decrypt only: Lambda encrypts state as the service. In the checkpoint policy, since the
    // condition names the function's ARN (in the role's default policy that is a cycle).
    expect(checkpointStatements(template)).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: keyArn,
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('kms:GenerateDataKey');
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowLambdaDurableExecutionState',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Resource: '*',
        }]),
      },
    });
    expect(wf.stateEncryptionKey).toBe(key);
  });

  test('an imported key: the ARN is wired and the role may decrypt through Lambda', () => {
    const stack = newStack();
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const wf = inlineWorkflow(stack, { stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyArn) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { DurableConfig: { KMSKeyArn: keyArn } });
    expect(checkpointStatements(template)).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: keyArn,
    });
  });

  test('two workflows sharing a key add one Lambda service statement', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    inlineWorkflow(stack, { stateEncryptionKey: key }, 'A');
    inlineWorkflow(stack, { stateEncryptionKey: key }, 'B');
    const keyPolicy = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
    expect(keyPolicy.Statement.filter((s: any) => s.Sid === 'AllowLambdaDurableExecutionState')).toHaveLength(1);
  });
});
