import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import type * as TestingSdk from '@aws/durable-execution-sdk-js-testing';
import { checkAnswer, failureOf, responderFor, unansweredError } from './callback-answers';
import type { AnsweredCallback, PendingCallback } from './callback-answers';
import { timelineFromHistory } from './history-timeline';
import { describe, invocationThrewError, LocalRunError, notDurableError } from './local-run-error';
import type { LocalRunResult, RunWorkflowLocallyOptions } from './run-workflow-locally';

let running = false;

/**
 * `runWorkflowLocally` on the durable SDK's own local backend, `LocalDurableTestRunner`. It patches the process
 * clock while it runs (skipTime), so one run at a time per process. Loaded on first use: only this runner needs
 * @aws/durable-execution-sdk-js-testing.
 */
export async function runOnOfficialRunner(handler: DurableLambdaHandler, options: RunWorkflowLocallyOptions): Promise<LocalRunResult> {
  const testing = await loadTestingSdk();
  if (running) {
    throw new LocalRunError('runWorkflowLocally: another run on the official runner is in progress in this process; it patches the process clock, '
      + 'so await one run before starting the next (or use the local engine, the default runner)');
  }
  running = true;
  try {
    try {
      await testing.LocalDurableTestRunner.setupTestEnvironment({ skipTime: options.skipTime ?? true });
    } catch (error) {
      throw new LocalRunError(`runWorkflowLocally sets up the official runner itself and could not: ${(error as Error).message}. `
        + 'Do not call LocalDurableTestRunner.setupTestEnvironment() or install fake timers (jest.useFakeTimers()) around it.');
    }
    try {
      return await execute(testing, handler, options);
    } finally {
      await testing.LocalDurableTestRunner.teardownTestEnvironment();
    }
  } finally {
    running = false;
  }
}

async function loadTestingSdk(): Promise<typeof TestingSdk> {
  try {
    // eslint-disable-next-line import/no-extraneous-dependencies -- a dev dependency of the user's project, only for this runner
    return await import('@aws/durable-execution-sdk-js-testing');
  } catch (error) {
    throw new LocalRunError(`runner: 'official' needs @aws/durable-execution-sdk-js-testing (npm install --save-dev @aws/durable-execution-sdk-js-testing): ${(error as Error).message}`);
  }
}

async function execute(testing: typeof TestingSdk, handler: DurableLambdaHandler, options: RunWorkflowLocallyOptions): Promise<LocalRunResult> {
  let abort!: (error: Error) => void;
  const aborted = new Promise<never>((_, reject) => { abort = reject; });
  // An abort after the run ended (a late answer failing) has no one left to tell.
  aborted.catch(() => undefined);

  const runner = new testing.LocalDurableTestRunner({ handlerFunction: checkedHandler(handler, abort) });
  for (const [name, fn] of Object.entries(options.functions ?? {})) runner.registerDurableFunction(name, fn);
  const answered: AnsweredCallback[] = [];
  const run = runner.run({ payload: options.payload }).catch((error: Error) => {
    throw new LocalRunError(`The local durable backend failed to run the handler: ${error.message}`);
  });
  // The execution may be abandoned (unanswered callback, non-durable handler): its promise must not go unhandled.
  run.catch(() => undefined);
  const answers: Array<Promise<void>> = [];
  void watchCallbacks(testing, runner, options, answered, answers, abort);

  // Whatever stopped the run first (an answer that failed, a handler that is not durable) is the error to report.
  const outcome = await Promise.race([run, aborted]);
  await Promise.all(answers);

  const history = outcome.getHistoryEvents();
  const timeline = timelineFromHistory(history);
  const status = outcome.getStatus() ?? 'RUNNING';
  if (status === 'SUCCEEDED') {
    return { ...timeline, status, result: outcome.getResult(), callbacks: answered, history };
  }
  const error = outcome.getError();
  return {
    ...timeline,
    status,
    error: { message: error.errorMessage ?? '', type: error.errorType, data: error.errorData, stackTrace: error.stackTrace },
    callbacks: answered,
    history,
  };
}

/**
 * Watches operations in the order they appear and answers callbacks as they open, adding each
 * answer in flight to `answers`. The runner ends the waits when the execution completes; a wait
 * begun after that never ends, which leaves this loop parked with nothing to do.
 */
async function watchCallbacks(
  testing: typeof TestingSdk,
  runner: TestingSdk.LocalDurableTestRunner,
  options: RunWorkflowLocallyOptions,
  answered: AnsweredCallback[],
  answers: Array<Promise<void>>,
  abort: (error: Error) => void,
): Promise<void> {
  for (let index = 0; ; index++) {
    const operation = runner.getOperationByIndex(index);
    try {
      await operation.waitForData(testing.WaitingOperationStatus.STARTED);
    } catch {
      return; // the execution completed
    }
    const isCallbackOfWaitForCallback = operation.isCallback() && isWaitForCallbackChild(runner, operation);
    if (operation.isWaitForCallback() || (operation.isCallback() && !isCallbackOfWaitForCallback)) {
      answers.push(answerCallback(testing, operation, options, answered).catch(abort));
    }
  }
}

function isWaitForCallbackChild(runner: TestingSdk.LocalDurableTestRunner, operation: TestingSdk.DurableOperation): boolean {
  const parentId = operation.getParentId();
  if (parentId === undefined) return false;
  const parent = runner.getOperationById(parentId);
  return parent.getOperationData() !== undefined && parent.isWaitForCallback();
}

async function answerCallback(testing: typeof TestingSdk, operation: TestingSdk.DurableOperation, options: RunWorkflowLocallyOptions,
  answered: AnsweredCallback[]): Promise<void> {
  // A waitForCallback waits for its answer once its submitter succeeded, as a real caller would answer it; a
  // submitter that failed leaves nothing to answer (its error reaches the handler).
  if (operation.isWaitForCallback()) {
    // The runner signals SUBMITTED only to waits begun before the submitter's end arrives, and a late poll (a
    // loaded machine) brings the waitForCallback and its submitter's end at once: waiting then would never end.
    if (!ENDED.has(submitterOf(operation)?.getStatus() ?? '')) {
      try {
        await operation.waitForData(testing.WaitingOperationStatus.SUBMITTED);
      } catch {
        return; // the execution ended first
      }
    }
    if (submitterOf(operation)?.getStatus() !== 'SUCCEEDED') return;
  }
  const details = operation.getCallbackDetails();
  const callback: PendingCallback = {
    name: operation.getName(),
    callbackId: details!.callbackId,
    operationId: operation.getId()!,
  };
  const responder = responderFor(options, callback);
  if (!responder) {
    // A callback with a timeout is left to reach it (in real time: this runner does not skip callback timeouts).
    if (hasTimeout(operation)) return;
    throw unansweredError(options, callback);
  }
  const reply = typeof responder === 'function' ? await responder(callback) : responder;
  checkAnswer(reply, `the answer to callback "${callback.name ?? '(unnamed)'}"`);
  if (reply.error) {
    await operation.sendCallbackFailure(failureOf(reply.error));
  } else {
    await operation.sendCallbackSuccess(JSON.stringify(reply.result));
  }
  answered.push({ ...callback, answer: reply });
}

/** The statuses the runner's SUBMITTED wait ends on. */
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED', 'TIMED_OUT']);

function submitterOf(waitForCallback: TestingSdk.DurableOperation): TestingSdk.DurableOperation | undefined {
  return waitForCallback.getChildOperations()?.find((child) => child.getType() === 'STEP');
}

/** Whether the callback (a createCallback, or the callback of a waitForCallback) started with a timeout. */
function hasTimeout(operation: TestingSdk.DurableOperation): boolean {
  const callback = operation.isWaitForCallback() ? operation.getChildOperations()?.find((child) => child.isCallback()) : operation;
  const started = callback?.getEvents()?.find((event) => event.CallbackStartedDetails)?.CallbackStartedDetails;
  return started?.Timeout !== undefined || started?.HeartbeatTimeout !== undefined;
}

/**
 * The durable SDK's handler always returns an invocation status. Anything else is a plain
 * Lambda handler, which the local backend would wait on forever: stop with a clear error instead.
 */
function checkedHandler(handler: DurableLambdaHandler, abort: (error: Error) => void): DurableLambdaHandler {
  return async (event, context) => {
    let output: unknown;
    try {
      output = await handler(event, context);
    } catch (error) {
      const failure = invocationThrewError(error);
      abort(failure);
      throw failure;
    }
    const status = (output as { Status?: unknown } | null)?.Status;
    if (status !== 'SUCCEEDED' && status !== 'FAILED' && status !== 'PENDING') {
      const failure = notDurableError(`it returned ${describe(output)} instead of an invocation status`);
      abort(failure);
      throw failure;
    }
    return output as Awaited<ReturnType<DurableLambdaHandler>>;
  };
}
