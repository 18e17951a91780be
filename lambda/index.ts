// cdk-durable-workflow/runtime: what handler authors import. Same surface as SST's `sst/aws/workflow` (handler side,
// and the client calls in SST's argument shapes too, see sst.ts), so `import { workflow } from 'cdk-durable-workflow/runtime'`
// replaces `import { workflow } from 'sst/aws/workflow'`.
import type { DurableLogger } from '@aws/durable-execution-sdk-js';
import { clientFor } from './client';
import type {
  ClientOptions,
  DescribeResponse as DescribeResult,
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
import { RollbackError } from './errors';
import type { RollbackError as RollbackErrorType } from './errors';
import { handler } from './handler';
import type { WorkflowConfig, WorkflowHandler } from './handler';
import type { StepWithRollbackConfig } from './rollback';
import { readSstError, readSstStart, readSstSucceed } from './sst';
import type { SstErrorInput, SstStartInput, SstSucceedInput } from './sst';
import type { WorkflowResource, WorkflowTarget } from './target';

/**
 * Starts an execution. Asynchronous (`Event`) unless `sync`; `name` is the idempotency key. SST's
 * `start(resource, { name, payload })` works too (see readSstStart for how the two are told apart).
 */
function start<TPayload = unknown>(
  target: WorkflowTarget, input?: TPayload | SstStartInput<TPayload>, options?: StartOptions,
): Promise<StartResult> {
  const sst = readSstStart(input, options);
  const startOptions = sst ? { ...options, name: sst.name } : options;
  return clientFor(startOptions).start(target, sst ? sst.payload : input, startOptions);
}

/** Status, timestamps, version, input, result and error of an execution. */
function describe(arn: string, options?: ClientOptions): Promise<DescribeResult> {
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

/** Stops a running execution, optionally with an error (or SST's `{ error }`). */
function stop(arn: string, error?: ErrorInput | SstErrorInput, options?: ClientOptions): Promise<StopResult> {
  const sst = readSstError(error);
  return clientFor(options).stop(arn, sst ? sst.error as ErrorInput | undefined : error as ErrorInput | undefined);
}

/** Completes a callback with a JSON result (or SST's `{ payload }`, see readSstSucceed). */
function succeed<TPayload = unknown>(
  callbackId: string, result?: TPayload | SstSucceedInput<TPayload>, options?: ClientOptions,
): Promise<void> {
  const sst = readSstSucceed(result, options);
  return clientFor(options).succeed(callbackId, sst ? sst.payload : result);
}

/** Fails a callback with an error (or SST's `{ error }`). */
function fail(callbackId: string, error: ErrorInput | SstErrorInput, options?: ClientOptions): Promise<void> {
  const sst = readSstError(error);
  return clientFor(options).fail(callbackId, (sst ? sst.error : error) as ErrorInput);
}

/** Sends a callback heartbeat. */
function heartbeat(callbackId: string, options?: ClientOptions): Promise<void> {
  return clientFor(options).heartbeat(callbackId);
}

/**
 * The workflow SDK: `workflow.handler` on the function side, `workflow.start` and the rest on the client side, and
 * `workflow.RollbackError` where SST code looks for it (`error instanceof workflow.RollbackError`).
 */
export const workflow = { handler, start, describe, list, history, stop, succeed, fail, heartbeat, RollbackError };

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
  type DescribeResponse = DescribeResult;
  type StopResponse = StopResult;
  type Options = ClientOptions;
  type RollbackError = RollbackErrorType;
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
export type { AwsOptions, SstErrorInput, SstStartInput, SstSucceedInput } from './sst';
export type { WorkflowResource, WorkflowTarget } from './target';
