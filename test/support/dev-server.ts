// The dev server as a user runs it: `cdk-durable-workflow dev` in a child process of its own, on a free port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { counterApp, type CounterApp, type CounterAppOptions } from '../fixtures/dev/counter-app';
import { CLI, ensureCompiledRuntime } from '../fixtures/runner/compiled-runtime';

export interface DevServerProcess {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** A real LambdaClient pointed at it. */
  client(): LambdaClient;
  /** Ctrl-C: resolves with its exit code once it has stopped. */
  stop(): Promise<number | null>;
  /** SIGKILL: gone at once, nothing flushed or closed. */
  kill(): Promise<void>;
}

export async function startDevServer(args: string[], env: Record<string, string> = {}): Promise<DevServerProcess> {
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', ...args], { env: { ...process.env, AWS_REGION: 'us-east-1', ...env } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The banner ends with the viewer's line: once it is out, every line about the start is.
      const match = / on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*\nViewer: /.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`the dev server exited (${code}) before it served:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    client: () => new LambdaClient({
      endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 1,
    }),
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A test file's dev server: the counter app synthesized (v1) and served from a state file of its own, with `args`. */
export async function serveCounterApp(options: CounterAppOptions = {}, args: string[] = []): Promise<{ app: CounterApp; server: DevServerProcess }> {
  ensureCompiledRuntime();
  const app = counterApp(options);
  app.synth('v1');
  try {
    return { app, server: await startDevServer([app.assembly, '--state', join(app.directory, 'state.sqlite'), ...args]) };
  } catch (error) {
    rmSync(app.directory, { recursive: true, force: true });
    throw error;
  }
}

/** Stops what `serveCounterApp` started (either may be missing when it failed) and deletes the app. */
export async function stopCounterApp(app: CounterApp | undefined, server: DevServerProcess | undefined): Promise<void> {
  await server?.stop();
  if (app) rmSync(app.directory, { recursive: true, force: true });
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One Server-Sent Event of /_dev/events. */
export interface ChangeEvent {
  readonly type: string;
  readonly data: any;
}

export interface ChangeSubscription {
  /** Every event received so far. */
  readonly received: ChangeEvent[];
  /** The first event (received from the subscription on, not yet taken) that `matches`. */
  next(matches: (event: ChangeEvent) => boolean, what: string, timeoutMs?: number): Promise<ChangeEvent>;
  close(): void;
}

/** Opens the dev server's change stream, as a page's EventSource would. */
export async function subscribe(url: string): Promise<ChangeSubscription> {
  const abort = new AbortController();
  const response = await fetch(`${url}/_dev/events`, { signal: abort.signal });
  if (response.headers.get('content-type') !== 'text/event-stream') throw new Error(`not an event stream: ${response.headers.get('content-type')}`);
  const received: ChangeEvent[] = [];
  const taken = new Set<ChangeEvent>();
  const listeners = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type !== undefined && data !== undefined) received.push({ type, data: JSON.parse(data) });
        }
        for (const listener of listeners) listener();
      }
    } catch {
      // aborted
    }
  })();
  return {
    received,
    next: (matches, what, timeoutMs = 30_000) => new Promise((resolve, reject) => {
      const check = () => {
        const found = received.find((event) => !taken.has(event) && matches(event));
        if (!found) return;
        taken.add(found);
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no change event: ${what}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    }),
    close: () => abort.abort(),
  };
}
