/**
 * A local run or replay check could not be carried out: bad options, a handler that is not durable, an unanswered
 * callback, a history that is not one.
 */
export class LocalRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRunError';
  }
}

/** The handler's invocation did not end with a durable invocation status. */
export function notDurableError(detail: string): LocalRunError {
  return new LocalRunError(`The handler is not a durable handler: ${detail}. Wrap it with workflow.handler() from cdk-durable-workflow/runtime `
    + 'or withDurableExecution() from @aws/durable-execution-sdk-js.');
}

/**
 * What a handler's invocation threw, as the reason the run stops. The durable SDK itself throws only unrecoverable
 * errors (a result it cannot serialize, a failed checkpoint), which make Lambda retry the invocation; it marks them
 * with a flag, not a class (the workflow's bundle carries its own copy of the SDK). Anything else is a handler that
 * is not durable.
 */
export function invocationThrewError(error: unknown): LocalRunError {
  if ((error as { isUnrecoverable?: unknown } | null)?.isUnrecoverable === true) {
    return new LocalRunError(`The workflow's invocation stopped with ${(error as Error).name}: ${(error as Error).message}. `
      + 'Lambda would retry the invocation; the local run stops here.');
  }
  return notDurableError(`it threw "${(error as Error)?.message ?? String(error)}" instead of returning an invocation status`);
}

/** A short description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  try {
    const text = JSON.stringify(value);
    return `${typeof value} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
  } catch {
    return typeof value;
  }
}
