// Checkpoints under the service's rules: the 256 KB limit of an operation's payload, and updates the service refuses.
import type { Operation, OperationUpdate } from '@aws/durable-execution-sdk-js';
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { MAX_OPERATION_PAYLOAD_BYTES, validateUpdates } from '../../lambda/testing/engine/checkpoint/validate-updates';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { watch } from '../support/engine-watch';

async function run(handler: ReturnType<typeof withDurableExecution>) {
  const engine = new DurableEngine();
  engine.register('fn', handler);
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'fn' });
  return { ended: await events.ended(arn), history: engine.history(arn) };
}

/** A string whose JSON (what the SDK checkpoints) is exactly `bytes` long. */
const jsonOf = (bytes: number) => 'x'.repeat(bytes - 2);

describe('the 256 KB limit of a checkpointed operation', () => {
  test('a step result over it fails the execution, as the service refuses the checkpoint', async () => {
    const { ended, history } = await run(withDurableExecution(async (_event: unknown, ctx) => ctx.step('big', async () => jsonOf(MAX_OPERATION_PAYLOAD_BYTES + 1))));
    expect(ended.status).toBe('FAILED');
    expect(ended.error?.ErrorType).toBe('CheckpointUnrecoverableExecutionError');
    expect(ended.error?.ErrorMessage).toMatch(/InvalidParameterValueException: Invalid checkpoint: the payload of STEP "big" is 262145 bytes, over the 262144-byte \(256 KB\) limit/);
    expect(history.map((event) => event.EventType)).not.toContain('StepSucceeded');
  });

  test('a step result at it is checkpointed', async () => {
    const { ended } = await run(withDurableExecution(async (_event: unknown, ctx) => (await ctx.step('big', async () => jsonOf(MAX_OPERATION_PAYLOAD_BYTES))).length));
    expect([ended.status, ended.result]).toEqual(['SUCCEEDED', String(MAX_OPERATION_PAYLOAD_BYTES - 2)]);
  });

  test('a child context over it checkpoints no result and is rebuilt from its children, as the SDK arranges', async () => {
    const { ended, history } = await run(withDurableExecution(async (_event: unknown, ctx) => {
      const parts = await ctx.runInChildContext('assemble', async (child) => [
        await child.step('part-1', async () => jsonOf(200 * 1024)),
        await child.step('part-2', async () => jsonOf(200 * 1024)),
      ]);
      return parts.map((part) => part.length);
    }));
    expect(JSON.parse(ended.result!)).toEqual([200 * 1024 - 2, 200 * 1024 - 2]);
    expect(history.find((event) => event.EventType === 'ContextSucceeded')?.ContextSucceededDetails?.Result?.Payload).toBe('');
  });
});

describe('updates the service refuses', () => {
  const started: Record<string, Operation> = {
    step: { Id: 'step', Type: 'STEP', Status: 'STARTED', StartTimestamp: new Date() },
    wait: { Id: 'wait', Type: 'WAIT', Status: 'SUCCEEDED', StartTimestamp: new Date() },
    ctx: { Id: 'ctx', Type: 'CONTEXT', Status: 'STARTED', StartTimestamp: new Date() },
  };
  const check = (updates: Array<Partial<OperationUpdate>>) => () => validateUpdates(updates as OperationUpdate[], (id) => started[id]);

  test.each<[string, Array<Partial<OperationUpdate>>, string]>([
    ['an action the type does not take', [{ Id: 'w2', Type: 'WAIT', Action: 'SUCCEED' }], 'WAIT operations do not accept the action SUCCEED'],
    ['a second start', [{ Id: 'ctx', Type: 'CONTEXT', Action: 'START' }], 'cannot start CONTEXT (ctx): it is STARTED'],
    ['an end of an ended operation', [{ Id: 'wait', Type: 'WAIT', Action: 'CANCEL' }], 'cannot cancel WAIT (wait): it is SUCCEEDED'],
    ['a parent that is not a context', [{ Id: 's2', Type: 'STEP', Action: 'START', ParentId: 'step' }], 'names parent step, which is not a started CONTEXT'],
    ['the same operation twice', [{ Id: 'w3', Type: 'WAIT', Action: 'START' }, { Id: 'w3', Type: 'WAIT', Action: 'CANCEL' }], 'operation w3 is updated twice in one checkpoint'],
    ['a retry without its options', [{ Id: 'step', Type: 'STEP', Action: 'RETRY' }], 'RETRY of STEP (step) needs StepOptions'],
    ['an EXECUTION update that is not last', [{ Id: 'x', Type: 'EXECUTION', Action: 'SUCCEED' }, { Id: 's3', Type: 'STEP', Action: 'START' }], 'must be the last update'],
  ])('%s', (_, updates, message) => {
    expect(check(updates)).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException', message: expect.stringContaining(message) }));
  });

  test('a step may start and end in one checkpoint, and start again once its retry is due', () => {
    expect(check([{ Id: 'new', Type: 'STEP', Action: 'START' }, { Id: 'new', Type: 'STEP', Action: 'SUCCEED', Payload: '1' }])).not.toThrow();
    started.ready = { Id: 'ready', Type: 'STEP', Status: 'READY', StartTimestamp: new Date() };
    expect(check([{ Id: 'ready', Type: 'STEP', Action: 'START' }])).not.toThrow();
  });
});
