// Test speed, in a fresh process as a developer's test run has it: `node test-speed-child.js <local|sdk>`.
// A workflow that waits 365 days and then succeeds on its 11th attempt (10 retried failures), run to the end with
// waits and retry delays skipped: through the helper's runWorkflowLocally, or on the SDK's LocalDurableTestRunner
// directly (the floor). Timed on the real clock: skipTime fakes Date, performance and hrtime.
import { createRetryStrategy } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { workflow } from '../../lambda';
import { runWorkflowLocally } from '../../lambda/testing';
import { runMain } from '../child';
import { nowMs } from '../clock';

export interface TestSpeedRun {
  readonly runner: string;
  /** The run itself: set-up, execution and tear-down of the local backend. */
  readonly runMs: number;
  readonly status: string;
  readonly attempts: number;
  /** Simulated time the execution spanned (local runner only): over 365 days when time was skipped. */
  readonly simulatedDays?: number;
  readonly invocations?: number;
}

const FAILURES = 10;

function yearLongFlakyWorkflow() {
  let attempts = 0;
  const handler = workflow.handler(async (_event: unknown, ctx) => {
    await ctx.wait('a year', '365 days');
    return ctx.step('flaky', async () => {
      attempts++;
      if (attempts <= FAILURES) throw new Error(`failure ${attempts}`);
      return 'done';
    }, { retryStrategy: createRetryStrategy({ maxAttempts: FAILURES + 1, initialDelay: { seconds: 5 }, maxDelay: { minutes: 10 } }) });
  });
  return { handler, attempts: () => attempts };
}

runMain(async (): Promise<TestSpeedRun> => {
  const runner = process.argv[2];
  if (runner !== 'local' && runner !== 'sdk') throw new Error('usage: test-speed-child <local|sdk>');
  const { handler, attempts } = yearLongFlakyWorkflow();
  const start = nowMs();
  let outcome: Omit<TestSpeedRun, 'runner' | 'runMs' | 'attempts'>;
  if (runner === 'local') {
    const result = await runWorkflowLocally(handler);
    outcome = { status: result.status, simulatedDays: result.durationMs / 86_400_000, invocations: result.invocations };
  } else {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    try {
      const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
      outcome = { status: result.getStatus() ?? 'RUNNING' };
    } finally {
      await LocalDurableTestRunner.teardownTestEnvironment();
    }
  }
  const runMs = nowMs() - start;
  if (outcome.status !== 'SUCCEEDED' || attempts() !== FAILURES + 1) {
    throw new Error(`expected SUCCEEDED after ${FAILURES + 1} attempts, got ${outcome.status} after ${attempts()}`);
  }
  return { runner, runMs, attempts: attempts(), ...outcome };
});
