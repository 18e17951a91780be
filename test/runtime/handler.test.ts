// workflow.handler: its configuration, and the context operations it passes through untouched (operation-parity.test.ts
// checks that handlers using no helper feature checkpoint exactly what the raw SDK does).
import { workflow } from '../../lambda';
import { run, useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

describe('workflow.handler', () => {
  test('with childOperationsDepth lowered, stepWithRollback in a child context fails with a clear error', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.stepWithRollback('root-level', { run: async () => 1, undo: async () => undefined });
      return ctx.runInChildContext('child', async (c) =>
        c.stepWithRollback('nested', { run: async () => 2, undo: async () => undefined }));
    }, { pluginsConfig: { childOperationsDepth: 0 } });

    const result = await run(handler);

    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError().errorMessage).toBe(
      'stepWithRollback("nested") is at child-context depth 1, past pluginsConfig.childOperationsDepth 0: its undo would be lost on replay',
    );
  });

  test('the other context operations pass through: unnamed steps, promise.all, executionContext, invoke-free children', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      const [a, b] = await ctx.promise.all([ctx.step(async () => 1), ctx.step('two', async () => 2)]);
      const nested = await ctx.runInChildContext(async (c) => c.runInChildContext('inner', async (cc) => cc.step(async () => 3)));
      return { sum: a + b + nested, arn: ctx.executionContext.durableExecutionArn.length > 0 };
    });

    const result = await run(handler);

    expect(result.getResult()).toEqual({ sum: 6, arn: true });
  });
});
