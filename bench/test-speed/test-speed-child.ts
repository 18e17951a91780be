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
  /** Simulated time from the workflow's start to its last attempt, on the clock the handler sees. */
  readonly simulatedDays: number;
}

const FAILURES = 10;
const WAIT_DAYS = 365;
const DAY_MS = 86_400_000;

function yearLongFlakyWorkflow() {
  let attempts = 0;
  let startedAt: number | undefined;
  let lastAttemptAt = 0;
  const handler = workflow.handler(async (_event: unknown, ctx) => {
    // The first invocation sets it; replays keep it. Date is the test runner's clock, so this is simulated time.
    startedAt ??= Date.now();
    await ctx.wait('a year', `${WAIT_DAYS} days`);
    return ctx.step('flaky', async () => {
      attempts++;
      lastAttemptAt = Date.now();
      if (attempts <= FAILURES) throw new Error(`failure ${attempts}`);
      return 'done';
    }, { retryStrategy: createRetryStrategy({ maxAttempts: FAILURES + 1, initialDelay: { seconds: 5 }, maxDelay: { minutes: 10 } }) });
  });
  return { handler, attempts: () => attempts, simulatedDays: () => (lastAttemptAt - (startedAt ?? lastAttemptAt)) / DAY_MS };
}

runMain(async (): Promise<TestSpeedRun> => {
  const runner = process.argv[2];
  if (runner !== 'local' && runner !== 'sdk') throw new Error('usage: test-speed-child <local|sdk>');
  const { handler, attempts, simulatedDays } = yearLongFlakyWorkflow();
  const start = nowMs();
  let status: string;
  if (runner === 'local') {
    status = (await runWorkflowLocally(handler)).status;
  } else {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    try {
      status = (await new LocalDurableTestRunner({ handlerFunction: handler }).run()).getStatus() ?? 'RUNNING';
    } finally {
      await LocalDurableTestRunner.teardownTestEnvironment();
    }
  }
  const runMs = nowMs() - start;
  // Only a run that did all the work counts: the whole year waited (on the simulated clock) and every retry made.
  if (status !== 'SUCCEEDED' || attempts() !== FAILURES + 1 || simulatedDays() < WAIT_DAYS) {
    throw new Error(`expected SUCCEEDED after ${FAILURES + 1} attempts and ${WAIT_DAYS} simulated days, `
      + `got ${status} after ${attempts()} attempts and ${simulatedDays()} days`);
  }
  return { runner, runMs, status, attempts: attempts(), simulatedDays: simulatedDays() };
});
