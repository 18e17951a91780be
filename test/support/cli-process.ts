import { spawn } from 'node:child_process';
import { CLI } from '../fixtures/runner/compiled-runtime';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cdk-durable-workflow` as a user would: a separate Node.js process in its own working folder. */
export function runCli(args: string[], options: { readonly cwd: string; readonly stdin?: string; readonly env?: NodeJS.ProcessEnv }):
Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, AWS_REGION: 'us-east-1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
