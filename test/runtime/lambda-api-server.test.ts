// The local Lambda API server answers as the API reference says, checked with @aws-sdk/client-lambda's own commands
// and raw HTTP, never through the workflow client: a server that only agrees with our client would prove nothing.
import {
  DeleteFunctionCommand,
  DurableExecutionAlreadyStartedException,
  GetAliasCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  ListAliasesCommand,
  ListDurableExecutionsByFunctionCommand,
  ListVersionsByFunctionCommand,
  paginateListVersionsByFunction,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { functionArn } from '../support/lambda-api-server';
import type { LambdaApiServer } from '../support/lambda-api-server';
import { serveLambdaApi } from '../support/serve-lambda-api';

let server: LambdaApiServer;
let client: LambdaClient;
serveLambdaApi((started, connected) => {
  server = started;
  client = connected;
});

test('ListDurableExecutionsByFunction: 100 a page and newest first by default; ReverseOrder=true is oldest first', async () => {
  const stored = server.addExecutions(150, 'orders');
  const newestFirst = [...stored].reverse().map((e) => e.arn);

  const byDefault = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: 'orders' }));
  const reversed = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: 'orders', ReverseOrder: true }));

  expect(byDefault.DurableExecutions?.map((e) => e.DurableExecutionArn)).toEqual(newestFirst.slice(0, 100));
  expect(byDefault.NextMarker).toEqual(expect.any(String));
  expect(reversed.DurableExecutions?.map((e) => e.DurableExecutionArn)).toEqual(stored.slice(0, 100).map((e) => e.arn));
  expect(reversed.DurableExecutions?.[0].StartTimestamp).toEqual(stored[0].startedAt);
});

test('GetDurableExecutionHistory: oldest first, 100 a page (MaxItems 0 too), data included unless IncludeExecutionData=false', async () => {
  const events = Array.from({ length: 120 }, (_, i) => ({
    EventType: 'StepSucceeded',
    EventId: i + 1,
    StepSucceededDetails: { Result: { Payload: `"r${i}"`, Truncated: false }, RetryDetails: { CurrentAttempt: 1 } },
  }));
  const { arn } = server.addExecution({ functionName: 'orders', events });

  const first = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 0 }));
  const newest = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, ReverseOrder: true, MaxItems: 1 }));
  const compact = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, IncludeExecutionData: false, MaxItems: 1 }));

  expect(first.Events?.map((e) => e.EventId)).toEqual(events.slice(0, 100).map((e) => e.EventId));
  expect(first.Events?.[0].StepSucceededDetails?.Result?.Payload).toBe('"r0"');
  expect(newest.Events?.map((e) => e.EventId)).toEqual([120]);
  expect(compact.Events?.[0].StepSucceededDetails).toEqual({ Result: { Truncated: false }, RetryDetails: { CurrentAttempt: 1 } });
});

test('GetDurableExecution includes input and result unless IncludeExecutionData=false', async () => {
  const { arn } = server.addExecution({ functionName: 'orders', status: 'SUCCEEDED', input: '{"a":1}', result: '"ok"' });

  const full = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
  const compact = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn, IncludeExecutionData: false }));

  expect(full).toMatchObject({ InputPayload: '{"a":1}', Result: '"ok"', Status: 'SUCCEEDED', FunctionArn: functionArn('orders', '1') });
  expect(compact.InputPayload).toBeUndefined();
  expect(compact.Result).toBeUndefined();
});

test("errors carry Lambda's wire shape: status, x-amzn-errortype, and the message member the model names", async () => {
  server.addFunction('orders');

  const missing = await fetch(`${server.endpoint}/2025-12-01/durable-executions/${encodeURIComponent('arn:missing')}`);
  const invalid = await fetch(`${server.endpoint}/2025-12-01/functions/orders/durable-executions?MaxItems=5000`);

  expect(missing.status).toBe(404);
  expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  expect(await missing.json()).toEqual({ Type: 'User', Message: 'Durable execution not found: arn:missing' });
  expect(invalid.status).toBe(400);
  expect(invalid.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  expect(await invalid.json()).toEqual({ Type: 'User', message: 'MaxItems must be between 1 and 1000.' });
});

test('the SDK deserializes those errors into its own exception classes', async () => {
  server.addFunction('orders', { aliases: { live: '1' } });

  const unqualified = await client.send(new InvokeCommand({ FunctionName: 'orders', InvocationType: 'Event' })).catch((e: unknown) => e);
  const unknown = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: 'arn:missing' })).catch((e: unknown) => e);

  expect(unqualified).toBeInstanceOf(InvalidParameterValueException);
  expect(unqualified).toMatchObject({ Type: 'User', message: 'You cannot invoke a durable function using an unqualified ARN.' });
  expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  expect(unknown).toMatchObject({ Type: 'User', message: 'Durable execution not found: arn:missing', $metadata: { httpStatusCode: 404 } });
});

describe('Invoke with an execution name (the idempotency key)', () => {
  const start = (name: string, payload: string) => client.send(new InvokeCommand({
    FunctionName: functionArn('orders', 'live'),
    InvocationType: 'Event',
    DurableExecutionName: name,
    Payload: new TextEncoder().encode(payload),
  }));
  beforeEach(() => server.addFunction('orders', { aliases: { live: '1' } }));

  test('the same name and payload answer with the existing execution and start none', async () => {
    const first = await start('order-1', '{"total":10}');
    server.executions.get(first.DurableExecutionArn!)!.status = 'SUCCEEDED';
    const again = await start('order-1', '{"total":10}');

    expect(first).toMatchObject({ StatusCode: 202, ExecutedVersion: '1', DurableExecutionArn: expect.stringContaining('/durable-execution/order-1/') });
    expect(again.DurableExecutionArn).toBe(first.DurableExecutionArn);
    expect(server.executions.size).toBe(1);
  });

  test('the same name with another payload is DurableExecutionAlreadyStartedException (409)', async () => {
    await start('order-1', '{"total":10}');
    const conflict = await start('order-1', '{"total":99}').catch((e: unknown) => e);

    expect(conflict).toBeInstanceOf(DurableExecutionAlreadyStartedException);
    expect(conflict).toMatchObject({ $metadata: { httpStatusCode: 409 }, message: expect.stringContaining('order-1') });
    expect(server.executions.size).toBe(1);
  });

  test('a name outside 1-64 of [a-zA-Z0-9-_] is a ValidationException; a payload that is not JSON is refused', async () => {
    const badName = await start('order#1', '{}').catch((e: unknown) => e);
    const tooLong = await start('x'.repeat(65), '{}').catch((e: unknown) => e);
    const notJson = await start('order-1', 'order 1').catch((e: unknown) => e);

    expect(badName).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(tooLong).toMatchObject({ name: 'ValidationException' });
    expect(notJson).toBeInstanceOf(InvalidRequestContentException);
    expect(server.executions.size).toBe(0);
  });

  test('failNext with a matcher fails only the request it picks, as often as asked', async () => {
    server.failNext('Invoke', { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' }, 2,
      (r) => r.headers['x-amz-durable-execution-name'] === 'order-2');

    const results: unknown[] = [];
    for (const name of ['order-1', 'order-2', 'order-3', 'order-2', 'order-2']) {
      results.push(await start(name, '{}').then(() => name, (e: unknown) => e));
    }

    expect(results[0]).toBe('order-1');
    expect(results[1]).toBeInstanceOf(TooManyRequestsException);
    expect(results[2]).toBe('order-3');
    expect(results[3]).toBeInstanceOf(TooManyRequestsException);
    expect(results[4]).toBe('order-2');
  });
});

describe('versions and aliases', () => {
  test('ListVersionsByFunction: $LATEST first, then by number, at most 50 a page whatever MaxItems asks', async () => {
    server.addFunction('orders', { versions: Array.from({ length: 120 }, (_, i) => String(120 - i)) });

    const first = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'orders', MaxItems: 1000 }));
    const all = [];
    for await (const page of paginateListVersionsByFunction({ client }, { FunctionName: functionArn('orders') })) all.push(...page.Versions ?? []);

    expect(first.Versions).toHaveLength(50);
    expect(first.Versions?.slice(0, 3)).toEqual([
      { FunctionName: 'orders', FunctionArn: functionArn('orders', '$LATEST'), Version: '$LATEST' },
      { FunctionName: 'orders', FunctionArn: functionArn('orders', '1'), Version: '1' },
      { FunctionName: 'orders', FunctionArn: functionArn('orders', '2'), Version: '2' },
    ]);
    expect(all.map((v) => v.Version)).toEqual(['$LATEST', ...Array.from({ length: 120 }, (_, i) => String(i + 1))]);
    expect(server.requests.map((r) => [r.rawPath, r.query.has('Marker')])).toEqual([
      ['/2015-03-31/functions/orders/versions', false],
      ...[false, true, true].map((marker) => [`/2015-03-31/functions/${encodeURIComponent(functionArn('orders'))}/versions`, marker]),
    ]);
  });

  test('ListAliases and GetAlias carry RoutingConfig.AdditionalVersionWeights; FunctionVersion filters', async () => {
    server.addFunction('orders', { versions: ['1', '2', '3'], aliases: { live: '3', beta: '2' }, routing: { live: { 2: 0.1 } } });

    const listed = await client.send(new ListAliasesCommand({ FunctionName: 'orders' }));
    const onTwo = await client.send(new ListAliasesCommand({ FunctionName: 'orders', FunctionVersion: '2' }));
    const live = await client.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' }));
    const missing = await client.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'prod' })).catch((e: unknown) => e);

    expect(listed.Aliases?.map((a) => [a.Name, a.FunctionVersion, a.RoutingConfig])).toEqual([
      ['beta', '2', undefined],
      ['live', '3', { AdditionalVersionWeights: { 2: 0.1 } }],
    ]);
    expect(onTwo.Aliases?.map((a) => a.Name)).toEqual(['beta']);
    expect(live).toMatchObject({ AliasArn: functionArn('orders', 'live'), FunctionVersion: '3', RoutingConfig: { AdditionalVersionWeights: { 2: 0.1 } } });
    expect(server.requests.find((r) => r.operation === 'GetAlias')?.rawPath).toBe('/2015-03-31/functions/orders/aliases/live');
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ message: `Cannot find alias arn: ${functionArn('orders', 'prod')}` });
  });

  test('DeleteFunction with a Qualifier deletes that version (204) and refuses what Lambda refuses', async () => {
    server.addFunction('orders', { versions: ['1', '2', '3'], aliases: { live: '3' }, routing: { live: { 2: 0.1 } } });
    const refusal = (qualifier: string) => client.send(new DeleteFunctionCommand({ FunctionName: 'orders', Qualifier: qualifier })).catch((e: unknown) => e);

    const deleted = await client.send(new DeleteFunctionCommand({ FunctionName: 'orders', Qualifier: '1' }));
    const again = await refusal('1');
    const weighted = await refusal('2');
    const latest = await refusal('$LATEST');

    expect(deleted.StatusCode).toBe(204);
    expect(server.requests[0]).toMatchObject({ method: 'DELETE', rawPath: '/2015-03-31/functions/orders' });
    expect(server.requests[0].query.get('Qualifier')).toBe('1');
    expect([...server.functions.get('orders')!.versions]).toEqual(['$LATEST', '2', '3']);
    expect(again).toBeInstanceOf(ResourceNotFoundException);
    expect(weighted).toBeInstanceOf(ResourceConflictException);
    expect(weighted).toMatchObject({ message: 'Unable to delete version because the following aliases reference it: [live]', $metadata: { httpStatusCode: 409 } });
    expect(latest).toBeInstanceOf(InvalidParameterValueException);
  });

  test('DeleteFunction without a Qualifier deletes the whole function', async () => {
    server.addFunction('orders', { versions: ['1'] });

    await client.send(new DeleteFunctionCommand({ FunctionName: 'orders' }));

    expect(server.functions.has('orders')).toBe(false);
    await expect(client.send(new ListVersionsByFunctionCommand({ FunctionName: 'orders' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

test('ListDurableExecutionsByFunction: Qualifier filters by version; sparse pages filter after paging, so a page can be empty', async () => {
  server.addExecution({ functionName: 'orders', version: '2', status: 'RUNNING' });
  server.addExecutions(3, 'orders', () => ({ version: '5', status: 'SUCCEEDED' }));
  const list = (Marker?: string) => client.send(new ListDurableExecutionsByFunctionCommand({
    FunctionName: 'orders', Qualifier: '2', Statuses: ['RUNNING'], MaxItems: 3, Marker,
  }));

  const dense = await list();
  server.sparseExecutionPages = true;
  const sparse = await list();
  const next = await list(sparse.NextMarker);

  expect(dense.DurableExecutions?.map((e) => e.FunctionArn)).toEqual([functionArn('orders', '2')]);
  expect(dense.NextMarker).toBeUndefined();
  expect(sparse.DurableExecutions).toEqual([]);
  expect(sparse.NextMarker).toEqual(expect.any(String));
  expect(next.DurableExecutions?.map((e) => e.Status)).toEqual(['RUNNING']);
  expect(next.NextMarker).toBeUndefined();
});
