// What the client addresses, checked before any request: targets (qualified, in three forms) and execution names.
import {
  InvalidArgumentError,
  WorkflowClient,
} from '../../../lambda/client';
import { functionArn } from '../../support/lambda-api-server';
import type { LambdaApiServer } from '../../support/lambda-api-server';
import { serveLambdaApi } from '../../support/serve-lambda-api';

let server: LambdaApiServer;
let workflows: WorkflowClient;
serveLambdaApi((started, client) => {
  server = started;
  workflows = new WorkflowClient({ client });
});

const last = () => server.requests[server.requests.length - 1];

describe('targets and execution names', () => {
  test.each([
    [{ name: functionArn('orders'), qualifier: 'live' }, functionArn('orders'), 'live'],
    [functionArn('orders', '7'), functionArn('orders'), '7'],
    ['orders:$LATEST', 'orders', '$LATEST'],
  ])('target %p is sent as FunctionName %s with Qualifier %s', async (target, functionName, qualifier) => {
    server.addFunction('orders', { versions: ['7'], aliases: { live: '7' } });

    await workflows.start(target, {});

    expect(last().label).toBe(functionName);
    expect(last().query.get('Qualifier')).toBe(qualifier);
  });
  test.each([
    [{ name: functionArn('orders', 'live'), qualifier: 'live' }, /name ".*:orders:live" already has a qualifier/],
    ['orders:live:extra', /is neither a function ARN nor "name:qualifier"/],
    ['orders:no spaces', /has qualifier "no spaces": use a version number, an alias name/],
    [42, /Workflow target 42 is not a function ARN, "name:qualifier" or \{ name, qualifier \}/],
  ])('target %p is rejected before any request', async (target, message) => {
    await expect(workflows.start(target as never, {})).rejects.toThrow(message);
    expect(server.requestCount()).toBe(0);
  });
  test.each([
    ['a bare function name', 'orders'],
    ['an unqualified ARN', functionArn('orders')],
    ['a resource without qualifier', { name: 'orders', qualifier: '' }],
  ])('%s is rejected before any request', async (_what, target) => {
    await expect(workflows.start(target, {})).rejects.toThrow(
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
    const error = await workflows.start('orders:live', {}, { name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`Execution name ${JSON.stringify(name)} is invalid: use 1 to 64 characters of a-z, A-Z, 0-9, - and _`);
    expect(server.requestCount()).toBe(0);
  });
  test('a 64-character name of every allowed character class is accepted', async () => {
    server.addFunction('orders', { aliases: { live: '1' } });
    const name = `aZ09-_${'x'.repeat(58)}`;
    await workflows.start('orders:live', {}, { name });
    expect(last().headers['x-amz-durable-execution-name']).toBe(name);
  });
});
