// cdk-durable-workflow/runtime: what handler authors import. Same surface as SST's `sst/aws/workflow`, so
// `import { workflow } from 'cdk-durable-workflow/runtime'` replaces `import { workflow } from 'sst/aws/workflow'`.
import type { DurableLogger } from '@aws/durable-execution-sdk-js';
import { clientFor } from './client';
import type {
  ClientOptions,
  DescribeResponse,
  ErrorInput,
  Execution as ExecutionInfo,
  ExecutionList,
  ExecutionStatus as Status,
  HistoryEvent,
  ListQuery,
  ListResponse as ListResult,
  StartOptions,
  StartResponse as StartResult,
  StopResponse as StopResult,
} from './client';
import type { WorkflowContext } from './context';
import type { WaitDuration } from './duration';
import { handler } from './handler';
import type { WorkflowConfig, WorkflowHandler } from './handler';
import type { StepWithRollbackConfig } from './rollback';
import type { WorkflowResource, WorkflowTarget } from './target';

/** Starts an execution. Asynchronous (`Event`) unless `sync`; `name` is the idempotency key. */
function start(target: WorkflowTarget, input?: unknown, options?: StartOptions): Promise<StartResult> {
  return clientFor(options).start(target, input, options);
}

/** Status, timestamps, version, input, result and error of an execution. */
function describe(arn: string, options?: ClientOptions): Promise<DescribeResponse> {
  return clientFor(options).describe(arn);
}

/** Every matching execution, across all pages: await it for `{ executions }` or iterate it with `for await`. */
function list(target: WorkflowTarget, query?: ListQuery, options?: ClientOptions): ExecutionList {
  return clientFor(options).list(target, query);
}

/** Every event of an execution's history, across all pages. */
function history(arn: string, options?: ClientOptions): Promise<HistoryEvent[]> {
  return clientFor(options).history(arn);
}

/** Stops a running execution, optionally with an error. */
function stop(arn: string, error?: ErrorInput, options?: ClientOptions): Promise<StopResult> {
  return clientFor(options).stop(arn, error);
}

/** Completes a callback with a JSON result. */
function succeed(callbackId: string, result?: unknown, options?: ClientOptions): Promise<void> {
  return clientFor(options).succeed(callbackId, result);
}

/** Fails a callback. */
function fail(callbackId: string, error: ErrorInput, options?: ClientOptions): Promise<void> {
  return clientFor(options).fail(callbackId, error);
}

/** Sends a callback heartbeat. */
function heartbeat(callbackId: string, options?: ClientOptions): Promise<void> {
  return clientFor(options).heartbeat(callbackId);
}

/** The workflow SDK: `workflow.handler` on the function side, `workflow.start` and the rest on the client side. */
export const workflow = { handler, start, describe, list, history, stop, succeed, fail, heartbeat };

// Type names under `workflow.`, as SST has them (`workflow.Context`, `workflow.Handler`, ...).
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace workflow {
  type Context<TLogger extends DurableLogger = DurableLogger> = WorkflowContext<TLogger>;
  type Handler<TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger> = WorkflowHandler<TEvent, TResult, TLogger>;
  type Config = WorkflowConfig;
  type Duration = WaitDuration;
  type StepConfig<TOutput = any> = StepWithRollbackConfig<TOutput>;
  type ExecutionStatus = Status;
  type Resource = WorkflowResource;
  type Target = WorkflowTarget;
  type Execution = ExecutionInfo;
  type StartResponse = StartResult;
  type ListResponse = ListResult;
  type StopResponse = StopResult;
}

export { handler, start, describe, list, history, stop, succeed, fail, heartbeat };
export { ExecutionList, WorkflowClient } from './client';
export type {
  ClientOptions,
  DescribeResponse,
  ErrorInput,
  Execution,
  ExecutionError,
  ExecutionStatus,
  HistoryEvent,
  ListQuery,
  ListResponse,
  StartOptions,
  StartResponse,
  StopResponse,
} from './client';
export type {
  CallbackSubmitter,
  ParallelConfig,
  WaitForCallbackJsonConfig,
  WorkflowChildFunc,
  WorkflowContext,
  WorkflowMapFunc,
  WorkflowNamedParallelBranch,
  WorkflowParallelFunc,
} from './context';
export { MAX_WAIT_SECONDS, MIN_WAIT_SECONDS } from './duration';
export type { WaitDuration } from './duration';
export {
  CallbackClosedError,
  CallbackPayloadError,
  CHECKPOINT_LIMIT_BYTES,
  CheckpointSizeError,
  CompensationUnavailableError,
  ExecutionAlreadyStartedError,
  InvalidArgumentError,
  NotFoundError,
  RollbackError,
  ThrottledError,
  WorkflowApiError,
} from './errors';
export type { AwsErrorDetails, RollbackFailure } from './errors';
export type { WorkflowConfig, WorkflowHandler } from './handler';
export type { EarlyRollbackHandler, RollbackHandler, StepContext, StepWithRollbackConfig, UndoConfig } from './rollback';
export type { WorkflowResource, WorkflowTarget } from './target';
