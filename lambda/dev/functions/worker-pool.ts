import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { InvocationOutcome, InvocationRequest } from '../../testing/engine/invoker';

/** What a worker is started with (its `workerData`). */
export interface WorkerSetup {
  /** The folder of the version's code. */
  readonly codeDirectory: string;
  /** The function's `Handler`: `index.handler`. */
  readonly handler: string;
  /** The dev server, where the SDK sends its checkpoints. */
  readonly endpoint: string;
  readonly region: string;
}

/** An invocation handed to a worker: everything but the handler (the worker loads it) and the client (it has one). */
export interface InvocationMessage {
  readonly id: number;
  readonly request: Omit<InvocationRequest, 'handler' | 'client'>;
}

/** How it ended; a thrown error arrives as its name, message and stack. */
export interface OutcomeMessage {
  readonly id: number;
  readonly outcome: InvocationOutcome;
}

/** A version's code, as a worker runs it. */
export interface WorkerTarget {
  /** One worker per key: the function name and version. */
  readonly key: string;
  /** Put before each line the code prints. */
  readonly label: string;
  readonly codeDirectory: string;
  readonly handler: string;
  /** The variables Lambda would set, and the function's environment. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface WorkerPoolOptions {
  readonly endpoint: string;
  readonly region: string;
  /** Where lines the code prints go. */
  readonly log: (line: string, stream: 'stdout' | 'stderr') => void;
  /** A worker with nothing to do for this long ends; the next invocation starts it again. @default 60000 */
  readonly idleMs?: number;
}

interface Running {
  readonly worker: Worker;
  readonly pending: Map<number, (outcome: InvocationOutcome) => void>;
  idle?: NodeJS.Timeout;
}

/**
 * Worker threads that run the versions' code, one per version, started on demand: each has its own process.env (the
 * function's environment) and module cache (its own copy of the code), and a crash in one ends only its invocations.
 * Invocations of one version share its worker, as warm Lambda environments would serve them one after the other.
 */
export class WorkerPool {
  private readonly running = new Map<string, Running>();
  private ids = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  public invoke(target: WorkerTarget, request: InvocationMessage['request']): Promise<InvocationOutcome> {
    const entry = this.running.get(target.key) ?? this.start(target);
    clearTimeout(entry.idle);
    const id = ++this.ids;
    return new Promise((resolve) => {
      entry.pending.set(id, resolve);
      entry.worker.postMessage({ id, request } satisfies InvocationMessage);
    });
  }

  /** Ends every worker. What they were running is left unanswered: it runs again when the server starts again. */
  public async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.running.values()].map((entry) => entry.worker);
    this.running.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private start(target: WorkerTarget): Running {
    const { endpoint, region } = this.options;
    const setup: WorkerSetup = { codeDirectory: target.codeDirectory, handler: target.handler, endpoint, region };
    const worker = new Worker(join(__dirname, 'handler-worker.js'), {
      workerData: setup,
      env: { ...process.env, ...target.environment },
      stdout: true,
      stderr: true,
    });
    const entry: Running = { worker, pending: new Map() };
    this.running.set(target.key, entry);
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: worker[stream] }).on('line', (line) => this.options.log(`[${target.label}] ${line}`, stream));
    }
    worker.on('message', ({ id, outcome }: OutcomeMessage) => {
      const resolve = entry.pending.get(id);
      entry.pending.delete(id);
      resolve?.(outcome);
      if (entry.pending.size === 0) entry.idle = setTimeout(() => void worker.terminate(), this.options.idleMs ?? 60_000).unref();
    });
    worker.on('error', (error) => this.ended(target.key, entry, error));
    worker.on('exit', (code) => this.ended(target.key, entry, new Error(`The code of ${target.label} ended its thread (exit code ${code})`)));
    return entry;
  }

  /** A worker ended (idle, crashed, or closed): what it was running fails, as a crashed Lambda invocation does. */
  private ended(key: string, entry: Running, error: Error): void {
    if (this.running.get(key) === entry) this.running.delete(key);
    clearTimeout(entry.idle);
    if (this.closed) return;
    const failure = { name: error.name, message: error.message, stack: error.stack };
    for (const resolve of entry.pending.values()) resolve({ kind: 'threw', error: failure });
    entry.pending.clear();
  }
}
