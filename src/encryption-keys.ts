// The customer managed keys a workflow takes: `stateEncryptionKey` (durable state) and `logGroupEncryptionKey` (its log
// group). Each is checked where the synth can know (symmetric, same Region), and its key policy gets the statement the
// service needs, scoped to this workflow's function or log group. Both services check the key policy when they create
// the resource, so the statement names a resource that does not exist yet: by a name fixed in advance, never by a
// reference to it (which would be a dependency cycle, and too late).
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Annotations, ArnFormat, CfnResource, Names, Stack, Token } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import type { IDurableWorkflow } from './durable-workflow-base';
import { statementText } from './policy-text';
import { PropValidator } from './validation';

export const DURABLE_ENCRYPTION_DOCS = 'https://docs.aws.amazon.com/lambda/latest/dg/durable-encryption.html';
export const LOG_ENCRYPTION_DOCS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html';

/**
 * Fails through `v` for a key the service cannot use: not a symmetric encryption key (known for a `kms.Key` of this
 * app), or in another Region than the stack (when both are known). Lambda durable state and CloudWatch Logs take only
 * symmetric keys of their own Region.
 */
export function checkKey(v: PropValidator, prop: string, key: kms.IKey, scope: IConstruct, service: string): void {
  const cfn = key.node.defaultChild;
  if (CfnResource.isCfnResource(cfn) && cfn.cfnResourceType === 'AWS::KMS::Key') {
    const { keySpec = kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage = kms.KeyUsage.ENCRYPT_DECRYPT } = cfn as kms.CfnKey;
    if (!Token.isUnresolved(keySpec) && !Token.isUnresolved(keyUsage)
      && (keySpec !== kms.KeySpec.SYMMETRIC_DEFAULT || keyUsage !== kms.KeyUsage.ENCRYPT_DECRYPT)) {
      v.fail(`${prop} must be a symmetric encryption key (key spec SYMMETRIC_DEFAULT, usage ENCRYPT_DECRYPT): ${service} `
        + `takes no other, got key spec ${keySpec} with usage ${keyUsage}`);
    }
  }
  const keyRegion = key.env.region;
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(keyRegion) && !Token.isUnresolved(region) && keyRegion !== region) {
    v.fail(`${prop} must be in the stack's Region, ${region} (${service} takes no key of another Region), got a key in ${keyRegion}`);
  }
}

/**
 * The function name durable state encryption needs before the function exists: the given one, or one made from the
 * path. A made one is a rename for a workflow deployed before without a key (its name was CloudFormation's), which
 * replaces the function and, with it, every version its running executions are pinned to: a warning says so.
 */
export function fixedFunctionName(workflow: Construct, given: string | undefined): string {
  if (given !== undefined) return given;
  const name = Names.uniqueResourceName(workflow, { maxLength: 64, separator: '-' });
  Annotations.of(workflow).addWarningV2('cdk-durable-workflow:stateEncryptionKeyNamesFunction',
    `stateEncryptionKey without functionName: the function is named ${name}, made from its path, so that the key policy can `
    + 'name it before it exists. If this workflow is already deployed without a key, its function has another name and this '
    + 'deploy replaces it: the old function is deleted with every version its RUNNING executions are pinned to. Give the key '
    + 'to a new workflow (or one deployed with functionName, which keeps its function) and acknowledge this warning.');
  return name;
}

/** The name of a workflow's log group with a key: made from the path, fixed before the log group exists. */
export function fixedLogGroupName(workflow: Construct): string {
  return `/aws/durable-workflow/${Names.uniqueResourceName(workflow, { maxLength: 200, separator: '-' })}`;
}

/**
 * Lets Lambda, as the service, encrypt and decrypt the durable state of this one function, as AWS documents it:
 * `aws:SourceAccount` and `aws:SourceArn` against the confused deputy, and the encryption context Lambda puts on every
 * call (`aws:lambda:FunctionArn`, the unqualified ARN). `functionArn` must not reference the function (see above).
 */
export function allowLambdaService(workflow: Construct, key: kms.IKey, functionArn: string): void {
  addToKeyPolicy(workflow, 'stateEncryptionKey', key, new iam.PolicyStatement({
    sid: `DurableState${Names.uniqueId(workflow)}`,
    principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'aws:SourceAccount': Stack.of(workflow).account,
        'aws:SourceArn': functionArn,
        'kms:EncryptionContext:aws:lambda:FunctionArn': functionArn,
      },
    },
  }), 'Lambda checks it when it creates the function, which fails without it; '
    + 'and every grant of kms:Decrypt that DurableWorkflow adds to an identity policy (the function\'s role, the grantees of grantRead, '
    + 'grantStop and grantSendCallback) works only if the key policy lets IAM policies grant it (the account principal, as a '
    + 'default key policy does), as does the deploying role\'s kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt through Lambda. '
    + `See ${DURABLE_ENCRYPTION_DOCS}`);
}

/** Lets CloudWatch Logs encrypt and decrypt the log group `logGroupArn` only, as AWS documents it. */
export function allowLogsService(workflow: Construct, key: kms.IKey, logGroupArn: string): void {
  addToKeyPolicy(workflow, 'logGroupEncryptionKey', key, new iam.PolicyStatement({
    sid: `Logs${Names.uniqueId(workflow)}`,
    // The Regional principal, as AWS writes it (service principals are amazonaws.com in every partition).
    principals: [new iam.ServicePrincipal(`logs.${Stack.of(workflow).region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  }), `CloudWatch Logs refuses to create the log group without it. See ${LOG_ENCRYPTION_DOCS}`);
}

/** The unqualified ARN of the function called `functionName` in the workflow's stack, without a reference to it. */
export function functionArnOf(workflow: Construct, functionName: string): string {
  return Stack.of(workflow).formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** The ARN of the log group called `logGroupName` in the workflow's stack, as the encryption context names it. */
export function logGroupArnOf(workflow: Construct, logGroupName: string): string {
  return Stack.of(workflow).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * Conditions of every `kms:Decrypt` of durable state granted to an identity: through Lambda only, and only this
 * function's state (Lambda decrypts with the caller's credentials, under the function's ARN as encryption context).
 */
export function stateKeyConditions(workflow: IDurableWorkflow): Record<string, Record<string, unknown>> {
  const stack = Stack.of(workflow);
  return {
    StringEquals: {
      'kms:ViaService': `lambda.${stack.region}.${stack.urlSuffix}`,
      'kms:EncryptionContext:aws:lambda:FunctionArn': workflow.functionArn,
    },
  };
}

/**
 * Adds `statement` to the key policy; a key imported from elsewhere has none to add to (aws-cdk-lib adds nothing), so
 * an acknowledgeable warning tells its owner the statement to add, and why.
 */
function addToKeyPolicy(workflow: Construct, prop: string, key: kms.IKey, statement: iam.PolicyStatement, why: string): void {
  if (key.addToResourcePolicy(statement).statementAdded) return;
  Annotations.of(workflow).addWarningV2(`cdk-durable-workflow:imported${prop[0].toUpperCase()}${prop.slice(1)}`,
    `${prop} is imported, so DurableWorkflow cannot change its key policy: the key's owner must add this statement to it `
    + `before the deploy: ${statementText(workflow, statement)}. ${why}`);
}
