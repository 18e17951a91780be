import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflowAttributes, DurableWorkflowBase, IDurableWorkflow } from './durable-workflow-base';
import { checkQualifier } from './qualifier';
import { describeValue, PropValidator } from './validation';

const FUNCTION_ARN_FORM = 'arn:aws:lambda:REGION:ACCOUNT:function:NAME';
const QUALIFIED_ARN_FORM = `${FUNCTION_ARN_FORM}:ALIAS`;

/** An imported workflow's attributes, resolved: what it is built from. */
interface ImportedWorkflowProps {
  readonly functionArn: string;
  readonly functionName: string;
  readonly qualifier: string;
  readonly qualifiedArn: string;
  readonly role?: iam.IRole;
  readonly stateEncryptionKey?: kms.IKey;
}

/**
 * A durable workflow imported by ARN: grants, metrics, execution events and triggers work as on an owned one.
 *
 * Create it with `DurableWorkflow.fromWorkflowAttributes` or `DurableWorkflow.fromQualifiedArn`.
 */
export class ImportedWorkflow extends DurableWorkflowBase {
  /**
   * Import a workflow from its unqualified function ARN and its qualifier.
   */
  public static fromWorkflowAttributes(scope: Construct, id: string, attrs: DurableWorkflowAttributes): IDurableWorkflow {
    const v: PropValidator = PropValidator.forChild(scope, id, 'DurableWorkflow');
    if (typeof attrs !== 'object' || attrs === null) v.fail(`attrs must be an object with functionArn and qualifier, got ${describeValue(attrs)}`);
    const functionArn = v.string('functionArn', attrs.functionArn);
    if (functionArn === undefined) v.fail(`functionArn must be a Lambda function ARN (${FUNCTION_ARN_FORM}), got undefined`);
    v.instance('role', attrs.role, 'an iam.IRole', 'roleArn');
    v.instance('stateEncryptionKey', attrs.stateEncryptionKey, 'a kms.IKey', 'keyArn');
    let functionName: string;
    if (Token.isUnresolved(functionArn)) {
      functionName = Arn.split(functionArn, ArnFormat.COLON_RESOURCE_NAME).resourceName!;
    } else {
      const { name, arnPrefix } = parseFunctionArn(v, 'functionArn', functionArn, FUNCTION_ARN_FORM);
      const [unqualifiedName, qualifier] = name.split(':');
      if (qualifier !== undefined) {
        v.fail(`functionArn must be unqualified (${FUNCTION_ARN_FORM}): pass functionArn '${arnPrefix}${unqualifiedName}' `
          + `and qualifier '${qualifier}', or use fromQualifiedArn, got '${functionArn}'`);
      }
      functionName = name;
    }
    const qualifier = checkQualifier(v, 'qualifier', attrs.qualifier);
    return new ImportedWorkflow(scope, id, {
      functionArn,
      functionName,
      qualifier,
      qualifiedArn: `${functionArn}:${qualifier}`,
      role: attrs.role,
      stateEncryptionKey: attrs.stateEncryptionKey,
    });
  }

  /**
   * Import a workflow from its qualified ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS`).
   */
  public static fromQualifiedArn(scope: Construct, id: string, qualifiedArn: string): IDurableWorkflow {
    const v: PropValidator = PropValidator.forChild(scope, id, 'DurableWorkflow');
    if (v.string('qualifiedArn', qualifiedArn) === undefined) v.fail(`qualifiedArn must be a qualified Lambda function ARN (${QUALIFIED_ARN_FORM}), got undefined`);
    if (Token.isUnresolved(qualifiedArn)) {
      // Resolved by CloudFormation: arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER
      const parts = Fn.split(':', qualifiedArn, 8);
      return new ImportedWorkflow(scope, id, {
        functionArn: Fn.join(':', parts.slice(0, 7)),
        functionName: parts[6],
        qualifier: parts[7],
        qualifiedArn,
      });
    }
    const { name, arnPrefix } = parseFunctionArn(v, 'qualifiedArn', qualifiedArn, QUALIFIED_ARN_FORM);
    const [functionName, qualifier, ...rest] = name.split(':');
    if (qualifier === undefined) {
      v.fail(`qualifiedArn must end in an alias name or version number (${QUALIFIED_ARN_FORM}): durable functions refuse `
        + `unqualified invokes, got '${qualifiedArn}'`);
    }
    if (rest.length > 0) v.fail(`qualifiedArn must have exactly one qualifier (${QUALIFIED_ARN_FORM}), got '${qualifiedArn}'`);
    checkQualifier(v, "qualifiedArn's qualifier", qualifier);
    return new ImportedWorkflow(scope, id, {
      functionArn: `${arnPrefix}${functionName}`,
      functionName,
      qualifier,
      qualifiedArn,
    });
  }

  public readonly functionArn: string;
  public readonly functionName: string;
  public readonly qualifier: string;
  public readonly qualifiedArn: string;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly role?: iam.IRole;
  public readonly stateEncryptionKey?: kms.IKey;

  private constructor(scope: Construct, id: string, props: ImportedWorkflowProps) {
    super(scope, id, { environmentFromArn: props.functionArn });
    this.functionArn = props.functionArn;
    this.functionName = props.functionName;
    this.qualifier = props.qualifier;
    this.qualifiedArn = props.qualifiedArn;
    this.role = props.role;
    this.stateEncryptionKey = props.stateEncryptionKey;
    this.grantPrincipal = props.role ?? new iam.UnknownPrincipal({ resource: this });
  }

  protected get qualifiedFunction(): lambda.IFunction {
    const existing = this.node.tryFindChild('QualifiedFunctionImport') as lambda.IFunction | undefined;
    if (existing) {
      return existing;
    }
    // With the role, what event sources grant the function (reading a queue, a stream) lands on it.
    const unqualified = lambda.Function.fromFunctionAttributes(this, 'UnqualifiedFunctionImport', {
      functionArn: this.functionArn,
      role: this.role,
    });
    // aws-cdk-lib's import of a version works for any qualifier: it only appends it to the ARN. Unlike an
    // imported function, its invoke grants name the qualified ARN alone.
    return lambda.Version.fromVersionAttributes(this, 'QualifiedFunctionImport', {
      lambda: unqualified,
      version: this.qualifier,
    });
  }
}

/** Splits a literal Lambda function ARN; `name` keeps any `:QUALIFIER`. */
function parseFunctionArn(v: PropValidator, prop: string, arn: string, form: string): { name: string; arnPrefix: string } {
  let components;
  try {
    components = Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
  } catch {
    return v.fail(`${prop} must be a Lambda function ARN (${form}), got '${arn}'`);
  }
  if (components.service !== 'lambda' || components.resource !== 'function' || !components.resourceName) {
    v.fail(`${prop} must be a Lambda function ARN (${form}), got '${arn}'`);
  }
  const name = components.resourceName;
  return { name, arnPrefix: arn.slice(0, arn.length - name.length) };
}
