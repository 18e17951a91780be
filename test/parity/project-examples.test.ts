// The local engine against the official runner on this project's own examples: the local runner's fixtures, the
// CLI's examples (run here through the library with the options the CLI builds) and the README's example. The demo
// compares its synthesized bundle in demo.test.ts, the CLI its printed timeline in cli/run.test.ts.
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { runWorkflowLocally, type RunWorkflowLocallyOptions } from '../../lambda/testing';
import { handler as approval } from '../fixtures/runner/approval-workflow';
import { handler as branchClocks } from '../fixtures/runner/branch-clocks';
import { ensureCompiledRuntime } from '../fixtures/runner/compiled-runtime';
import { handler as parallelApprovals } from '../fixtures/runner/parallel-approvals';
import { runShape } from '../support/run-shape';

const ORDER = { orderId: 'o-1', items: [{ sku: 'mug', quantity: 1 }], amountCents: 1200, cardToken: 'tok_visa' };

const EXAMPLES: Record<string, () => Promise<[DurableLambdaHandler, RunWorkflowLocallyOptions]>> = {
  // test/testing/local-runner.test.ts
  'approval: approved after two declined charges': async () => [approval, {
    payload: { orderId: 'o-1', paymentFailures: 2 }, callbacks: { approval: { result: { approved: true } } },
  }],
  'approval: a function answer that fails the callback': async () => [approval, {
    payload: { orderId: 'o-2' }, callbacks: { approval: () => ({ error: { message: 'manager said no', type: 'Rejected' } }) },
  }],
  'approval: onCallback rejects the order': async () => [approval, { payload: { orderId: 'o-3' }, onCallback: async () => ({ result: { approved: false } }) }],
  'parallel approvals open at the same time': async () => [parallelApprovals, {
    callbacks: { legal: { result: 'legal ok' }, finance: async () => ({ result: 'finance ok' }) },
  }],
  'branch clocks: parallel, map and nested failures': async () => [branchClocks, {}],
  // test/cli/run.test.ts: --payload, --callback, --fail-callback and --interactive answers
  'CLI: approved with one declined charge': async () => [approval, {
    payload: { orderId: 'o-1', paymentFailures: 1 }, callbacks: { approval: { result: { approved: true } } },
  }],
  'CLI: --fail-callback': async () => [approval, { payload: { orderId: 'o-2' }, callbacks: { approval: { error: { message: 'out of stock' } } } }],
  'CLI: --interactive answered !not today': async () => [approval, { payload: { orderId: 'o-4' }, onCallback: async () => ({ error: { message: 'not today' } }) }],
  // README "Running a workflow locally": the demo's workflow, rejected by the manager
  'README: a rejected order is refunded, then released': async () => {
    ensureCompiledRuntime();
    const { handler } = await import('../../examples/order-app/workflow');
    return [handler, { payload: ORDER, callbacks: { 'manager-approval': { result: { approved: false, approver: 'dana' } } } }];
  },
};

test.each(Object.keys(EXAMPLES))('%s: the same status, result, error and operations under both runners', async (name) => {
  const [handler, options] = await EXAMPLES[name]();
  const engine = runShape(await runWorkflowLocally(handler, options));
  const official = runShape(await runWorkflowLocally(handler, { ...options, runner: 'official' }));
  expect(engine).toEqual(official);
  expect(engine.status).toMatch(/^(SUCCEEDED|FAILED)$/);
  expect(engine.operations.length).toBeGreaterThan(1);
});
