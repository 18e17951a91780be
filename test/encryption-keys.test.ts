import { Annotations as CoreAnnotations, Names } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DurableWorkflow } from '../src';
import { ENV, inlineWorkflow, logicalId, newStack, onlyResource } from './support/synth';

// The two customer managed keys: durable state (stateEncryptionKey) and the log group (logGroupEncryptionKey). What
// each key policy gets, scoped to this workflow's function or log group by a name fixed before it exists; the keys
// refused at synth; and the warning for a key whose policy cannot be changed from here.

const IMPORTED_KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** An ARN as CloudFormation renders one the stack makes: the partition stays a reference even with a concrete env. */
function arn(afterPartition: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, afterPartition]] };
}

/** The statements of the only key's policy. */
function keyStatements(template: Template): any[] {
  return onlyResource(template, 'AWS::KMS::Key').KeyPolicy.Statement;
}

describe('stateEncryptionKey', () => {
  test('the key policy lets Lambda use the key for this function only, named by a function name fixed from the path', () => {
    const stack = newStack({ env: ENV });
    const key = new kms.Key(stack, 'Key');
    const wf = inlineWorkflow(stack, { stateEncryptionKey: key });
    const template = Template.fromStack(stack);

    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(fn.FunctionName).toMatch(/^Stack-Flow-[0-9A-F]{8}$/);
    expect(fn.DurableConfig).toEqual({ ExecutionTimeout: 1209600, RetentionPeriodInDays: 30, KMSKeyArn: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] } });
    const functionArn = arn(`:lambda:us-east-1:123456789012:function:${fn.FunctionName}`);
    // As AWS documents it (durable-encryption): the service principal, aws:SourceAccount and aws:SourceArn against the
    // confused deputy, and the encryption context Lambda puts on every call, the unqualified function ARN.
    expect(keyStatements(template)).toContainEqual({
      Sid: `DurableState${Names.uniqueId(wf)}`,
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': functionArn,
          'kms:EncryptionContext:aws:lambda:FunctionArn': functionArn,
        },
      },
    });
    expect(wf.stateEncryptionKey).toBe(key);
  });

  test('the key policy never references the function: no dependency cycle, and in place before Lambda checks it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = inlineWorkflow(stack, { stateEncryptionKey: key });
    const template = Template.fromStack(stack);
    const keyResource = template.findResources('AWS::KMS::Key')[logicalId(stack, key)];
    expect(JSON.stringify(keyResource)).not.toContain(logicalId(stack, wf.function));
    const fnResource = template.findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)];
    expect(JSON.stringify(fnResource.Properties.DurableConfig)).toContain(logicalId(stack, key));
    // Environment-agnostic: the ARN is made of the stack's own account, Region and partition.
    expect(keyStatements(template).at(-1).Condition.StringEquals['aws:SourceArn']).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
        `:function:${fnResource.Properties.FunctionName}`]],
    });
  });

  test('a name made from the path warns that it replaces a function deployed without a key; a given functionName does not', () => {
    const stack = newStack({ env: ENV });
    const wf = inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') });
    inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'NamedKey'), functionName: 'orders' }, 'Named');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stateEncryptionKey without functionName'));
    expect(warnings.map((warning) => warning.id)).toEqual(['/Stack/Flow']);
    const fn = Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalId(stack, wf.function)];
    expect(warnings[0].entry.data).toContain(`the function is named ${fn.Properties.FunctionName}`);
    expect(warnings[0].entry.data).toMatch(/this deploy replaces it: the old function is deleted with every version its RUNNING executions are pinned to/);

    const newWorkflow = newStack({ env: ENV });
    const acknowledged = inlineWorkflow(newWorkflow, { stateEncryptionKey: new kms.Key(newWorkflow, 'Key') });
    CoreAnnotations.of(acknowledged).acknowledgeWarning('cdk-durable-workflow:stateEncryptionKeyNamesFunction', 'a new workflow');
    expect(Annotations.fromStack(newWorkflow).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('a given functionName is used as it is', () => {
    const stack = newStack({ env: ENV });
    inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key'), functionName: 'orders' });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Lambda::Function').FunctionName).toBe('orders');
    expect(keyStatements(template).at(-1).Condition.StringEquals['aws:SourceArn']).toEqual(arn(':lambda:us-east-1:123456789012:function:orders'));
  });

  test('without a key, the function keeps the name CloudFormation generates', () => {
    const stack = newStack();
    inlineWorkflow(stack);
    expect(onlyResource(Template.fromStack(stack), 'AWS::Lambda::Function').FunctionName).toBeUndefined();
  });

  test('two workflows sharing a key: one statement each, for its own function', () => {
    const stack = newStack({ env: ENV });
    const key = new kms.Key(stack, 'Key');
    inlineWorkflow(stack, { stateEncryptionKey: key, functionName: 'a' }, 'A');
    inlineWorkflow(stack, { stateEncryptionKey: key, functionName: 'b' }, 'B');
    const lambdaStatements = keyStatements(Template.fromStack(stack)).filter((s) => s.Principal.Service === 'lambda.amazonaws.com');
    expect(lambdaStatements.map((s) => s.Condition.StringEquals['aws:SourceArn'])).toEqual([
      arn(':lambda:us-east-1:123456789012:function:a'), arn(':lambda:us-east-1:123456789012:function:b'),
    ]);
  });

  test.each([
    ['an asymmetric key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }, 'key spec RSA_2048 with usage ENCRYPT_DECRYPT'],
    ['a signing key', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY }, 'key spec ECC_NIST_P256 with usage SIGN_VERIFY'],
    ['an HMAC key', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }, 'key spec HMAC_256 with usage GENERATE_VERIFY_MAC'],
  ])('%s is refused at synth', (_what, keyProps, got) => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', keyProps);
    expect(() => inlineWorkflow(stack, { stateEncryptionKey: key })).toThrow('DurableWorkflow \'Stack/Flow\': stateEncryptionKey must be a symmetric '
      + `encryption key (key spec SYMMETRIC_DEFAULT, usage ENCRYPT_DECRYPT): Lambda durable state takes no other, got ${got}`);
  });

  test('a key of another Region is refused when both Regions are known, and accepted when the stack\'s is not', () => {
    const otherRegion = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const stack = newStack({ env: ENV });
    expect(() => inlineWorkflow(stack, { stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', otherRegion) })).toThrow(
      "DurableWorkflow 'Stack/Flow': stateEncryptionKey must be in the stack's Region, us-east-1 (Lambda durable state takes no key "
      + 'of another Region), got a key in eu-west-1');
    const agnostic = newStack();
    expect(() => inlineWorkflow(agnostic, { stateEncryptionKey: kms.Key.fromKeyArn(agnostic, 'Key', otherRegion) })).not.toThrow();
  });

  test('an imported key: a warning, with an id, gives the exact statement its owner must add', () => {
    const stack = newStack({ env: ENV });
    const wf = inlineWorkflow(stack, { stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY), functionName: 'orders' });
    // References read as Fn::Sub writes them.
    const functionArn = 'arn:${AWS::Partition}:lambda:us-east-1:123456789012:function:orders';
    const statement = JSON.stringify({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': functionArn, 'kms:EncryptionContext:aws:lambda:FunctionArn': functionArn },
      },
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Resource: '*',
      Sid: `DurableState${Names.uniqueId(wf)}`,
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Flow', Match.stringLikeRegexp('stateEncryptionKey is imported'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('the key\'s owner must add this statement to it before the deploy: ');
    expect(warnings[0].entry.data).toContain(statement);
    expect(warnings[0].entry.data).toContain('[ack: cdk-durable-workflow:importedStateEncryptionKey]');
  });

  test('the warning can be acknowledged, and a key of this app gets none', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, { stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY) });
    inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Own') }, 'Other');
    CoreAnnotations.of(wf).acknowledgeWarning('cdk-durable-workflow:importedStateEncryptionKey', 'the key owner added it');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('is imported'))).toEqual([]);
  });
});

describe('logGroupEncryptionKey', () => {
  test('the log group is encrypted, named from the path, and the key policy lets CloudWatch Logs use it for that log group only', () => {
    const stack = newStack({ env: ENV });
    const key = new kms.Key(stack, 'LogKey');
    const wf = inlineWorkflow(stack, { logGroupEncryptionKey: key });
    const template = Template.fromStack(stack);
    const logGroup = template.findResources('AWS::Logs::LogGroup')[logicalId(stack, wf.logGroup)].Properties;
    expect(logGroup.LogGroupName).toMatch(/^\/aws\/durable-workflow\/Stack-Flow-[0-9A-F]{8}$/);
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] });
    expect(keyStatements(template)).toContainEqual({
      Sid: expect.stringMatching(/^LogsStackFlow[0-9A-F]{8}$/),
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn(`:logs:us-east-1:123456789012:log-group:${logGroup.LogGroupName}`) } },
    });
    // The statement names the log group without a reference to it: the log group refers to the key, not the other way.
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain(logicalId(stack, wf.logGroup));
  });

  test('refused with a logGroup of your own, or a key that is not symmetric', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine');
    expect(() => inlineWorkflow(stack, { logGroup, logGroupEncryptionKey: new kms.Key(stack, 'Key') }, 'A')).toThrow(
      "DurableWorkflow 'Stack/A': logGroup and logGroupEncryptionKey are mutually exclusive: set the key on the given log group");
    const hmac = new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_384, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    expect(() => inlineWorkflow(stack, { logGroupEncryptionKey: hmac }, 'B')).toThrow(
      "DurableWorkflow 'Stack/B': logGroupEncryptionKey must be a symmetric encryption key (key spec SYMMETRIC_DEFAULT, usage "
      + 'ENCRYPT_DECRYPT): CloudWatch Logs takes no other, got key spec HMAC_384 with usage GENERATE_VERIFY_MAC');
  });

  test('an imported key: a warning with the statement for CloudWatch Logs', () => {
    const stack = newStack({ env: ENV });
    inlineWorkflow(stack, { logGroupEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY) });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Flow', Match.stringLikeRegexp('logGroupEncryptionKey is imported'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(
      /"kms:EncryptionContext:aws:logs:arn":"arn:\$\{AWS::Partition\}:logs:us-east-1:123456789012:log-group:\/aws\/durable-workflow\/Stack-Flow-[0-9A-F]{8}"\}\},"Effect":"Allow","Principal":\{"Service":"logs\.us-east-1\.amazonaws\.com"\}/);
    expect(warnings[0].entry.data).toContain('[ack: cdk-durable-workflow:importedLogGroupEncryptionKey]');
  });

  test('a workflow imported with its state key is unaffected: grants only', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromWorkflowAttributes(stack, 'Wf', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', qualifier: 'live', stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY),
    });
    expect(wf.stateEncryptionKey?.keyArn).toBe(IMPORTED_KEY);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
