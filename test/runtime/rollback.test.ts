// ctx.stepWithRollback and ctx.rollbackAll in the handler's own context: sagas run as real durable executions.
import { OperationType } from '@aws/durable-execution-sdk-js';
import { workflow } from '../../lambda';
import { gate, noRetry, operationsOfType, run, runThroughGates, sideEffects, threeAttempts, useDurableTestRunner } from '../support/durable-runner';

useDurableTestRunner();

describe('saga', () => {
  test('success: every step runs once, no undo runs, the typed payload reaches the handler', async () => {
    const effects = sideEffects();
    const handler = workflow.handler<{ orderId: string }, string[]>(async (event, ctx) => {
      const booked: string[] = [];
      for (const item of ['hotel', 'car', 'flight']) {
        booked.push(await ctx.stepWithRollback(`book-${item}`, {
          run: async () => {
            effects.record(`book-${item}`);
            return `${event.orderId}:${item}`;
          },
          undo: async () => effects.record(`cancel-${item}`),
        }));
      }
      return booked;
    });

    const result = await run(handler, { orderId: 'o-1' });

    expect(result.getStatus()).toBe('SUCCEEDED');
    expect(result.getResult()).toEqual(['o-1:hotel', 'o-1:car', 'o-1:flight']);
    expect(effects.order).toEqual(['book-hotel', 'book-car', 'book-flight']);
  });

  test('failure after three steps with the second undo throwing: all undos attempted, one aggregate error, nothing re-run', async () => {
    const effects = sideEffects();
    let bodies = 0;
    const handler = workflow.handler(async (_event, ctx) => {
      bodies++;
      try {
        for (const item of ['hotel', 'car', 'flight']) {
          await ctx.stepWithRollback(`book-${item}`, {
            run: async () => {
              effects.record(`book-${item}`);
              return { reservation: `r-${item}` };
            },
            undo: async (error, result) => {
              effects.record(`cancel-${item}`);
              if (item === 'car') throw new Error(`car API down while undoing ${result.reservation} after "${(error as Error).message}"`);
            },
          }, { ...noRetry, undoConfig: threeAttempts }); // the forward step's no-retry policy must not leak into the undo
        }
        await ctx.step('charge-card', async () => {
          effects.record('charge-card');
          throw new Error('card declined');
        }, noRetry);
        return 'paid';
      } catch (error) {
        try {
          await ctx.rollbackAll(error);
        } catch (rollbackError) {
          await gate(ctx, 'after-rollback'); // replays everything above in a new invocation
          throw rollbackError;
        }
        throw error;
      }
    });

    const { result, invocations } = await runThroughGates(handler, ['after-rollback']);

    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError()).toMatchObject({
      errorType: 'RollbackError',
      errorMessage: 'Rollback failed for 1 of 3 compensation(s): "book-car": car API down while undoing r-car after "card declined"',
    });
    // Newest first; the car undo used its own 3 attempts; the replay after the gate re-ran nothing.
    expect(effects.order.filter((e) => e.startsWith('cancel'))).toEqual(['cancel-flight', 'cancel-car', 'cancel-car', 'cancel-car', 'cancel-hotel']);
    expect(effects.counts).toEqual({
      'book-hotel': 1,
      'book-car': 1,
      'book-flight': 1,
      'charge-card': 1,
      'cancel-flight': 1,
      'cancel-car': 3,
      'cancel-hotel': 1,
    });
    expect(invocations).toBeGreaterThanOrEqual(2);
    expect(bodies).toBe(invocations);
    const rollbackSteps = operationsOfType(result, OperationType.STEP).map((op) => op.getName())
      .filter((name) => name === 'Rollback plan' || name?.startsWith('Undo'));
    expect(rollbackSteps).toEqual(['Rollback plan', "Undo 'book-flight'", "Undo 'book-car'", "Undo 'book-hotel'"]);
  });

  test("registerUndo: 'before-run' compensates a step whose run failed half-way, with an undefined result", async () => {
    const effects = sideEffects();
    const undoResults: unknown[] = [];
    const handler = workflow.handler(async (_event, ctx) => {
      try {
        await ctx.stepWithRollback('upload-parts', {
          run: async () => {
            effects.record('upload-part-1');
            throw new Error('part 2 failed');
          },
          undo: async (_error, result) => {
            undoResults.push(result);
            effects.record('delete-parts');
          },
        }, { ...noRetry, registerUndo: 'before-run' });
      } catch (error) {
        await ctx.rollbackAll(error);
        return 'rolled back';
      }
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('rolled back');
    expect(effects.order).toEqual(['upload-part-1', 'delete-parts']);
    expect(undoResults).toEqual([undefined]);
  });

  test('a failed forward step registers nothing by default, and rollbackAll twice undoes each step once', async () => {
    const effects = sideEffects();
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.stepWithRollback('a', { run: async () => 'A', undo: async () => effects.record('undo-a') });
      await ctx.stepWithRollback('b', {
        run: async () => {
          throw new Error('b failed');
        },
        undo: async () => effects.record('undo-b'),
      }, noRetry).catch(() => undefined);
      await ctx.rollbackAll(new Error('first'));
      await ctx.rollbackAll(new Error('second'));
      return 'ok';
    });

    const result = await run(handler);

    expect(result.getStatus()).toBe('SUCCEEDED');
    expect(effects.order).toEqual(['undo-a']);
  });

  test('the undo receives the error given to rollbackAll and the forward result', async () => {
    const seen: unknown[] = [];
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.stepWithRollback('reserve', {
        run: async () => ({ id: 'res-9', qty: 2 }),
        undo: async (error, result, stepContext) => {
          seen.push((error as Error).message, result, typeof stepContext.logger.info);
        },
      });
      await ctx.rollbackAll(new Error('payment timed out'));
      return 'ok';
    });

    await run(handler);

    expect(seen).toEqual(['payment timed out', { id: 'res-9', qty: 2 }, 'function']);
  });
});

describe('stepWithRollback arguments', () => {
  const ARGUMENTS = "needs a name, { run, undo } functions and registerUndo 'after-run' or 'before-run'";
  test.each([
    ['no name', (ctx: workflow.Context) => ctx.stepWithRollback('', { run: async () => 1, undo: async () => undefined }),
      `stepWithRollback("") ${ARGUMENTS}`],
    ['no undo', (ctx: workflow.Context) => ctx.stepWithRollback('pay', { run: async () => 1 } as never),
      `stepWithRollback("pay") ${ARGUMENTS}`],
    ['an unknown registerUndo', (ctx: workflow.Context) =>
      ctx.stepWithRollback('pay', { run: async () => 1, undo: async () => undefined }, { registerUndo: 'later' } as never),
    `stepWithRollback("pay") ${ARGUMENTS}`],
  ])('%s fails with a clear error before the step runs', async (_what, call, message) => {
    const handler = workflow.handler(async (_event, ctx) => call(ctx));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: message });
    expect(result.getOperations()).toHaveLength(0);
  });
});
