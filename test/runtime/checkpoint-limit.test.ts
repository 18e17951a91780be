// Step results are checked against the SDK's 256 KiB checkpoint limit before they are checkpointed.
import { workflow } from '../../lambda';
import { run, useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

describe('checkpoint limit', () => {
  test('a step result over 256 KiB fails before the checkpoint, naming size and limit, without retries', async () => {
    let attempts = 0;
    const handler = workflow.handler(async (_event, ctx) => {
      try {
        await ctx.step('export', async () => {
          attempts++;
          return 'x'.repeat(300 * 1024);
        });
        return 'stored';
      } catch (error) {
        return (error as Error).message;
      }
    });

    const result = await run(handler);

    expect(attempts).toBe(1);
    expect(result.getResult()).toBe(`Step "export" returned ${300 * 1024 + 2} bytes of JSON, over the 262144-byte checkpoint limit`);
  });

  test('with a custom serdes (per step or configureSerdes) the serdes owns the size: a large result passes', async () => {
    const store = new Map<string, string>();
    const byReference = {
      serialize: async (value: unknown, { entityId }: { entityId: string }) => {
        store.set(entityId, JSON.stringify(value));
        return JSON.stringify({ ref: entityId });
      },
      deserialize: async (data: string | undefined) => (data === undefined ? undefined : JSON.parse(store.get(JSON.parse(data).ref)!)),
    };
    const handler = workflow.handler(async (_event, ctx) => {
      const perStep = await ctx.step<string>('per-step', async () => 'a'.repeat(300 * 1024), { serdes: byReference });
      ctx.configureSerdes({ defaultSerdes: byReference });
      const byDefault = await ctx.step('by-default', async () => 'b'.repeat(300 * 1024));
      return [perStep.length, byDefault.length];
    });

    const result = await run(handler);

    expect(result.getResult()).toEqual([300 * 1024, 300 * 1024]);
  });

  test('stepWithRollback results are checked too, and a result just under the limit is checkpointed', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      const fits = await ctx.step('fits', async () => 'y'.repeat(256 * 1024 - 2));
      const tooBig = await ctx.stepWithRollback('too-big', { run: async () => 'z'.repeat(256 * 1024 - 1), undo: async () => undefined })
        .then(() => 'stored', (error: unknown) => (error as Error).message);
      return { fits: fits.length, tooBig };
    });

    const result = await run(handler);

    expect(result.getResult()).toEqual({ fits: 256 * 1024 - 2, tooBig: expect.stringMatching(/^Step "too-big" returned 262145 bytes/) });
  });
});
