// What the client addresses: a workflow (a qualified function) and its executions. Checked before any request.
import { InvalidArgumentError } from '../errors';

/** SST's Resource shape: a function name (or unqualified ARN) and the version or alias to use. */
export interface WorkflowResource {
  /** Function name or unqualified function ARN. */
  readonly name: string;
  /** Version number, alias or `$LATEST`. */
  readonly qualifier: string;
}

/**
 * A workflow to start or list: a qualified function ARN (`arn:aws:lambda:us-east-1:123456789012:function:orders:live`),
 * a name with its qualifier (`orders:live`), or `{ name, qualifier }`.
 */
export type WorkflowTarget = string | WorkflowResource;

/** A target split into the Lambda API's FunctionName and Qualifier. */
export interface ResolvedTarget {
  readonly functionName: string;
  readonly qualifier?: string;
}

const FUNCTION_ARN = /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]{1,64})(?::([^:]+))?$/;
const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;
const EXECUTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const EXECUTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]{1,64}:[^:/]+\/durable-execution\/[^/]+\/[^/]+$/;

const EXAMPLES = '"arn:aws:lambda:us-east-1:123456789012:function:orders:live", "orders:live" or { name: "orders", qualifier: "live" }';

/**
 * Splits a target into FunctionName and Qualifier. Durable functions can only be invoked qualified, so an
 * unqualified target fails here, before any request, unless `allowUnqualified` (listing across every version).
 */
export function resolveTarget(target: WorkflowTarget, allowUnqualified = false): ResolvedTarget {
  let functionName: string;
  let qualifier: string | undefined;
  if (typeof target === 'string') {
    const arn = FUNCTION_ARN.exec(target);
    if (arn) {
      [, functionName, qualifier] = arn;
    } else {
      const [name, q, ...rest] = target.split(':');
      if (rest.length > 0 || !FUNCTION_NAME.test(name)) {
        throw new InvalidArgumentError(`Workflow target "${target}" is neither a function ARN nor "name:qualifier"; use ${EXAMPLES}`);
      }
      functionName = name;
      qualifier = q;
    }
  } else if (target !== null && typeof target === 'object' && typeof target.name === 'string') {
    const name = target.name;
    const arn = FUNCTION_ARN.exec(name);
    if (arn?.[2] !== undefined) {
      throw new InvalidArgumentError(`Workflow target name "${name}" already has a qualifier; pass the unqualified name with qualifier`);
    }
    if (!arn && !FUNCTION_NAME.test(name)) {
      throw new InvalidArgumentError(`Workflow target name "${name}" is not a function name or unqualified function ARN; use ${EXAMPLES}`);
    }
    functionName = name;
    qualifier = target.qualifier;
  } else {
    throw new InvalidArgumentError(`Workflow target ${JSON.stringify(target)} is not a function ARN, "name:qualifier" or { name, qualifier }`);
  }

  if (qualifier === undefined || qualifier === '') {
    if (allowUnqualified) return { functionName };
    throw new InvalidArgumentError(
      `Workflow target ${describe(target)} is not qualified: a durable function is invoked through a version, alias or `
      + `$LATEST, never unqualified. Use ${EXAMPLES}`,
    );
  }
  if (!QUALIFIER.test(qualifier)) {
    throw new InvalidArgumentError(
      `Workflow target ${describe(target)} has qualifier "${qualifier}": use a version number, an alias name `
      + '(1-128 of [a-zA-Z0-9-_]) or $LATEST',
    );
  }
  return { functionName, qualifier };
}

/** Checks an execution name (the idempotency key): 1 to 64 of [a-zA-Z0-9-_]. */
export function checkExecutionName(name: unknown): string {
  if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) {
    throw new InvalidArgumentError(
      `Execution name ${JSON.stringify(name)} is invalid: use 1 to 64 characters of a-z, A-Z, 0-9, - and _`,
    );
  }
  return name;
}

/** Checks a durable execution ARN (`arn:...:function:NAME:VERSION/durable-execution/EXECNAME/EXECID`). */
export function checkExecutionArn(arn: unknown): string {
  if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
    throw new InvalidArgumentError(
      `${JSON.stringify(arn)} is not a durable execution ARN `
      + '(arn:aws:lambda:REGION:ACCOUNT:function:NAME:VERSION/durable-execution/EXECUTION_NAME/EXECUTION_ID)',
    );
  }
  return arn;
}

/** Checks a callback ID handed out by ctx.createCallback / ctx.waitForCallback. */
export function checkCallbackId(callbackId: unknown): string {
  if (typeof callbackId !== 'string' || callbackId.length === 0) {
    throw new InvalidArgumentError(`Callback ID ${JSON.stringify(callbackId)} is invalid: pass the non-empty ID the workflow handed out`);
  }
  return callbackId;
}

function describe(target: WorkflowTarget): string {
  return typeof target === 'string' ? `"${target}"` : JSON.stringify(target);
}
