// The local engine against the official runner (LocalDurableTestRunner) on handlers written in the spirit of the
// durable SDK's own examples: same status, result, error and operations under both.
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { runWorkflowLocally, type RunWorkflowLocallyOptions } from '../../lambda/testing';
import * as callbackTimeouts from '../fixtures/parity/callback-timeouts';
import * as callbacks from '../fixtures/parity/callbacks';
import * as childContexts from '../fixtures/parity/child-contexts';
import * as failingSubmitter from '../fixtures/parity/failing-submitter';
import * as invoke from '../fixtures/parity/invoke';
import * as map from '../fixtures/parity/map';
import * as parallel from '../fixtures/parity/parallel';
import * as promiseCombinators from '../fixtures/parity/promise-combinators';
import * as retries from '../fixtures/parity/retries';
import * as steps from '../fixtures/parity/steps';
import * as waitForCondition from '../fixtures/parity/wait-for-condition';
import * as waits from '../fixtures/parity/waits';
import { runShape, type RunShape } from '../support/run-shape';

interface Example {
  readonly handler: DurableLambdaHandler;
  readonly options?: RunWorkflowLocallyOptions;
  /** What the run must give (under both runners): the status, and the result or error message. */
  readonly expected: Partial<Pick<RunShape, 'status' | 'result'>> & { readonly errorType?: string; readonly errorMessage?: string };
}

const EXAMPLES: Record<string, Example> = {
  'steps': { handler: steps.handler, options: { payload: { user: 'ana' } }, expected: { status: 'SUCCEEDED', result: { greeting: 'hello ana', length: 9, nothing: null, caught: 'caught StepError: bad input', once: 'charged once' } } },
  'waits': { handler: waits.handler, expected: { status: 'SUCCEEDED', result: { before: 'between waits', done: true } } },
  'retries that succeed': { handler: retries.handler, expected: { status: 'SUCCEEDED', result: 'succeeded on attempt 3' } },
  'retries exhausted': { handler: retries.handler, options: { payload: { exhaust: true } }, expected: { status: 'FAILED', errorType: 'StepError', errorMessage: 'hopeless attempt 3' } },
  'callbacks': {
    handler: callbacks.handler,
    options: {
      callbacks: { 'ticket': { result: { seat: '12A' } }, 'review': { result: { score: 5 } }, 'inner-approval': { result: 'yes' } },
      onCallback: () => ({ result: 'anonymous answer' }),
    },
    expected: { status: 'SUCCEEDED', result: { ticketId: 'sent true', seat: '12A', review: { score: 5 }, anonymous: '"anonymous answer"', nested: 'yes' } },
  },
  'a callback answered with a failure': {
    handler: callbacks.rejected,
    options: { callbacks: { approval: { error: { message: 'no budget', type: 'Rejected' } } } },
    expected: { status: 'SUCCEEDED', result: 'CallbackExternalError: no budget' },
  },
  'a callback nobody answers times out': { handler: callbackTimeouts.handler, expected: { status: 'FAILED', errorType: 'CallbackTimeoutError', errorMessage: 'Callback timed out' } },
  'a callback timeout the handler catches': { handler: callbackTimeouts.handler, options: { payload: { catchIt: true } }, expected: { status: 'SUCCEEDED', result: 'CallbackTimeoutError: Callback timed out' } },
  'a heartbeat timeout': { handler: callbackTimeouts.handler, options: { payload: { heartbeat: true } }, expected: { status: 'FAILED', errorType: 'CallbackTimeoutError', errorMessage: 'Callback timed out on heartbeat' } },
  'a waitForCallback timeout': { handler: callbackTimeouts.waitForCallbackTimeout, expected: { status: 'SUCCEEDED', result: 'no quote (CallbackTimeoutError), used the list price' } },
  'a failing submitter': { handler: failingSubmitter.handler, expected: { status: 'SUCCEEDED', result: { delivered: false, error: 'partner API unreachable' } } },
  'map': { handler: map.handler, expected: { status: 'SUCCEEDED', result: { squares: [1, 4, 9, 16], tolerant: ['A', 'C'], failures: ['item bad is bad'], status: 'FAILED' } } },
  'parallel': { handler: parallel.handler, expected: { status: 'SUCCEEDED', result: { mixed: ['quick', 'waited', 3], named: [42], failed: 1 } } },
  'child contexts': { handler: childContexts.handler, expected: { status: 'SUCCEEDED', result: { order: { id: 'ord-1', lines: ['espresso', 'beans'] }, refund: 'refund failed: refund rejected', unnamed: 'inside an unnamed group' } } },
  'waitForCondition': { handler: waitForCondition.handler, options: { payload: { doneAfter: 4 } }, expected: { status: 'SUCCEEDED', result: 'job done after 4 checks' } },
  'promise combinators': { handler: promiseCombinators.handler, expected: { status: 'SUCCEEDED', result: { all: ['a', 'b'], settled: ['fulfilled', 'rejected'], any: 'mirror ok', race: 'fast' } } },
  'chained invokes': {
    handler: invoke.handler,
    options: { payload: { sku: 'mug' }, functions: { [invoke.PRICER]: invoke.pricer, [invoke.BROKEN]: invoke.broken } },
    expected: { status: 'SUCCEEDED', result: { price: { sku: 'mug', cents: 30 }, failure: 'InvokeError: pricing engine exploded' } },
  },
};

describe.each(Object.entries(EXAMPLES))('%s', (_, example) => {
  let engine: RunShape;
  let official: RunShape;
  beforeAll(async () => {
    engine = runShape(await runWorkflowLocally(example.handler, example.options));
    official = runShape(await runWorkflowLocally(example.handler, { ...example.options, runner: 'official' }));
  });

  test('ends as expected', () => {
    const { errorType, errorMessage, ...outcome } = example.expected;
    expect(engine).toMatchObject(outcome);
    if (errorMessage !== undefined) expect(engine.error).toEqual({ type: errorType, message: errorMessage });
    expect(engine.operations.length).toBeGreaterThan(0);
  });

  test('the same status, result, error and operations as the official runner', () => {
    expect(engine).toEqual(official);
  });
});
