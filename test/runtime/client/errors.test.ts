// Client errors a caller branches on: each Lambda API error maps to a typed error that keeps the AWS code and message.
import {
  CallbackClosedError,
  ExecutionAlreadyStartedError,
  NotFoundError,
  ThrottledError,
  WorkflowApiError,
  WorkflowClient,
} from '../../../lambda/client';
import type { Execution } from '../../../lambda/client';
import { serveWorkflowClient } from '../../support/serve-lambda-api';

const api = serveWorkflowClient();

describe('errors', () => {
  test('throttling is a ThrottledError with Retry-After, code and message', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    api.server.failNext('Invoke', { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded', retryAfterSeconds: 3 });

    const error = await api.workflows.start('orders:live', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ code: 'TooManyRequestsException', statusCode: 429, message: 'Rate exceeded', retryAfterSeconds: 3 });
  });

  test('a throttled page in the middle of a listing surfaces as ThrottledError after the pages already read', async () => {
    api.server.addExecutions(30, 'orders');
    const seen: Execution[] = [];

    const error = await (async () => {
      for await (const execution of api.workflows.list('orders:1', { pageSize: 10 })) {
        seen.push(execution);
        if (seen.length === 1) api.server.failNext('ListDurableExecutionsByFunction', { status: 429, code: 'TooManyRequestsException', message: 'Slow down' });
      }
      return undefined;
    })().catch((e: unknown) => e);

    expect(seen).toHaveLength(10);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(api.server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction').map((r) => r.query.has('Marker'))).toEqual([false, true]);
  });

  test('the real client retries a throttled request when configured to, and then succeeds', async () => {
    const retrying = api.server.client({ maxAttempts: 2, retryMode: 'standard' });
    const stored = api.server.addExecution({ functionName: 'orders' });
    api.server.failNext('GetDurableExecution', { status: 429, code: 'TooManyRequestsException', message: 'Slow down' });

    const described = await new WorkflowClient({ client: retrying }).describe(stored.arn);

    expect(described.arn).toBe(stored.arn);
    expect(api.server.requestCount('GetDurableExecution')).toBe(2);
    retrying.destroy();
  });

  test('the endpoint option creates a LambdaClient for that endpoint (credentials from the environment)', async () => {
    const stored = api.server.addExecution({ functionName: 'orders' });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
    try {
      const described = await new WorkflowClient({ endpoint: api.server.endpoint, region: 'us-east-1' }).describe(stored.arn);

      expect(described.arn).toBe(stored.arn);
      expect(api.last().headers.authorization).toMatch(/Credential=AKIDENV\/\d{8}\/us-east-1\/lambda\/aws4_request/);
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
    const stored = api.server.addExecution({ functionName: 'orders' });
    api.server.failNext(operation, { status, code, message: `scripted ${code}` });

    const error = await api.workflows.stop(stored.arn).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, statusCode: status, message: `scripted ${code}`, operation });
    expect((error as WorkflowApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
