// Starting executions and what each invocation receives: names as idempotency keys, versions executions stay pinned
// to, the operations of finished child contexts left out, and state too large for one page.
import type { DurableExecutionInvocationInput, DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { workflow } from '../../lambda';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { watch } from '../support/engine-watch';

const greeter = (greeting: string) => withDurableExecution(async (event: { name: string }, ctx) => {
  const [answer] = await ctx.createCallback('go');
  await answer;
  return ctx.step('greet', async () => `${greeting} ${event.name}`);
});

test('a name is the idempotency key: the same payload returns the execution, another is refused with 409', () => {
  const engine = new DurableEngine();
  engine.register('greeter', greeter('hello'));
  const first = engine.start({ functionName: 'greeter', name: 'order-7', payload: '{"name":"ana"}' });
  expect(first.arn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:greeter:1\/durable-execution\/order-7\/[0-9a-f-]{36}$/);
  expect(engine.start({ functionName: 'greeter', name: 'order-7', payload: '{"name":"ana"}' }).arn).toBe(first.arn);
  expect(() => engine.start({ functionName: 'greeter', name: 'order-7', payload: '{"name":"bo"}' }))
    .toThrow(expect.objectContaining({ name: 'DurableExecutionAlreadyStartedException', statusCode: 409 }));
  expect(() => engine.start({ functionName: 'nobody' })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
});

test('a running execution keeps the version it started on; new ones get the newest', async () => {
  const engine = new DurableEngine();
  const events = watch(engine);
  expect(engine.register('greeter', greeter('hello'))).toBe('1');
  const old = engine.start({ functionName: 'greeter', payload: '{"name":"ana"}' });
  const oldCallback = await events.nextCallback();
  expect(engine.register('greeter', greeter('bonjour'))).toBe('2');
  const fresh = engine.start({ functionName: 'greeter', payload: '{"name":"bo"}' });
  const freshCallback = await events.nextCallback();
  engine.sendCallbackSuccess(oldCallback.callbackId);
  engine.sendCallbackSuccess(freshCallback.callbackId);
  const ended = await Promise.all([events.ended(old.arn), events.ended(fresh.arn)]);
  expect(ended.map((execution) => [execution.version, execution.result])).toEqual([['1', '"hello ana"'], ['2', '"bonjour bo"']]);
  expect(fresh.functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:greeter:2');
});

/** Records what each invocation of `handler` receives, and every further page it asks for. */
function spied(handler: DurableLambdaHandler) {
  const invocations: Array<{ operations: number; nextMarker?: string; types: string[]; pages: number[] }> = [];
  const spy: DurableLambdaHandler = async (event, context) => {
    type GetState = (...args: unknown[]) => Promise<{ Operations?: unknown[] }>;
    const input = event as DurableExecutionInvocationInput & { durableExecutionClient: { getExecutionState: GetState } };
    const seen = {
      operations: input.InitialExecutionState.Operations.length,
      nextMarker: input.InitialExecutionState.NextMarker,
      types: input.InitialExecutionState.Operations.map((operation) => `${operation.Type}:${operation.Name ?? ''}`),
      pages: [] as number[],
    };
    invocations.push(seen);
    const client = input.durableExecutionClient;
    const getExecutionState = client.getExecutionState.bind(client);
    client.getExecutionState = async (...args) => {
      const page = await getExecutionState(...args);
      seen.pages.push(page.Operations?.length ?? 0);
      return page;
    };
    return handler(event, context);
  };
  return { spy, invocations };
}

async function runSpied(handler: DurableLambdaHandler) {
  const engine = new DurableEngine();
  const { spy, invocations } = spied(handler);
  engine.register('fn', spy);
  const events = watch(engine);
  const done = (async () => {
    const callback = await events.nextCallback();
    // Answered after the invocation suspended, so that the next one replays.
    await events.waiting(callback.executionArn);
    engine.sendCallbackSuccess(callback.callbackId, 'go');
  })();
  const { arn } = engine.start({ functionName: 'fn' });
  const ended = await events.ended(arn);
  await done;
  return { ended, invocations };
}

test('the children of a finished child context are left out of later invocations, unless it keeps them for replay', async () => {
  const body = async (ctx: Parameters<Parameters<typeof withDurableExecution>[0]>[1]) => {
    const total = await ctx.runInChildContext('group', async (group) => (await group.step('one', async () => 1)) + (await group.step('two', async () => 2)));
    const [answer] = await ctx.createCallback('go');
    return `${total} ${await answer}`;
  };
  const raw = await runSpied(withDurableExecution(async (_event: unknown, ctx) => body(ctx)));
  expect(raw.ended.result).toBe('"3 go"');
  expect(raw.invocations[1].types).toEqual(['EXECUTION:', 'CONTEXT:group', 'CALLBACK:go']);
  // workflow.handler keeps every context's children (childOperationsDepth), so its compensations rebuild on replay.
  const helper = await runSpied(workflow.handler(async (_event: unknown, ctx) => body(ctx)));
  expect(helper.ended.result).toBe('"3 go"');
  expect(helper.invocations[1].types).toEqual(['EXECUTION:', 'CONTEXT:group', 'STEP:one', 'STEP:two', 'CALLBACK:go']);
});

test('an invocation gets its state a thousand operations a page, and asks for the rest', async () => {
  const { ended, invocations } = await runSpied(withDurableExecution(async (_event: unknown, ctx) => {
    let sum = 0;
    for (let i = 0; i < 1100; i++) sum += await ctx.step(`step-${i}`, async () => i);
    const [answer] = await ctx.createCallback('go');
    return `${sum} ${await answer}`;
  }));
  expect(ended.result).toBe(`"${(1100 * 1099) / 2} go"`);
  expect(invocations).toHaveLength(2);
  expect(invocations[1]).toMatchObject({ operations: 1000, nextMarker: '1000', pages: [102] });
});
