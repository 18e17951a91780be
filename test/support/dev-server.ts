// The dev server as a user runs it: `cdk-durable-workflow dev` in a child process of its own, on a free port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CLI } from '../fixtures/runner/compiled-runtime';

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
      const match = / on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
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
