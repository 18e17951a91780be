// The queue dispatcher as the package ships it: the generated QueueDispatcherFunction in a template, and its bundled
// asset (built by the project's own bundle task, loaded from a folder with no node_modules above it, so it must carry
// its own @aws-sdk/client-lambda) configured only through its environment variables.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { QueueDispatcherFunction } from '../src/queue-dispatcher-function';
import { START_ATTEMPTS } from '../src/queue-dispatcher.lambda';
import { withLogs } from './support/json-logs';
import { functionArn, REGION } from './support/lambda-api-server';
import type { LambdaApiServer } from './support/lambda-api-server';
import { serveLambdaApi } from './support/serve-lambda-api';
import { bundleShippedFunction } from './support/shipped-function';
import { sqsEvent, sqsRecord } from './support/sqs-records';

let server: LambdaApiServer;
serveLambdaApi((started) => {
  server = started;
});

let shipped: string;
let alone: string;
beforeAll(() => {
  shipped = bundleShippedFunction('queue-dispatcher');
  alone = join(mkdtempSync(join(tmpdir(), 'queue-dispatcher-')), 'index.js');
  copyFileSync(shipped, alone);
});
afterAll(() => rmSync(join(alone, '..'), { recursive: true, force: true }));

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** A fresh load of the bundle with these variables (plus the local endpoint and test credentials), as a cold start. */
async function coldStart(env: Record<string, string>): Promise<(event: SQSEvent) => Promise<SQSBatchResponse>> {
  process.env = {
    ...saved,
    AWS_ENDPOINT_URL_LAMBDA: server.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    ...env,
  };
  let handler!: (event: SQSEvent) => Promise<SQSBatchResponse>;
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import(alone));
  });
  return handler;
}

beforeEach(() => server.addFunction('orders', { aliases: { live: '1' } }));

test('the generated function runs that bundle, index.handler on nodejs24.x', () => {
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Stack');
  new QueueDispatcherFunction(stack, 'Dispatcher');
  const assembly = app.synth();

  const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  expect(resource.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
  const staged = join(assembly.directory, resource.Metadata['aws:asset:path'], 'index.js');
  expect(readFileSync(staged, 'utf8')).toBe(readFileSync(shipped, 'utf8'));
});

test('the bundle carries its own @aws-sdk/client-lambda and starts named executions from its environment alone', async () => {
  const handler = await coldStart({ WORKFLOW_ARN: functionArn('orders', 'live'), EXECUTION_NAME_FROM: 'jsonPath:$.orderId' });
  const orders = [sqsRecord('{"orderId":"A-1"}'), sqsRecord('{"orderId":"A-2"}'), sqsRecord('{"orderId":"A-1"}')];

  const { result } = await withLogs(() => handler(sqsEvent(orders)));

  expect(readFileSync(alone, 'utf8')).not.toContain('require("@aws-sdk/client-lambda")');
  expect(result).toEqual({ batchItemFailures: [] });
  expect(Object.fromEntries([...server.executions.values()].map((e) => [e.name, e.input]))).toEqual({
    'A-1': '{"orderId":"A-1"}',
    'A-2': '{"orderId":"A-2"}',
  });
  expect(server.requests.every((r) => r.headers['x-amz-invocation-type'] === 'Event' && r.query.get('Qualifier') === null)).toBe(true);
});

test(`a start is tried ${START_ATTEMPTS} times (throttling, 5xx) before its message is reported`, async () => {
  const handler = await coldStart({ WORKFLOW_ARN: functionArn('orders', 'live') });
  const recovers = sqsRecord('{"n":1}');
  const refused = sqsRecord('{"n":2}');
  const failFor = (id: string, times: number) => server.failNext('Invoke', { status: 500, code: 'ServiceException', message: 'Internal failure' },
    times, (r) => r.headers['x-amz-durable-execution-name'] === id);
  failFor(recovers.messageId, START_ATTEMPTS - 1);
  failFor(refused.messageId, START_ATTEMPTS);

  const { result, logs } = await withLogs(() => handler(sqsEvent([recovers, refused])));

  expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: refused.messageId }] });
  expect([...server.executions.values()].map((e) => e.name)).toEqual([recovers.messageId]);
  expect(server.requests.filter((r) => r.headers['x-amz-durable-execution-name'] === refused.messageId)).toHaveLength(START_ATTEMPTS);
  expect(logs.filter((l) => l.level === 'ERROR')).toEqual([expect.objectContaining({ messageId: refused.messageId, outcome: 'failed' })]);
  expect(logs.filter((l) => l.level === 'INFO')).toEqual([{ level: 'INFO', message: 'Batch dispatched', records: 2, started: 1, failed: 1 }]);
});

test('a misconfigured dispatcher fails the batch (every message stays queued) with an error naming the variable', async () => {
  const handler = await coldStart({ WORKFLOW_ARN: functionArn('orders'), PAYLOAD_FROM: 'json' });

  await expect(handler(sqsEvent([sqsRecord('{}')]))).rejects.toThrow(
    /WORKFLOW_ARN must be a qualified function ARN .*; PAYLOAD_FROM must be one of jsonBody, rawBody, record, got 'json'/);
  expect(server.requestCount()).toBe(0);
});
