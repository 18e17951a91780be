// What both entry points of `cdk-durable-workflow/runtime` export by name, besides `workflow`: index.ts (the default)
// and handler-side.ts (DurableWorkflow's bundles). The client's exports cost nothing in an ES module bundle that does
// not import them.
export * from './client';
export { handler } from './handler';
export type { WorkflowConfig, WorkflowHandler } from './handler';
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
  CallbackPayloadError,
  CHECKPOINT_LIMIT_BYTES,
  CheckpointSizeError,
  CompensationUnavailableError,
  InvalidArgumentError,
  RollbackError,
} from './errors';
export type { RollbackFailure } from './errors';
export type { EarlyRollbackHandler, RollbackHandler, StepContext, StepWithRollbackConfig, UndoConfig } from './rollback';
