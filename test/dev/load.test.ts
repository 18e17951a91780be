// Load, bounded: 200 executions started at once through the HTTP API, each with a wait and a callback answered
// through the API as soon as the change stream says it waits. All succeed, every history is whole, no request fails.
// Totals go to the log (timings are never asserted).
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import {
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  LambdaClient,
  paginateListDurableExecutionsByFunction,
  SendDurableExecutionCallbackSuccessCommand,
} from '@aws-sdk/client-lambda';
import type { CounterApp } from '../fixtures/dev/counter-app';
import { serveCounterApp, stopCounterApp, subscribe, type DevServerProcess } from '../support/dev-server';

const EXECUTIONS = 200;

let app: CounterApp;
let server: DevServerProcess;
beforeAll(async () => {
  // 60 times real speed: each execution's 30 s wait takes half a second.
  ({ app, server } = await serveCounterApp({}, ['--speed', '60']));
}, 120_000);
afterAll(async () => {
  await stopCounterApp(app, server);
});

test(`${EXECUTIONS} executions at once, each with a wait and a callback answered through the API: all SUCCEEDED, no request failed`, async () => {
  const lambda = new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1, // a failed request fails here, never hidden by a retry
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: EXECUTIONS }) },
  });
  const failures: unknown[] = [];
  let requests = 0;
  const send = async <T>(command: object): Promise<T> => {
    requests++;
    try {
      return await lambda.send(command as never) as T;
    } catch (error) {
      failures.push(error);
      throw error;
    }
  };

  const changes = await subscribe(server.url);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const names = Array.from({ length: EXECUTIONS }, (_, index) => `load-${String(index).padStart(3, '0')}`);
  const ended = new Map<string, string>();
  const answered: Array<Promise<unknown>> = [];
  const allEnded = new Promise<void>((resolve) => {
    const seen = new Set<unknown>();
    const check = setInterval(() => {
      for (const change of changes.received) {
        if (seen.has(change) || change.type !== 'history') continue;
        seen.add(change);
        for (const event of change.data.events) {
          if (event.EventType === 'CallbackStarted') {
            answered.push(send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: event.CallbackId, Result: new TextEncoder().encode('"ok"') })));
          }
        }
        if (change.data.status && change.data.status !== 'RUNNING') ended.set(change.data.executionArn, change.data.status);
      }
      if (ended.size === EXECUTIONS) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const arns = await Promise.all(names.map(async (name) => (await send<{ DurableExecutionArn: string }>(new InvokeCommand({
    FunctionName: app.functionName,
    Qualifier: 'live',
    InvocationType: 'Event',
    DurableExecutionName: name,
    Payload: new TextEncoder().encode(JSON.stringify({ id: name, waitSeconds: 30 })),
  }))).DurableExecutionArn));
  await allEnded;
  await Promise.all(answered);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  changes.close();

  expect(failures).toEqual([]);
  expect([...ended.values()].every((status) => status === 'SUCCEEDED')).toBe(true);
  expect(new Set(ended.keys())).toEqual(new Set(arns));

  // The API agrees: every one SUCCEEDED, and each history is whole, numbered without a gap.
  let succeeded = 0;
  for await (const page of paginateListDurableExecutionsByFunction({ client: lambda }, { FunctionName: app.functionName, Statuses: ['SUCCEEDED'] })) {
    succeeded += page.DurableExecutions?.length ?? 0;
  }
  expect(succeeded).toBe(EXECUTIONS);
  for (const arn of arns) {
    const { Events: events = [] } = await send<{ Events?: Array<{ EventId?: number; EventType?: string }> }>(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1000 }));
    const types = events.map((event) => event.EventType);
    expect(events.map((event) => event.EventId)).toEqual(events.map((_event, index) => index + 1));
    expect([types[0], types.at(-1)]).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    expect(types.filter((type) => type === 'StepSucceeded')).toHaveLength(3);
    expect(types).toEqual(expect.arrayContaining(['WaitSucceeded', 'CallbackSucceeded']));
  }
  expect(failures).toEqual([]);
  // The handlers' own requests (checkpoints) never failed either: no invocation had to be retried.
  expect(server.output()).not.toContain('invocation failed');
  // Every step body ran once: prepare, the callback's submitter and finish, for each execution.
  expect(readFileSync(app.stepLog, 'utf8').trim().split('\n')).toHaveLength(3 * EXECUTIONS);

  process.stdout.write(`dev server load: ${EXECUTIONS} executions (wait + callback each), ${requests} client requests, 0 failed; `
    + `started to all SUCCEEDED in ${seconds.toFixed(2)} s wall, test process CPU ${((user + system) / 1e6).toFixed(2)} s\n`);
}, 180_000);
