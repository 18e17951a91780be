// workflow.handler and the extended context, run as real durable executions under the SDK's LocalDurableTestRunner.
import { createRetryStrategy, NestingType, OperationType, retryPresets } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import type { TestResult } from '@aws/durable-execution-sdk-js-testing';
import { workflow } from '../../lambda';

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

const noRetry = { retryStrategy: retryPresets.noRetry };
const threeAttempts = { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }) };

function run(handler: DurableLambdaHandler, payload?: unknown): Promise<TestResult> {
  return new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload });
}

/**
 * Runs a handler that stops at callbacks named in `gates`, answering each only after the invocation that reached it
 * has suspended, so whatever follows a gate runs in a new invocation that replays the handler from the start.
 * (Retries and waits are no reliable boundary: the local runner may finish them inside the same invocation.)
 */
async function runThroughGates(handler: DurableLambdaHandler, gates: string[]): Promise<{ result: TestResult; invocations: number }> {
  let ended = 0;
  let onEnd = () => undefined as void;
  const observed: DurableLambdaHandler = async (event, context) => {
    const output = await handler(event, context);
    ended++;
    onEnd();
    return output;
  };
  const runner = new LocalDurableTestRunner({ handlerFunction: observed });
  const running = runner.run();
  for (const [index, gate] of gates.entries()) {
    const operation = runner.getOperation(gate);
    await operation.waitForData(WaitingOperationStatus.SUBMITTED);
    await new Promise<void>((resolve) => {
      onEnd = () => (ended > index ? resolve() : undefined);
      onEnd();
    });
    await operation.sendCallbackSuccess('');
  }
  const result = await running;
  return { result, invocations: ended };
}

/** A callback nobody answers until runThroughGates does: an invocation boundary. */
const gate = (ctx: workflow.Context, name: string) => ctx.waitForCallback(name, async () => undefined);

function operationsOfType(result: TestResult, type: OperationType) {
  return result.getOperations().filter((op) => op.getType() === type);
}

/** Counts real side effects by key, across every invocation and replay. */
function sideEffects() {
  const counts: Record<string, number> = {};
  const order: string[] = [];
  return {
    counts,
    order,
    record(key: string) {
      counts[key] = (counts[key] ?? 0) + 1;
      order.push(key);
    },
  };
}

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
  test.each([
    ['no name', (ctx: workflow.Context) => ctx.stepWithRollback('', { run: async () => 1, undo: async () => undefined }),
      'stepWithRollback needs a step name (a non-empty string), got '],
    ['no undo', (ctx: workflow.Context) => ctx.stepWithRollback('pay', { run: async () => 1 } as never),
      'stepWithRollback("pay") needs { run, undo } functions'],
    ['an unknown registerUndo', (ctx: workflow.Context) =>
      ctx.stepWithRollback('pay', { run: async () => 1, undo: async () => undefined }, { registerUndo: 'later' } as never),
    "stepWithRollback(\"pay\") registerUndo must be 'after-run' or 'before-run', got later"],
  ])('%s fails with a clear error before the step runs', async (_what, call, message) => {
    const handler = workflow.handler(async (_event, ctx) => call(ctx));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: message });
    expect(result.getOperations()).toHaveLength(0);
  });
});

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
      /^Rollback failed for 1 of 2 compensation\(s\): "hold-stock": The undo of "hold-stock" must run, but its code is not available on this replay.*Use nesting: NestingType.FLAT/,
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
    ['NESTED', false, ['cancel-order'], /^Rollback failed for 1 of 2 compensation\(s\): "hold-stock": The undo of "hold-stock" must run/],
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

  test('only failed NESTED children add the step that records their compensations', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      const fail = async () => {
        throw new Error('branch failed');
      };
      const tolerant = { completionConfig: { toleratedFailureCount: 1 } };
      await ctx.parallel('all-succeed', [async () => 'ok']);
      await ctx.parallel('flat-failure', [fail], { ...tolerant, nesting: NestingType.FLAT });
      await ctx.runInChildContext('virtual-failure', fail, { virtualContext: true }).catch(() => undefined);
      await ctx.map('nested-failure', [1], fail, tolerant);
      await ctx.runInChildContext('nested-child-failure', fail).catch(() => undefined);
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('done');
    const records = result.getOperations().filter((op) => op.getName() === 'Compensations of failed child context');
    expect(records).toHaveLength(2); // after 'nested-failure' and 'nested-child-failure'
  });

  test('with childOperationsDepth lowered, stepWithRollback in a child context fails with a clear error', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.stepWithRollback('root-level', { run: async () => 1, undo: async () => undefined });
      return ctx.runInChildContext('child', async (c) =>
        c.stepWithRollback('nested', { run: async () => 2, undo: async () => undefined }));
    }, { pluginsConfig: { childOperationsDepth: 0 } });

    const result = await run(handler);

    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError().errorMessage).toBe(
      'stepWithRollback("nested") runs in a child context nested 1 deep, but pluginsConfig.childOperationsDepth is 0: completed '
      + 'child contexts at that depth do not re-run on replay, so the undo would be lost. Leave childOperationsDepth unset '
      + '(workflow.handler defaults it to Infinity) or set it to at least 1.',
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

describe('waits', () => {
  test.each([
    ['"30 seconds"', '30 seconds', 30],
    ['"1 minute"', '1 minute', 60],
    ['"2 hours"', '2 hours', 7200],
    ['"7 days"', '7 days', 604800],
    ['an SDK duration object', { hours: 1, minutes: 30 }, 5400],
  ])('ctx.wait takes %s', async (_what, duration, seconds) => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait('pause', duration);
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('done');
    expect(result.getOperations()[0].getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test.each([
    ['"45 seconds"', '45 seconds', 45],
    ['an SDK duration object', { minutes: 2 }, 120],
  ])('ctx.wait without a name takes %s', async (_what, duration, seconds) => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait(duration);
      return 'done';
    });

    const result = await run(handler);

    expect(result.getResult()).toBe('done');
    const [wait] = operationsOfType(result, OperationType.WAIT);
    expect(wait.getName()).toBeUndefined();
    expect(wait.getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test.each([
    ['soon', 'wait "pause" duration "soon" is not a duration: use a number and a unit, e.g. "30 seconds", "1 minute", "2 hours" or "7 days"'],
    ['30', 'wait "pause" duration "30" is not a duration: use a number and a unit, e.g. "30 seconds", "1 minute", "2 hours" or "7 days"'],
    ['', 'wait "pause" duration "" is not a duration: use a number and a unit, e.g. "30 seconds", "1 minute", "2 hours" or "7 days"'],
    ['1500ms', 'wait "pause" duration "1500ms" is 1500 ms: durable waits take whole seconds'],
    ['0 seconds', 'wait "pause" duration "0 seconds" is 0 s: a durable wait lasts 1 s to 31622400 s (366 days)'],
    ['400 days', 'wait "pause" duration "400 days" is 34560000 s: a durable wait lasts 1 s to 31622400 s (366 days)'],
    [5, 'wait "pause" duration 5 is not a duration: use { days, hours, minutes, seconds } (e.g. { minutes: 5 }) or a string such as "5 minutes"'],
    [{}, 'wait "pause" duration {} is not a duration: use { days, hours, minutes, seconds } (e.g. { minutes: 5 }) or a string such as "5 minutes"'],
    [{ seconds: 0 }, 'wait "pause" duration {"seconds":0} is 0 s: a durable wait lasts 1 s to 31622400 s (366 days)'],
    [{ seconds: 1.5 }, 'wait "pause" duration {"seconds":1.5} is 1.5 s: durable waits take whole seconds'],
    [{ minutes: -1 }, 'wait "pause" duration {"minutes":-1}: minutes must be a non-negative number, got -1'],
    [{ days: 367 }, 'wait "pause" duration {"days":367} is 31708800 s: a durable wait lasts 1 s to 31622400 s (366 days)'],
  ])('a malformed duration %p fails with a clear error', async (duration, message) => {
    const handler = workflow.handler(async (_event, ctx) => ctx.wait('pause', duration as workflow.Duration));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: message });
    expect(operationsOfType(result, OperationType.WAIT)).toHaveLength(0);
  });

  test.each([
    ['a future date', 10 * 60_000, 600],
    ['a past date', -60_000, 1],
    ['a date two years ahead', 2 * 365 * 86_400_000, 31_622_400],
  ])('waitUntil %s is exactly one wait of the clamped length, unchanged by the replay after it', async (_what, offsetMs, seconds) => {
    const until = new Date(Date.now() + offsetMs);
    let resumed = 0;
    let bodies = 0;
    const handler = workflow.handler(async (_event, ctx) => {
      bodies++;
      await ctx.waitUntil('until', until);
      await gate(ctx, 'after-wait'); // the replay after it runs waitUntil again with `until` now in the past
      return ctx.step('after', async () => ++resumed);
    });

    const { result, invocations } = await runThroughGates(handler, ['after-wait']);

    expect(result.getResult()).toBe(1);
    expect(invocations).toBeGreaterThanOrEqual(2);
    expect(bodies).toBe(invocations);
    const waits = operationsOfType(result, OperationType.WAIT);
    expect(waits).toHaveLength(1);
    expect(waits[0].getWaitDetails()?.waitSeconds).toBe(seconds);
  });

  test('waitUntil with an invalid date fails with a clear error', async () => {
    const handler = workflow.handler(async (_event, ctx) => ctx.waitUntil('until', new Date('not a date')));

    const result = await run(handler);

    expect(result.getError()).toMatchObject({ errorType: 'InvalidArgumentError', errorMessage: 'waitUntil "until" needs a valid Date, got Invalid Date' });
  });

  test('a year-long wait completes under skipTime', async () => {
    const handler = workflow.handler(async (_event, ctx) => {
      await ctx.wait('a year', '366 days');
      return ctx.step('after a year', async () => 'woke up');
    });

    const wallStart = process.uptime(); // process.hrtime and Date are faked by skipTime; uptime is not
    const result = await run(handler);
    const wallSeconds = process.uptime() - wallStart;

    expect(result.getResult()).toBe('woke up');
    const [wait] = operationsOfType(result, OperationType.WAIT);
    expect(wait.getStatus()).toBe('SUCCEEDED');
    expect(wait.getWaitDetails()?.waitSeconds).toBe(366 * 86_400);
    console.log(`year-long wait: ${(wallSeconds * 1000).toFixed(0)} ms of wall time`);
  });
});

describe('callbacks', () => {
  test('waitForCallbackJson returns the parsed JSON value; waitForCallback still returns the raw string', async () => {
    const submitted: string[] = [];
    const handler = workflow.handler(async (_event, ctx) => {
      const approval = await ctx.waitForCallbackJson<{ approved: boolean; by: string }>('approval', async (callbackId) => {
        submitted.push(callbackId);
      });
      const raw = await ctx.waitForCallback('raw', async () => undefined);
      return { approval, approvedBy: approval.by, raw };
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });

    const running = runner.run();
    const approval = runner.getOperation('approval');
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackSuccess(JSON.stringify({ approved: true, by: 'ann' }));
    const raw = runner.getOperation('raw');
    await raw.waitForData(WaitingOperationStatus.SUBMITTED);
    await raw.sendCallbackSuccess('{"kept":"as text"}');
    const result = await running;

    expect(submitted).toHaveLength(1);
    expect(result.getResult()).toEqual({ approval: { approved: true, by: 'ann' }, approvedBy: 'ann', raw: '{"kept":"as text"}' });
  });

  test('a callback answered with something that is not JSON fails with CallbackPayloadError', async () => {
    const handler = workflow.handler(async (_event, ctx) => ctx.waitForCallbackJson('approval', async () => undefined));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });

    const running = runner.run();
    const approval = runner.getOperation('approval');
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackSuccess('yes please');
    const result = await running;

    expect(result.getError().errorType).toBe('CallbackPayloadError');
    expect(result.getError().errorMessage).toMatch(/^Callback "approval" result is not valid JSON \(.+\): yes please$/);
  });
});

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
    expect(result.getResult()).toBe(
      `Step "export" returned ${300 * 1024 + 2} bytes of JSON, over the 262144-byte (256 KiB) checkpoint limit. `
      + 'Return a smaller result (for example an S3 key instead of the data).',
    );
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
