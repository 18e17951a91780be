// cdk-durable-workflow/runtime/client: the client side alone (start, inspect, stop, answer callbacks). Importable
// anywhere, and the way to reach the client from a handler bundled by DurableWorkflow, whose
// `cdk-durable-workflow/runtime` is the handler side only (see ../handler-side.ts).
import { describe, fail, heartbeat, history, list, start, stop, succeed } from './calls';

/** The client calls in SST's shapes: `workflow.start(resource, { name, payload })` and the rest. */
export const workflow = { start, describe, list, history, stop, succeed, fail, heartbeat };

export { describe, fail, heartbeat, history, list, start, stop, succeed };
export type { CallOptions, FailInput, StartInput, StopInput, SucceedInput } from './calls';
export type { ErrorInput } from './encode';
export {
  CallbackClosedError,
  ExecutionAlreadyStartedError,
  NotFoundError,
  ThrottledError,
  WorkflowApiError,
} from './errors';
export type { AwsErrorDetails } from './errors';
export { ExecutionList } from './execution-list';
export type { WorkflowResource, WorkflowTarget } from './target';
export { WorkflowClient } from './workflow-client';
export type {
  AwsOptions,
  ClientOptions,
  DescribeResponse,
  Execution,
  ExecutionError,
  ExecutionStatus,
  HistoryEvent,
  ListQuery,
  ListResponse,
  StartOptions,
  StartResponse,
  StopResponse,
} from './workflow-client';
export { InvalidArgumentError } from '../errors';
