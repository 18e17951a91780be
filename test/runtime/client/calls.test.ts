// workflow.start and the other client calls in exactly SST's argument shapes (sst/aws/workflow's client, called as
// there), against a real HTTP server speaking the Lambda REST API.
import { InvalidArgumentError, NotFoundError, workflow, WorkflowClient } from '../../../lambda';
import type { LambdaApiServer } from '../../support/lambda-api-server';
import { serveLambdaApi } from '../../support/serve-lambda-api';

let server: LambdaApiServer;
serveLambdaApi((started) => {
  server = started;
});

const last = () => server.requests[server.requests.length - 1];

describe("SST's call shapes (sst/aws/workflow's client, called exactly as there)", () => {
  // SST's calls carry no endpoint: they reach the server through the SDK's service endpoint variable, with the
  // credentials of SST's `{ aws }` option or, without it, of the environment.
  const aws = { accessKeyId: 'AKIDSST', secretAccessKey: 'sst-secret', region: 'us-east-1' };
  const resource = { name: 'orders', qualifier: 'live' };
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: server.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret',
    });
  });
  afterEach(() => {
    process.env = saved;
  });

  test('start(resource, { name, payload }, { aws }) names the execution and sends only the payload', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });

    const started = await workflow.start(resource, { name: 'order-1', payload: { orderId: 'o-1' } }, { aws });
    const named = last();
    await workflow.start(resource, { name: 'order-2' });
    const withoutPayload = last();

    expect(named.headers['x-amz-durable-execution-name']).toBe('order-1');
    expect(named.headers['x-amz-invocation-type']).toBe('Event');
    expect(named.headers.authorization).toMatch(/Credential=AKIDSST\//);
    expect(withoutPayload.headers.authorization).toMatch(/Credential=AKIDENV\//);
    expect(JSON.parse(named.body)).toEqual({ orderId: 'o-1' });
    expect(started).toEqual({ arn: expect.stringContaining('/durable-execution/order-1/'), statusCode: 202, version: '1' });
    expect(withoutPayload.headers['x-amz-durable-execution-name']).toBe('order-2');
    expect(withoutPayload.body).toBe('');
  });

  test('succeed(token, { payload }), fail(token, { error }) and stop(arn, { error }) unwrap SST\'s input objects', async () => {
    const approved = server.openCallback();
    const empty = server.openCallback();
    const rejected = server.openCallback();
    const running = server.addExecution({ functionName: 'orders' });
    const quiet = server.addExecution({ functionName: 'orders' });

    await workflow.succeed(approved, { payload: { approved: true } }, { aws });
    await workflow.succeed(empty);
    await workflow.fail(rejected, { error: { message: 'no budget', type: 'Rejected' } }, { aws });
    await workflow.stop(running.arn, { error: new Error('cancelled by operator') });
    await workflow.stop(quiet.arn, {});

    expect(server.callbacks.get(approved)).toMatchObject({ state: 'SUCCEEDED', result: '{"approved":true}' });
    expect(server.callbacks.get(empty)).toMatchObject({ state: 'SUCCEEDED', result: '' });
    expect(server.callbacks.get(rejected)?.error).toEqual({ ErrorMessage: 'no budget', ErrorType: 'Rejected' });
    expect(server.executions.get(running.arn)?.error).toMatchObject({ ErrorMessage: 'cancelled by operator', ErrorType: 'Error' });
    expect(server.executions.get(quiet.arn)).toMatchObject({ status: 'STOPPED', error: undefined });
  });

  test('list(resource, { status }) is a Promise: then, catch and finally chain, and awaiting twice fetches once', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    server.addExecutions(3, 'orders', (i) => ({ status: i === 1 ? 'FAILED' : 'RUNNING' }));

    const listing = workflow.list(resource, { status: 'RUNNING' }, { aws });
    const count = await listing.then((r) => r.executions.length).catch(() => -1);
    const again = await listing.finally(() => undefined);
    const failed = await workflow.list({ name: 'missing', qualifier: 'live' }, {}, { aws }).catch((e: unknown) => e);

    expect(count).toBe(2);
    expect(again.executions.map((e) => e.status)).toEqual(['RUNNING', 'RUNNING']);
    expect(server.requests.filter((r) => r.label === 'orders')).toHaveLength(1);
    expect(failed).toBeInstanceOf(NotFoundError);
  });

  test("one shape per call: start's second argument is always SST's input, WorkflowClient's always the payload", async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    const id = server.openCallback();

    await workflow.start('orders:live', { name: 'Alice' });
    const sst = last();
    await new WorkflowClient().start('orders:live', { name: 'Alice' });
    const rich = last();
    await workflow.succeed(id, { payload: { name: 'Alice' } });

    expect(sst.headers['x-amz-durable-execution-name']).toBe('Alice');
    expect(sst.body).toBe('');
    expect(rich.headers['x-amz-durable-execution-name']).toBeUndefined();
    expect(JSON.parse(rich.body)).toEqual({ name: 'Alice' });
    expect(server.callbacks.get(id)?.result).toBe('{"name":"Alice"}');
  });

  test('describe, history and heartbeat take SST\'s { aws } option; start without a name is refused before any request', async () => {
    const stored = server.addExecution({ functionName: 'orders', events: [{ EventType: 'ExecutionStarted', EventId: 1, EventTimestamp: 1700000000 }] });
    const id = server.openCallback();

    const described = await workflow.describe(stored.arn, { aws });
    const events = await workflow.history(stored.arn, { aws });
    await workflow.heartbeat(id, { aws });
    const unnamed = await workflow.start(resource, {} as never).catch((e: unknown) => e);

    expect(described.arn).toBe(stored.arn);
    expect(events.map((e) => e.EventType)).toEqual(['ExecutionStarted']);
    expect(server.callbacks.get(id)).toMatchObject({ heartbeats: 1 });
    expect(server.requests.every((r) => /Credential=AKIDSST\//.test(r.headers.authorization ?? ''))).toBe(true);
    expect(unnamed).toBeInstanceOf(InvalidArgumentError);
    expect(server.requestCount('Invoke')).toBe(0);
  });

});
