// cdk-durable-workflow/runtime: what handler and client code import. Same surface as SST's `sst/aws/workflow`, handler
// side and client calls in SST's argument shapes, so `import { workflow } from 'cdk-durable-workflow/runtime'`
// replaces `import { workflow } from 'sst/aws/workflow'`. A handler bundled by DurableWorkflow gets handler-side.ts
// instead (the same exports, with a `workflow` that leaves the client out).
import type { DurableLogger } from '@aws/durable-execution-sdk-js';
import { workflow as client } from './client';
import type {
  CallOptions,
  DescribeResponse as DescribeResult,
  Execution as ExecutionInfo,
  ExecutionStatus as Status,
  ListResponse as ListResult,
  StartResponse as StartResult,
  StopResponse as StopResult,
  WorkflowResource,
  WorkflowTarget,
} from './client';
import type { WorkflowContext } from './context';
import type { WaitDuration } from './duration';
import { RollbackError } from './errors';
import type { RollbackError as RollbackErrorType } from './errors';
import { handler } from './handler';
import type { WorkflowConfig, WorkflowHandler } from './handler';
import type { StepWithRollbackConfig } from './rollback';

/**
 * The workflow SDK: `workflow.handler` on the function side, `workflow.start` and the other client calls in SST's
 * shapes, and `workflow.RollbackError` where SST code looks for it (`error instanceof workflow.RollbackError`).
 */
export const workflow = { handler, RollbackError, ...client };

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
  type Options = CallOptions;
  type RollbackError = RollbackErrorType;
}

export * from './exports';
