// ARNs the engine hands out, in the service's shapes, so code that parses or scopes them sees what AWS would send.

/** The account of every local ARN (the documentation's example account). */
export const ACCOUNT = '123456789012';

/** A function's ARN, qualified with a version or an alias when `qualifier` is given. */
export function functionArn(region: string, functionName: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${ACCOUNT}:function:${functionName}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** `arn:...:function:NAME:VERSION/durable-execution/EXECNAME/EXECID`: the qualifier is always a version. */
export function executionArn(qualifiedFunctionArn: string, name: string, id: string): string {
  return `${qualifiedFunctionArn}/durable-execution/${name}/${id}`;
}

/** The function name in what `ctx.invoke` was given: a name, `NAME:QUALIFIER`, or a function ARN. */
export function functionNameOf(target: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:/]+)/.exec(target);
  if (arn) return arn[1];
  return target.split(':')[0];
}
