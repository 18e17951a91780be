// workflow.handler: SST's entry point, on top of the SDK's withDurableExecution.
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableExecutionConfig, DurableLambdaHandler, DurableLogger } from '@aws/durable-execution-sdk-js';
import { markChildOperationsDepth } from './child-operations-depth';
import { extendContext } from './context';
import type { WorkflowContext } from './context';
import { CompensationRegistry } from './rollback';

/** A workflow body: the typed user payload and the extended context in, the execution's result out. */
export type WorkflowHandler<TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger> =
  (event: TEvent, context: WorkflowContext<TLogger>) => Promise<TResult>;

/** Options of `workflow.handler`: the SDK's DurableExecutionConfig. */
export type WorkflowConfig = DurableExecutionConfig;

/**
 * Returns the Lambda handler of a durable workflow. `fn` receives the payload the execution was started with and a
 * WorkflowContext.
 *
 * Unless `config.pluginsConfig.childOperationsDepth` is set, it is set to `Infinity`: the SDK then re-runs the
 * orchestration code of completed child contexts (map items, parallel branches) on replay, without re-running their
 * steps, so compensations registered inside them are registered again. Without it a `rollbackAll` after a later
 * wait would silently skip them. The cost is one extra replay pass over completed child contexts. The handler carries
 * the depth, for `checkReplay` (an execution's history does not record it).
 */
export function handler<TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger>(
  fn: WorkflowHandler<TEvent, TResult, TLogger>,
  config?: WorkflowConfig,
): DurableLambdaHandler {
  const replayDepth = config?.pluginsConfig?.childOperationsDepth ?? Infinity;
  return markChildOperationsDepth(withDurableExecution<TEvent, TResult, TLogger>(
    (event, ctx) => fn(event, extendContext(ctx, { registry: new CompensationRegistry(), replayDepth })),
    { ...config, pluginsConfig: { ...config?.pluginsConfig, childOperationsDepth: replayDepth } },
  ), replayDepth);
}
