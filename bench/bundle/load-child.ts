// Cold module load of one bundle, in a fresh process: `node load-child.js <bundle> <module|first-invoke>`.
// `module` times require(bundle), the Lambda init phase's share. `first-invoke` also loads @aws-sdk/client-lambda,
// which the durable SDK imports when the first invocation builds its checkpoint client: the two together are what
// every cold start pays before the handler's first checkpoint, whichever side of init they fall on. Wall time and CPU
// time (user + system of this process) for each.
import { createRequire } from 'node:module';
import { runMain } from '../child';
import { nowMs } from '../clock';

export interface LoadRun {
  readonly moduleMs: number;
  readonly moduleCpuMs: number;
  readonly totalMs: number;
  readonly totalCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

runMain(async (): Promise<LoadRun> => {
  const [bundle, mode] = process.argv.slice(2);
  if (!bundle || (mode !== 'module' && mode !== 'first-invoke')) throw new Error('usage: load-child <bundle> <module|first-invoke>');
  const load = createRequire(bundle);
  const cpu = process.cpuUsage();
  const start = nowMs();
  const exports = load(bundle) as { handler?: unknown };
  const moduleMs = nowMs() - start;
  const moduleCpuMs = cpuMs(cpu);
  if (typeof exports.handler !== 'function') throw new Error(`${bundle} exports no handler function`);
  if (mode === 'first-invoke') load('@aws-sdk/client-lambda');
  return { moduleMs, moduleCpuMs, totalMs: nowMs() - start, totalCpuMs: cpuMs(cpu) };
});
