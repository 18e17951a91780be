// checkReplay against histories recorded while an execution is under way (after its first step, while it waits, while
// it waits for its callback), and the proof that its verdict is what resuming the execution on the new code does:
// the local engine resumes a v1 execution with v2 code, as the service would if the code changed under it.
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { workflow } from '../../lambda';
import { checkReplay } from '../../lambda/testing';
import { RealClock } from '../../lambda/testing/engine/clock/real-clock';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import type { Operation } from '../fixtures/replay/order-workflow';
import { nameOf, orderWorkflow, renameStep, V1 } from '../fixtures/replay/order-workflow';
import { watch } from '../support/engine-watch';

/** Resolves with `read()`'s first defined value, polling the engine's state. */
async function until<T>(read: () => T | undefined): Promise<T> {
  for (let tries = 0; tries < 2000; tries++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the engine never reached the expected state');
}

const withoutWait = V1.filter((operation) => !('wait' in operation));
const replayOn = (plan: readonly Operation[], history: Event[], runtime = false) => checkReplay(orderWorkflow(plan, { runtime }), history);

describe('after the first step: the execution is inside its second step', () => {
  let history: Event[];
  beforeAll(async () => {
    let release!: () => void;
    const engine = new DurableEngine();
    engine.register('orders', orderWorkflow(V1, { gates: { charge: new Promise<void>((resolve) => { release = resolve; }) } }));
    const { arn } = engine.start({ functionName: 'orders' });
    history = await until(() => {
      const events = engine.history(arn);
      return events.some((event) => event.EventType === 'StepStarted' && event.Name === 'charge') ? events : undefined;
    });
    release();
    engine.stop(arn);
  });

  test('the same code replays it and would re-run the step the history holds STARTED, as a resume after a crash does', async () => {
    expect(history.map((event) => event.EventType)).toEqual(['ExecutionStarted', 'StepStarted', 'StepSucceeded', 'StepStarted']);
    expect(await replayOn(V1, history)).toMatchObject({ compatible: true, outcome: 'continues', next: { type: 'STEP', name: 'charge' }, operations: 2 });
  });

  test('the running step renamed is reported; a change after it is not', async () => {
    expect(await replayOn(renameStep(V1, 'charge', 'pay'), history)).toMatchObject({
      compatible: false, position: 2, recorded: { name: 'charge', status: 'STARTED' }, replayed: { name: 'pay' },
    });
    expect(await replayOn(withoutWait, history)).toMatchObject({ compatible: true, outcome: 'continues' });
  });
});

describe('while it waits: the invocation suspended at "cool-off"', () => {
  let history: Event[];
  beforeAll(async () => {
    const engine = new DurableEngine({ clock: new RealClock() });
    engine.register('orders', orderWorkflow(V1));
    const { arn } = engine.start({ functionName: 'orders' });
    history = await until(() => {
      const events = engine.history(arn);
      return events.at(-1)?.EventType === 'InvocationCompleted' && events.some((event) => event.EventType === 'WaitStarted') ? events : undefined;
    });
    engine.stop(arn);
  });

  test('the same code, or one with a step appended, replays it and waits where the history stops', async () => {
    expect(await replayOn(V1, history)).toMatchObject({ compatible: true, outcome: 'waits', operations: 6 });
    expect(await replayOn([...V1, { step: 'notify' }], history)).toMatchObject({ compatible: true, outcome: 'waits' });
  });

  test('the wait removed is reported; a renamed step inside the completed child is one only where the handler re-runs it', async () => {
    expect(await replayOn(withoutWait, history)).toMatchObject({
      compatible: false, position: 6, recorded: { type: 'WAIT', name: 'cool-off', status: 'STARTED' }, replayed: { type: 'CONTEXT', name: 'approval' },
    });
    const changed = renameStep(V1, 'dispatch', 'hand-over');
    expect(await replayOn(changed, history)).toMatchObject({ compatible: true, outcome: 'waits' });
    expect(await replayOn(changed, history, true)).toMatchObject({ compatible: false, position: 5, replayed: { name: 'hand-over' } });
  });

  test('code that ends the execution without reaching the wait the history holds open is reported', async () => {
    const result = await replayOn(V1.slice(0, 3), history);
    expect(result).toMatchObject({ compatible: false, reason: 'ended-early', position: 6, recorded: { type: 'WAIT', name: 'cool-off' } });
    expect(result.message).toContain('\n  history:  WAIT "cool-off", STARTED\n  new code: ends the execution without reaching it\n');
  });
});

describe('while it waits for its callback: checkReplay says what resuming on the new code does', () => {
  /** Runs V1 to its callback, checks `v2` against the history, then answers the callback with v2 as the code. */
  async function resumeOn(v2: DurableLambdaHandler, runtime = false) {
    let code = orderWorkflow(V1, { runtime });
    const engine = new DurableEngine();
    engine.register('orders', (event, context) => code(event, context));
    const events = watch(engine);
    const { arn } = engine.start({ functionName: 'orders' });
    const [callback] = await Promise.all([events.nextCallback(), events.waiting(arn)]);
    const verdict = await checkReplay(v2, engine.history(arn));
    code = v2;
    engine.sendCallbackSuccess(callback.callbackId, '"yes"');
    return { verdict, resumed: await events.ended(arn) };
  }

  /** v1 and v2 both under workflow.handler (`runtime`), or both on the raw SDK. */
  const cases: Array<{ title: string; compatible: boolean; v2: DurableLambdaHandler; runtime?: boolean }> = [
    { title: 'the same code', compatible: true, v2: orderWorkflow(V1) },
    { title: 'a step appended', compatible: true, v2: orderWorkflow([...V1, { step: 'notify' }]) },
    { title: 'a renamed step inside the completed child (raw SDK)', compatible: true, v2: orderWorkflow(renameStep(V1, 'label', 'print')) },
    { title: 'the same under workflow.handler', compatible: false, v2: orderWorkflow(renameStep(V1, 'label', 'print'), { runtime: true }), runtime: true },
    { title: 'the callback renamed', compatible: false, v2: orderWorkflow(V1.map((operation) => (nameOf(operation) === 'approval' ? { callback: 'sign-off' } : operation))) },
    { title: 'the wait removed', compatible: false, v2: orderWorkflow(withoutWait) },
    {
      title: 'code that cannot read a recorded result',
      compatible: false,
      v2: workflow.handler(async (_event: unknown, ctx) => {
        const reservation = await ctx.step('reserve', async () => ({ id: 'r-1' }));
        return (reservation as { id: string }).id.toUpperCase();
      }),
    },
  ];
  const named = (title: string) => cases.find((entry) => entry.title === title)!.v2;

  test.each(cases)('$title: compatible is $compatible, and the resumed execution succeeds exactly when it is', async ({ compatible, v2, runtime }) => {
    const { verdict, resumed } = await resumeOn(v2, runtime);
    expect(verdict.compatible).toBe(compatible);
    expect(resumed.status).toBe(compatible ? 'SUCCEEDED' : 'FAILED');
    if (!verdict.compatible) {
      // The error the check reports is the one the resumed execution fails with.
      expect(verdict.error).toBe(resumed.error?.ErrorMessage);
      expect(verdict.errorType).toBe(resumed.error?.ErrorType);
    }
  });

  test('a divergence at the callback names it; the same code waits there', async () => {
    const { verdict } = await resumeOn(named('the callback renamed'));
    expect(verdict).toMatchObject({ reason: 'non-deterministic', position: 7, recorded: { type: 'CONTEXT', subType: 'WaitForCallback', name: 'approval' }, replayed: { name: 'sign-off' } });
    expect((await resumeOn(named('the same code'))).verdict).toMatchObject({ compatible: true, outcome: 'waits', operations: 9 });
  });

  test('code that fails the execution on replay is reported with its own error', async () => {
    const { verdict } = await resumeOn(named('code that cannot read a recorded result'));
    expect(verdict).toMatchObject({ compatible: false, reason: 'failed', errorType: 'TypeError' });
    expect(verdict.message).toMatch(/\n {2}new code: fails the execution on replay\n {2}TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)$/);
  });
});
