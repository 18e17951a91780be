// The queue dispatcher's configuration and its environment variables: the contract between the construct, which sets
// them at synth (and checks the same rules first, naming the prop), and the dispatcher, which reads them at cold start.
import { JSON_PATH_RULE, jsonPathProblem } from './json-path';

/** Where a message's execution name comes from. */
export type ExecutionNameSource =
  | { readonly kind: 'messageId' }
  | { readonly kind: 'jsonPath'; readonly path: string }
  | { readonly kind: 'messageAttribute'; readonly name: string };

/** What a message starts its execution with: the body parsed as JSON, the body as a JSON string, or the record. */
export type PayloadSource = 'jsonBody' | 'rawBody' | 'record';

export interface QueueDispatcherConfig {
  /** The workflow's qualified function ARN (its alias) that every start invokes. */
  readonly workflowArn: string;
  readonly executionName: ExecutionNameSource;
  readonly payload: PayloadSource;
}

/**
 * The environment variables, with examples:
 * - `WORKFLOW_ARN`: `arn:aws:lambda:us-east-1:123456789012:function:orders:live` (required, qualified);
 * - `EXECUTION_NAME_FROM`: `messageId` (the default), `jsonPath:$.orderId` or `messageAttribute:orderId`;
 * - `PAYLOAD_FROM`: `jsonBody` (the default), `rawBody` or `record`.
 */
export const QUEUE_DISPATCHER_ENV = {
  workflowArn: 'WORKFLOW_ARN',
  executionName: 'EXECUTION_NAME_FROM',
  payload: 'PAYLOAD_FROM',
} as const;

const PAYLOAD_SOURCES: readonly PayloadSource[] = ['jsonBody', 'rawBody', 'record'];
const QUALIFIED_FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]{1,64}:[a-zA-Z0-9_$-]{1,128}$/;
/** SQS message attribute names: 1-256 of [A-Za-z0-9_.-], no leading, trailing or double period, no AWS./Amazon. prefix. */
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)(?!aws\.)(?!amazon\.)[A-Za-z0-9_.-]{1,256}$/i;

/** Why `source` cannot name executions, or undefined when it can. */
export function executionNameSourceProblem(source: ExecutionNameSource): string | undefined {
  switch (source.kind) {
    case 'messageId':
      return undefined;
    case 'jsonPath':
      return jsonPathProblem(source.path);
    case 'messageAttribute':
      return ATTRIBUTE_NAME.test(source.name) ? undefined
        : `message attribute name '${source.name}' is not valid: use 1-256 of letters, digits, _, - and . (no leading, `
          + "trailing or double '.', no 'AWS.' or 'Amazon.' prefix)";
  }
}

/** The `EXECUTION_NAME_FROM` value of a source: `messageId`, `jsonPath:PATH` or `messageAttribute:NAME`. */
export function executionNameFrom(source: ExecutionNameSource): string {
  switch (source.kind) {
    case 'messageId':
      return 'messageId';
    case 'jsonPath':
      return `jsonPath:${source.path}`;
    case 'messageAttribute':
      return `messageAttribute:${source.name}`;
  }
}

/** The environment variables that configure a dispatcher. */
export function queueDispatcherEnvironment(config: QueueDispatcherConfig): Record<string, string> {
  return {
    [QUEUE_DISPATCHER_ENV.workflowArn]: config.workflowArn,
    [QUEUE_DISPATCHER_ENV.executionName]: executionNameFrom(config.executionName),
    [QUEUE_DISPATCHER_ENV.payload]: config.payload,
  };
}

/** Reads and checks the configuration; throws one error naming every variable that is wrong. */
export function readQueueDispatcherConfig(env: Readonly<Record<string, string | undefined>>): QueueDispatcherConfig {
  const problems: string[] = [];
  const workflowArn = env[QUEUE_DISPATCHER_ENV.workflowArn] ?? '';
  if (!QUALIFIED_FUNCTION_ARN.test(workflowArn)) {
    problems.push(`${QUEUE_DISPATCHER_ENV.workflowArn} must be a qualified function ARN (…:function:NAME:ALIAS), got '${workflowArn}'`);
  }

  const nameFrom = env[QUEUE_DISPATCHER_ENV.executionName] ?? 'messageId';
  const [kind, ...rest] = nameFrom.split(':');
  const argument = rest.join(':');
  let executionName: ExecutionNameSource = { kind: 'messageId' };
  if (kind === 'jsonPath') {
    executionName = { kind, path: argument };
  } else if (kind === 'messageAttribute') {
    executionName = { kind, name: argument };
  } else if (nameFrom !== 'messageId') {
    problems.push(`${QUEUE_DISPATCHER_ENV.executionName} must be messageId, jsonPath:PATH (${JSON_PATH_RULE}) or `
      + `messageAttribute:NAME, got '${nameFrom}'`);
  }
  const sourceProblem = executionNameSourceProblem(executionName);
  if (sourceProblem) problems.push(`${QUEUE_DISPATCHER_ENV.executionName}: ${sourceProblem}`);

  const payload = (env[QUEUE_DISPATCHER_ENV.payload] ?? 'jsonBody') as PayloadSource;
  if (!PAYLOAD_SOURCES.includes(payload)) {
    problems.push(`${QUEUE_DISPATCHER_ENV.payload} must be one of ${PAYLOAD_SOURCES.join(', ')}, got '${payload}'`);
  }

  if (problems.length > 0) throw new Error(`Queue dispatcher misconfigured: ${problems.join('; ')}`);
  return { workflowArn, executionName, payload };
}
