// The queue dispatcher against the local Lambda API server, through a real LambdaClient (one attempt per request: the
// handler's retries are tested on the bundled handler). Executions are read from the server's store, the service's view.
import { createHash } from 'node:crypto';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSRecord } from 'aws-lambda';
import type { QueueDispatcherConfig } from '../src/queue-dispatcher-config';
import { QueueDispatcher } from '../src/queue-dispatcher.lambda';
import { withLogs } from './support/json-logs';
import { functionArn } from './support/lambda-api-server';
import type { LambdaApiServer, RecordedRequest } from './support/lambda-api-server';
import { serveLambdaApi } from './support/serve-lambda-api';
import { redelivery, sqsEvent, sqsRecord, stringAttribute } from './support/sqs-records';

let server: LambdaApiServer;
let client: LambdaClient;
serveLambdaApi((started, connected) => {
  server = started;
  client = connected;
});
beforeEach(() => server.addFunction('orders', { versions: ['1', '2'], aliases: { live: '2' } }));

const WORKFLOW_ARN = functionArn('orders', 'live');

function dispatcher(config: Partial<QueueDispatcherConfig> = {}): QueueDispatcher {
  return new QueueDispatcher({ workflowArn: WORKFLOW_ARN, executionName: { kind: 'messageId' }, payload: 'jsonBody', ...config }, client);
}

async function dispatch(records: SQSRecord[], config: Partial<QueueDispatcherConfig> = {}) {
  const { result, logs } = await withLogs(() => dispatcher(config).dispatch(sqsEvent(records)));
  return { failures: result.batchItemFailures.map((f) => f.itemIdentifier), errors: logs.filter((l) => l.level === 'ERROR') };
}

/** Name to input of every execution the server holds. */
function executions(): Record<string, string | undefined> {
  return Object.fromEntries([...server.executions.values()].map((e) => [e.name, e.input]));
}

function nameOf(request: RecordedRequest): string | undefined {
  return request.headers['x-amz-durable-execution-name'] as string | undefined;
}

describe('the issue proof', () => {
  test('10 records (7 messages, 2 redelivered, 1 not JSON) start exactly 7 executions and report only the invalid record', async () => {
    const messages = Array.from({ length: 7 }, (_, i) => sqsRecord(JSON.stringify({ orderId: `o-${i}`, total: i * 10 })));
    const notJson = sqsRecord('order o-8, please');
    const batch = [...messages.slice(0, 4), redelivery(messages[1]), notJson, ...messages.slice(4), redelivery(messages[5])];
    expect(batch).toHaveLength(10);

    const { failures, errors } = await dispatch(batch);

    expect(executions()).toEqual(Object.fromEntries(messages.map((m) => [m.messageId, m.body])));
    expect([...server.executions.values()].every((e) => e.version === '2')).toBe(true);
    expect(failures).toEqual([notJson.messageId]);
    expect(errors).toEqual([expect.objectContaining({ outcome: 'invalid', messageId: notJson.messageId })]);
    expect(errors[0].message).toMatch(/body \(\d+ bytes\) is not JSON/);
    // Asynchronous starts on the alias, one per distinct message.
    const invokes = server.requests.filter((r) => r.operation === 'Invoke');
    expect(invokes).toHaveLength(7);
    expect(invokes.every((r) => r.headers['x-amz-invocation-type'] === 'Event')).toBe(true);
  });

  test.each([
    ['throttling', { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded', retryAfterSeconds: 1 }],
    ['a 500', { status: 500, code: 'ServiceException', message: 'Internal failure' }],
  ])('a start the server refuses (%s) is reported for that record only', async (_, refusal) => {
    const batch = Array.from({ length: 5 }, (__, i) => sqsRecord(JSON.stringify({ orderId: `o-${i}` })));
    const refused = batch[2];
    server.failNext('Invoke', refusal, 1, (r) => nameOf(r) === refused.messageId);

    const { failures, errors } = await dispatch(batch);

    expect(failures).toEqual([refused.messageId]);
    expect(Object.keys(executions()).sort()).toEqual(batch.filter((r) => r !== refused).map((r) => r.messageId).sort());
    expect(errors).toEqual([expect.objectContaining({
      outcome: 'failed',
      messageId: refused.messageId,
      executionName: refused.messageId,
      error: expect.objectContaining({ name: refusal.code, statusCode: refusal.status }),
    })]);
  });

  test('copies in one batch share one start: one request, and a refused start reports every copy', async () => {
    const message = sqsRecord('{"orderId":"o-1"}');
    server.failNext('Invoke', { status: 500, code: 'ServiceException', message: 'Internal failure' });

    const { failures, errors } = await dispatch([message, redelivery(message)]);

    expect(server.requestCount('Invoke')).toBe(1);
    expect(failures).toEqual([message.messageId, message.messageId]);
    expect(errors.map((e) => e.outcome)).toEqual(['failed', 'failed']);
  });

  test('a redelivery of the whole batch starts nothing new and reports nothing', async () => {
    const batch = Array.from({ length: 4 }, (_, i) => sqsRecord(JSON.stringify({ orderId: `o-${i}` })));
    await dispatch(batch);
    const first = [...server.executions.keys()];

    const { failures } = await dispatch(batch.map(redelivery));

    expect(failures).toEqual([]);
    expect([...server.executions.keys()]).toEqual(first);
  });
});

describe('execution names', () => {
  test('from a JSON path: the same order sent twice (two message ids) starts one execution', async () => {
    const body = JSON.stringify({ order: { id: 'A-1001', lines: [{ sku: 'x' }] } });
    const { failures } = await dispatch([sqsRecord(body), sqsRecord(body)], { executionName: { kind: 'jsonPath', path: '$.order.id' } });

    expect(failures).toEqual([]);
    expect(executions()).toEqual({ 'A-1001': body });
  });

  test('from a JSON path: a number keeps every digit, an array index works', async () => {
    const big = sqsRecord('{"ids":[12345678901234567891]}');
    const next = sqsRecord('{"ids":[12345678901234567892]}');
    await dispatch([big, next], { executionName: { kind: 'jsonPath', path: '$.ids[0]' } });

    expect(Object.keys(executions()).sort()).toEqual(['12345678901234567891', '12345678901234567892']);
  });

  test('from a message attribute (String or Number)', async () => {
    const byString = sqsRecord('{}', { messageAttributes: { orderId: stringAttribute('A-7') } });
    const byNumber = sqsRecord('{"n":1}', { messageAttributes: { orderId: stringAttribute('42', 'Number') } });
    await dispatch([byString, byNumber], { executionName: { kind: 'messageAttribute', name: 'orderId' } });

    expect(Object.keys(executions()).sort()).toEqual(['42', 'A-7']);
  });

  test('a value that is too long or has other characters is hashed into a valid name, the same every time', async () => {
    const long = 'x'.repeat(80);
    const records = [sqsRecord(JSON.stringify({ id: 'tenant/42#order 7' })), sqsRecord(JSON.stringify({ id: long }))];
    const config = { executionName: { kind: 'jsonPath', path: '$.id' } } as const;
    await dispatch(records, config);
    const { failures } = await dispatch(records.map(redelivery), config);

    const sha = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 24);
    expect(failures).toEqual([]);
    expect(Object.keys(executions()).sort()).toEqual([`tenant_42_order_7-${sha('tenant/42#order 7')}`, `${'x'.repeat(39)}-${sha(long)}`].sort());
  });

  test.each([
    ['the JSON path leads nowhere', { kind: 'jsonPath', path: '$.orderId' }, sqsRecord('{"order":"A-1"}'), /no string or number at \$\.orderId/],
    ['the JSON path leads to an object', { kind: 'jsonPath', path: '$.orderId' }, sqsRecord('{"orderId":{"id":1}}'), /no string or number at \$\.orderId/],
    ['the body is not JSON', { kind: 'jsonPath', path: '$.orderId' }, sqsRecord('A-1'), /is not JSON, and the execution name is read from \$\.orderId/],
    ['the attribute is missing', { kind: 'messageAttribute', name: 'orderId' }, sqsRecord('{}'), /no message attribute 'orderId'/],
    ['the attribute is Binary', { kind: 'messageAttribute', name: 'orderId' },
      sqsRecord('{}', { messageAttributes: { orderId: { binaryValue: 'AAE=', dataType: 'Binary' } } }), /is Binary; the execution name needs a String or Number/],
    ['the value is empty', { kind: 'jsonPath', path: '$.orderId' }, sqsRecord('{"orderId":""}'), /\(jsonPath:\$\.orderId\) is empty/],
  ] as const)('a message is reported, with one log line and no request, when %s', async (_, executionName, invalid, why) => {
    const valid = sqsRecord('{"orderId":"B-2"}', { messageAttributes: { orderId: stringAttribute('B-2') } });

    const { failures, errors } = await dispatch([invalid, valid], { executionName });

    expect(failures).toEqual([invalid.messageId]);
    expect(Object.keys(executions())).toEqual(['B-2']);
    expect(server.requestCount('Invoke')).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ outcome: 'invalid', messageId: invalid.messageId, workflowArn: WORKFLOW_ARN });
    expect(errors[0].message).toMatch(why);
  });

  test('a record the dispatcher cannot read fails alone, never the batch', async () => {
    const malformed = { ...sqsRecord('{}'), messageAttributes: undefined } as unknown as SQSRecord;
    const valid = sqsRecord('{}', { messageAttributes: { orderId: stringAttribute('B-2') } });

    const { failures, errors } = await dispatch([malformed, valid], { executionName: { kind: 'messageAttribute', name: 'orderId' } });

    expect(failures).toEqual([malformed.messageId]);
    expect(Object.keys(executions())).toEqual(['B-2']);
    expect(errors).toEqual([expect.objectContaining({ outcome: 'failed', messageId: malformed.messageId, error: expect.objectContaining({ name: 'TypeError' }) })]);
  });

  test('a name taken by an execution with another payload is reported as a conflict, not retried as the same start', async () => {
    const config = { executionName: { kind: 'jsonPath', path: '$.orderId' } } as const;
    await dispatch([sqsRecord('{"orderId":"A-1","total":10}')], config);
    const changed = sqsRecord('{"orderId":"A-1","total":99}');

    const { failures, errors } = await dispatch([changed], config);

    expect(failures).toEqual([changed.messageId]);
    expect(executions()).toEqual({ 'A-1': '{"orderId":"A-1","total":10}' });
    expect(errors).toEqual([expect.objectContaining({ outcome: 'conflict', messageId: changed.messageId, executionName: 'A-1' })]);
  });
});

describe('payloads', () => {
  test('rawBody starts with the body as a JSON string, whatever it holds', async () => {
    const text = sqsRecord('order A-1, please');
    const json = sqsRecord('{"orderId":"A-2"}');
    await dispatch([text, json], { payload: 'rawBody' });

    expect(executions()).toEqual({ [text.messageId]: '"order A-1, please"', [json.messageId]: '"{\\"orderId\\":\\"A-2\\"}"' });
  });

  test('record starts with the record minus what changes per delivery, so a redelivery is the same start', async () => {
    const message = sqsRecord('not JSON either', { messageAttributes: { tenant: stringAttribute('t-1') } });
    await dispatch([message], { payload: 'record' });
    const { failures } = await dispatch([redelivery(redelivery(message))], { payload: 'record' });

    expect(failures).toEqual([]);
    expect(server.executions.size).toBe(1);
    const { receiptHandle: _, ...stable } = message;
    const { ApproximateReceiveCount: __, ...attributes } = message.attributes;
    expect(JSON.parse(executions()[message.messageId]!)).toEqual({ ...stable, attributes });
  });
});

describe('FIFO queues', () => {
  test('each group starts in order; after a failure the rest of its group is reported too, other groups go on', async () => {
    const a1 = sqsRecord('{"n":"a1"}', { messageGroupId: 'a' });
    const a2 = sqsRecord('not JSON', { messageGroupId: 'a' });
    const a3 = sqsRecord('{"n":"a3"}', { messageGroupId: 'a' });
    const b1 = sqsRecord('{"n":"b1"}', { messageGroupId: 'b' });
    const b2 = sqsRecord('{"n":"b2"}', { messageGroupId: 'b' });

    const { failures, errors } = await dispatch([a1, b1, a2, b2, a3]);

    expect(failures).toEqual([a2.messageId, a3.messageId]);
    expect(Object.keys(executions()).sort()).toEqual([a1, b1, b2].map((r) => r.messageId).sort());
    const order = server.requests.map(nameOf);
    expect(order.indexOf(b1.messageId)).toBeLessThan(order.indexOf(b2.messageId));
    expect(errors.map((e) => [e.messageId, e.outcome])).toEqual([[a2.messageId, 'invalid'], [a3.messageId, 'blocked']]);
    expect(errors[1]).toMatchObject({ messageGroupId: 'a', blockedBy: a2.messageId });
  });

  test('a group waits for each start before the next: a refused start blocks the rest of its group', async () => {
    const [g1, g2, g3] = ['1', '2', '3'].map((n) => sqsRecord(`{"n":${n}}`, { messageGroupId: 'g' }));
    server.failNext('Invoke', { status: 500, code: 'ServiceException', message: 'Internal failure' }, 1, (r) => nameOf(r) === g2.messageId);

    const { failures } = await dispatch([g1, g2, g3]);
    const { failures: afterRedelivery } = await dispatch([g2, g3].map(redelivery));

    expect(failures).toEqual([g2.messageId, g3.messageId]);
    expect(server.requests.map(nameOf)).toEqual([g1, g2, g2, g3].map((r) => r.messageId));
    expect(afterRedelivery).toEqual([]);
    expect(Object.keys(executions()).sort()).toEqual([g1, g2, g3].map((r) => r.messageId).sort());
  });
});
