import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The command that synthesizes an app folder: the app's own CDK CLI, through npx. */
export const SYNTH_COMMAND = ['npx', 'cdk', 'synth', '--quiet'];

/**
 * Synthesizes the CDK app in `appDirectory` (the folder of its cdk.json) with the app's own CDK CLI, its output shown
 * on stderr, and returns the cloud assembly it wrote (cdk.json's `output`, by default cdk.out).
 */
export async function synthApp(appDirectory: string, log: (line: string) => void): Promise<string> {
  log(`Synthesizing ${appDirectory}: ${SYNTH_COMMAND.join(' ')}`);
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(SYNTH_COMMAND[0], SYNTH_COMMAND.slice(1), { cwd: appDirectory, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`${SYNTH_COMMAND.join(' ')} in ${appDirectory} failed (exit status ${code})`);
  const output = (JSON.parse(readFileSync(join(appDirectory, 'cdk.json'), 'utf8')) as { output?: string }).output ?? 'cdk.out';
  const assembly = resolve(appDirectory, output);
  if (!existsSync(join(assembly, 'manifest.json'))) throw new Error(`${SYNTH_COMMAND.join(' ')} wrote no cloud assembly to ${assembly}`);
  return assembly;
}
