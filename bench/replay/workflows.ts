// The replay benchmark's workflows, each written twice: on the runtime helper (`workflow.handler`) and on the raw
// SDK the obvious way. Same operations, same names, same results; gates force the replays (see gated-run.ts).
import { retryPresets, withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { gate } from './gated-run';
import { workflow } from '../../lambda';

export interface BenchWorkflow {
  readonly handler: DurableLambdaHandler;
  /** Gate names in the order the workflow reaches them. */
  readonly gates: string[];
  /** What a correct run returns. */
  readonly expected: unknown;
  /** Side effects of compensations, counted across the run (each must run exactly once). */
  readonly undone: () => number;
}

export type Flavour = 'helper' | 'raw';

/**
 * `steps` steps, with a gate after every `gateEvery`: with 500 and 100, six invocations that replay 100, 200, 300
 * and 400 completed steps before going on, and one that replays all 500 before returning.
 */
export function manySteps(flavour: Flavour, steps: number, gateEvery: number): BenchWorkflow {
  const gates = Array.from({ length: Math.floor(steps / gateEvery) }, (_, i) => `gate-${(i + 1) * gateEvery}`);
  const body = async (ctx: Parameters<Parameters<typeof withDurableExecution>[0]>[1]) => {
    let sum = 0;
    for (let i = 0; i < steps; i++) {
      sum += await ctx.step(`step-${i}`, async () => i);
      if ((i + 1) % gateEvery === 0) await gate(ctx, `gate-${i + 1}`);
    }
    return { sum };
  };
  const handler = flavour === 'helper'
    ? workflow.handler(async (_event: unknown, ctx) => body(ctx))
    : withDurableExecution(async (_event: unknown, ctx) => body(ctx));
  return { handler, gates, expected: { sum: (steps * (steps - 1)) / 2 }, undone: () => 0 };
}

/**
 * A saga: `count` compensable steps, a gate (so the rollback runs in an invocation that rebuilt its compensations by
 * replay), a step that fails for good, then every compensation undone newest first, each as its own step.
 */
export function saga(flavour: Flavour, count: number): BenchWorkflow {
  let undone = 0;
  const fail = async (): Promise<never> => {
    throw new Error('payment declined');
  };
  const expected = { rolledBack: count };

  const helperHandler = workflow.handler(async (_event: unknown, ctx) => {
    try {
      for (let i = 0; i < count; i++) {
        await ctx.stepWithRollback(`reserve-${i}`, { run: async () => i, undo: async () => { undone++; } });
      }
      await gate(ctx, 'gate');
      await ctx.step('charge', fail, { retryStrategy: retryPresets.noRetry });
      return { rolledBack: 0 };
    } catch (error) {
      await ctx.rollbackAll(error);
      return expected;
    }
  });

  const rawHandler = withDurableExecution(async (_event: unknown, ctx) => {
    const compensations: { name: string; undo: () => Promise<void> }[] = [];
    try {
      for (let i = 0; i < count; i++) {
        await ctx.step(`reserve-${i}`, async () => i);
        compensations.push({ name: `reserve-${i}`, undo: async () => { undone++; } });
      }
      await gate(ctx, 'gate');
      await ctx.step('charge', fail, { retryStrategy: retryPresets.noRetry });
      return { rolledBack: 0 };
    } catch {
      for (const { name, undo } of compensations.reverse()) await ctx.step(`Undo '${name}'`, undo);
      return expected;
    }
  });

  return { handler: flavour === 'helper' ? helperHandler : rawHandler, gates: ['gate'], expected, undone: () => undone };
}
