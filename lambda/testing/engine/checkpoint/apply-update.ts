import type { Operation, OperationUpdate } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { eventError, eventPayload, historyEvent } from '../history/history-event';
import type { StoredOperation } from '../store/execution-store';

/** What applying one update needs from the engine. */
export interface UpdateContext {
  /** The execution's current time. */
  readonly now: Date;
  /** A new callback id, for a CALLBACK that starts. */
  newCallbackId(): string;
}

/** An operation after an update, and the history events the update adds. */
export interface AppliedUpdate {
  readonly stored: StoredOperation;
  readonly events: Event[];
}

/**
 * Applies one validated update (of any type but EXECUTION) to its operation, as the service's checkpoint does:
 * the new state the SDK receives back, and the history events that record the change.
 */
export function applyUpdate(update: OperationUpdate, previous: StoredOperation | undefined, context: UpdateContext): AppliedUpdate {
  const { now } = context;
  const base: Operation = previous?.operation ?? {
    Id: update.Id,
    ParentId: update.ParentId,
    Name: update.Name,
    Type: update.Type,
    SubType: update.SubType,
    StartTimestamp: now,
    Status: 'STARTED',
  };
  const subject = base;
  const ended = (status: Operation['Status']): Operation => ({ ...base, Status: status, EndTimestamp: now });

  switch (update.Type) {
    case 'STEP': {
      const details = base.StepDetails ?? {};
      // Attempts made so far: the SDK runs attempt Attempt + 1 next.
      const attempt = (details.Attempt ?? 0) + 1;
      switch (update.Action) {
        case 'START':
          return {
            stored: { ...previous, operation: { ...base, Status: 'STARTED', StepDetails: details } },
            events: [historyEvent('StepStarted', subject, now)],
          };
        case 'SUCCEED':
          return {
            stored: { ...previous, operation: { ...ended('SUCCEEDED'), StepDetails: { Attempt: attempt, Result: update.Payload } } },
            events: [historyEvent('StepSucceeded', subject, now, {
              Result: eventPayload(update.Payload), RetryDetails: { CurrentAttempt: attempt },
            })],
          };
        case 'FAIL':
          return {
            stored: { ...previous, operation: { ...ended('FAILED'), StepDetails: { Attempt: attempt, Error: update.Error } } },
            events: [historyEvent('StepFailed', subject, now, {
              Error: eventError(update.Error), RetryDetails: { CurrentAttempt: attempt },
            })],
          };
        default: {
          // RETRY: the attempt ended (failed, or a waitForCondition check that goes on with its new state in Payload).
          const delaySeconds = update.StepOptions?.NextAttemptDelaySeconds ?? 0;
          const retryDetails = { CurrentAttempt: attempt, NextAttemptDelaySeconds: delaySeconds };
          return {
            stored: {
              ...previous,
              operation: {
                ...base,
                Status: 'PENDING',
                StepDetails: {
                  Attempt: attempt,
                  NextAttemptTimestamp: new Date(now.getTime() + delaySeconds * 1000),
                  Result: update.Payload,
                  Error: update.Error,
                },
              },
            },
            events: [update.Error !== undefined
              ? historyEvent('StepFailed', subject, now, { Error: eventError(update.Error), RetryDetails: retryDetails })
              : historyEvent('StepSucceeded', subject, now, { Result: eventPayload(update.Payload), RetryDetails: retryDetails })],
          };
        }
      }
    }

    case 'CONTEXT': {
      if (update.Action === 'START') {
        return {
          stored: { operation: { ...base, ContextDetails: {} } },
          events: [historyEvent('ContextStarted', subject, now)],
        };
      }
      const succeeded = update.Action === 'SUCCEED';
      const ReplayChildren = update.ContextOptions?.ReplayChildren;
      return {
        stored: {
          ...previous,
          operation: {
            ...ended(succeeded ? 'SUCCEEDED' : 'FAILED'),
            ContextDetails: succeeded ? { Result: update.Payload, ReplayChildren } : { Error: update.Error, ReplayChildren },
          },
        },
        events: [succeeded
          ? historyEvent('ContextSucceeded', subject, now, { Result: eventPayload(update.Payload) })
          : historyEvent('ContextFailed', subject, now, { Error: eventError(update.Error) })],
      };
    }

    case 'WAIT': {
      if (update.Action === 'CANCEL') {
        return {
          stored: { ...previous, operation: ended('CANCELLED') },
          events: [historyEvent('WaitCancelled', subject, now, {})],
        };
      }
      const seconds = update.WaitOptions?.WaitSeconds ?? 0;
      const end = new Date(now.getTime() + seconds * 1000);
      return {
        stored: { operation: { ...base, WaitDetails: { ScheduledEndTimestamp: end } }, waitSeconds: seconds },
        events: [historyEvent('WaitStarted', subject, now, { Duration: seconds, ScheduledEndTimestamp: end })],
      };
    }

    case 'CALLBACK': {
      if (update.Action === 'CANCEL') {
        return { stored: { ...previous, operation: ended('CANCELLED') }, events: [] };
      }
      const callbackId = context.newCallbackId();
      const timeoutSeconds = update.CallbackOptions?.TimeoutSeconds;
      const heartbeatTimeoutSeconds = update.CallbackOptions?.HeartbeatTimeoutSeconds;
      return {
        stored: {
          operation: { ...base, CallbackDetails: { CallbackId: callbackId } },
          callback: { timeoutSeconds, heartbeatTimeoutSeconds, heartbeatAt: now },
        },
        events: [historyEvent('CallbackStarted', subject, now, {
          CallbackId: callbackId, Timeout: timeoutSeconds, HeartbeatTimeout: heartbeatTimeoutSeconds,
        })],
      };
    }

    default: {
      // CHAINED_INVOKE: the engine starts the target execution once the checkpoint is stored.
      if (update.Action === 'CANCEL') {
        return {
          stored: { ...previous!, operation: ended('STOPPED') },
          events: [historyEvent('ChainedInvokeStopped', subject, now, { Error: eventError(undefined) })],
        };
      }
      const functionName = update.ChainedInvokeOptions?.FunctionName ?? '';
      return {
        stored: { operation: { ...base, ChainedInvokeDetails: {} }, invoke: { functionName } },
        events: [historyEvent('ChainedInvokeStarted', subject, now, {
          FunctionName: functionName,
          TenantId: update.ChainedInvokeOptions?.TenantId,
          Input: eventPayload(update.Payload),
        })],
      };
    }
  }
}
