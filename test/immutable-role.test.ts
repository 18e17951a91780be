import { Annotations as CoreAnnotations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ENV, inlineWorkflow, logicalId, newStack } from './support/synth';

// A role the workflow may not change (imported with mutable: false, or withoutPolicyUpdates()): nothing is attached to
// it, and one warning lists every statement it needs, for its owner to grant.

const ROLE_ARN = 'arn:aws:iam::123456789012:role/flow-role';

function immutableRoleWarnings(stack: ReturnType<typeof newStack>) {
  return Annotations.fromStack(stack).findWarning('/Stack/Flow/ImmutableRoleReport', Match.stringLikeRegexp('is immutable'));
}

test('nothing is attached, and one warning lists logs, checkpoints, dead letters, state key, X-Ray and grants to the workflow', () => {
  const stack = newStack({ env: ENV });
  const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN, { mutable: false });
  const key = new kms.Key(stack, 'Key');
  const wf = inlineWorkflow(stack, { role, stateEncryptionKey: key, functionName: 'orders', tracing: lambda.Tracing.ACTIVE });
  const bucket = new s3.Bucket(stack, 'Bucket');
  bucket.grantRead(wf);
  wf.grantStart(wf);
  const template = Template.fromStack(stack);

  template.resourceCountIs('AWS::IAM::Policy', 0);
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  template.hasResourceProperties('AWS::Lambda::Function', { Role: ROLE_ARN });
  expect(wf.role).toBe(role);

  const warnings = immutableRoleWarnings(stack);
  expect(warnings).toHaveLength(1);
  const message = warnings[0].entry.data as string;
  expect(message).toMatch(/^role Stack\/Role is immutable \(imported with mutable: false, from another account, or withoutPolicyUpdates\(\)\), so DurableWorkflow attached nothing to it\. .* grants these 8 statements: /);
  const fnArn = `\${${logicalId(stack, wf.function)}.Arn}`;
  for (const statement of [
    { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
    { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: `\${${logicalId(stack, wf.deadLetterQueue!)}.Arn}` },
    { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: `\${${logicalId(stack, wf.logGroup)}.Arn}` },
    { Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], Effect: 'Allow', Resource: `${fnArn}:*` },
    {
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': 'lambda.us-east-1.${AWS::URLSuffix}', 'kms:EncryptionContext:aws:lambda:FunctionArn': fnArn } },
      Effect: 'Allow',
      Resource: `\${${logicalId(stack, key)}.Arn}`,
    },
    { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: `\${${logicalId(stack, wf.alias)}}` },
  ]) {
    expect(message).toContain(JSON.stringify(statement));
  }
  expect(message).toContain('"s3:GetObject*"');
  expect(message).toContain('[ack: cdk-durable-workflow:immutableRole]');
});

test('withoutPolicyUpdates() is immutable too; the warning can be acknowledged', () => {
  const build = (acknowledge: boolean) => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).withoutPolicyUpdates();
    const wf = inlineWorkflow(stack, { role, deadLetterQueueEnabled: false });
    if (acknowledge) CoreAnnotations.of(wf).acknowledgeWarning('cdk-durable-workflow:immutableRole', 'granted by the platform team');
    return stack;
  };
  const stack = build(false);
  Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  expect(immutableRoleWarnings(stack)).toHaveLength(1);
  expect(immutableRoleWarnings(stack)[0].entry.data).toContain('grants these 2 statements');
  expect(immutableRoleWarnings(build(true))).toEqual([]);
});

test('a mutable role, imported or not, gets its policies and no warning', () => {
  const stack = newStack();
  inlineWorkflow(stack, { role: iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN) });
  Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 2);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('immutable'))).toEqual([]);
});
