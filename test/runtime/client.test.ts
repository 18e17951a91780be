// The workflow client against a real HTTP server speaking the Lambda REST API, through the real LambdaClient.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  CallbackClosedError,
  ExecutionAlreadyStartedError,
  InvalidArgumentError,
  NotFoundError,
  ThrottledError,
  WorkflowApiError,
  WorkflowClient,
  workflow,
} from '../../lambda';
import type { Execution } from '../../lambda';
import { functionArn } from '../support/lambda-api-server';
import type { LambdaApiServer } from '../support/lambda-api-server';
import { serveLambdaApi } from '../support/serve-lambda-api';

let server: LambdaApiServer;
let client: LambdaClient;
serveLambdaApi((started, connected) => {
  server = started;
  client = connected;
});

const last = () => server.requests[server.requests.length - 1];

describe('start', () => {
  test('starts asynchronously through the alias, with the execution name header and a JSON body', async () => {
    server.addFunction('orders', { versions: ['1', '2'], aliases: { live: '2' } });

    const started = await workflow.start({ name: 'orders', qualifier: 'live' }, { orderId: 'o-1' }, { name: 'order-o-1', client });

    const request = last();
    expect(request.method).toBe('POST');
    expect(request.rawPath).toBe('/2015-03-31/functions/orders/invocations');
    expect(request.query.get('Qualifier')).toBe('live');
    expect(request.headers['x-amz-invocation-type']).toBe('Event');
    expect(request.headers['x-amz-durable-execution-name']).toBe('order-o-1');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    expect(JSON.parse(request.body)).toEqual({ orderId: 'o-1' });
    expect(started).toEqual({
      arn: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:orders:2\/durable-execution\/order-o-1\//),
      statusCode: 202,
      version: '2',
    });
  });

  test('a qualified ARN and "name:qualifier" address the same function and qualifier', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });

    await workflow.start(functionArn('orders', 'live'), undefined, { client });
    await workflow.start('orders:live', undefined, { client });

    for (const request of server.requests) {
      expect(request.label).toMatch(/(^|:function:)orders$/);
      expect(request.query.get('Qualifier')).toBe('live');
      expect(request.body).toBe('');
    }
    expect(server.requestCount('Invoke')).toBe(2);
  });

  test('sync waits for the result through RequestResponse and returns the parsed payload', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    server.syncOutcome = (e) => ({ result: { total: JSON.parse(e.input!).qty * 3 } });

    const started = await workflow.start('orders:live', { qty: 2 }, { sync: true, client });

    expect(last().headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(started).toMatchObject({ statusCode: 200, version: '1', payload: { total: 6 }, functionError: undefined });
  });

  test('sync reports a failed execution with its function error and error payload', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    server.syncOutcome = () => ({ error: { errorType: 'PaymentDeclined', errorMessage: 'card declined' } });

    const started = await workflow.start('orders:live', {}, { sync: true, client });

    expect(started.functionError).toBe('Unhandled');
    expect(started.payload).toEqual({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
  });

  test('the same name with the same payload returns the existing execution', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });

    const first = await workflow.start('orders:live', { a: 1 }, { name: 'same', client });
    const second = await workflow.start('orders:live', { a: 1 }, { name: 'same', client });

    expect(second.arn).toBe(first.arn);
    expect(server.executions.size).toBe(1);
  });

  test('the same name with another payload is a typed 409 that keeps the AWS code and message', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    await workflow.start('orders:live', { a: 1 }, { name: 'same', client });

    const error = await workflow.start('orders:live', { a: 2 }, { name: 'same', client }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecutionAlreadyStartedError);
    expect(error).toMatchObject({
      code: 'DurableExecutionAlreadyStartedException',
      statusCode: 409,
      operation: 'Invoke',
      message: 'Durable execution with name same already exists with a different input.',
    });
  });

  test.each([
    [{ name: functionArn('orders'), qualifier: 'live' }, functionArn('orders'), 'live'],
    [functionArn('orders', '7'), functionArn('orders'), '7'],
    ['orders:$LATEST', 'orders', '$LATEST'],
  ])('target %p is sent as FunctionName %s with Qualifier %s', async (target, functionName, qualifier) => {
    server.addFunction('orders', { versions: ['7'], aliases: { live: '7' } });

    await workflow.start(target, {}, { client });

    expect(last().label).toBe(functionName);
    expect(last().query.get('Qualifier')).toBe(qualifier);
  });

  test.each([
    [{ name: functionArn('orders', 'live'), qualifier: 'live' }, /name ".*:orders:live" already has a qualifier/],
    ['orders:live:extra', /is neither a function ARN nor "name:qualifier"/],
    ['orders:no spaces', /has qualifier "no spaces": use a version number, an alias name/],
    [42, /Workflow target 42 is not a function ARN, "name:qualifier" or \{ name, qualifier \}/],
  ])('target %p is rejected before any request', async (target, message) => {
    await expect(workflow.start(target as never, {}, { client })).rejects.toThrow(message);
    expect(server.requestCount()).toBe(0);
  });

  test.each([
    ['a bare function name', 'orders'],
    ['an unqualified ARN', functionArn('orders')],
    ['a resource without qualifier', { name: 'orders', qualifier: '' }],
  ])('%s is rejected before any request', async (_what, target) => {
    await expect(workflow.start(target, {}, { client })).rejects.toThrow(
      /is not qualified: a durable function is invoked through a version, alias or \$LATEST/,
    );
    expect(server.requestCount()).toBe(0);
  });

  test.each([
    ['empty', ''],
    ['65 characters', 'x'.repeat(65)],
    ['a space', 'order 1'],
    ['a slash', 'order/1'],
  ])('an execution name with %s is rejected before any request', async (_what, name) => {
    const error = await workflow.start('orders:live', {}, { name, client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`Execution name ${JSON.stringify(name)} is invalid: use 1 to 64 characters of a-z, A-Z, 0-9, - and _`);
    expect(server.requestCount()).toBe(0);
  });

  test('a 64-character name of every allowed character class is accepted', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    const name = `aZ09-_${'x'.repeat(58)}`;
    await workflow.start('orders:live', {}, { name, client });
    expect(last().headers['x-amz-durable-execution-name']).toBe(name);
  });

  test('an input that is not JSON-serializable is rejected before any request', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(workflow.start('orders:live', cyclic, { client })).rejects.toThrow(/^Workflow input is not JSON-serializable/);
    await expect(workflow.start('orders:live', 10n, { client })).rejects.toThrow(/^Workflow input is not JSON-serializable/);
    expect(server.requestCount()).toBe(0);
  });

  test('an unknown function is a NotFoundError', async () => {
    await expect(workflow.start('missing:live', {}, { client })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('describe', () => {
  test('GETs the execution with its data and returns status, timestamps, version, input, result and error', async () => {
    const stored = server.addExecution({
      functionName: 'orders',
      version: '3',
      status: 'FAILED',
      startedAt: new Date('2025-03-01T10:00:00Z'),
      endedAt: new Date('2025-03-01T10:05:00Z'),
      input: '{"orderId":"o-1"}',
      result: '"partial"',
      error: { ErrorType: 'RollbackError', ErrorMessage: 'rollback failed', StackTrace: ['at x'] },
    });

    const described = await workflow.describe(stored.arn, { client });

    const request = last();
    expect(request.method).toBe('GET');
    expect(request.rawPath).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(stored.arn)}`);
    expect(request.label).toBe(stored.arn);
    expect(request.query.get('IncludeExecutionData')).toBe('true');
    expect(described).toEqual({
      arn: stored.arn,
      name: stored.name,
      functionArn: functionArn('orders', '3'),
      status: 'FAILED',
      createdAt: new Date('2025-03-01T10:00:00Z'),
      endedAt: new Date('2025-03-01T10:05:00Z'),
      version: '3',
      input: { orderId: 'o-1' },
      result: 'partial',
      error: { type: 'RollbackError', message: 'rollback failed', data: undefined, stackTrace: ['at x'] },
    });
  });

  test('a missing execution is a NotFoundError with the AWS code and message', async () => {
    const arn = `${functionArn('orders', '1')}/durable-execution/gone/0000`;
    const error = await workflow.describe(arn, { client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 404, message: `Durable execution not found: ${arn}` });
  });

  test('a function ARN is not an execution ARN and is rejected before any request', async () => {
    await expect(workflow.describe(functionArn('orders', '1'), { client })).rejects.toThrow(/is not a durable execution ARN/);
    expect(server.requestCount()).toBe(0);
  });
});

describe('list', () => {
  test('follows NextMarker to the last page and returns every execution', async () => {
    server.addExecutions(2500, 'orders');

    const { executions } = await workflow.list('orders:1', {}, { client });

    expect(executions).toHaveLength(2500);
    expect(new Set(executions.map((e) => e.arn)).size).toBe(2500);
    const pages = server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction');
    expect(pages.map((r) => [r.query.get('MaxItems'), r.query.has('Marker')])).toEqual([['1000', false], ['1000', true], ['1000', true]]);
    expect(pages[2].query.get('Marker')).not.toBe(pages[1].query.get('Marker'));
  });

  test('sends several statuses, the name and the time window as query parameters', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    const from = new Date('2025-01-01T00:00:10Z');
    const to = new Date('2025-01-01T00:00:20Z');
    const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));
    server.addExecution({ functionName: 'orders', name: 'order-7', status: 'FAILED', startedAt: at(15) });
    server.addExecution({ functionName: 'orders', name: 'order-7', status: 'RUNNING', startedAt: at(12) });
    server.addExecution({ functionName: 'orders', name: 'order-7', status: 'SUCCEEDED', startedAt: at(13) });
    server.addExecution({ functionName: 'orders', name: 'order-7', status: 'FAILED', startedAt: at(30) });
    server.addExecution({ functionName: 'orders', name: 'order-8', status: 'FAILED', startedAt: at(14) });

    const { executions } = await workflow.list({ name: 'orders', qualifier: 'live' }, {
      status: ['RUNNING', 'FAILED'], name: 'order-7', createdAt: { from, to, order: 'desc' }, pageSize: 50,
    }, { client });

    expect(executions.map((e) => [e.status, e.createdAt])).toEqual([['FAILED', at(15)], ['RUNNING', at(12)]]);

    const request = last();
    expect(request.method).toBe('GET');
    expect(request.rawPath).toBe('/2025-12-01/functions/orders/durable-executions');
    expect(request.query.get('Qualifier')).toBe('live');
    expect(request.query.getAll('Statuses')).toEqual(['RUNNING', 'FAILED']);
    expect(request.query.get('DurableExecutionName')).toBe('order-7');
    expect(new Date(request.query.get('StartedAfter')!)).toEqual(from);
    expect(new Date(request.query.get('StartedBefore')!)).toEqual(to);
    expect(request.query.get('ReverseOrder')).toBe('false'); // the API's own order is newest first
    expect(request.query.get('MaxItems')).toBe('50');
  });

  test.each([
    ['oldest first by default', undefined, 'true', ['first', 'second', 'third']],
    ["oldest first with order 'asc'", 'asc', 'true', ['first', 'second', 'third']],
    ["newest first with order 'desc'", 'desc', 'false', ['third', 'second', 'first']],
  ] as const)('lists %s: ListDurableExecutionsByFunction is newest first unless ReverseOrder', async (_what, order, reverse, names) => {
    server.addExecutions(3, 'orders', (i) => ({ name: ['first', 'second', 'third'][i] }));

    const { executions } = await workflow.list('orders:1', { createdAt: { order } }, { client });

    expect(last().query.get('ReverseOrder')).toBe(reverse);
    expect(executions.map((e) => e.name)).toEqual(names);
  });

  test('filters by several statuses across pages', async () => {
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'] as const;
    server.addExecutions(40, 'orders', (i) => ({ status: statuses[i % 4] }));

    const { executions } = await workflow.list('orders:1', { status: ['FAILED', 'STOPPED'], pageSize: 7 }, { client });

    expect(executions).toHaveLength(20);
    expect(new Set(executions.map((e) => e.status))).toEqual(new Set(['FAILED', 'STOPPED']));
    expect(server.requestCount('ListDurableExecutionsByFunction')).toBe(3);
  });

  test('is an async iterator that fetches the next page only when the consumer needs it', async () => {
    server.addExecutions(30, 'orders');

    const seen: Execution[] = [];
    for await (const execution of workflow.list('orders:1', { pageSize: 10 }, { client })) {
      seen.push(execution);
      if (seen.length === 15) break;
    }

    const stored = [...server.executions.values()].slice(0, 15);
    expect(seen.map((e) => e.arn)).toEqual(stored.map((e) => e.arn));
    expect(server.requestCount('ListDurableExecutionsByFunction')).toBe(2);
  });

  test('an unqualified name lists every version; the mapped executions carry status and dates', async () => {
    server.addExecution({ functionName: 'orders', name: 'v1', version: '1', status: 'SUCCEEDED', endedAt: new Date('2025-02-01T00:00:00Z') });
    server.addExecution({ functionName: 'orders', name: 'v2', version: '2', status: 'RUNNING' });

    const { executions } = await workflow.list('orders', {}, { client });

    expect(last().query.has('Qualifier')).toBe(false);
    expect(executions.map((e) => [e.name, e.status, e.functionArn, e.endedAt])).toEqual([
      ['v1', 'SUCCEEDED', functionArn('orders', '1'), new Date('2025-02-01T00:00:00Z')],
      ['v2', 'RUNNING', functionArn('orders', '2'), undefined],
    ]);
  });

  test.each([
    [{ status: 'DONE' }, /status "DONE" is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED/],
    [{ createdAt: { from: new Date(2000), to: new Date(1000) } }, /createdAt.from \(.*\) is after createdAt.to/],
    [{ createdAt: { from: new Date('nope') } }, /createdAt.from must be a valid Date/],
    [{ createdAt: { order: 'newest' } }, /createdAt.order must be 'asc' or 'desc', got newest/],
    [{ pageSize: 1001 }, /pageSize must be an integer from 1 to 1000, got 1001/],
    [{ name: 'bad name' }, /Execution name "bad name" is invalid/],
  ])('bad query %p rejects the listing (awaited or iterated) before any request', async (query, message) => {
    const listing = workflow.list('orders:1', query as never, { client });
    await expect(listing).rejects.toThrow(message);
    await expect(listing.catch((error: unknown) => (error as Error).message)).resolves.toMatch(message);
    await expect((async () => {
      for await (const _execution of workflow.list('orders:1', query as never, { client })) break;
    })()).rejects.toThrow(message);
    expect(server.requestCount()).toBe(0);
  });
});

describe('history', () => {
  test('returns every event across pages, with execution data', async () => {
    const events = Array.from({ length: 2300 }, (_, i) => ({ EventType: 'StepSucceeded', EventId: i + 1, Id: `op-${i}`, EventTimestamp: 1700000000 + i }));
    const stored = server.addExecution({ functionName: 'orders', events });

    const history = await workflow.history(stored.arn, { client });

    expect(history).toHaveLength(2300);
    expect(history.map((e) => e.EventId)).toEqual(events.map((e) => e.EventId));
    expect(history[0].EventTimestamp).toEqual(new Date(1700000000 * 1000));
    const pages = server.requests.filter((r) => r.operation === 'GetDurableExecutionHistory');
    expect(pages).toHaveLength(3);
    expect(pages[0].rawPath).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(stored.arn)}/history`);
    expect(pages.every((r) => r.method === 'GET' && r.query.get('IncludeExecutionData') === 'true' && r.query.get('MaxItems') === '1000')).toBe(true);
  });
});

describe('stop', () => {
  test('POSTs the error object and returns the stop time', async () => {
    const stored = server.addExecution({ functionName: 'orders' });

    const stopped = await workflow.stop(stored.arn, { message: 'cancelled by operator', type: 'Cancelled', data: { ticket: 42 } }, { client });

    const request = last();
    expect(request.method).toBe('POST');
    expect(request.rawPath).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(stored.arn)}/stop`);
    expect(JSON.parse(request.body)).toEqual({ ErrorMessage: 'cancelled by operator', ErrorType: 'Cancelled', ErrorData: '{"ticket":42}' });
    expect(stopped).toEqual({ arn: stored.arn, status: 'STOPPED', stoppedAt: stored.endedAt });
    expect(server.executions.get(stored.arn)?.status).toBe('STOPPED');
  });

  test('an Error becomes ErrorMessage, ErrorType and StackTrace', async () => {
    const stored = server.addExecution({ functionName: 'orders' });
    const error = new RangeError('too late');

    await workflow.stop(stored.arn, error, { client });

    const body = JSON.parse(last().body);
    expect(body.ErrorMessage).toBe('too late');
    expect(body.ErrorType).toBe('RangeError');
    expect(body.StackTrace[0]).toBe('RangeError: too late');
  });
});

describe('callbacks', () => {
  test('succeed sends the result as a JSON body', async () => {
    const id = server.openCallback();

    await workflow.succeed(id, { approved: true, by: 'ann' }, { client });

    const request = last();
    expect(request.method).toBe('POST');
    expect(request.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(id)}/succeed`);
    expect(request.body).toBe('{"approved":true,"by":"ann"}');
    expect(server.callbacks.get(id)).toMatchObject({ state: 'SUCCEEDED', result: '{"approved":true,"by":"ann"}' });
  });

  test('fail sends an ErrorObject, heartbeat an empty POST', async () => {
    const failed = server.openCallback();
    const open = server.openCallback();

    await workflow.fail(failed, 'rejected by reviewer', { client });
    const failRequest = last();
    await workflow.heartbeat(open, { client });
    const heartbeatRequest = last();

    expect(failRequest.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${failed}/fail`);
    expect(JSON.parse(failRequest.body)).toEqual({ ErrorMessage: 'rejected by reviewer', ErrorType: 'Error' });
    expect(heartbeatRequest.method).toBe('POST');
    expect(heartbeatRequest.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${open}/heartbeat`);
    expect(server.callbacks.get(open)).toMatchObject({ state: 'OPEN', heartbeats: 1 });
  });

  test('a callback that is already closed is a CallbackClosedError with the AWS code and message', async () => {
    const id = server.openCallback();
    await workflow.succeed(id, 1, { client });

    const error = await workflow.succeed(id, 2, { client }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CallbackClosedError);
    expect(error).toMatchObject({
      code: 'CallbackTimeoutException',
      statusCode: 400,
      operation: 'SendDurableExecutionCallbackSuccess',
      message: 'The callback ID token has either expired or the callback associated with the token has already been closed.',
    });
  });

  test('a result that is not JSON-serializable is rejected before any request', async () => {
    await expect(workflow.succeed('cb-1', () => 1, { client })).rejects.toThrow('Callback result is not JSON-serializable: function has no JSON form');
    await expect(workflow.succeed('', 1, { client })).rejects.toThrow(/Callback ID "" is invalid/);
    expect(server.requestCount()).toBe(0);
  });
});

describe("SST's call shapes (sst/aws/workflow's client, called exactly as there)", () => {
  // SST's calls carry no endpoint: they reach the server through the SDK's service endpoint variable, with the
  // credentials of SST's `{ aws }` option or, without it, of the environment.
  const aws = { accessKeyId: 'AKIDSST', secretAccessKey: 'sst-secret', region: 'us-east-1' };
  const resource = { name: 'orders', qualifier: 'live' };
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: server.endpoint, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
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

  test("with any option of this package, an object shaped like SST's input is the payload or result itself", async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    const id = server.openCallback();

    await workflow.start('orders:live', { name: 'Ann' }, { client });
    const start = last();
    await workflow.succeed(id, { payload: 1 }, { client });

    expect(start.headers['x-amz-durable-execution-name']).toBeUndefined();
    expect(JSON.parse(start.body)).toEqual({ name: 'Ann' });
    expect(server.callbacks.get(id)?.result).toBe('{"payload":1}');
  });
});

describe('errors', () => {
  test('throttling is a ThrottledError with Retry-After, code and message', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    server.failNext('Invoke', { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded', retryAfterSeconds: 3 });

    const error = await workflow.start('orders:live', {}, { client }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ code: 'TooManyRequestsException', statusCode: 429, message: 'Rate exceeded', retryAfterSeconds: 3 });
  });

  test('a throttled page in the middle of a listing surfaces as ThrottledError after the pages already read', async () => {
    server.addExecutions(30, 'orders');
    const seen: Execution[] = [];

    const error = await (async () => {
      for await (const execution of workflow.list('orders:1', { pageSize: 10 }, { client })) {
        seen.push(execution);
        if (seen.length === 1) server.failNext('ListDurableExecutionsByFunction', { status: 429, code: 'TooManyRequestsException', message: 'Slow down' });
      }
      return undefined;
    })().catch((e: unknown) => e);

    expect(seen).toHaveLength(10);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction').map((r) => r.query.has('Marker'))).toEqual([false, true]);
  });

  test('the real client retries a throttled request when configured to, and then succeeds', async () => {
    const retrying = server.client({ maxAttempts: 2, retryMode: 'standard' });
    const stored = server.addExecution({ functionName: 'orders' });
    server.failNext('GetDurableExecution', { status: 429, code: 'TooManyRequestsException', message: 'Slow down' });

    const described = await new WorkflowClient({ client: retrying }).describe(stored.arn);

    expect(described.arn).toBe(stored.arn);
    expect(server.requestCount('GetDurableExecution')).toBe(2);
    retrying.destroy();
  });

  test('the endpoint option creates a LambdaClient for that endpoint (credentials from the environment)', async () => {
    const stored = server.addExecution({ functionName: 'orders' });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
    try {
      const described = await workflow.describe(stored.arn, { endpoint: server.endpoint, region: 'us-east-1' });

      expect(described.arn).toBe(stored.arn);
      expect(last().headers.authorization).toMatch(/Credential=AKIDENV\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    } finally {
      process.env = saved;
    }
  });

  test.each([
    ['StopDurableExecution', 404, 'ResourceNotFoundException', NotFoundError],
    ['StopDurableExecution', 409, 'DurableExecutionAlreadyStartedException', ExecutionAlreadyStartedError],
    ['StopDurableExecution', 400, 'CallbackTimeoutException', CallbackClosedError],
    ['StopDurableExecution', 429, 'TooManyRequestsException', ThrottledError],
    ['StopDurableExecution', 500, 'ServiceException', WorkflowApiError],
    ['StopDurableExecution', 400, 'InvalidParameterValueException', WorkflowApiError],
  ])('%s answering %i %s maps to %p', async (operation, status, code, type) => {
    const stored = server.addExecution({ functionName: 'orders' });
    server.failNext(operation, { status, code, message: `scripted ${code}` });

    const error = await workflow.stop(stored.arn, undefined, { client }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, statusCode: status, message: `scripted ${code}`, operation });
    expect((error as WorkflowApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
