import type { DurableLambdaHandler, Operation } from '@aws/durable-execution-sdk-js';
import { parseJsonOrText } from '../json';
import { checkAnswer, failureOf, responderFor, unansweredError } from './callback-answers';
import type { AnsweredCallback, CallbackAnswer, PendingCallback } from './callback-answers';
import { RealClock } from './engine/clock/real-clock';
import { SimulatedClock } from './engine/clock/simulated-clock';
import { DurableEngine } from './engine/durable-engine';
import type { ReadyCallback } from './engine/durable-engine';
import type { ExecutionRecord } from './engine/store/execution-store';
import { timelineFromHistory } from './history-timeline';
import { invocationThrewError, LocalRunError, notDurableError, describe } from './local-run-error';
import type { LocalRunResult, RunWorkflowLocallyOptions } from './run-workflow-locally';

/** The function name the workflow runs under. */
const WORKFLOW = 'workflow';

/**
 * `runWorkflowLocally` on the local durable engine: one engine per run, so runs in one process do not meet.
 * Callbacks are answered as they start waiting; the run ends when the execution does, or fails when nothing can
 * move it on.
 */
export async function runOnEngine(handler: DurableLambdaHandler, options: RunWorkflowLocallyOptions): Promise<LocalRunResult> {
  const engine = new DurableEngine({ clock: options.skipTime === false ? new RealClock() : new SimulatedClock() });
  engine.register(WORKFLOW, handler, { executionTimeoutSeconds: options.executionTimeoutSeconds });
  for (const [name, fn] of Object.entries(options.functions ?? {})) engine.register(name, fn);

  const answered: AnsweredCallback[] = [];
  let rootArn: string | undefined;
  let succeed!: (record: ExecutionRecord) => void;
  let fail!: (error: Error) => void;
  const ended = new Promise<ExecutionRecord>((resolve, reject) => {
    succeed = resolve;
    fail = reject;
  });

  /** Answers a callback as soon as it waits, holding the clock while an answer is on its way. */
  const answer = (execution: ExecutionRecord, ready: ReadyCallback): void => {
    const callback: PendingCallback = { name: ready.name, callbackId: ready.callbackId, operationId: ready.operationId };
    const responder = responderFor(options, callback);
    if (!responder) {
      // A callback with a timeout is left to reach it, as it would be with no one answering on AWS.
      if (ready.timeoutSeconds === undefined && ready.heartbeatTimeoutSeconds === undefined) fail(unansweredError(options, callback));
      return;
    }
    const send = (reply: CallbackAnswer): void => {
      checkAnswer(reply, `the answer to callback "${callback.name ?? '(unnamed)'}"`);
      if (engine.describe(execution.arn)?.status !== 'RUNNING') return; // the execution ended while the answer was prepared
      if (reply.error) engine.sendCallbackFailure(callback.callbackId, failureOf(reply.error));
      else engine.sendCallbackSuccess(callback.callbackId, JSON.stringify(reply.result));
      answered.push({ ...callback, answer: reply });
    };
    try {
      const reply = typeof responder === 'function' ? responder(callback) : responder;
      if (!isPromiseLike(reply)) {
        send(reply);
        return;
      }
      const release = engine.hold(execution.arn);
      Promise.resolve(reply).then(send).catch(fail).finally(release);
    } catch (error) {
      fail(error as Error);
    }
  };

  const stopObserving = engine.observe({
    callbackReady: answer,
    executionEnded: (execution) => {
      if (execution.arn === rootArn) succeed(execution);
    },
    executionWaiting: (execution, waitingOn) => fail(stuckError(execution, waitingOn)),
    invocationFailed: (_execution, outcome) => fail(outcome.kind === 'threw'
      ? invocationThrewError(outcome.error)
      : notDurableError(`it returned ${describe(outcome.output)} instead of an invocation status`)),
  });
  try {
    rootArn = engine.start({ functionName: WORKFLOW, payload: options.payload === undefined ? undefined : JSON.stringify(options.payload) }).arn;
    const execution = await ended;
    const history = engine.history(execution.arn);
    const timeline = timelineFromHistory(history);
    if (execution.status === 'SUCCEEDED') {
      return { ...timeline, status: execution.status, result: parseJsonOrText(execution.result), callbacks: answered, history };
    }
    const error = execution.error ?? {};
    return {
      ...timeline,
      status: execution.status,
      error: { message: error.ErrorMessage ?? '', type: error.ErrorType, data: error.ErrorData, stackTrace: error.StackTrace },
      callbacks: answered,
      history,
    };
  } finally {
    stopObserving();
    // A run that failed leaves nothing behind: no timer of an abandoned execution keeps the process alive.
    for (const execution of engine.list()) {
      if (execution.status === 'RUNNING') engine.stop(execution.arn, { ErrorMessage: 'The local run ended before the execution did' });
    }
  }
}

function stuckError(execution: ExecutionRecord, waitingOn: Operation[]): LocalRunError {
  const what = execution.functionName === WORKFLOW ? 'The workflow' : `The invoked function ${execution.functionName}`;
  if (waitingOn.length === 0) {
    return new LocalRunError(`${what}'s handler suspended with nothing left to wait for: no wait, retry, callback or invoke is pending`);
  }
  const names = waitingOn.map((operation) => (operation.Name !== undefined ? `"${operation.Name}"` : '(unnamed)')).join(', ');
  return new LocalRunError(`${what} waits for callback ${names} and nothing will answer it`);
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
