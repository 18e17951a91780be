// One version of a workflow's code in a worker thread, as a Lambda execution environment runs it: the deployed bundle
// loaded from its folder, the function's environment in process.env, and the durable SDK calling the dev server over
// the Lambda API (CheckpointDurableExecution, GetDurableExecutionState) through a real LambdaClient.
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurableExecutionApiClient } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { InvocationMessage, OutcomeMessage, WorkerSetup } from './worker-pool';
import { invokeHandler } from '../../testing/engine/invoker';
import type { InvocationOutcome } from '../../testing/engine/invoker';

const setup = workerData as WorkerSetup;

// The dev server checks no signature; fixed credentials keep the user's own (their handlers may call AWS) untouched.
const client = new DurableExecutionApiClient(new LambdaClient({
  endpoint: setup.endpoint,
  region: setup.region,
  credentials: { accessKeyId: 'cdk-durable-workflow-dev', secretAccessKey: 'cdk-durable-workflow-dev' },
  requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
}));

let loaded: DurableLambdaHandler | Error | undefined;

/** The handler as Lambda finds it: `<folder>/<module>.{js,mjs,cjs}`, the export after the last dot. */
function handler(): DurableLambdaHandler | Error {
  if (loaded) return loaded;
  const dot = setup.handler.lastIndexOf('.');
  const modulePath = setup.handler.slice(0, dot);
  const exportName = setup.handler.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => join(setup.codeDirectory, `${modulePath}${extension}`)).find(existsSync);
  try {
    if (dot <= 0 || !file) throw new Error(`Cannot find module ${modulePath}.js, .mjs or .cjs in ${setup.codeDirectory} (handler ${setup.handler})`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    const found = exports[exportName] ?? (exports.default as Record<string, unknown> | undefined)?.[exportName];
    if (typeof found !== 'function') throw new Error(`${file} has no function export named "${exportName}" (handler ${setup.handler})`);
    loaded = found as DurableLambdaHandler;
  } catch (error) {
    loaded = error as Error;
  }
  return loaded;
}

parentPort!.on('message', (message: InvocationMessage) => {
  void run(message).then((outcome) => parentPort!.postMessage({ id: message.id, outcome } satisfies OutcomeMessage));
});

async function run(message: InvocationMessage): Promise<InvocationOutcome> {
  const loadedHandler = handler();
  if (loadedHandler instanceof Error) return { kind: 'threw', error: errorMessageOf(loadedHandler) };
  const outcome = await invokeHandler({ ...message.request, handler: loadedHandler, client });
  if (outcome.kind === 'threw') return { kind: 'threw', error: errorMessageOf(outcome.error) };
  if (outcome.kind === 'not-durable') return { kind: 'not-durable', output: cloneable(outcome.output) };
  return outcome;
}

/** An error as it can cross to the server's thread: its name, message, stack and the SDK's unrecoverable flag. */
function errorMessageOf(error: unknown): unknown {
  if (!(error instanceof Error)) return cloneable(error);
  return { name: error.name, message: error.message, stack: error.stack, isUnrecoverable: (error as { isUnrecoverable?: unknown }).isUnrecoverable };
}

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}
