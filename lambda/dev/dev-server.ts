// `cdk-durable-workflow dev`: the durable functions of a cloud assembly served on 127.0.0.1, on the local durable
// engine, with the Lambda REST API in front, a SQLite state file behind, worker threads running each version's code,
// and the assembly watched for a new synth.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { DurableExecutionClient } from '@aws/durable-execution-sdk-js';
import { watchAssembly } from './assembly/assembly-watcher';
import { discoverWorkflows } from './assembly/discover-workflows';
import type { DiscoveredWorkflows, WorkflowDefinition } from './assembly/discover-workflows';
import { DEFAULT_PORT } from './dev-defaults';
import { FunctionVersions } from './functions/function-versions';
import type { PublishedVersion } from './functions/function-versions';
import { WorkerPool } from './functions/worker-pool';
import { ChangeStream } from './http/change-stream';
import { DevApi } from './http/dev-api';
import { LambdaApi } from './http/lambda-api';
import { ViewerFiles } from './http/viewer-files';
import { apiErrorOf, sendError } from './http/wire';
import { openDatabase } from './store/open-database';
import { SqliteExecutionStore } from './store/sqlite-execution-store';
import { RealClock } from '../testing/engine/clock/real-clock';
import { DurableEngine } from '../testing/engine/durable-engine';
import type { ExecutionRecord } from '../testing/engine/store/execution-store';

/** How often a failed invocation is retried (after 1, 2 and 4 seconds) before the execution is left waiting. */
const INVOCATION_RETRIES = 3;

/** How often ended executions past their retention period are deleted. */
const RETENTION_SWEEP_MS = 3600_000;

export interface DevServerOptions {
  /** The cloud assembly folder (cdk.out). */
  readonly assembly: string;
  /** The SQLite state file. */
  readonly stateFile: string;
  /** 0 picks a free port. @default DEFAULT_PORT */
  readonly port?: number;
  /** How many times faster than real time executions' waits, retry delays and timeouts pass. @default 1 */
  readonly speed?: number;
  /** The region in the ARNs. @default AWS_REGION, else us-east-1 */
  readonly region?: string;
  /** Read the assembly again when it is synthesized again. @default true */
  readonly watch?: boolean;
  /** Where the server's lines (and the lines the workflows' code prints) go. @default stdout */
  readonly log?: (line: string, stream?: 'stdout' | 'stderr') => void;
}

export interface DevServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The assembly's workflows as last read, and what it could not serve. */
  readonly discovered: DiscoveredWorkflows;
  /** Executions a previous run left RUNNING, taken up again. */
  readonly resumed: readonly ExecutionRecord[];
  /** Versions published at start (or at the last reload). */
  readonly published: readonly PublishedVersion[];
  /** Reads the assembly again and publishes a version of each function that changed; returns those. */
  reload(): PublishedVersion[];
  close(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const assemblyDirectory = resolve(options.assembly);
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const speed = options.speed ?? 1;
  let discovered = discoverWorkflows(assemblyDirectory, region);
  let current = byFunctionName(discovered.workflows);
  const viewer = new ViewerFiles();

  const db = openDatabase(options.stateFile);
  const store = new SqliteExecutionStore(db);
  const engine = new DurableEngine({ clock: new RealClock({ speed }), store, region });
  const invocations = new Map<string, DurableExecutionClient>();
  /** Failed invocations in a row, by execution: Lambda invokes again after a failure, a few times. */
  const failedInvocations = new Map<string, number>();
  const changes = new ChangeStream();
  const waiting = new Map<string, Array<(record: ExecutionRecord) => void>>();
  const ended = (arn: string) => new Promise<ExecutionRecord>((resolveEnded) => {
    const record = engine.describe(arn);
    if (record && record.status !== 'RUNNING') resolveEnded(record);
    else waiting.set(arn, [...(waiting.get(arn) ?? []), resolveEnded]);
  });

  // Requests wait until the versions are registered and the executions resumed.
  let ready!: () => void;
  const started = new Promise<void>((resolveStarted) => { ready = resolveStarted; });
  let lambdaApi!: LambdaApi;
  let devApi!: DevApi;
  const http = createServer((req, res) => {
    void started.then(async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      try {
        if (viewer.handle(req, res, url)) return;
        if (url.pathname.startsWith('/_dev/') ? devApi.handle(req, res, url) : await lambdaApi.handle(req, res, url)) return;
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
        res.end(JSON.stringify({ message: `No route for ${req.method} ${url.pathname}` }));
      } catch (error) {
        if (!res.headersSent) sendError(res, apiErrorOf(error));
        else res.end();
      }
    });
  });
  // Clients keep idle connections until the server's Keep-Alive hint says otherwise, less a second: Node.js's 5 s
  // default leaves that second as the margin against a busy client reusing a connection the server is closing.
  http.keepAliveTimeout = 60_000;
  try {
    await new Promise<void>((listening, fail) => {
      http.once('error', fail);
      http.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => listening());
    });
  } catch (error) {
    db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${options.port ?? DEFAULT_PORT} of 127.0.0.1 is in use (another dev server?): choose another with --port`);
    }
    throw error;
  }
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const workers = new WorkerPool({ endpoint: url, region, log });
  const versions = new FunctionVersions({ db, engine, workers, codeRoot: join(dirname(resolve(options.stateFile)), 'code'), region, endpoint: url, invocations });
  lambdaApi = new LambdaApi({ engine, store, versions, current: (name) => current.get(name), invocations, region, ended });
  devApi = new DevApi({
    engine,
    store,
    versions,
    changes,
    assembly: () => discovered,
    about: { assembly: assemblyDirectory, stateFile: resolve(options.stateFile), speed, region },
  });
  engine.observe({
    historyRecorded: (arn, events) => {
      devApi.historyRecorded(arn, events);
      if (events.some((event) => event.EventType === 'InvocationCompleted' && !event.InvocationCompletedDetails?.Error)) failedInvocations.delete(arn);
    },
    callbackReady: (execution, callback) => log(`${execution.name}: callback ${callback.name ?? '(unnamed)'} waits: ${callback.callbackId}`),
    executionEnded: (execution) => {
      failedInvocations.delete(execution.arn);
      log(`${execution.name}: ${execution.status}${execution.error?.ErrorMessage ? ` (${execution.error.ErrorMessage})` : ''}`);
      for (const resolveEnded of waiting.get(execution.arn) ?? []) resolveEnded(execution);
      waiting.delete(execution.arn);
    },
    invocationFailed: (execution, outcome) => {
      const attempt = (failedInvocations.get(execution.arn) ?? 0) + 1;
      failedInvocations.set(execution.arn, attempt);
      const reason = outcome.kind === 'threw' ? (outcome.error as Error).stack ?? String(outcome.error) : 'it is not a durable handler';
      if (attempt > INVOCATION_RETRIES) {
        log(`${execution.name}: its invocation failed ${attempt} times in a row; it stays RUNNING until the server starts again `
          + `(or is stopped): ${reason}`, 'stderr');
        return;
      }
      log(`${execution.name}: an invocation failed, invoked again in ${2 ** (attempt - 1)} s: ${reason}`, 'stderr');
      setTimeout(() => {
        if (engine.describe(execution.arn)?.status === 'RUNNING') engine.reinvoke(execution.arn);
      }, 1000 * 2 ** (attempt - 1)).unref();
    },
  });

  versions.load();
  let published = versions.publish(discovered.workflows);
  const resumed = engine.resume();
  ready();

  const sweep = () => {
    for (const workflow of current.values()) {
      store.deleteEnded(workflow.functionName, new Date(Date.now() - workflow.retentionPeriodDays * 86_400_000));
    }
  };
  sweep();
  const sweeper = setInterval(sweep, RETENTION_SWEEP_MS).unref();

  const reload = (): PublishedVersion[] => {
    discovered = discoverWorkflows(assemblyDirectory, region);
    current = byFunctionName(discovered.workflows);
    published = versions.publish(discovered.workflows);
    changes.publish('workflows', { published: published.map(({ functionName, version, definition }) => ({ functionName, version, path: definition.path })) });
    return published;
  };
  const unwatch = options.watch === false ? () => undefined : watchAssembly(assemblyDirectory, () => {
    try {
      const changed = reload();
      log(changed.length === 0
        ? 'The assembly was synthesized again: no workflow changed.'
        : `The assembly was synthesized again: ${changed.map((version) => `${version.definition.path} is now version ${version.version}`).join(', ')} `
          + '(running executions keep their version).');
    } catch (error) {
      log(`The assembly was synthesized again but could not be read, the workflows stay as they were: ${(error as Error).message}`, 'stderr');
    }
  });

  return {
    url,
    get discovered() { return discovered; },
    get published() { return published; },
    resumed,
    reload,
    close: async () => {
      unwatch();
      clearInterval(sweeper);
      changes.close();
      const closed = new Promise<void>((done) => http.close(() => done()));
      http.closeAllConnections();
      await closed;
      await workers.close();
      engine.close();
      db.close();
    },
  };
}

function byFunctionName(workflows: readonly WorkflowDefinition[]): Map<string, WorkflowDefinition> {
  return new Map(workflows.map((workflow) => [workflow.functionName, workflow]));
}
