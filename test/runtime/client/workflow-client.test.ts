// WorkflowClient against a real HTTP server speaking the Lambda REST API, through the real LambdaClient: what each
// call sends and what it returns.
import {
  CallbackClosedError,
  ExecutionAlreadyStartedError,
  NotFoundError,
} from '../../../lambda/client';
import { functionArn } from '../../support/lambda-api-server';
import { serveWorkflowClient } from '../../support/serve-lambda-api';

const api = serveWorkflowClient();

describe('start', () => {
  test('starts asynchronously through the alias, with the execution name header and a JSON body', async () => {
    api.server.addFunction('orders', { versions: ['1', '2'], aliases: { live: '2' } });

    const started = await api.workflows.start({ name: 'orders', qualifier: 'live' }, { orderId: 'o-1' }, { name: 'order-o-1' });

    const request = api.last();
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
    api.server.addFunction('orders', { aliases: { live: '1' } });

    await api.workflows.start(functionArn('orders', 'live'), undefined);
    await api.workflows.start('orders:live', undefined);

    for (const request of api.server.requests) {
      expect(request.label).toMatch(/(^|:function:)orders$/);
      expect(request.query.get('Qualifier')).toBe('live');
      expect(request.body).toBe('');
    }
    expect(api.server.requestCount('Invoke')).toBe(2);
  });

  test('sync waits for the result through RequestResponse and returns the parsed payload', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    api.server.syncOutcome = (e) => ({ result: { total: JSON.parse(e.input!).qty * 3 } });

    const started = await api.workflows.start('orders:live', { qty: 2 }, { sync: true });

    expect(api.last().headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(started).toMatchObject({ statusCode: 200, version: '1', payload: { total: 6 }, functionError: undefined });
  });

  test('sync reports a failed execution with its function error and error payload', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    api.server.syncOutcome = () => ({ error: { errorType: 'PaymentDeclined', errorMessage: 'card declined' } });

    const started = await api.workflows.start('orders:live', {}, { sync: true });

    expect(started.functionError).toBe('Unhandled');
    expect(started.payload).toEqual({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
  });

  test('the same name with the same payload returns the existing execution', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });

    const first = await api.workflows.start('orders:live', { a: 1 }, { name: 'same' });
    const second = await api.workflows.start('orders:live', { a: 1 }, { name: 'same' });

    expect(second.arn).toBe(first.arn);
    expect(api.server.executions.size).toBe(1);
  });

  test('the same name with another payload is a typed 409 that keeps the AWS code and message', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    await api.workflows.start('orders:live', { a: 1 }, { name: 'same' });

    const error = await api.workflows.start('orders:live', { a: 2 }, { name: 'same' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecutionAlreadyStartedError);
    expect(error).toMatchObject({
      code: 'DurableExecutionAlreadyStartedException',
      statusCode: 409,
      operation: 'Invoke',
      message: 'Durable execution with name same already exists with a different input.',
    });
  });

  test('an input that is not JSON-serializable is rejected before any request', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(api.workflows.start('orders:live', cyclic)).rejects.toThrow(/^Workflow input is not JSON-serializable/);
    await expect(api.workflows.start('orders:live', 10n)).rejects.toThrow(/^Workflow input is not JSON-serializable/);
    expect(api.server.requestCount()).toBe(0);
  });

  test('an unknown function is a NotFoundError', async () => {
    await expect(api.workflows.start('missing:live', {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('describe', () => {
  test('GETs the execution with its data and returns status, timestamps, version, input, result and error', async () => {
    const stored = api.server.addExecution({
      functionName: 'orders',
      version: '3',
      status: 'FAILED',
      startedAt: new Date('2025-03-01T10:00:00Z'),
      endedAt: new Date('2025-03-01T10:05:00Z'),
      input: '{"orderId":"o-1"}',
      result: '"partial"',
      error: { ErrorType: 'RollbackError', ErrorMessage: 'rollback failed', StackTrace: ['at x'] },
    });

    const described = await api.workflows.describe(stored.arn);

    const request = api.last();
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
    const error = await api.workflows.describe(arn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 404, message: `Durable execution not found: ${arn}` });
  });

  test('a function ARN is not an execution ARN and is rejected before any request', async () => {
    await expect(api.workflows.describe(functionArn('orders', '1'))).rejects.toThrow(/is not a durable execution ARN/);
    expect(api.server.requestCount()).toBe(0);
  });
});

describe('history', () => {
  test('returns every event across pages, with execution data', async () => {
    const events = Array.from({ length: 2300 }, (_, i) => ({ EventType: 'StepSucceeded', EventId: i + 1, Id: `op-${i}`, EventTimestamp: 1700000000 + i }));
    const stored = api.server.addExecution({ functionName: 'orders', events });

    const history = await api.workflows.history(stored.arn);

    expect(history).toHaveLength(2300);
    expect(history.map((e) => e.EventId)).toEqual(events.map((e) => e.EventId));
    expect(history[0].EventTimestamp).toEqual(new Date(1700000000 * 1000));
    const pages = api.server.requests.filter((r) => r.operation === 'GetDurableExecutionHistory');
    expect(pages).toHaveLength(3);
    expect(pages[0].rawPath).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(stored.arn)}/history`);
    expect(pages.every((r) => r.method === 'GET' && r.query.get('IncludeExecutionData') === 'true' && r.query.get('MaxItems') === '1000')).toBe(true);
  });
});

describe('stop', () => {
  test('POSTs the error object and returns the stop time', async () => {
    const stored = api.server.addExecution({ functionName: 'orders' });

    const stopped = await api.workflows.stop(stored.arn, { message: 'cancelled by operator', type: 'Cancelled', data: { ticket: 42 } });

    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.rawPath).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(stored.arn)}/stop`);
    expect(JSON.parse(request.body)).toEqual({ ErrorMessage: 'cancelled by operator', ErrorType: 'Cancelled', ErrorData: '{"ticket":42}' });
    expect(stopped).toEqual({ arn: stored.arn, status: 'STOPPED', stoppedAt: stored.endedAt });
    expect(api.server.executions.get(stored.arn)?.status).toBe('STOPPED');
  });

  test('an Error becomes ErrorMessage, ErrorType and StackTrace', async () => {
    const stored = api.server.addExecution({ functionName: 'orders' });
    const error = new RangeError('too late');

    await api.workflows.stop(stored.arn, error);

    const body = JSON.parse(api.last().body);
    expect(body.ErrorMessage).toBe('too late');
    expect(body.ErrorType).toBe('RangeError');
    expect(body.StackTrace[0]).toBe('RangeError: too late');
  });
});

describe('callbacks', () => {
  test('succeed sends the result as a JSON body', async () => {
    const id = api.server.openCallback();

    await api.workflows.succeed(id, { approved: true, by: 'ann' });

    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(id)}/succeed`);
    expect(request.body).toBe('{"approved":true,"by":"ann"}');
    expect(api.server.callbacks.get(id)).toMatchObject({ state: 'SUCCEEDED', result: '{"approved":true,"by":"ann"}' });
  });

  test('fail sends an ErrorObject, heartbeat an empty POST', async () => {
    const failed = api.server.openCallback();
    const open = api.server.openCallback();

    await api.workflows.fail(failed, 'rejected by reviewer');
    const failRequest = api.last();
    await api.workflows.heartbeat(open);
    const heartbeatRequest = api.last();

    expect(failRequest.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(failed)}/fail`);
    expect(JSON.parse(failRequest.body)).toEqual({ ErrorMessage: 'rejected by reviewer', ErrorType: 'Error' });
    expect(heartbeatRequest.method).toBe('POST');
    expect(heartbeatRequest.rawPath).toBe(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(open)}/heartbeat`);
    expect(api.server.callbacks.get(open)).toMatchObject({ state: 'OPEN', heartbeats: 1 });
  });

  test('a callback that is already closed is a CallbackClosedError with the AWS code and message', async () => {
    const id = api.server.openCallback();
    await api.workflows.succeed(id, 1);

    const error = await api.workflows.succeed(id, 2).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CallbackClosedError);
    expect(error).toMatchObject({
      code: 'CallbackTimeoutException',
      statusCode: 400,
      operation: 'SendDurableExecutionCallbackSuccess',
      message: 'The callback ID token has either expired or the callback associated with the token has already been closed.',
    });
  });

  test('a result that is not JSON-serializable is rejected before any request', async () => {
    await expect(api.workflows.succeed('Y2ItMQ==', () => 1)).rejects.toThrow('Callback result is not JSON-serializable: function has no JSON form');
    await expect(api.workflows.succeed('', 1)).rejects.toThrow(/Callback ID "" \(0 characters\) is invalid/);
    expect(api.server.requestCount()).toBe(0);
  });
});
