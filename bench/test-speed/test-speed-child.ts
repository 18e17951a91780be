// Test speed, in a fresh process as a developer's test run has it: `node test-speed-child.js <local|sdk>`.
// A workflow that waits 365 days and then succeeds on its 11th attempt (10 retried failures), run to the end with
// waits and retry delays skipped: through the helper's runWorkflowLocally (the local engine), or on the SDK's
// LocalDurableTestRunner directly (the official runner). Timed on the real clock: skipTime fakes Date, performance
// and hrtime.
import { createRetryStrategy } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { workflow } from '../../lambda';
import { runWorkflowLocally, timelineFromHistory } from '../../lambda/testing';
import { runMain } from '../child';
import { nowMs } from '../clock';

export interface TestSpeedRun {
  readonly runner: string;
  /** The run itself: set-up, execution and tear-down of the local backend. */
  readonly runMs: number;
  /** User + system CPU of the whole process during the run (the official runner's worker thread included). */
  readonly cpuMs: number;
  readonly status: string;
  readonly attempts: number;
  /** Simulated time from the workflow's start to its end, on the execution's timeline. */
  readonly simulatedDays: number;
}

const FAILURES = 10;
const WAIT_DAYS = 365;
const DAY_MS = 86_400_000;

function yearLongFlakyWorkflow() {
  let attempts = 0;
  const handler = workflow.handler(async (_event: unknown, ctx) => {
    await ctx.wait('a year', `${WAIT_DAYS} days`);
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
  const cpu = process.cpuUsage();
  const start = nowMs();
  let status: string;
  let durationMs: number;
  if (runner === 'local') {
    const run = await runWorkflowLocally(handler);
    status = run.status;
    durationMs = run.durationMs;
  } else {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    try {
      const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
      status = result.getStatus() ?? 'RUNNING';
      durationMs = timelineFromHistory(result.getHistoryEvents()).durationMs;
    } finally {
      await LocalDurableTestRunner.teardownTestEnvironment();
    }
  }
  const runMs = nowMs() - start;
  const used = process.cpuUsage(cpu);
  const simulatedDays = durationMs / DAY_MS;
  // Only a run that did all the work counts: the whole year waited (on the simulated clock) and every retry made.
  if (status !== 'SUCCEEDED' || attempts() !== FAILURES + 1 || simulatedDays < WAIT_DAYS) {
    throw new Error(`expected SUCCEEDED after ${FAILURES + 1} attempts and ${WAIT_DAYS} simulated days, `
      + `got ${status} after ${attempts()} attempts and ${simulatedDays} days`);
  }
  return { runner, runMs, cpuMs: (used.user + used.system) / 1000, status, attempts: attempts(), simulatedDays };
});
