import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DurableWorkflow, IDurableWorkflow } from '../src';
import { executionArns, inlineWorkflow, logicalId, newStack, statementsOfRole, viaLambdaFor } from './support/synth';

// What each grant allows, on which resources. Where grants to a workflow go: durable-workflow-grants.routing.test.ts.

function grantSetup(props = {}) {
  const stack = newStack();
  const wf = inlineWorkflow(stack, props);
  const user = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, wf, user, fnId: logicalId(stack, wf.function), aliasId: logicalId(stack, wf.alias) };
}

function statementsOf(setup: { stack: any; user: iam.Role }): unknown[] {
  return statementsOfRole(Template.fromStack(setup.stack), logicalId(setup.stack, setup.user));
}

const CALLBACK_ACTIONS = ['lambda:SendDurableExecutionCallbackSuccess', 'lambda:SendDurableExecutionCallbackFailure', 'lambda:SendDurableExecutionCallbackHeartbeat'];
const READ_ACTIONS = ['lambda:GetDurableExecution', 'lambda:GetDurableExecutionHistory', 'lambda:ListDurableExecutionsByFunction'];

describe('what each grant allows', () => {
  test('grantStart: InvokeFunction on the alias ARN only', () => {
    const setup = grantSetup();
    setup.wf.grantStart(setup.user);
    expect(statementsOf(setup)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: setup.aliasId } }]);
  });

  test('grantRead: get, history and list on the function ARN and the execution ARNs', () => {
    const setup = grantSetup();
    setup.wf.grantRead(setup.user);
    expect(statementsOf(setup)).toEqual([{
      Action: READ_ACTIONS,
      Effect: 'Allow',
      Resource: [{ 'Fn::GetAtt': [setup.fnId, 'Arn'] }, executionArns(setup.fnId)],
    }]);
  });

  test('grantStop: StopDurableExecution on the execution ARNs', () => {
    const setup = grantSetup();
    setup.wf.grantStop(setup.user);
    expect(statementsOf(setup)).toEqual([{ Action: 'lambda:StopDurableExecution', Effect: 'Allow', Resource: executionArns(setup.fnId) }]);
  });

  test('grantSendCallback: success, failure and heartbeat on the execution ARNs', () => {
    const setup = grantSetup();
    setup.wf.grantSendCallback(setup.user);
    expect(statementsOf(setup)).toEqual([{ Action: CALLBACK_ACTIONS, Effect: 'Allow', Resource: executionArns(setup.fnId) }]);
  });

  test('grant: any actions on the execution ARNs', () => {
    const setup = grantSetup();
    setup.wf.grant(setup.user, 'lambda:GetDurableExecution');
    expect(statementsOf(setup)).toEqual([{ Action: 'lambda:GetDurableExecution', Effect: 'Allow', Resource: executionArns(setup.fnId) }]);
  });

  test('a.grantStart(b): another workflow may start this one (ctx.invoke)', () => {
    const stack = newStack();
    const a = inlineWorkflow(stack, {}, 'A');
    const b = inlineWorkflow(stack, {}, 'B');
    a.grantStart(b);
    expect(statementsOfRole(Template.fromStack(stack), logicalId(stack, b.role!))).toContainEqual({
      Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, a.alias) },
    });
  });

  test('no "*" resource in any identity policy of a stack with a workflow and every grant', () => {
    const { stack, wf, user } = grantSetup();
    const other = inlineWorkflow(stack, {}, 'Other');
    wf.grantStart(user);
    wf.grantRead(user);
    wf.grantStop(user);
    wf.grantSendCallback(user);
    wf.grantStart(other);
    const resources = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement) => [statement.Resource].flat());
    expect(resources.length).toBeGreaterThanOrEqual(8);
    expect(resources).not.toContain('*');
  });
});

describe('workflow.grants', () => {
  // Each grantXxx is grants.xxx: the same template either way.
  const PAIRS: Array<[string, (wf: IDurableWorkflow, g: iam.IGrantable) => iam.Grant, (wf: IDurableWorkflow, g: iam.IGrantable) => iam.Grant]> = [
    ['start', (wf, g) => wf.grants.start(g), (wf, g) => wf.grantStart(g)],
    ['read', (wf, g) => wf.grants.read(g), (wf, g) => wf.grantRead(g)],
    ['stop', (wf, g) => wf.grants.stop(g), (wf, g) => wf.grantStop(g)],
    ['sendCallback', (wf, g) => wf.grants.sendCallback(g), (wf, g) => wf.grantSendCallback(g)],
    ['actions', (wf, g) => wf.grants.actions(g, 'lambda:GetDurableExecutionState'), (wf, g) => wf.grant(g, 'lambda:GetDurableExecutionState')],
  ];

  test.each(PAIRS)('grants.%s gives what its grantXxx gives, owned or imported, with a state key', (_name, viaGrants, viaMethod) => {
    const synth = (grant: typeof viaGrants) => {
      const { stack, wf, user } = grantSetup();
      const key = new kms.Key(stack, 'Key');
      const imported = DurableWorkflow.fromWorkflowAttributes(stack, 'Imported', {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', qualifier: 'live', stateEncryptionKey: key,
      });
      const viaOwned = grant(wf, user);
      const viaImported = grant(imported, user);
      expect(viaOwned.success && viaImported.success).toBe(true);
      return Template.fromStack(stack).toJSON();
    };
    const template = synth(viaGrants);
    expect(JSON.stringify(template)).toContain('arn:aws:lambda:us-east-1:123456789012:function:orders');
    expect(template).toEqual(synth(viaMethod));
  });

  test('an imported workflow has grants too, on its ARNs', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', 'arn:aws:lambda:us-east-1:123456789012:function:orders:live');
    const user = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grants.sendCallback(user);
    expect(statementsOf({ stack, user })).toEqual([{
      Action: CALLBACK_ACTIONS, Effect: 'Allow', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders:*',
    }]);
  });
});

describe('with a state encryption key', () => {
  // Lambda decrypts with the caller's credentials for these APIs (IncludeExecutionData, stop, callbacks).
  test.each<[string, (wf: DurableWorkflow, grantee: iam.IGrantable) => iam.Grant]>([
    ['grantRead', (wf, grantee) => wf.grantRead(grantee)],
    ['grantStop', (wf, grantee) => wf.grantStop(grantee)],
    ['grantSendCallback', (wf, grantee) => wf.grantSendCallback(grantee)],
    ['grant', (wf, grantee) => wf.grant(grantee, 'lambda:GetDurableExecutionState')],
  ])('%s adds kms:Decrypt of this function\'s state through Lambda', (_name, grant) => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const wf = inlineWorkflow(stack, { stateEncryptionKey: key });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    grant(wf, operator);
    const statements = statementsOfRole(Template.fromStack(stack), logicalId(stack, operator));
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({
      Action: 'kms:Decrypt', Condition: viaLambdaFor(stack, wf), Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
    });
  });

  test('grantStart adds no key permission: Lambda encrypts the input as the service', () => {
    const { stack, wf, user, aliasId } = grantSetup();
    const keyed = inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') }, 'Keyed');
    keyed.grantStart(user);
    expect(statementsOf({ stack, user })).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalId(stack, keyed.alias) } }]);
    expect(aliasId).not.toBe(logicalId(stack, keyed.alias));
    expect(wf.stateEncryptionKey).toBeUndefined();
  });

  test('an imported workflow given its key: grants decrypt its state through Lambda', () => {
    const stack = newStack();
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const wf = DurableWorkflow.fromWorkflowAttributes(stack, 'Wf', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      qualifier: 'live',
      stateEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyArn),
    });
    const user = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grantRead(user);
    expect(statementsOf({ stack, user })).toContainEqual({
      Action: 'kms:Decrypt',
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['lambda.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
          'kms:EncryptionContext:aws:lambda:FunctionArn': 'arn:aws:lambda:us-east-1:123456789012:function:orders',
        },
      },
      Effect: 'Allow',
      Resource: keyArn,
    });
  });
});

describe('grant(grantee, ...actions) refuses what it must not give', () => {
  const WILDCARD = 'actions must be lambda: actions named in full (no wildcard: this grant is on every execution ARN, so a wildcard '
    + 'would allow whatever Lambda adds), got ';
  test.each<[string, string[], string]>([
    ['lambda:InvokeFunction', ['lambda:InvokeFunction'], 'actions must not include lambda:InvokeFunction: on functionArn:* it would allow '
      + 'every version and $LATEST. Use grantStart (grants.start), which allows the alias only'],
    ['lambda:InvokeAsync', ['lambda:GetDurableExecution', 'lambda:InvokeAsync'], 'actions must not include lambda:InvokeAsync'],
    ['*', ['*'], `${WILDCARD}'*'`],
    ['lambda:*', ['lambda:*'], `${WILDCARD}'lambda:*'`],
    ['lambda:Get*', ['lambda:Get*'], `${WILDCARD}'lambda:Get*'`],
    ['an action of another service', ['s3:GetObject'], `${WILDCARD}'s3:GetObject'`],
    ['no action', [], 'actions must name at least one lambda: action, got none'],
  ])('%s', (_name, actions, message) => {
    for (const owned of [true, false]) {
      const setup = grantSetup();
      const wf: IDurableWorkflow = owned ? setup.wf : DurableWorkflow.fromQualifiedArn(setup.stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:orders:live');
      const path = owned ? 'Stack/Flow' : 'Stack/Imported';
      expect(() => wf.grant(setup.user, ...actions)).toThrow(`DurableWorkflow '${path}': ${message}`);
      expect(() => wf.grants.actions(setup.user, ...actions)).toThrow(`DurableWorkflow '${path}': ${message}`);
      expect(statementsOf(setup)).toEqual([]);
    }
  });

  test('with a state key, kms:Decrypt comes only with the actions Lambda decrypts for', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, { stateEncryptionKey: new kms.Key(stack, 'Key') });
    const lister = new iam.Role(stack, 'Lister', { assumedBy: new iam.AccountRootPrincipal() });
    const pauser = new iam.Role(stack, 'Pauser', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grant(lister, 'lambda:ListDurableExecutionsByFunction');
    wf.grant(pauser, 'lambda:PauseDurableExecution', 'lambda:ResumeDurableExecution');
    const template = Template.fromStack(stack);
    for (const role of [lister, pauser]) {
      expect(statementsOfRole(template, logicalId(stack, role)).map((s) => s.Action)).not.toContain('kms:Decrypt');
    }
  });
});
