// Reading the SDK's determinism error: which recorded operation it is about, and what the new code did.
import { runWorkflowLocally } from '../../lambda/testing';
import { readSdkMismatch } from '../../lambda/testing/replay/sdk-mismatch';
import { orderWorkflow, V1 } from '../fixtures/replay/order-workflow';

const sdkText = (step: string, field: string, expected: string, got: string) => '[Unrecoverable Execution] Non-deterministic execution detected: '
  + `Operation ${field} mismatch for step "${step}". Expected ${field} "${expected}", but got "${got}". This indicates non-deterministic control flow in your workflow code.`;

test('the step id is turned into the id the SDK gave the operation in the history', async () => {
  const { history } = await runWorkflowLocally(orderWorkflow(V1), { callbacks: { approval: { result: 'yes' } } });
  const idOf = (name: string) => history.find((event) => event.Name === name)!.Id;
  expect(readSdkMismatch(sdkText('1', 'name', 'reserve', 'charge'))).toEqual({ operationId: idOf('reserve'), field: 'name', expected: 'reserve', got: 'charge' });
  // Step 1 inside the context of step 3 ("ship").
  expect(readSdkMismatch(sdkText('3-1', 'type', 'STEP', 'WAIT')).operationId).toBe(idOf('label'));
});

test('a name the SDK prints as "undefined" is an unnamed operation', () => {
  expect(readSdkMismatch(sdkText('2', 'name', 'charge', 'undefined'))).toMatchObject({ expected: 'charge', got: undefined });
});

test('a text it does not recognize leaves everything unknown rather than guessing', () => {
  expect(readSdkMismatch('Non-deterministic execution detected somewhere')).toEqual({ operationId: undefined, field: undefined, expected: undefined, got: undefined });
});
