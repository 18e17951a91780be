// The history the engine records is GetDurableExecutionHistory's: numbered events of the API's types with their
// details, from which the operations an invocation receives can be read back (a replay from a saved history).
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { EventType } from '@aws-sdk/client-lambda';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { operationsFromHistory } from '../../lambda/testing/engine/history/operations-from-history';
import * as callbackTimeouts from '../fixtures/parity/callback-timeouts';
import * as callbacks from '../fixtures/parity/callbacks';
import * as childContexts from '../fixtures/parity/child-contexts';
import * as invoke from '../fixtures/parity/invoke';
import * as map from '../fixtures/parity/map';
import * as parallel from '../fixtures/parity/parallel';
import * as retries from '../fixtures/parity/retries';
import * as waitForCondition from '../fixtures/parity/wait-for-condition';
import { watch } from '../support/engine-watch';

const WORKFLOWS: Record<string, [DurableLambdaHandler, unknown?]> = {
  'retries': [retries.handler, { exhaust: true }],
  'callbacks': [callbacks.handler],
  'a callback timeout': [callbackTimeouts.handler, { catchIt: true }],
  'map': [map.handler],
  'parallel': [parallel.handler],
  'child contexts': [childContexts.handler],
  'waitForCondition': [waitForCondition.handler, { doneAfter: 3 }],
  'chained invokes': [invoke.handler, { sku: 'cup' }],
};

async function record(handler: DurableLambdaHandler, payload: unknown) {
  const engine = new DurableEngine();
  engine.register('fn', handler);
  engine.register(invoke.PRICER, invoke.pricer);
  engine.register(invoke.BROKEN, invoke.broken);
  const events = watch(engine);
  // Every callback is answered from outside once it waits.
  void (async () => {
    for (;;) engine.sendCallbackSuccess((await events.nextCallback()).callbackId, '{"seat":"1A","score":1}');
  })();
  const { arn } = engine.start({ functionName: 'fn', payload: JSON.stringify(payload ?? {}) });
  await events.ended(arn);
  return { engine, arn };
}

describe.each(Object.entries(WORKFLOWS))('%s', (_, [handler, payload]) => {
  let engine: DurableEngine;
  let arn: string;
  beforeAll(async () => ({ engine, arn } = await record(handler, payload)));

  test('is recorded as numbered events of the API\'s types, each with its details', () => {
    const history = engine.history(arn);
    expect(history.map((event) => event.EventId)).toEqual(history.map((_event, index) => index + 1));
    for (const event of history) {
      expect(Object.values(EventType)).toContain(event.EventType);
      expect(event.EventTimestamp).toBeInstanceOf(Date);
      expect(event).toHaveProperty(`${event.EventType}Details`);
    }
    const times = history.map((event) => event.EventTimestamp!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(history[0].EventType).toBe('ExecutionStarted');
    expect(history.at(-1)?.EventType).toMatch(/^Execution(Succeeded|Failed)$/);
    expect(history.filter((event) => event.EventType === 'InvocationCompleted')).toHaveLength(engine.describe(arn)!.invocations);
  });

  test('reads back into the operations the engine holds', () => {
    const held = engine.operations(arn).map(({ ContextDetails, ...operation }) =>
      (ContextDetails ? { ...operation, ContextDetails: { ...ContextDetails, ReplayChildren: undefined } } : operation));
    expect(operationsFromHistory(engine.history(arn))).toEqual(held);
  });
});

test('a step that waits for its next attempt reads back PENDING, with the attempt it will make', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const events = [
    { EventId: 1, EventType: 'StepStarted', Id: 's', Name: 'charge', SubType: 'Step', EventTimestamp: at, StepStartedDetails: {} },
    {
      EventId: 2,
      EventType: 'StepFailed',
      Id: 's',
      Name: 'charge',
      SubType: 'Step',
      EventTimestamp: at,
      StepFailedDetails: { Error: { Payload: { ErrorMessage: 'declined' } }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 30 } },
    },
  ] as const;
  expect(operationsFromHistory(events as never)).toEqual([{
    Id: 's',
    Name: 'charge',
    Type: 'STEP',
    SubType: 'Step',
    StartTimestamp: at,
    Status: 'PENDING',
    StepDetails: { Attempt: 1, Error: { ErrorMessage: 'declined' }, NextAttemptTimestamp: new Date(at.getTime() + 30_000) },
  }]);
});
