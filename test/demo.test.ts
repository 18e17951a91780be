import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { runDemo, type DemoResult, type DemoRun } from '../examples/demo';
import { runWorkflowLocally } from '../lambda/testing';
import { CLI, ensureCompiledRuntime, ROOT } from './fixtures/runner/compiled-runtime';
import { runShape } from './support/run-shape';

// The demo's core path: synthesize the example app, find the workflow's bundle in cdk.out, run
// it in every scenario, then serve cdk.out on the dev server. The bundle imports cdk-durable-workflow/runtime,
// which resolves to lib/runtime.
let outdir: string;
let demo: DemoResult;
const printed: string[] = [];
beforeAll(async () => {
  ensureCompiledRuntime();
  // Inside the repository, as the demo's .demo-out is: the bundle leaves @aws-sdk/* to the Lambda
  // runtime, and here it resolves from this repository's node_modules.
  mkdirSync(join(ROOT, '.demo-out'), { recursive: true });
  outdir = mkdtempSync(join(ROOT, '.demo-out', 'test-'));
  demo = await runDemo(outdir, (line) => printed.push(line));
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function scenario(id: string): DemoRun {
  const found = demo.runs.find((run) => run.scenario.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

const labels = ({ run }: DemoRun) => run.operations.map((operation) => operation.label);

test('the handler comes from the synthesized asset in cdk.out, not from the source', () => {
  const cdkOut = join(outdir, 'cdk.out');
  expect(relative(cdkOut, demo.bundle.directory)).toMatch(/^asset\.[0-9a-f]{64}$/);
  expect(demo.bundle.handler).toBe('index.handler');
  expect(demo.bundle.file).toBe(join(demo.bundle.directory, 'index.js'));
  const bundle = readFileSync(demo.bundle.file, 'utf8');
  // The runtime helper and the durable SDK are inside the bundle; the AWS SDK is left to Lambda's runtime.
  expect(bundle).toContain('stepWithRollback');
  expect(bundle).toContain('withDurableExecution');
  expect(bundle).toMatch(/import\("@aws-sdk\/client-lambda"\)/);
  expect(bundle).not.toMatch(/class LambdaClient\b/);
});

test('the CLI runs the synthesized asset folder too, answering the approval from its options', () => {
  const payload = JSON.stringify(scenario('approved').scenario.payload);
  const output = execFileSync(process.execPath, [CLI, 'run', demo.bundle.directory, '--payload', payload,
    '--callback', 'manager-approval={"approved":true,"approver":"sam"}', '--svg', join(outdir, 'cli.svg')], { encoding: 'utf8' });
  expect(output).toMatch(/^index\.js \(handler\): SUCCEEDED after 2d /);
  expect(output).toContain('Result: {"orderId":"o-1001","reservationId":"rsv-o-1001","chargeId":"ch-o-1001","trackingNumber":"trk-o-1001","approvedBy":"sam"}');
  expect(existsSync(join(outdir, 'cli.svg'))).toBe(true);
});

test('approved: reserve, charge, two-day wait, approval callback, ship; SUCCEEDED with the shipment', () => {
  const approved = scenario('approved');
  expect(approved.run.status).toBe('SUCCEEDED');
  expect(approved.run.result).toEqual({
    orderId: 'o-1001', reservationId: 'rsv-o-1001', chargeId: 'ch-o-1001', trackingNumber: 'trk-o-1001', approvedBy: 'dana',
  });
  expect(labels(approved)).toEqual([
    'reserve-stock', 'charge-card', 'cooling-off-period',
    'manager-approval', 'manager-approval (callback)', 'manager-approval (submitter)', 'ship',
  ]);
  expect(approved.run.operations.every((operation) => operation.status === 'SUCCEEDED')).toBe(true);
  const wait = approved.run.operations.find((operation) => operation.label === 'cooling-off-period')!;
  expect(wait.endOffsetMs! - wait.startOffsetMs).toBe(2 * 24 * 3600 * 1000);
  expect(approved.run.callbacks.map((callback) => [callback.name, callback.answer])).toEqual([
    ['manager-approval', { result: { approved: true, approver: 'dana' } }],
  ]);
});

test('rejected: the manager says no, the compensations run newest first and the execution fails', () => {
  const rejected = scenario('rejected');
  expect(rejected.run.status).toBe('FAILED');
  expect(rejected.run.error).toMatchObject({ type: 'OrderRejectedError', message: 'order o-1002 rejected by dana: customer asked to cancel' });
  expect(labels(rejected)).not.toContain('ship');
  const undos = rejected.run.operations.filter((operation) => operation.label.startsWith('Undo '));
  expect(undos.map((operation) => [operation.label, operation.status])).toEqual([
    ["Undo 'charge-card'", 'SUCCEEDED'],
    ["Undo 'reserve-stock'", 'SUCCEEDED'],
  ]);
  const approval = rejected.run.operations.find((operation) => operation.label === 'manager-approval')!;
  expect(undos[0].startOffsetMs).toBeGreaterThanOrEqual(approval.endOffsetMs!);
});

test('card declined: the charge is retried, then only the stock reservation is compensated', () => {
  const declined = scenario('card-declined');
  expect(declined.run.status).toBe('FAILED');
  expect(declined.run.error?.message).toBe('card declined for order o-1003');
  const charge = declined.run.operations.find((operation) => operation.label === 'charge-card')!;
  expect([charge.status, charge.attempt]).toEqual(['FAILED', 3]);
  expect(charge.attempts.map((attempt) => attempt.error?.type)).toEqual(['CardDeclinedError', 'CardDeclinedError', 'CardDeclinedError']);
  expect(labels(declined).filter((label) => label.startsWith('Undo '))).toEqual(["Undo 'reserve-stock'"]);
  expect(labels(declined)).not.toContain('cooling-off-period');
});

test('each run has a picture that names every operation', () => {
  expect(demo.runs.map((run) => run.scenario.id)).toEqual(['approved', 'rejected', 'card-declined']);
  for (const run of demo.runs) {
    expect(run.picture).toBe(join(outdir, `${run.scenario.id}.svg`));
    expect(existsSync(run.picture)).toBe(true);
    const svg = readFileSync(run.picture, 'utf8');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1].replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))));
    for (const label of labels(run)) expect(texts).toContain(label);
    expect(texts).toContain(run.scenario.title);
  }
});

test('every scenario ends the same on the official runner (LocalDurableTestRunner) as on the local engine', async () => {
  const handler = createRequire(demo.bundle.file)(demo.bundle.file)[demo.bundle.exportName] as DurableLambdaHandler;
  for (const { scenario: { payload, callbacks }, run } of demo.runs) {
    const official = await runWorkflowLocally(handler, { payload, callbacks, runner: 'official' });
    expect(runShape(run)).toEqual(runShape(official));
  }
});

test('the dev server serves the same cdk.out: an order started with the real client, its wait skipped and its approval answered through the API, SUCCEEDED', async () => {
  expect(demo.dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(demo.dev.execution).toMatchObject({
    name: 'o-1004',
    status: 'SUCCEEDED',
    version: '1',
    result: { orderId: 'o-1004', reservationId: 'rsv-o-1004', chargeId: 'ch-o-1004', trackingNumber: 'trk-o-1004', approvedBy: 'dana' },
  });
  const part = printed.slice(printed.findIndex((line) => line.startsWith('3. ')));
  expect(part).toContain(`   Viewer (and Lambda API): ${demo.dev.url}/`);
  expect(part).toContainEqual(expect.stringMatching(/^ {3}2-day wait skipped: /));
  expect(part).toContainEqual(expect.stringMatching(/^ {3}o-1004: SUCCEEDED \{"orderId":"o-1004",/));
  // Stopped, and its temporary state gone.
  expect(part.at(-1)).toBe('   Dev server stopped (exit code 0).');
  await expect(fetch(demo.dev.url)).rejects.toThrow();
  expect(readdirSync(outdir).filter((name) => name.startsWith('dev-'))).toEqual([]);
});
