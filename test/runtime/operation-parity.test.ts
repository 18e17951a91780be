// A handler wrapped by workflow.handler that uses none of the helper's own features must checkpoint exactly what the
// raw SDK checkpoints for the same code: the same operations (type, sub-type, name, parent, status, attempts, result,
// error) in the same order. Each body below runs twice, once under withDurableExecution and once under
// workflow.handler, and the two histories are compared operation by operation.
import { createRetryStrategy, NestingType, StepSemantics, withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableContext, DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { workflow } from '../../lambda';
import { runWorkflowLocally } from '../../lambda/testing';
import type { LocalRunResult, RunWorkflowLocallyOptions } from '../../lambda/testing';

type Body = (event: { orderId: string }, ctx: DurableContext) => Promise<unknown>;

const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };
const fail = (message: string): never => {
  throw new Error(message);
};

/** Counts attempts per key across replays, for steps that fail a given number of times and then succeed. */
function flaky(failures: number): (key: string) => Promise<string> {
  const attempts = new Map<string, number>();
  return async (key) => {
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt <= failures) throw new Error(`${key} attempt ${attempt} failed`);
    return `${key} ok after ${attempt}`;
  };
}

/** Bodies written against the SDK's DurableContext alone, as AWS's examples are; each builds fresh state per run. */
const BODIES: Record<string, { body: () => Body; options?: RunWorkflowLocallyOptions }> = {
  'named and unnamed steps and waits': {
    body: () => async (event, ctx) => {
      const id = await ctx.step('load', async () => event.orderId);
      await ctx.wait('pause', { seconds: 30 });
      await ctx.wait({ minutes: 2 });
      return ctx.step(async () => `${id} done`);
    },
  },
  'a step retried by the default strategy until it succeeds': {
    body: () => {
      const charge = flaky(2);
      return async (_event, ctx) => ctx.step('charge', () => charge('charge'));
    },
  },
  'a step with its own retry strategy that runs out of attempts': {
    body: () => async (_event, ctx) => ctx.step('always-fails', async () => fail('declined'), {
      retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }),
    }),
  },
  'a step failing with the default retry until the execution fails': {
    body: () => async (_event, ctx) => ctx.step('never', async () => fail('down')),
  },
  'at-most-once step semantics': {
    body: () => async (_event, ctx) => ctx.step('once', async () => 'sent', { semantics: StepSemantics.AtMostOncePerRetry }),
  },
  'a nested child context that succeeds': {
    body: () => async (_event, ctx) => ctx.runInChildContext('outer', async (outer) => {
      const a = await outer.step('a', async () => 1);
      return outer.runInChildContext('inner', async (inner) => a + await inner.step('b', async () => 2));
    }),
  },
  'a nested child context that fails, caught by the parent': {
    body: () => async (_event, ctx) => {
      try {
        await ctx.runInChildContext('reserve', async (child) => {
          await child.step('hold', async () => 'held');
          await child.step('confirm', async () => fail('no stock'), noRetry);
        });
      } catch (error) {
        await ctx.step('report', async () => (error as Error).message);
      }
      return ctx.step('after', async () => 'continued');
    },
  },
  'a failed child inside a failed child': {
    body: () => async (_event, ctx) => {
      try {
        await ctx.runInChildContext('outer', async (outer) => {
          await outer.runInChildContext('inner', async (inner) => inner.step('boom', async () => fail('inner'), noRetry));
        });
      } catch {
        await ctx.wait('cool-down', { seconds: 5 });
      }
      return 'recovered';
    },
  },
  'a virtual child context that fails': {
    body: () => async (_event, ctx) => {
      const caught = await ctx.runInChildContext('virtual', async (child) => child.step('v', async () => fail('v'), noRetry),
        { virtualContext: true }).catch((error: unknown) => (error as Error).message);
      return ctx.step('after', async () => caught);
    },
  },
  'map with failing items': {
    body: () => async (_event, ctx) => {
      const batch = await ctx.map('items', [1, 2, 3, 4], async (item, n) => item.step(`item-${n}`, async () => (n % 2 ? fail(`odd ${n}`) : n * 10), noRetry),
        { completionConfig: { toleratedFailureCount: 4 } });
      await ctx.wait('after-map', { seconds: 1 });
      return { ok: batch.getResults(), failed: batch.failureCount };
    },
  },
  'flat map with failing items': {
    body: () => async (_event, ctx) => {
      const batch = await ctx.map('flat', ['a', 'b'], async (item, s) => item.step(`flat-${s}`, async () => (s === 'b' ? fail(s) : s), noRetry),
        { nesting: NestingType.FLAT, completionConfig: { toleratedFailureCount: 2 } });
      return batch.failureCount;
    },
  },
  'parallel with a failing named branch': {
    body: () => async (_event, ctx) => {
      const batch = await ctx.parallel('fan-out', [
        { name: 'email', func: async (c) => c.step('send-email', async () => 'sent') },
        { name: 'sms', func: async (c) => c.step('send-sms', async () => fail('no signal'), noRetry) },
        async (c) => { await c.wait('branch-wait', { seconds: 3 }); return 'waited'; },
      ], { completionConfig: { toleratedFailureCount: 1 } });
      return batch.getResults();
    },
  },
  'waitForCallback answered': {
    body: () => async (_event, ctx) => {
      const answer = await ctx.waitForCallback('approval', async () => undefined, { timeout: { hours: 1 } });
      return ctx.step('record', async () => answer);
    },
    options: { callbacks: { approval: { result: { approved: true } } } },
  },
  'waitForCallback failed, then createCallback': {
    body: () => async (_event, ctx) => {
      const first = await ctx.waitForCallback('review', async () => undefined).catch((error: unknown) => `failed: ${(error as Error).message}`);
      const [promise] = await ctx.createCallback('second');
      return { first, second: await promise };
    },
    options: { callbacks: { review: { error: { message: 'rejected' } }, second: { result: 'yes' } } },
  },
  'waitForCondition polling a counter': {
    body: () => async (_event, ctx) => ctx.waitForCondition('poll', async (state: number) => state + 1, {
      initialState: 0,
      waitStrategy: (state) => (state >= 3 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 2 } }),
    }),
  },
  'promise combinators over steps': {
    body: () => async (_event, ctx) => {
      const all = await ctx.promise.all('all', [ctx.step('x', async () => 1), ctx.step('y', async () => 2)]);
      const settled = await ctx.promise.allSettled('settled', [ctx.step('z', async () => fail('z'), noRetry), ctx.wait('w', { seconds: 1 })]);
      return { all, settled: settled.map((s) => s.status) };
    },
  },
};

/** Stack traces (in errors and in results that hold errors) show the helper's frames: they are left out. */
function withoutStacks<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    (key === 'stackTrace' || key === 'stack' || (typeof v === 'string' && /\n\s+at /.test(v)) ? undefined : v)) as T;
}

/** What the comparison looks at: every operation, in history order. Not times and callback ids: they differ per run. */
function operations(run: LocalRunResult) {
  return withoutStacks(run.operations.map((op) => ({
    id: op.id,
    parentId: op.parentId,
    type: op.type,
    subType: op.subType,
    name: op.name,
    status: op.status,
    attempts: op.attempts.map((a) => a.error?.message ?? 'ok'),
    waitSeconds: op.waitSeconds,
    result: op.result,
    error: op.error,
  })));
}

async function runBoth(body: () => Body, options: RunWorkflowLocallyOptions = {}): Promise<Record<'raw' | 'helper', LocalRunResult>> {
  const payload = { orderId: 'o-1' };
  const raw = await runWorkflowLocally(withDurableExecution(body()) as DurableLambdaHandler, { ...options, payload });
  const helper = await runWorkflowLocally(workflow.handler(body()), { ...options, payload });
  return { raw, helper };
}

test.each(Object.keys(BODIES))('%s: workflow.handler checkpoints exactly what the raw SDK does', async (name) => {
  const { body, options } = BODIES[name];
  const { raw, helper } = await runBoth(body, options);

  expect(raw.operations.length).toBeGreaterThan(0);
  expect(operations(helper)).toEqual(operations(raw));
  // Not the invocation count: the local backend's invocation boundaries depend on timing.
  expect(withoutStacks({ status: helper.status, result: helper.result, error: helper.error }))
    .toEqual(withoutStacks({ status: raw.status, result: raw.result, error: raw.error }));
});
