// Every measurement runs in a fresh `node` process, so its timings and peak memory belong to it alone. A child sends
// its figures back as one tagged JSON line on stdout; anything else it prints is passed through to stderr.
import { spawn } from 'node:child_process';
import { nowMs } from './clock';

const TAG = 'BENCH_RESULT ';

/** Child side: hands the result to the parent. Call once, at the end. */
export function emit(result: unknown): void {
  process.stdout.write(`${TAG}${JSON.stringify(result)}\n`);
}

/** Child side: runs `main`, emits its result, and exits non-zero with the error if it throws. */
export function runMain(main: () => Promise<unknown>): void {
  main().then((result) => {
    emit(result);
    // The durable test runner's worker thread can keep the process alive: the figures are out, so leave.
    process.exit(0);
  }, (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

export interface ChildOutcome<T> {
  readonly result: T;
  /** Spawn to exit, on the parent's clock: includes Node.js start-up. */
  readonly wallMs: number;
}

/** Parent side: runs `node script ...args` and returns what it emitted. Fails with the child's stderr if it fails. */
export function runChild<T>(script: string, args: readonly string[] = [], options: { nodeArgs?: readonly string[] } = {}): Promise<ChildOutcome<T>> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      env: { ...process.env, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = nowMs() - start;
      const line = stdout.split('\n').find((l) => l.startsWith(TAG));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}${line ? '' : ' without a result'}:\n${stderr || stdout}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice(TAG.length)) as T, wallMs });
    });
  });
}
