import { App, CfnElement, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { DurableWorkflow, DurableWorkflowProps, VersionRetention } from '../../src';

/** A concrete environment, for stacks that import workflows by literal ARN. */
export const ENV = { account: '123456789012', region: 'us-east-1' };
/** A workflow deployed elsewhere: its unqualified function ARN and its alias ARN. */
export const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
export const ALIAS_ARN = `${FN_ARN}:live`;

/** A stack `Stack` in a new app. */
export function newStack(props?: StackProps): Stack {
  return new Stack(new App(), 'Stack', props);
}

/**
 * A workflow with prebuilt inline code (no bundling) plus the given props. It keeps every version unless
 * `versionRetention` is given, so that its template holds the workflow's own resources and no version pruner.
 */
export function inlineWorkflow(stack: Stack, props: Partial<DurableWorkflowProps> = {}, id = 'Flow'): DurableWorkflow {
  return new DurableWorkflow(stack, id, {
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    handler: 'index.handler',
    versionRetention: VersionRetention.all(),
    ...props,
  } as DurableWorkflowProps);
}

/** The logical id in the template of a construct or of its default child (overrides included). */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild as CfnElement;
  return stack.resolve(element.logicalId);
}

/** `${fn.Arn}:*` as CloudFormation renders it: every execution ARN of the function. */
export function executionArns(fnLogicalId: string) {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fnLogicalId, 'Arn'] }, ':*']] };
}

/** The properties of the only resource of `type`. */
export function onlyResource(template: Template, type: string): any {
  const found = Object.values<any>(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

/** The statements of every AWS::IAM::Policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): any[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleLogicalId }] } });
  return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The conditions of every state-key permission: through Lambda only, and only this function's state. */
export function viaLambdaFor(stack: Stack, wf: DurableWorkflow) {
  return {
    StringEquals: {
      'kms:ViaService': { 'Fn::Join': ['', ['lambda.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
      'kms:EncryptionContext:aws:lambda:FunctionArn': { 'Fn::GetAtt': [logicalId(stack, wf.function), 'Arn'] },
    },
  };
}
