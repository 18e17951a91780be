// The dev server's own API (/_dev/): the workflows it serves, a live change stream, skipping an execution's clock
// (the endpoint and `cdk-durable-workflow dev --skip`), and reloading the code when the assembly is synthesized again.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetDurableExecutionCommand, InvokeCommand, SendDurableExecutionCallbackSuccessCommand } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CounterApp } from '../fixtures/dev/counter-app';
import { CLI } from '../fixtures/runner/compiled-runtime';
import { eventually, serveCounterApp, startDevServer, stopCounterApp, subscribe, type ChangeSubscription, type DevServerProcess } from '../support/dev-server';

let app: CounterApp;
let server: DevServerProcess;
let lambda: LambdaClient;
let changes: ChangeSubscription;
beforeAll(async () => {
  ({ app, server } = await serveCounterApp());
  lambda = server.client();
  changes = await subscribe(server.url);
}, 120_000);
afterAll(async () => {
  changes?.close();
  await stopCounterApp(app, server);
});

async function start(id: string, options: { waitSeconds?: number; qualifier?: string } = {}) {
  const started = await lambda.send(new InvokeCommand({
    FunctionName: app.functionName,
    Qualifier: options.qualifier ?? 'live',
    InvocationType: 'Event',
    DurableExecutionName: id,
    Payload: new TextEncoder().encode(JSON.stringify({ id, waitSeconds: options.waitSeconds })),
  }));
  return { arn: started.DurableExecutionArn!, version: started.ExecutedVersion };
}

/** The change stream's event for the execution that has an event of `type`. */
function changeOf(arn: string, type: string) {
  return changes.next((event) => event.type === 'history' && event.data.executionArn === arn
    && event.data.events.some((recorded: { EventType: string }) => recorded.EventType === type), `${type} of ${arn}`);
}

function callbackIdOf(change: { data: { events: Array<{ EventType: string; CallbackId?: string }> } }): string {
  return change.data.events.find((event) => event.EventType === 'CallbackStarted')!.CallbackId!;
}

async function workflows() {
  return (await (await fetch(`${server.url}/_dev/workflows`)).json()) as any;
}

const run = promisify(execFile);

test('/_dev/workflows lists what the assembly defines: path, function, alias, versions, execution counts', async () => {
  const listed = await workflows();
  expect(listed).toMatchObject({ assembly: app.assembly, speed: 1, region: 'us-east-1', skipped: [] });
  expect(listed.workflows).toEqual([expect.objectContaining({
    path: 'CounterApp/Counter',
    stackName: 'CounterApp',
    functionName: 'dev-counter',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dev-counter',
    aliases: [{ name: 'live', arn: 'arn:aws:lambda:us-east-1:123456789012:function:dev-counter:live' }],
    version: '1',
    versions: [expect.objectContaining({ version: '1', codeHash: expect.stringMatching(/^[0-9a-f]{64}$/) })],
    runtime: 'nodejs24.x',
    executionTimeoutSeconds: 30 * 86_400,
    unresolvedEnvironment: [],
  })]);
});

test('the change stream tells each history change as it happens; skip moves an execution\'s clock to its next timer', async () => {
  const { arn } = await start('skipped');
  const startedChange = await changeOf(arn, 'ExecutionStarted');
  expect(startedChange.data).toMatchObject({ functionName: 'dev-counter', status: 'RUNNING' });
  await changeOf(arn, 'WaitStarted');

  // The endpoint, then the command, by the execution's name.
  const skipped = await fetch(`${server.url}/_dev/executions/${encodeURIComponent(arn)}/skip`, { method: 'POST' });
  expect(skipped.status).toBe(200);
  expect(await skipped.json()).toMatchObject({ executionArn: arn, timer: 'wait', skippedTo: expect.any(String) });
  const waiting = await changeOf(arn, 'CallbackStarted');
  expect(callbackIdOf(waiting)).toMatch(/^\S{20,}$/);
  // Waiting for its callback, its next timer is the execution timeout: 30 days on, it times out.
  const port = new URL(server.url).port;
  const { stdout } = await run(process.execPath, [CLI, 'dev', '--skip', 'skipped', '--port', port]);
  expect(stdout).toMatch(new RegExp(`^${arn.replace(/[/.]/g, '\\$&')}: its clock moved to \\S+ \\(execution-timeout\\)\\n$`));
  expect((await changeOf(arn, 'ExecutionTimedOut')).data.status).toBe('TIMED_OUT');

  const again = await run(process.execPath, [CLI, 'dev', '--skip', arn, '--port', port]).catch((error: { code: number; stderr: string }) => error);
  expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('has ended (TIMED_OUT)') });
  const unknown = await fetch(`${server.url}/_dev/executions/nobody/skip`, { method: 'POST' });
  expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([404, 'ResourceNotFoundException']);
});

test('synthesized again with new code: new executions run version 2, the running one keeps version 1', async () => {
  const old = await start('before-reload', { waitSeconds: 1 });
  const oldCallback = callbackIdOf(await changeOf(old.arn, 'CallbackStarted'));

  app.synth('v2');
  const published = await changes.next((event) => event.type === 'workflows', 'the reload');
  expect(published.data).toEqual({ published: [{ functionName: 'dev-counter', version: '2', path: 'CounterApp/Counter' }] });
  expect((await workflows()).workflows[0].versions.map((version: { version: string }) => version.version)).toEqual(['1', '2']);
  expect(server.output()).toContain('CounterApp/Counter is now version 2 (running executions keep their version)');

  const fresh = await start('after-reload', { waitSeconds: 1 });
  const pinned = await start('pinned-to-1', { waitSeconds: 1, qualifier: '1' });
  expect([fresh.version, pinned.version]).toEqual(['2', '1']);
  for (const { arn } of [fresh, pinned]) {
    const callbackId = callbackIdOf(await changeOf(arn, 'CallbackStarted'));
    await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId }));
  }
  await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: oldCallback }));

  const results = await Promise.all([old, fresh, pinned].map(({ arn }) => eventually(async () => {
    const execution = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return execution.Status === 'RUNNING' ? undefined : [execution.Status, execution.Version, JSON.parse(execution.Result!).version];
  }, `${arn} to end`)));
  expect(results).toEqual([['SUCCEEDED', '1', 'v1'], ['SUCCEEDED', '2', 'v2'], ['SUCCEEDED', '1', 'v1']]);
  const log = readFileSync(app.stepLog, 'utf8');
  expect(log).toContain('before-reload finish v1\n');
  expect(log).toContain('after-reload prepare v2\n');

  // Synthesized again without a change: no new version.
  app.synth('v2');
  await eventually(async () => (server.output().includes('no workflow changed') ? true : undefined), 'the unchanged reload');
  expect((await workflows()).workflows[0].version).toBe('2');
});

test('--speed: an hour\'s wait passes in a second of real time, and lasts an hour on the execution\'s clock', async () => {
  const fast = await startDevServer([app.assembly, '--state', join(app.directory, 'fast.sqlite'), '--speed', '3600']);
  try {
    const client = fast.client();
    const { DurableExecutionArn: arn } = await client.send(new InvokeCommand({
      FunctionName: app.functionName, Qualifier: 'live', InvocationType: 'Event', Payload: new TextEncoder().encode('{"id":"fast","waitSeconds":3600}'),
    }));
    expect(fast.output()).toContain('Time: 3600 times faster than real');
    const fastChanges = await subscribe(fast.url);
    const callback = await fastChanges.next((event) => event.data.events?.some((recorded: { EventType: string }) => recorded.EventType === 'CallbackStarted'), 'the callback');
    fastChanges.close();
    await client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackIdOf(callback) }));
    const history = await eventually(async () => {
      const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      return execution.Status === 'SUCCEEDED' ? execution : undefined;
    }, 'the fast execution to end');
    expect(history.EndTimestamp!.getTime() - history.StartTimestamp!.getTime()).toBeGreaterThanOrEqual(3600_000);
  } finally {
    await fast.stop();
  }
});
