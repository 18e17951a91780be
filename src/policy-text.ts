import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';

/**
 * A policy statement as one line of JSON for a warning that asks a person to add it: references read as
 * CloudFormation's `Fn::Sub` writes them (`${AWS::Region}`, `${MyFunction.Arn}`), the rest as it will deploy.
 */
export function statementText(scope: IConstruct, statement: iam.PolicyStatement): string {
  return JSON.stringify(readable(Stack.of(scope).resolve(statement.toStatementJson())));
}

function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const [key, ...others] = Object.keys(object);
  if (others.length === 0 && key === 'Ref') return `\${${String(object.Ref)}}`;
  if (others.length === 0 && key === 'Fn::GetAtt') return `\${${(object[key] as string[]).join('.')}}`;
  if (others.length === 0 && key === 'Fn::Join') {
    const [separator, parts] = object[key] as [string, unknown[]];
    return parts.map((part) => {
      const text = readable(part);
      return typeof text === 'string' ? text : JSON.stringify(text);
    }).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, readable(v)]));
}
