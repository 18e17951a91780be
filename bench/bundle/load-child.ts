// Cold module load of one bundle, in a fresh process: `node load-child.js <bundle> <module|first-invoke>`.
// `module` times require(bundle), the Lambda init phase's share. `first-invoke` also loads @aws-sdk/client-lambda,
// which the durable SDK imports when the first invocation builds its checkpoint client: the two together are what
// every cold start pays before the handler's first checkpoint, whichever side of init they fall on.
import { createRequire } from 'node:module';
import { runMain } from '../child';
import { nowMs } from '../clock';

export interface LoadRun {
  readonly moduleMs: number;
  readonly totalMs: number;
}

runMain(async (): Promise<LoadRun> => {
  const [bundle, mode] = process.argv.slice(2);
  if (!bundle || (mode !== 'module' && mode !== 'first-invoke')) throw new Error('usage: load-child <bundle> <module|first-invoke>');
  const load = createRequire(bundle);
  const start = nowMs();
  const exports = load(bundle) as { handler?: unknown };
  const moduleMs = nowMs() - start;
  if (typeof exports.handler !== 'function') throw new Error(`${bundle} exports no handler function`);
  if (mode === 'first-invoke') load('@aws-sdk/client-lambda');
  return { moduleMs, totalMs: nowMs() - start };
});
