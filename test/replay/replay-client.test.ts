// The replay's stand-in for the service: it pages out the state a resume receives and ends the invocation at the
// first checkpoint, after checking it under the service's rules.
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { checkReplay, runWorkflowLocally } from '../../lambda/testing';

test('a history of more operations than one page of state replays whole: the SDK fetches the later pages', async () => {
  const steps = (count: number) => withDurableExecution(async (_event: unknown, ctx) => {
    for (let i = 0; i < count; i++) await ctx.step(`step-${i}`, async () => i);
    return count;
  });
  const { history } = await runWorkflowLocally(steps(1100));
  // Operations past the first 1,000 would look new, and the replay would stop at step-1000.
  expect(await checkReplay(steps(1100), history)).toMatchObject({ compatible: true, outcome: 'ends', operations: 1100 });
  expect(await checkReplay(steps(1101), history)).toMatchObject({ compatible: true, outcome: 'continues', next: { name: 'step-1100' } });
}, 120_000);

test('a first checkpoint the service would refuse is a divergence, with the service\'s reason', async () => {
  const at = new Date('2026-03-01T10:00:00Z');
  // The execution is inside step "fetch" (STARTED): a resume runs it again, and its result is now too large.
  const history = [
    { EventId: 1, EventType: 'ExecutionStarted', Id: 'exec', Name: 'fetch-1', EventTimestamp: at, ExecutionStartedDetails: { Input: { Payload: '{}' } } },
    { EventId: 2, EventType: 'StepStarted', Id: 'c4ca4238a0b92382', Name: 'fetch', SubType: 'Step', EventTimestamp: at, StepStartedDetails: {} },
  ];
  const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.step('fetch', async () => 'x'.repeat(300 * 1024)));
  const result = await checkReplay(handler, history);
  expect(result).toMatchObject({
    compatible: false, reason: 'refused', position: 1, recorded: { name: 'fetch', status: 'STARTED' }, errorType: 'InvalidParameterValueException',
  });
  expect(result.message).toBe([
    'fetch-1: diverges at operation #1 of 1',
    '  history:  STEP "fetch"',
    '  new code: SUCCEED STEP "fetch", which the service refuses',
    '  InvalidParameterValueException: Invalid checkpoint: the payload of STEP "fetch" is 307202 bytes, over the 262144-byte (256 KB) limit of a checkpointed operation',
  ].join('\n'));
});
