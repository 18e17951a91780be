import { withDurableExecution } from '@aws/durable-execution-sdk-js';

// The smallest real durable workflow: one checkpointed step that echoes what started it.
export const handler = withDurableExecution(async (event: unknown, context) => {
  return context.step('echo', async () => ({ received: event }));
});
