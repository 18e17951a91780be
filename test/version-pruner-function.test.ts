// The pruner as the package ships it: the generated VersionPrunerFunction in a template, and its bundled asset
// (assets/version-pruner.lambda/index.js, with its own @aws-sdk/client-lambda) invoked against the local Lambda API.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { VersionPrunerFunction } from '../src/version-pruner-function';
import { withLogs } from './support/json-logs';
import type { LambdaApiServer } from './support/lambda-api-server';
import { serveLambdaApi } from './support/serve-lambda-api';
import { bundleShippedFunction } from './support/shipped-function';

let server: LambdaApiServer;
serveLambdaApi((started) => {
  server = started;
});

let bundle: string;
let handler: (event: unknown) => Promise<{ complete: boolean; functions: { functionName: string; deleted: string[] }[] }>;
const saved = { ...process.env };
beforeAll(() => {
  bundle = bundleShippedFunction('version-pruner');
  // Loaded from a folder with no node_modules above it: the bundle must carry everything, client-lambda included.
  const alone = join(mkdtempSync(join(tmpdir(), 'version-pruner-')), 'index.js');
  copyFileSync(bundle, alone);
  // What the construct will set, and what Lambda gives every function: region and credentials (no profile).
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, {
    PRUNE_TARGETS: JSON.stringify([[2, 'orders'], [1, 'billing']]),
    AWS_ENDPOINT_URL_LAMBDA: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require(alone).handler;
});
afterAll(() => {
  process.env = saved;
});

function addFunctions(): void {
  server.addFunction('orders', { versions: ['1', '2', '3', '4'], aliases: { live: '4' } });
  server.addFunction('billing', { versions: ['1', '2'], aliases: { live: '2' } });
}

test('the generated function runs the bundle on nodejs24.x, which passes cdk-nag AwsSolutions-L1', () => {
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Stack');
  new VersionPrunerFunction(stack, 'Pruner');
  const assembly = app.synth();

  const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  expect(resource.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
  const staged = join(assembly.directory, resource.Metadata['aws:asset:path'], 'index.js');
  expect(readFileSync(staged, 'utf8')).toBe(readFileSync(bundle, 'utf8'));
  expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).not.toContain('AwsSolutions-L1');
});


test('an invoke with {} prunes every configured function, returns the report and logs JSON lines on stdout', async () => {
  addFunctions();

  const { result: report, logs } = await withLogs(() => handler({}));

  expect(report.complete).toBe(true);
  expect(report.functions.map((f) => [f.functionName, f.deleted])).toEqual([['orders', ['1', '2']], ['billing', ['1']]]);
  expect([...server.functions.get('orders')!.versions]).toEqual(['$LATEST', '3', '4']);
  expect(logs).toContainEqual({ level: 'INFO', message: 'Version kept', functionName: 'orders', version: '4', reason: 'alias', detail: 'alias live' });
});

test('an event naming a function prunes that one only', async () => {
  addFunctions();

  const { result: report } = await withLogs(() => handler({ functionName: 'billing' }));

  expect(report.functions.map((f) => f.functionName)).toEqual(['billing']);
  expect(server.requests.filter((r) => r.label === 'orders')).toEqual([]);
});

test('a run that cannot finish throws after logging its summary, so the Errors metric counts it', async () => {
  addFunctions();
  // Three throttles: the bundled client's own retries (standard mode, 3 attempts) are used up first.
  server.failNext('DeleteFunction', { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' }, 3);

  const { result: run, logs } = await withLogs(() => handler({}).then(() => undefined, (error: Error) => error));

  expect(run?.message).toBe('Version pruning did not finish: orders throttled, billing skipped');
  expect(server.requestCount('DeleteFunction')).toBe(3);
  expect(logs.at(-1)).toMatchObject({ level: 'ERROR', message: 'Version pruning finished', complete: false });
});
