// The Lambda REST API of the dev server, as @aws-sdk/client-lambda and the runtime's WorkflowClient send it, against
// `cdk-durable-workflow dev` running the counter app (a step, an hour's wait, a callback, a step).
import {
  CheckpointDurableExecutionCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  paginateListDurableExecutionsByFunction,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from '@aws-sdk/client-lambda';
import { WorkflowClient } from '../../lambda/client';
import type { CounterApp } from '../fixtures/dev/counter-app';
import { eventually, serveCounterApp, stopCounterApp, type DevServerProcess } from '../support/dev-server';

let app: CounterApp;
let server: DevServerProcess;
let lambda: LambdaClient;
beforeAll(async () => {
  ({ app, server } = await serveCounterApp());
  lambda = server.client();
}, 120_000);
afterAll(async () => {
  await stopCounterApp(app, server);
});

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes?: Uint8Array) => new TextDecoder().decode(bytes);

function start(name: string | undefined, payload: unknown, options: { qualifier?: string; sync?: boolean } = {}) {
  return lambda.send(new InvokeCommand({
    FunctionName: app.functionName,
    Qualifier: 'qualifier' in options ? options.qualifier : 'live',
    InvocationType: options.sync ? 'RequestResponse' : 'Event',
    DurableExecutionName: name,
    Payload: encode(payload),
  }));
}

async function history(arn: string) {
  return (await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1000 }))).Events ?? [];
}

/** The callback id once the execution waits for its callback. */
function callbackOf(arn: string): Promise<string> {
  return eventually(async () => (await history(arn)).find((event) => event.EventType === 'CallbackStarted')?.CallbackStartedDetails?.CallbackId,
    `the callback of ${arn}`);
}

test('Invoke through the alias or a version: the name is the idempotency key (409 on another payload), unqualified is refused', async () => {
  const started = await start('order-1', { id: 'order-1' });
  expect(started.StatusCode).toBe(202);
  expect(started.ExecutedVersion).toBe('1');
  expect(started.DurableExecutionArn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:dev-counter:1\/durable-execution\/order-1\/[0-9a-f-]{36}$/);

  expect((await start('order-1', { id: 'order-1' }, { qualifier: '1' })).DurableExecutionArn).toBe(started.DurableExecutionArn);
  await expect(start('order-1', { id: 'other' })).rejects.toMatchObject({
    name: 'DurableExecutionAlreadyStartedException', $metadata: { httpStatusCode: 409 },
  });
  await expect(start('order-2', { id: 'order-2' }, { qualifier: undefined })).rejects.toMatchObject({
    name: 'InvalidParameterValueException', message: 'You cannot invoke a durable function using an unqualified ARN.',
  });
  await expect(start('order-2', { id: 'order-2' }, { qualifier: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(start('order-2', { id: 'order-2' }, { qualifier: '7' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(lambda.send(new InvokeCommand({ FunctionName: 'nobody', Qualifier: 'live' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

  const described = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: started.DurableExecutionArn }));
  expect(described).toMatchObject({
    DurableExecutionName: 'order-1',
    Status: 'RUNNING',
    Version: '1',
    InputPayload: '{"id":"order-1"}',
    FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dev-counter:1',
    DurableConfig: { ExecutionTimeout: 30 * 86_400, RetentionPeriodInDays: 30 },
  });
  expect(described.StartTimestamp).toBeInstanceOf(Date);
});

test('RequestResponse waits for the execution and answers with its result', async () => {
  const pending = start('sync-1', { id: 'sync-1', waitSeconds: 1 }, { sync: true });
  const arn = await eventually(async () => (await lambda.send(new ListDurableExecutionsByFunctionCommand({
    FunctionName: app.functionName, DurableExecutionName: 'sync-1',
  }))).DurableExecutions?.[0]?.DurableExecutionArn, 'sync-1 to start');
  await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: await callbackOf(arn), Result: encode('yes') }));
  const answer = await pending;
  expect([answer.StatusCode, answer.FunctionError, answer.DurableExecutionArn]).toEqual([200, undefined, arn]);
  expect(JSON.parse(decode(answer.Payload))).toEqual({ id: 'sync-1', answer: '"yes"', version: 'v1' });

  const types = (await history(arn)).map((event) => event.EventType);
  expect(types.filter((type) => type === 'StepSucceeded')).toHaveLength(3);
  expect(types).toEqual(expect.arrayContaining(['WaitStarted', 'WaitSucceeded', 'CallbackStarted', 'CallbackSucceeded', 'ExecutionSucceeded']));
});

test('callbacks: a failure fails the execution, a heartbeat keeps it, an answered or unknown callback is refused', async () => {
  const { DurableExecutionArn: arn } = await start('fail-1', { id: 'fail-1', waitSeconds: 1 });
  const callbackId = await callbackOf(arn!);
  await lambda.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId }));
  await lambda.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId: callbackId, Error: { ErrorType: 'Rejected', ErrorMessage: 'no budget' } }));
  const failed = await eventually(async () => {
    const execution = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return execution.Status === 'RUNNING' ? undefined : execution;
  }, 'fail-1 to end');
  expect(failed.Status).toBe('FAILED');
  expect(failed.Error?.ErrorMessage).toBe('no budget');
  await expect(lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId }))).rejects.toMatchObject({ name: 'CallbackTimeoutException' });
  await expect(lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: 'unknown' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('Stop ends a waiting execution STOPPED with its error; stopping it again is refused', async () => {
  const { DurableExecutionArn: arn } = await start('stop-1', { id: 'stop-1' });
  await eventually(async () => ((await history(arn!)).some((event) => event.EventType === 'WaitStarted') ? true : undefined), 'the wait');
  const stopped = await lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn, Error: { ErrorMessage: 'cancelled by the customer' } }));
  expect(stopped.StopTimestamp).toBeInstanceOf(Date);
  const described = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
  expect([described.Status, described.Error?.ErrorMessage]).toEqual(['STOPPED', 'cancelled by the customer']);
  await expect(lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  await expect(lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: `${arn}x` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('ListDurableExecutionsByFunction: newest first, ReverseOrder, filters by status, name, version and start time, pages', async () => {
  const before = new Date();
  const names = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e'];
  for (const name of names) await start(name, { id: name });
  const list = async (input: Partial<ConstructorParameters<typeof ListDurableExecutionsByFunctionCommand>[0]>) =>
    ((await lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: app.functionName, ...input }))).DurableExecutions ?? [])
      .map((execution) => execution.DurableExecutionName);

  expect(await list({ StartedAfter: before })).toEqual([...names].reverse());
  expect(await list({ StartedAfter: before, ReverseOrder: true })).toEqual(names);
  expect(await list({ DurableExecutionName: 'list-c' })).toEqual(['list-c']);
  expect(await list({ StartedAfter: before, Statuses: ['SUCCEEDED'] })).toEqual([]);
  expect(await list({ StartedAfter: before, Statuses: ['RUNNING'], Qualifier: 'live' })).toHaveLength(5);
  expect(await list({ StartedBefore: before, DurableExecutionName: 'list-a' })).toEqual([]);
  expect(await list({ FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${app.functionName}:1`, DurableExecutionName: 'list-e' })).toEqual(['list-e']);

  const pages: string[][] = [];
  const query = { FunctionName: app.functionName, StartedAfter: before };
  const paginator = paginateListDurableExecutionsByFunction({ client: lambda, pageSize: 2 }, query);
  for await (const page of paginator) {
    pages.push((page.DurableExecutions ?? []).map((execution) => execution.DurableExecutionName!));
  }
  expect(pages).toEqual([['list-e', 'list-d'], ['list-c', 'list-b'], ['list-a']]);
  await expect(list({ MaxItems: 1001 })).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  await expect(list({ FunctionName: 'nobody' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('GetDurableExecutionHistory pages oldest first (ReverseOrder newest first); without execution data it has no payloads', async () => {
  const { DurableExecutionArn: arn } = await start('history-1', { id: 'history-1', secret: 'card 4242' });
  await eventually(async () => ((await history(arn!)).some((event) => event.EventType === 'InvocationCompleted') ? true : undefined), 'the first invocation');
  const all = await history(arn!);
  const first = await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 2 }));
  expect(first.Events?.map((event) => event.EventId)).toEqual([1, 2]);
  const second = await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 2, Marker: first.NextMarker }));
  expect(second.Events?.map((event) => event.EventId)).toEqual([3, 4]);
  const newest = await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1, ReverseOrder: true }));
  expect(newest.Events?.[0].EventId).toBe(all.length);
  expect(all[0]).toMatchObject({ EventType: 'ExecutionStarted', ExecutionStartedDetails: { Input: { Payload: '{"id":"history-1","secret":"card 4242"}' } } });
  expect(all[0].EventTimestamp).toBeInstanceOf(Date);
  const bare = await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, IncludeExecutionData: false }));
  expect(JSON.stringify(bare.Events)).not.toContain('card 4242');
  expect(bare.Events).toHaveLength(all.length);
});

test('the handler-side calls are the Lambda API too: a checkpoint without the running invocation\'s token is refused', async () => {
  const { DurableExecutionArn: arn } = await start('token-1', { id: 'token-1' });
  await expect(lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: 'stolen', Updates: [] })))
    .rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringMatching(/^Invalid Checkpoint Token/) });
});

test('the runtime\'s WorkflowClient with { endpoint } starts, lists, describes, reads history and answers callbacks', async () => {
  const client = new WorkflowClient({ endpoint: server.url, region: 'us-east-1', aws: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
  const target = `${app.functionName}:live`;
  const { arn } = await client.start(target, { id: 'client-1', waitSeconds: 1 }, { name: 'client-1' });
  expect((await client.list(target, { name: 'client-1' })).executions.map((execution) => execution.arn)).toEqual([arn]);
  const callbackId = await callbackOf(arn!);
  await client.succeed(callbackId, { approved: true });
  const done = await eventually(async () => {
    const execution = await client.describe(arn!);
    return execution.status === 'RUNNING' ? undefined : execution;
  }, 'client-1 to end');
  expect(done).toMatchObject({ status: 'SUCCEEDED', version: '1', result: { id: 'client-1', answer: '{"approved":true}', version: 'v1' } });
  expect((await client.history(arn!)).at(-1)?.EventType).toBe('ExecutionSucceeded');
});
