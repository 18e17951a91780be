import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DurableWorkflowAttributes, DurableWorkflowBase, IDurableWorkflow } from './durable-workflow-base';
import { describeValue } from './validation';

/** Alias names (not all digits) and version numbers, as Lambda accepts them. */
const QUALIFIER_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

interface ImportedWorkflowProps {
  readonly functionArn: string;
  readonly functionName: string;
  readonly qualifier: string;
  readonly qualifiedArn: string;
  readonly role?: iam.IRole;
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
    if (typeof attrs !== 'object' || attrs === null) {
      throw new Error(`fromWorkflowAttributes needs { functionArn, qualifier }, got ${describeValue(attrs)}`);
    }
    const functionArn = attrs.functionArn;
    let functionName: string;
    if (Token.isUnresolved(functionArn)) {
      functionName = Arn.split(functionArn, ArnFormat.COLON_RESOURCE_NAME).resourceName!;
    } else {
      const { name, arnPrefix } = parseFunctionArn(functionArn, 'functionArn', 'arn:aws:lambda:REGION:ACCOUNT:function:NAME');
      const [unqualifiedName, qualifier] = name.split(':');
      if (qualifier !== undefined) {
        throw new Error(`functionArn "${functionArn}" is qualified: pass functionArn "${arnPrefix}${unqualifiedName}" `
          + `and qualifier "${qualifier}", or use fromQualifiedArn`);
      }
      functionName = name;
    }
    validateQualifier(attrs.qualifier, 'qualifier');
    return new ImportedWorkflow(scope, id, {
      functionArn,
      functionName,
      qualifier: attrs.qualifier,
      qualifiedArn: `${functionArn}:${attrs.qualifier}`,
      role: attrs.role,
    });
  }

  /**
   * Import a workflow from its qualified ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS`).
   */
  public static fromQualifiedArn(scope: Construct, id: string, qualifiedArn: string): IDurableWorkflow {
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
    const example = 'arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS';
    const { name, arnPrefix } = parseFunctionArn(qualifiedArn, 'qualifiedArn', example);
    const [functionName, qualifier, ...rest] = name.split(':');
    if (qualifier === undefined) {
      throw new Error(`qualifiedArn "${qualifiedArn}" is unqualified: durable functions refuse unqualified invokes. `
        + `Append the alias name or version number (${example})`);
    }
    if (rest.length > 0) {
      throw new Error(`qualifiedArn "${qualifiedArn}" has more than one qualifier; expected ${example}`);
    }
    validateQualifier(qualifier, 'qualifiedArn qualifier');
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

  /**
   * The role the function runs with, if given.
   */
  public readonly role?: iam.IRole;

  private constructor(scope: Construct, id: string, props: ImportedWorkflowProps) {
    super(scope, id, { environmentFromArn: props.functionArn });
    this.functionArn = props.functionArn;
    this.functionName = props.functionName;
    this.qualifier = props.qualifier;
    this.qualifiedArn = props.qualifiedArn;
    this.role = props.role;
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
function parseFunctionArn(arn: string, prop: string, example: string): { name: string; arnPrefix: string } {
  let components;
  try {
    components = Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
  } catch {
    throw new Error(`${prop} "${arn}" is not an ARN; expected ${example}`);
  }
  if (components.service !== 'lambda' || components.resource !== 'function' || !components.resourceName) {
    throw new Error(`${prop} "${arn}" is not a Lambda function ARN; expected ${example}`);
  }
  const name = components.resourceName;
  return { name, arnPrefix: arn.slice(0, arn.length - name.length) };
}

function validateQualifier(qualifier: string, prop: string): void {
  if (typeof qualifier !== 'string') {
    throw new Error(`${prop} must be an alias name or version number, got ${describeValue(qualifier)}`);
  }
  if (Token.isUnresolved(qualifier)) {
    return;
  }
  if (qualifier.startsWith('$LATEST')) {
    throw new Error(`${prop} "${qualifier}" is not allowed: permissions and triggers cannot target $LATEST, `
      + 'and running executions must stay on a published version. Use an alias name or a version number');
  }
  if (!QUALIFIER_PATTERN.test(qualifier)) {
    throw new Error(`${prop} "${qualifier}" is not an alias name or version number: `
      + 'use 1 to 128 letters, digits, "-" or "_"');
  }
}
