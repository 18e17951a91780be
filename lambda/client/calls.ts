// `workflow.start` and the other client calls, in exactly SST's argument shapes (`sst/aws/workflow`), so client code
// written for SST runs once its import changes. One shape per call: the second argument is always SST's input object.
// This package's richer shapes (payload and options apart, `sync`, an injected LambdaClient) are WorkflowClient's.
import type { ErrorInput } from './encode';
import type { ExecutionList } from './execution-list';
import { checkExecutionName } from './target';
import type { WorkflowTarget } from './target';
import { clientFor } from './workflow-client';
import type {
  AwsOptions,
  DescribeResponse,
  HistoryEvent,
  ListQuery,
  StartResponse,
  StopResponse,
} from './workflow-client';

/** SST's call options. */
export interface CallOptions {
  /**
   * Credentials, region and retries for the LambdaClient of this call.
   * @default the shared client: credentials and region from the environment
   */
  readonly aws?: AwsOptions;
}

/** The second argument of `workflow.start`. */
export interface StartInput<TPayload = unknown> {
  /** The execution name, the idempotency key: 1 to 64 of [a-zA-Z0-9-_]. */
  readonly name: string;
  /** The payload the workflow handler receives. */
  readonly payload?: TPayload;
}

/** The second argument of `workflow.succeed`. */
export interface SucceedInput<TPayload = unknown> {
  /** The callback result, sent as JSON (`ctx.waitForCallbackJson` parses it back). */
  readonly payload?: TPayload;
}

/** The second argument of `workflow.fail`. */
export interface FailInput {
  /**
   * An Error, a message, or `{ message, type, data, stack }` (typed `unknown`, as SST's, so a caught error passes
   * as it is; anything else is refused before any request).
   */
  readonly error: unknown;
}

/** The second argument of `workflow.stop`. */
export interface StopInput {
  /** As FailInput's `error`. @default no error */
  readonly error?: unknown;
}

/** Starts an execution asynchronously (`Event`), named `input.name`, with `input.payload` as its payload. */
export async function start<TPayload = unknown>(
  target: WorkflowTarget, input: StartInput<TPayload>, options?: CallOptions,
): Promise<StartResponse> {
  return clientFor(options?.aws).start(target, input?.payload, { name: checkExecutionName(input?.name) });
}

/** Status, timestamps, version, input, result and error of an execution. */
export function describe(arn: string, options?: CallOptions): Promise<DescribeResponse> {
  return clientFor(options?.aws).describe(arn);
}

/** Every matching execution, across all pages: await it for `{ executions }` or iterate it with `for await`. */
export function list(target: WorkflowTarget, query?: ListQuery, options?: CallOptions): ExecutionList {
  return clientFor(options?.aws).list(target, query);
}

/** Every event of an execution's history, across all pages, oldest first. */
export function history(arn: string, options?: CallOptions): Promise<HistoryEvent[]> {
  return clientFor(options?.aws).history(arn);
}

/** Stops a running execution, with `input.error` if given. It ends at its next checkpoint. */
export function stop(arn: string, input?: StopInput, options?: CallOptions): Promise<StopResponse> {
  return clientFor(options?.aws).stop(arn, input?.error as ErrorInput | undefined);
}

/** Completes a callback successfully with `input.payload` as its JSON result. */
export function succeed<TPayload = unknown>(callbackId: string, input?: SucceedInput<TPayload>, options?: CallOptions): Promise<void> {
  return clientFor(options?.aws).succeed(callbackId, input?.payload);
}

/** Fails a callback with `input.error`; the workflow's waitForCallback throws a CallbackError with it. */
export function fail(callbackId: string, input: FailInput, options?: CallOptions): Promise<void> {
  return clientFor(options?.aws).fail(callbackId, input?.error as ErrorInput);
}

/** Sends a callback heartbeat. */
export function heartbeat(callbackId: string, options?: CallOptions): Promise<void> {
  return clientFor(options?.aws).heartbeat(callbackId);
}
