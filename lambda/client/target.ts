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
/** An execution ARN's parts, loosely, so that each can be checked (and named) on its own. */
const EXECUTION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:function:([^:/]+):([^/]*)\/durable-execution\/([^/]*)\/([^/]+)$/;
/** The API's rule (DurableExecutionArn): a version number or `$LATEST` (`$LATEST.PUBLISHED` too), never an alias. */
const EXECUTION_QUALIFIER = /^(\$LATEST(\.PUBLISHED)?|[0-9]+)$/;
const EXECUTION_ID = /^[a-zA-Z0-9_-]+$/;
const MAX_EXECUTION_ARN = 1024;
/** The API's rule (CallbackId): base64 characters, 1 to 1,024. */
const CALLBACK_ID = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_CALLBACK_ID = 1024;
const EXECUTION_ARN_FORM = 'arn:aws:lambda:REGION:ACCOUNT:function:NAME:VERSION/durable-execution/EXECUTION_NAME/EXECUTION_ID';

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
export function checkExecutionName(name: unknown, what = 'Execution name'): string {
  if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) {
    throw new InvalidArgumentError(`${what} ${preview(name)} is invalid: use 1 to 64 characters of a-z, A-Z, 0-9, - and _`);
  }
  return name;
}

/**
 * Checks a durable execution ARN as the API takes it: the version it runs on (a number, or `$LATEST`) after the function
 * name, never an alias, then the execution name and id; at most 1,024 characters.
 */
export function checkExecutionArn(arn: unknown): string {
  const parts = typeof arn === 'string' && arn.length <= MAX_EXECUTION_ARN ? EXECUTION_ARN.exec(arn) : null;
  if (!parts) {
    throw new InvalidArgumentError(`Execution ARN ${preview(arn)} is not a durable execution ARN (${EXECUTION_ARN_FORM}, `
      + `at most ${MAX_EXECUTION_ARN} characters)`);
  }
  const [, functionName, qualifier, name, id] = parts;
  if (!FUNCTION_NAME.test(functionName)) {
    throw new InvalidArgumentError(`Execution ARN ${preview(arn)} has function name ${preview(functionName)}: use 1 to 64 of a-z, A-Z, 0-9, - and _`);
  }
  if (!EXECUTION_QUALIFIER.test(qualifier)) {
    throw new InvalidArgumentError(`Execution ARN ${preview(arn)} has qualifier ${preview(qualifier)}: an execution ARN names `
      + 'the version the execution runs on (a number) or $LATEST, never an alias. Use the ARN that start, list or describe returned');
  }
  checkExecutionName(name, `Execution ARN ${preview(arn)}: its execution name`);
  if (!EXECUTION_ID.test(id)) {
    throw new InvalidArgumentError(`Execution ARN ${preview(arn)} has execution id ${preview(id)}: use a-z, A-Z, 0-9, - and _`);
  }
  return arn as string;
}

/** Checks a callback ID handed out by ctx.createCallback / ctx.waitForCallback: base64 characters, 1 to 1,024. */
export function checkCallbackId(callbackId: unknown): string {
  if (typeof callbackId !== 'string' || callbackId.length > MAX_CALLBACK_ID || !CALLBACK_ID.test(callbackId)) {
    throw new InvalidArgumentError(`Callback ID ${preview(callbackId)} is invalid: pass the ID the workflow handed out, 1 to `
      + `${MAX_CALLBACK_ID} base64 characters (A-Z, a-z, 0-9, + and /, then up to two =)`);
  }
  return callbackId;
}

/** A value for a message: a string quoted (its start, if long) with its length; anything else as JSON. */
function preview(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  const shown = value.length > 80 ? `${JSON.stringify(value.slice(0, 80)).slice(0, -1)}..."` : JSON.stringify(value);
  return `${shown} (${value.length} characters)`;
}

function describe(target: WorkflowTarget): string {
  return typeof target === 'string' ? `"${target}"` : JSON.stringify(target);
}
