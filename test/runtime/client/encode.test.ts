// What the client sends, within Lambda's limits, measured in bytes as sent: a payload over the limit of its invocation
// type, a callback result, a callback or stop error are refused before any request; one at the limit is sent whole.
import { InvalidArgumentError, WorkflowClient } from '../../../lambda/client';
import type { LambdaApiServer } from '../../support/lambda-api-server';
import { serveLambdaApi } from '../../support/serve-lambda-api';

let server: LambdaApiServer;
let workflows: WorkflowClient;
serveLambdaApi((started, client) => {
  server = started;
  workflows = new WorkflowClient({ client });
});

const MB = 1024 * 1024;
const EXECUTION = 'arn:aws:lambda:us-east-1:123456789012:function:orders:1/durable-execution/order-1/abc';

/** A JSON string value that is exactly `bytes` bytes once serialized, made of 3-byte characters where it can be. */
function jsonOfBytes(bytes: number): string {
  const euros = Math.floor((bytes - 2) / 3);
  return '€'.repeat(euros) + 'x'.repeat(bytes - 2 - euros * 3);
}

async function refused(call: () => Promise<unknown>): Promise<string> {
  const error = await call().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(server.requestCount()).toBe(0);
  return (error as Error).message;
}

describe('start payloads, by invocation type', () => {
  beforeEach(() => server.addFunction('orders', { aliases: { live: '1' } }));

  test('asynchronous: 1 MB (1,048,576 bytes of UTF-8 JSON) is sent, one byte more is refused', async () => {
    expect(await refused(() => workflows.start('orders:live', jsonOfBytes(MB + 1)))).toBe(
      'Workflow input (as JSON) is 1,048,577 bytes, over the 1,048,576-byte limit of an asynchronous start '
      + '(InvocationType Event: 1 MB; sync: true allows 6 MB)');

    await workflows.start('orders:live', jsonOfBytes(MB));
    expect(Buffer.byteLength(server.requests[0].body)).toBe(MB);
  });

  test('synchronous: 6 MB is sent, one byte more is refused', async () => {
    expect(await refused(() => workflows.start('orders:live', jsonOfBytes(6 * MB + 1), { sync: true }))).toBe(
      'Workflow input (as JSON) is 6,291,457 bytes, over the 6,291,456-byte limit of a synchronous start (RequestResponse: 6 MB)');

    server.syncOutcome = () => ({ result: 'ok' });
    await workflows.start('orders:live', jsonOfBytes(6 * MB), { sync: true });
    expect(Buffer.byteLength(server.requests[0].body)).toBe(6 * MB);
  });

  test('bytes are counted, not characters: 400,000 euro signs are over the asynchronous limit', async () => {
    expect(await refused(() => workflows.start('orders:live', { note: '€'.repeat(400_000) }))).toMatch(/^Workflow input \(as JSON\) is 1,200,011 bytes/);
  });
});

describe('callbacks and stops', () => {
  test('a callback result over 1 MB is refused; at 1 MB it is sent', async () => {
    const id = server.openCallback();
    expect(await refused(() => workflows.succeed(id, jsonOfBytes(MB + 1)))).toBe(
      'Callback result (as JSON) is 1,048,577 bytes, over the 1,048,576-byte limit of SendDurableExecutionCallbackSuccess (1 MB)');

    await workflows.succeed(id, jsonOfBytes(MB));
    expect(Buffer.byteLength(server.callbacks.get(id)!.result!)).toBe(MB);
  });

  test('a callback error whose fields together pass 1 MB is refused, whichever field holds the bytes', async () => {
    const id = server.openCallback();
    const half = 'x'.repeat(MB / 2);
    expect(await refused(() => workflows.fail(id, { message: half, data: `${half}!` }))).toBe(
      'Callback error (message, type, data and stack trace together) is 1,048,582 bytes, over the 1,048,576-byte limit '
      + 'of an ErrorObject (1 MB for all its fields)');
    expect(await refused(() => workflows.fail(id, { message: 'no', stack: [half, half] }))).toMatch(/^Callback error .* is 1,048,583 bytes/);

    await workflows.fail(id, { message: 'x'.repeat(MB - 'Error'.length) });
    expect(server.callbacks.get(id)).toMatchObject({ state: 'FAILED' });
  });

  test('a stop error is held to the same 1 MB', async () => {
    server.addExecution({ arn: EXECUTION, functionName: 'orders', name: 'order-1' });
    expect(await refused(() => workflows.stop(EXECUTION, new Error('x'.repeat(MB))))).toMatch(
      /^Stop error \(message, type, data and stack trace together\) is [\d,]+ bytes, over the 1,048,576-byte limit/);
  });
});
