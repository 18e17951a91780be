// The dev server keeps executions in its state file: killed at any moment (SIGKILL, nothing flushed), it comes back
// with every execution where it was, and finishes them without running a checkpointed step again.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand, InvokeCommand, SendDurableExecutionCallbackSuccessCommand } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { counterApp, type CounterApp } from '../fixtures/dev/counter-app';
import { ensureCompiledRuntime } from '../fixtures/runner/compiled-runtime';
import { eventually, startDevServer, type DevServerProcess } from '../support/dev-server';

let app: CounterApp;
let server: DevServerProcess | undefined;
beforeAll(() => {
  ensureCompiledRuntime();
  app = counterApp();
  app.synth('v1');
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(app.directory, { recursive: true, force: true });
});

async function start(lambda: LambdaClient, id: string, waitSeconds: number): Promise<string> {
  const started = await lambda.send(new InvokeCommand({
    FunctionName: app.functionName,
    Qualifier: 'live',
    InvocationType: 'Event',
    DurableExecutionName: id,
    Payload: new TextEncoder().encode(JSON.stringify({ id, waitSeconds })),
  }));
  return started.DurableExecutionArn!;
}

async function history(lambda: LambdaClient, arn: string) {
  return (await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1000 }))).Events ?? [];
}

/** The first event of `type` once the execution has recorded it. */
function reached(lambda: LambdaClient, arn: string, type: string) {
  return eventually(async () => (await history(lambda, arn)).find((event) => event.EventType === type), `${type} in ${arn}`);
}

/** The invocation that reached the wait or the callback has suspended: nothing of the execution runs. */
async function suspended(lambda: LambdaClient, arn: string, after: string): Promise<void> {
  await eventually(async () => {
    const events = await history(lambda, arn);
    const at = events.findIndex((event) => event.EventType === after);
    return at >= 0 && events.slice(at).some((event) => event.EventType === 'InvocationCompleted') ? true : undefined;
  }, `the invocation after ${after} to end`);
}

test('killed during a wait and during a callback, the server comes back with every execution; each step ran once', async () => {
  const state = join(app.directory, 'state.sqlite');
  server = await startDevServer([app.assembly, '--state', state]);
  let lambda = server.client();
  const long = await start(lambda, 'long-wait', 3600);
  const short = await start(lambda, 'short-wait', 2);
  const answering = await start(lambda, 'answering', 1);
  await suspended(lambda, long, 'WaitStarted');
  await suspended(lambda, short, 'WaitStarted');
  const callbackId = (await reached(lambda, answering, 'CallbackStarted')).CallbackStartedDetails!.CallbackId!;
  await suspended(lambda, answering, 'CallbackStarted');
  await server.kill();

  // Down for longer than the short wait: it falls due while nothing runs.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  server = await startDevServer([app.assembly, '--state', state]);
  expect(server.output()).toContain('(3 running execution(s) taken up again)');
  lambda = server.client();

  // The callback handed out before the kill is answered after it; the long wait is skipped to its end.
  await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: new TextEncoder().encode('"after the restart"') }));
  const skipped = await fetch(`${server.url}/_dev/executions/${encodeURIComponent(long)}/skip`, { method: 'POST' });
  expect(await skipped.json()).toMatchObject({ executionArn: long, timer: 'wait' });
  for (const arn of [long, short]) {
    const callback = (await reached(lambda, arn, 'CallbackStarted')).CallbackStartedDetails!.CallbackId!;
    await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callback, Result: new TextEncoder().encode('"later"') }));
  }

  for (const [arn, answer] of [[long, '"later"'], [short, '"later"'], [answering, '"after the restart"']]) {
    const ended = await eventually(async () => {
      const execution = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      return execution.Status === 'RUNNING' ? undefined : execution;
    }, `${arn} to end`);
    expect([ended.Status, JSON.parse(ended.Result!).answer]).toEqual(['SUCCEEDED', answer]);
    // Nothing lost: one history, numbered without a gap, from the start to the end.
    const events = await history(lambda, arn);
    expect(events.map((event) => event.EventId)).toEqual(events.map((_event, index) => index + 1));
    expect([events[0].EventType, events.at(-1)!.EventType]).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    expect(events.filter((event) => event.EventType === 'StepSucceeded').map((event) => event.Name)).toEqual(['prepare', undefined, 'finish']);
  }
  const longWait = (await history(lambda, long)).filter((event) => event.Name === 'pause').map((event) => event.EventTimestamp!.getTime());
  expect(longWait[1] - longWait[0]).toBeGreaterThanOrEqual(3600_000);

  // Every step body ran exactly once, across the kill and the restart.
  const lines = readFileSync(app.stepLog, 'utf8').trim().split('\n').sort();
  expect(lines).toEqual(['answering finish v1', 'answering prepare v1', 'answering submit',
    'long-wait finish v1', 'long-wait prepare v1', 'long-wait submit',
    'short-wait finish v1', 'short-wait prepare v1', 'short-wait submit']);

  // One server per state file; node:sqlite's ExperimentalWarning (Node.js 22) stays out of the user's output.
  await expect(startDevServer([app.assembly, '--state', state])).rejects.toThrow(/is in use by another cdk-durable-workflow dev server/);
  expect(server.output()).not.toMatch(/ExperimentalWarning|SQLite is an experimental/);
});
