// Replay overhead, in one fresh process: `node replay-child.js <steps|saga> <size> <runs>`. Runs the workflow on the
// helper and on the raw SDK under LocalDurableTestRunner with skipTime, alternating (ABBA...) after one warm-up each,
// and reports wall time on the real clock (skipTime fakes Date, performance and hrtime) and process CPU time.
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { runMain } from '../child';
import { clockIsFaked, nowMs } from '../clock';
import { abFirst } from '../stats';
import { gatedRun } from './gated-run';
import { manySteps, saga } from './workflows';
import type { BenchWorkflow, Flavour } from './workflows';

export interface ReplaySample {
  readonly wallMs: number;
  /** User + system CPU of the whole process (handler, runner and its checkpoint worker thread). */
  readonly cpuMs: number;
}

export interface ReplayRun {
  readonly workflow: string;
  readonly size: number;
  readonly invocations: number;
  readonly operations: { helper: number; raw: number };
  readonly helper: ReplaySample[];
  readonly raw: ReplaySample[];
}

async function measure(make: () => BenchWorkflow): Promise<ReplaySample & { invocations: number; operations: number }> {
  const bench = make();
  const cpu = process.cpuUsage();
  const start = nowMs();
  const { result, invocations } = await gatedRun(bench.handler, bench.gates);
  const wallMs = nowMs() - start;
  const used = process.cpuUsage(cpu);
  // A run that went wrong must not produce a timing.
  if (result.getStatus() !== 'SUCCEEDED') throw new Error(`run ended ${result.getStatus()}: ${JSON.stringify(result.getError())}`);
  if (JSON.stringify(result.getResult()) !== JSON.stringify(bench.expected)) {
    throw new Error(`run returned ${JSON.stringify(result.getResult())}, expected ${JSON.stringify(bench.expected)}`);
  }
  const expectedUndos = (bench.expected as { rolledBack?: number }).rolledBack ?? 0;
  if (bench.undone() !== expectedUndos) throw new Error(`${bench.undone()} compensations ran, expected ${expectedUndos}`);
  if (invocations !== bench.gates.length + 1) throw new Error(`${invocations} invocations, expected ${bench.gates.length + 1}`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, invocations, operations: result.getOperations().length };
}

runMain(async (): Promise<ReplayRun> => {
  const [name, sizeArg, runsArg] = process.argv.slice(2);
  const size = Number(sizeArg);
  const runs = Number(runsArg);
  if ((name !== 'steps' && name !== 'saga') || !Number.isInteger(size) || !Number.isInteger(runs)) {
    throw new Error('usage: replay-child <steps|saga> <size> <runs>');
  }
  // Five gates for the many-steps workflow: a replay after every fifth of its steps.
  const make = (flavour: Flavour, n = size) => () => (name === 'steps' ? manySteps(flavour, n, Math.max(1, n / 5)) : saga(flavour, n));

  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    // The figures are only meaningful under skipTime, and only on a clock its fake timers do not drive.
    if (!clockIsFaked()) throw new Error('skipTime installed no fake timers: this is not the setting to measure');
    // Warm-up on a tenth of the size: the same code paths get compiled without spending a full run on it.
    const warmSize = Math.max(5, Math.round(size / 10));
    await measure(make('helper', warmSize));
    await measure(make('raw', warmSize));
    const helper: ReplaySample[] = [];
    const raw: ReplaySample[] = [];
    let invocations = 0;
    const operations = { helper: 0, raw: 0 };
    for (let run = 0; run < runs; run++) {
      const order: Flavour[] = abFirst(run) ? ['helper', 'raw'] : ['raw', 'helper'];
      for (const flavour of order) {
        const sample = await measure(make(flavour));
        (flavour === 'helper' ? helper : raw).push({ wallMs: sample.wallMs, cpuMs: sample.cpuMs });
        invocations = sample.invocations;
        operations[flavour] = sample.operations;
      }
    }
    return {
      workflow: name,
      size,
      invocations,
      operations,
      helper,
      raw,
    };
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
});
