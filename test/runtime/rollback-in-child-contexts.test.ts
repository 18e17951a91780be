// Compensations registered inside runInChildContext, map and parallel: ordering, replays in later invocations, and
// failed NESTED children, whose compensations travel in their checkpointed error.
import { NestingType } from '@aws/durable-execution-sdk-js';
import type { ChildContextError } from '@aws/durable-execution-sdk-js';
import { workflow } from '../../lambda';
import { gate, noRetry, run, runThroughGates, sideEffects, useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

describe('rollback inside child contexts, map and parallel', () => {
  test('parallel branches with rollback: a failing branch undoes the others, newest position first', async () => {
    const effects = sideEffects();
    const handler = workflow.handler(async (_event, ctx) => {
      try {
        await ctx.stepWithRollback('create-order', { run: async () => 'o-1', undo: async () => effects.record('cancel-order') });
        const batch = await ctx.parallel('book', [
          async (c) => c.stepWithRollback('book-hotel', { run: async () => 'h', undo: async () => effects.record('cancel-hotel') }),
          { name: 'car', func: async (c) => c.stepWithRollback('book-car', { run: async () => 'c', undo: async () => effects.record('cancel-car') }) },
          async (c) => {
            await c.stepWithRollback('hold-seat', { run: async () => 's', undo: async () => effects.record('release-seat') });
            await c.step('book-flight', async () => {
              throw new Error('no seats');
            }, noRetry);
          },
        ], { completionConfig: { toleratedFailureCount: 1 } });
        batch.throwIfError();
        return 'booked';
      } catch (error) {
        await ctx.rollbackAll(error);
        throw error;
      }
    });

    const result = await run(handler);

    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError().errorMessage).toBe('no seats');
    // The failing branch's own compensation too, since the rollback ran in the invocation where the branch failed.
    expect(effects.order).toEqual(['release-seat', 'cancel-car', 'cancel-hotel', 'cancel-order']);
  });

  test('steps still running when a sibling fails are compensated too: rollbackAll waits for them to settle', async () => {
    const effects = sideEffects();
    let releaseSlowStep = () => undefined as void;
    const slowStepMayFinish = new Promise<void>((resolve) => {
      releaseSlowStep = resolve;
    });
    const handler = workflow.handler(async (_event, ctx) => {
      try {
        await ctx.promise.all([
          ctx.stepWithRollback('book-hotel', {
            run: async () => {
              await slowStepMayFinish; // still running when the car booking fails
              effects.record('book-hotel');
              return 'h-1';
            },
            undo: async () => effects.record('cancel-hotel'),
          }),
          ctx.stepWithRollback('book-car', {
            run: async () => {
              throw new Error('no cars');
            },
            undo: async () => effects.record('cancel-car'),
          }, noRetry),
        ]);
        return 'booked';
      } catch (error) {
        releaseSlowStep();
        await ctx.rollbackAll(error);
        throw error;
      }
    });

    const result = await run(handler);

    expect(result.getError().errorMessage).toBe('no cars');
    expect(effects.order).toEqual(['book-hotel', 'cancel-hotel']);
  });

  test('rollbackAll does not wait for a branch that a parallel completed early abandoned (its step never settles)', async () => {
    const effects = sideEffects();
    let releaseSlowBranch = () => undefined as void;
    const slowBranchMayFinish = new Promise<void>((resolve) => {
      releaseSlowBranch = resolve;
    });
    const handler = workflow.handler(async (_event, ctx) => {
      const batch = await ctx.parallel('quotes', [
        async (c) => c.stepWithRollback('fast-quote', { run: async () => 1, undo: async () => effects.record('drop-fast-quote') }),
        async (c) => c.stepWithRollback('slow-quote', {
          run: async () => {
            await slowBranchMayFinish;
            return 2;
          },
          undo: async () => effects.record('drop-slow-quote'),
        }),
      ], { completionConfig: { minSuccessful: 1 } });
      releaseSlowBranch();
      await ctx.rollbackAll(new Error('customer cancelled'));
      return batch.completionReason;
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('MIN_SUCCESSFUL_REACHED');
    expect(effects.order).toEqual(['drop-fast-quote']);
  });

  test('compensations registered in map items and child contexts survive a replay in a later invocation', async () => {
    const effects = sideEffects();
    let bodies = 0;
    const handler = workflow.handler(async (_event, ctx) => {
      bodies++;
      try {
        await ctx.map('reserve-seats', ['s1', 's2', 's3'], async (c, seat) =>
          c.stepWithRollback(`reserve-${seat}`, {
            run: async () => {
              effects.record(`reserve-${seat}`);
              return seat;
            },
            undo: async () => effects.record(`release-${seat}`),
          }));
        await ctx.runInChildContext('payment', async (c) => {
          await c.stepWithRollback('hold-funds', { run: async () => 'hold-1', undo: async () => effects.record('release-funds') });
        });
        await gate(ctx, 'venue-approval');
        await ctx.step('confirm', async () => {
          throw new Error('venue closed');
        }, noRetry);
        return 'confirmed';
      } catch (error) {
        await ctx.rollbackAll(error);
        throw error;
      }
    });

    const { result } = await runThroughGates(handler, ['venue-approval']);

    expect(result.getStatus()).toBe('FAILED');
    expect(bodies).toBe(2); // the rollback ran in the second invocation, from registrations rebuilt by replay
    expect(effects.order).toEqual([
      'reserve-s1', 'reserve-s2', 'reserve-s3',
      'release-funds', 'release-s3', 'release-s2', 'release-s1',
    ]);
  });

  /** A parallel whose only branch holds a compensation and then fails; the rollback happens one invocation later. */
  function failedBranchThenRollback(effects: ReturnType<typeof sideEffects>, config: { nesting?: NestingType } = {}) {
    return workflow.handler(async (_event, ctx) => {
      try {
        await ctx.stepWithRollback('create-order', { run: async () => 'o-1', undo: async () => effects.record('cancel-order') });
        const batch = await ctx.parallel('branches', [
          async (c) => {
            await c.stepWithRollback('hold-stock', { run: async () => 'held', undo: async () => effects.record('release-stock') });
            throw new Error('out of stock');
          },
        ], { completionConfig: { toleratedFailureCount: 1 }, ...config });
        await gate(ctx, 'next-invocation');
        batch.throwIfError();
        return 'ok';
      } catch (error) {
        await ctx.rollbackAll(error);
        throw error;
      }
    });
  }

  test('a NESTED branch that failed in an earlier invocation: its undo fails loudly instead of being skipped', async () => {
    const effects = sideEffects();

    const { result } = await runThroughGates(failedBranchThenRollback(effects), ['next-invocation']);

    expect(effects.order).toEqual(['cancel-order']); // the other undos still ran
    expect(result.getError().errorType).toBe('RollbackError');
    expect(result.getError().errorMessage).toMatch(
      /^Rollback failed for 1 of 2 compensation\(s\): "hold-stock": The undo of "hold-stock" cannot run: its NESTED child context failed .*NestingType.FLAT/,
    );
  });

  test('a FLAT branch that failed in an earlier invocation is re-run on replay, so its undo runs', async () => {
    const effects = sideEffects();

    const { result, invocations } = await runThroughGates(failedBranchThenRollback(effects, { nesting: NestingType.FLAT }), ['next-invocation']);

    expect(invocations).toBe(2);
    expect(result.getError()).toMatchObject({ errorType: 'ChildContextError', errorMessage: 'out of stock' });
    expect(effects.order).toEqual(['release-stock', 'cancel-order']);
  });

  test.each([
    ['NESTED', false, ['cancel-order'], /^Rollback failed for 1 of 2 compensation\(s\): "hold-stock": The undo of "hold-stock" cannot run/],
    ['virtual', true, ['release-stock', 'cancel-order'], /^out of stock$/],
  ])('a %s runInChildContext that failed in an earlier invocation', async (_kind, virtualContext, undone, message) => {
    const effects = sideEffects();
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.stepWithRollback('create-order', { run: async () => 'o-1', undo: async () => effects.record('cancel-order') });
      const failure = await ctx.runInChildContext('reserve', async (c) => {
        await c.stepWithRollback('hold-stock', { run: async () => 'held', undo: async () => effects.record('release-stock') });
        throw new Error('out of stock');
      }, { virtualContext }).then(() => undefined, (error: unknown) => error);
      await gate(ctx, 'next-invocation');
      await ctx.rollbackAll(failure);
      throw failure;
    });

    const { result } = await runThroughGates(handler, ['next-invocation']);

    expect(effects.order).toEqual(undone);
    expect(result.getError().errorMessage).toMatch(message);
  });

  test('a failed NESTED child that held compensations adds no operation, and its error reads as the SDK gives it', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      const holdThenFail = async (c: workflow.Context) => {
        await c.stepWithRollback('hold', { run: async () => 'held', undo: async () => undefined });
        throw new Error('branch failed');
      };
      const batch = await ctx.map('nested-failure', [1], holdThenFail, { completionConfig: { toleratedFailureCount: 1 } });
      const caught = await ctx.runInChildContext('nested-child-failure', holdThenFail).catch((error: unknown) => error as ChildContextError);
      return [batch.failed()[0].error, caught]
        .map((e) => ({ message: e?.message, data: e?.errorData, cause: (e?.cause as ChildContextError).errorData }));
    });

    const result = await run(handler);

    expect(result.getOperations().filter((op) => op.getParentId() === undefined).map((op) => op.getName()))
      .toEqual(['nested-failure', 'nested-child-failure']);
    expect(result.getResult()).toEqual([
      { message: 'branch failed', data: undefined, cause: undefined },
      { message: 'branch failed', data: undefined, cause: undefined },
    ]);
  });
});
