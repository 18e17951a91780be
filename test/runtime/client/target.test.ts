// What the client addresses, checked before any request: targets (qualified, in three forms), execution names,
// execution ARNs and callback IDs, each in the form the Lambda API takes.
import {
  InvalidArgumentError,
} from '../../../lambda/client';
import { functionArn } from '../../support/lambda-api-server';
import { serveWorkflowClient } from '../../support/serve-lambda-api';

const api = serveWorkflowClient();

describe('targets and execution names', () => {
  test.each([
    [{ name: functionArn('orders'), qualifier: 'live' }, functionArn('orders'), 'live'],
    [functionArn('orders', '7'), functionArn('orders'), '7'],
    ['orders:$LATEST', 'orders', '$LATEST'],
  ])('target %p is sent as FunctionName %s with Qualifier %s', async (target, functionName, qualifier) => {
    api.server.addFunction('orders', { versions: ['7'], aliases: { live: '7' } });

    await api.workflows.start(target, {});

    expect(api.last().label).toBe(functionName);
    expect(api.last().query.get('Qualifier')).toBe(qualifier);
  });
  test.each([
    [{ name: functionArn('orders', 'live'), qualifier: 'live' }, /name ".*:orders:live" already has a qualifier/],
    ['orders:live:extra', /is neither a function ARN nor "name:qualifier"/],
    ['orders:no spaces', /has qualifier "no spaces": use a version number, an alias name/],
    [42, /Workflow target 42 is not a function ARN, "name:qualifier" or \{ name, qualifier \}/],
  ])('target %p is rejected before any request', async (target, message) => {
    await expect(api.workflows.start(target as never, {})).rejects.toThrow(message);
    expect(api.server.requestCount()).toBe(0);
  });
  test.each([
    ['a bare function name', 'orders'],
    ['an unqualified ARN', functionArn('orders')],
    ['a resource without qualifier', { name: 'orders', qualifier: '' }],
  ])('%s is rejected before any request', async (_what, target) => {
    await expect(api.workflows.start(target, {})).rejects.toThrow(
      /is not qualified: a durable function is invoked through a version, alias or \$LATEST/,
    );
    expect(api.server.requestCount()).toBe(0);
  });
  test.each([
    ['empty', ''],
    ['65 characters', 'x'.repeat(65)],
    ['a space', 'order 1'],
    ['a slash', 'order/1'],
  ])('an execution name with %s is rejected before any request', async (_what, name) => {
    const error = await api.workflows.start('orders:live', {}, { name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`Execution name ${JSON.stringify(name.slice(0, 80))} (${name.length} characters) is invalid: `
      + 'use 1 to 64 characters of a-z, A-Z, 0-9, - and _');
    expect(api.server.requestCount()).toBe(0);
  });
  test('a 64-character name of every allowed character class is accepted', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    const name = `aZ09-_${'x'.repeat(58)}`;
    await api.workflows.start('orders:live', {}, { name });
    expect(api.last().headers['x-amz-durable-execution-name']).toBe(name);
  });
});

const EXECUTION = `${functionArn('orders')}:7/durable-execution/order-1/0f6d2c1e-5b1a-4c44-9b7e-3d2f0a1b2c3d`;

describe('execution ARNs', () => {
  test.each([
    ['a version', EXECUTION],
    ['$LATEST', EXECUTION.replace(':7/', ':$LATEST/')],
  ])('one with %s as qualifier is sent', async (_what, arn) => {
    api.server.addExecution({ arn, functionName: 'orders', name: 'order-1' });
    await api.workflows.describe(arn);
    expect(api.server.requestCount('GetDurableExecution')).toBe(1);
  });

  test.each([
    ['an alias as qualifier', EXECUTION.replace(':7/', ':live/'),
      /has qualifier "live" \(4 characters\): an execution ARN names the version the execution runs on \(a number\) or \$LATEST, never an alias/],
    ['no qualifier', EXECUTION.replace(':7/', '/'), /is not a durable execution ARN/],
    ['an execution name with a space', EXECUTION.replace('order-1', 'order 1'),
      /: its execution name "order 1" \(7 characters\) is invalid: use 1 to 64 characters/],
    ['a 65-character execution name', EXECUTION.replace('order-1', 'x'.repeat(65)), /: its execution name "x{65}" \(65 characters\) is invalid/],
    ['a function name of 65 characters', EXECUTION.replace(':orders:', `:${'f'.repeat(65)}:`), /has function name "f{65}" \(65 characters\)/],
    ['more than 1,024 characters', EXECUTION.replace('0f6d2c1e', 'a'.repeat(1000)), /\(1,?\d{3} characters\) is not a durable execution ARN .* at most 1024 characters/],
  ])('one with %s is refused before any request, naming the part and its form', async (_what, arn, message) => {
    for (const call of [() => api.workflows.describe(arn), () => api.workflows.history(arn), () => api.workflows.stop(arn)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
    expect(api.server.requestCount()).toBe(0);
  });
});

describe('callback IDs', () => {
  test('one of 1,024 base64 characters with padding is sent', async () => {
    const id = api.server.openCallback(`${'A/b+'.repeat(255)}QQ==`);
    expect(id).toHaveLength(1024);
    await api.workflows.heartbeat(id);
    expect(api.server.callbacks.get(id)).toMatchObject({ heartbeats: 1 });
  });

  test.each([
    ['1,025 characters', 'A'.repeat(1025), /"A{80}\.\.\." \(1025 characters\) is invalid: .*1 to 1024 base64 characters/],
    ['a dash and an underscore (base64url)', 'ab-cd_ef', /"ab-cd_ef" \(8 characters\) is invalid/],
    ['three = of padding', 'QQ===', /"QQ===" \(5 characters\) is invalid/],
    ['nothing', '', /"" \(0 characters\) is invalid/],
    ['a number', 42, /Callback ID 42 is invalid/],
  ])('one with %s is refused before any request', async (_what, id, message) => {
    for (const call of [() => api.workflows.succeed(id as string, 1), () => api.workflows.fail(id as string, 'no'), () => api.workflows.heartbeat(id as string)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
    expect(api.server.requestCount()).toBe(0);
  });
});
