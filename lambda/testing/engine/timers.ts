import type { Operation } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { eventError, eventPayload, historyEvent } from './history/history-event';
import type { ExecutionRecord, StoredOperation } from './store/execution-store';

/** Something an execution waits for that falls due at a time of its own clock. */
export interface Timer {
  readonly kind: 'wait' | 'retry' | 'callback-timeout' | 'callback-heartbeat' | 'invoke-end' | 'execution-timeout';
  readonly due: Date;
  /** The operation it belongs to (all but the execution timeout). */
  readonly operationId?: string;
}

/** The timers of an execution, read off its open operations: nothing about them is stored apart from the operations. */
export function timersOf(execution: ExecutionRecord, open: Iterable<StoredOperation>): Timer[] {
  const timers: Timer[] = [];
  if (execution.executionTimeoutSeconds !== undefined) {
    timers.push({ kind: 'execution-timeout', due: after(execution.startTimestamp, execution.executionTimeoutSeconds) });
  }
  for (const { operation, callback, invoke } of open) {
    const operationId = operation.Id!;
    if (operation.Type === 'WAIT' && operation.Status === 'STARTED' && operation.WaitDetails?.ScheduledEndTimestamp) {
      timers.push({ kind: 'wait', due: operation.WaitDetails.ScheduledEndTimestamp, operationId });
    } else if (operation.Type === 'STEP' && operation.Status === 'PENDING' && operation.StepDetails?.NextAttemptTimestamp) {
      timers.push({ kind: 'retry', due: operation.StepDetails.NextAttemptTimestamp, operationId });
    } else if (operation.Type === 'CHAINED_INVOKE' && operation.Status === 'STARTED' && invoke?.outcome) {
      timers.push({ kind: 'invoke-end', due: invoke.outcome.at, operationId });
    } else if (operation.Type === 'CALLBACK' && operation.Status === 'STARTED' && callback) {
      if (callback.timeoutSeconds !== undefined) {
        timers.push({ kind: 'callback-timeout', due: after(operation.StartTimestamp!, callback.timeoutSeconds), operationId });
      }
      if (callback.heartbeatTimeoutSeconds !== undefined) {
        timers.push({ kind: 'callback-heartbeat', due: after(callback.heartbeatAt, callback.heartbeatTimeoutSeconds), operationId });
      }
    }
  }
  return timers;
}

/** The timer that falls due first, if any. */
export function earliest(timers: readonly Timer[]): Timer | undefined {
  return timers.reduce<Timer | undefined>((first, timer) => (first && first.due <= timer.due ? first : timer), undefined);
}

const INVOKE_ENDED = {
  SUCCEEDED: 'ChainedInvokeSucceeded', FAILED: 'ChainedInvokeFailed', TIMED_OUT: 'ChainedInvokeTimedOut', STOPPED: 'ChainedInvokeStopped',
} as const;

/**
 * The operation after its timer fired at `at`: a wait succeeds, a step becomes READY for its next attempt (no event:
 * its StepStarted follows), a callback times out, a chained invoke ends as its execution did. Not for the execution
 * timeout, which ends the execution.
 */
export function fireTimer(timer: Timer, stored: StoredOperation, at: Date): { stored: StoredOperation; events: Event[] } {
  const operation = stored.operation;
  switch (timer.kind) {
    case 'invoke-end': {
      const { status, result, error } = stored.invoke!.outcome!;
      const succeeded = status === 'SUCCEEDED';
      return {
        stored: {
          ...stored,
          operation: { ...operation, Status: status, EndTimestamp: at, ChainedInvokeDetails: succeeded ? { Result: result } : { Error: error } },
        },
        events: [historyEvent(INVOKE_ENDED[status], operation, at, succeeded ? { Result: eventPayload(result) } : { Error: eventError(error) })],
      };
    }
    case 'wait':
      return {
        stored: { ...stored, operation: { ...operation, Status: 'SUCCEEDED', EndTimestamp: at } },
        events: [historyEvent('WaitSucceeded', operation, at, { Duration: stored.waitSeconds })],
      };
    case 'retry':
      return { stored: { ...stored, operation: { ...operation, Status: 'READY' } }, events: [] };
    default: {
      const error = { ErrorMessage: timer.kind === 'callback-heartbeat' ? 'Callback timed out on heartbeat' : 'Callback timed out' };
      const timedOut: Operation = {
        ...operation,
        Status: 'TIMED_OUT',
        EndTimestamp: at,
        CallbackDetails: { ...operation.CallbackDetails, Error: error },
      };
      return { stored: { ...stored, operation: timedOut }, events: [historyEvent('CallbackTimedOut', operation, at, { Error: eventError(error) })] };
    }
  }
}

function after(start: Date, seconds: number): Date {
  return new Date(start.getTime() + seconds * 1000);
}
