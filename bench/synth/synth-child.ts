// One synth, in a fresh process: `node synth-child.js <construct|baseline> <N> <codeDir> <outdir>`.
// Times loading the app's modules, building the construct tree and app.synth() (which writes the templates), and
// reports the process's peak memory.
import { runMain } from '../child';
import { nowMs } from '../clock';

export interface SynthRun {
  readonly kind: string;
  readonly workflows: number;
  /** Requiring aws-cdk-lib and the app code (aws-cdk-lib defers most loading to first use, so build pays the rest). */
  readonly loadMs: number;
  /** Creating the stacks and workflows. */
  readonly buildMs: number;
  /** app.synth(): validation, template resolution, asset staging and writing the cloud assembly. */
  readonly synthMs: number;
  /** load + build + synth: what `cdk synth` waits for, less Node.js start-up. */
  readonly totalMs: number;
  /** CPU (user + system) over the same span: steadier than wall time on a machine shared with other work. */
  readonly cpuMs: number;
  /** Peak resident set size of the process, in MiB. */
  readonly maxRssMiB: number;
  /** Heap in use right after synth, in MiB. */
  readonly heapUsedMiB: number;
  readonly stacks: number;
  readonly resources: number;
}

runMain(async (): Promise<SynthRun> => {
  const [kind, count, codeDir, outdir] = process.argv.slice(2);
  const workflows = Number(count);
  if ((kind !== 'construct' && kind !== 'baseline') || !Number.isInteger(workflows) || !codeDir || !outdir) {
    throw new Error('usage: synth-child <construct|baseline> <N> <codeDir> <outdir>');
  }

  const cpu = process.cpuUsage();
  const t0 = nowMs();
  // Required here, not imported at the top, so that loading is timed on its own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  // Only the app being measured is loaded: the baseline never loads the construct library.
  const { addWorkflows } = kind === 'construct'
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ? require('./construct-app') as typeof import('./construct-app')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    : require('./baseline-app') as typeof import('./baseline-app');
  const t1 = nowMs();
  const app = new App({ outdir });
  addWorkflows(app, workflows, codeDir);
  const t2 = nowMs();
  const assembly = app.synth();
  const t3 = nowMs();
  const used = process.cpuUsage(cpu);

  const resources = assembly.stacks.reduce((sum, stack) => sum + Object.keys(stack.template.Resources ?? {}).length, 0);
  return {
    kind,
    workflows,
    loadMs: t1 - t0,
    buildMs: t2 - t1,
    synthMs: t3 - t2,
    totalMs: t3 - t0,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 1024 / 1024,
    stacks: assembly.stacks.length,
    resources,
  };
});
