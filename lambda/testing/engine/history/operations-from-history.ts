import type { ErrorObject, Operation } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';

const TYPES: Record<string, Operation['Type']> = {
  Execution: 'EXECUTION', Step: 'STEP', Wait: 'WAIT', Callback: 'CALLBACK', Context: 'CONTEXT', ChainedInvoke: 'CHAINED_INVOKE',
};
const STATUSES: Record<string, Operation['Status']> = {
  Started: 'STARTED', Succeeded: 'SUCCEEDED', Failed: 'FAILED', TimedOut: 'TIMED_OUT', Stopped: 'STOPPED', Cancelled: 'CANCELLED',
};
const DETAILS = {
  EXECUTION: 'ExecutionDetails',
  STEP: 'StepDetails',
  WAIT: 'WaitDetails',
  CALLBACK: 'CallbackDetails',
  CONTEXT: 'ContextDetails',
  CHAINED_INVOKE: 'ChainedInvokeDetails',
} as const;

interface Details {
  Input?: { Payload?: string };
  Result?: { Payload?: string };
  Error?: { Payload?: ErrorObject };
  RetryDetails?: { NextAttemptDelaySeconds?: number };
  ScheduledEndTimestamp?: Date;
  CallbackId?: string;
}

/**
 * The operations an execution's history describes, in the state an invocation would receive them: the reverse of
 * the events the engine records, for a replay from a saved `GetDurableExecutionHistory`. Two things a history does
 * not hold stay out: a context's `ReplayChildren` flag, and a retry whose delay has passed (it stays PENDING with
 * its NextAttemptTimestamp; the service would hold it READY).
 */
export function operationsFromHistory(events: readonly Event[]): Operation[] {
  const operations = new Map<string, Operation>();
  const sorted = [...events].sort((a, b) => (a.EventId ?? 0) - (b.EventId ?? 0));
  for (const event of sorted) {
    const match = /^(Execution|Step|Wait|Callback|Context|ChainedInvoke)(Started|Succeeded|Failed|TimedOut|Stopped|Cancelled)$/.exec(event.EventType ?? '');
    if (!match || event.Id === undefined) continue; // InvocationCompleted: not an operation
    const [, kind, outcome] = match;
    const type = TYPES[kind];
    const at = event.EventTimestamp;
    const details = ((event as unknown as Record<string, Details | undefined>)[`${event.EventType}Details`]) ?? {};
    const operation: Operation = operations.get(event.Id) ?? {
      Id: event.Id,
      ParentId: event.ParentId,
      Name: event.Name,
      Type: type,
      SubType: event.SubType,
      StartTimestamp: at,
      Status: 'STARTED',
    };
    operations.set(event.Id, operation);
    const place = DETAILS[type as keyof typeof DETAILS];
    const own = ((operation as unknown as Record<string, Record<string, unknown> | undefined>)[place] ??= {});

    if (outcome === 'Started') {
      operation.Status = 'STARTED';
      if (type === 'EXECUTION') own.InputPayload = details.Input?.Payload;
      if (type === 'WAIT') own.ScheduledEndTimestamp = details.ScheduledEndTimestamp;
      if (type === 'CALLBACK') own.CallbackId = details.CallbackId;
      continue;
    }
    if (type === 'STEP') {
      // Each Succeeded or Failed event ends one attempt; with a next attempt scheduled, the step goes on.
      own.Attempt = ((own.Attempt as number | undefined) ?? 0) + 1;
      own.Result = details.Result?.Payload;
      own.Error = details.Error?.Payload;
      const delay = details.RetryDetails?.NextAttemptDelaySeconds;
      if (delay !== undefined && at) {
        operation.Status = 'PENDING';
        own.NextAttemptTimestamp = new Date(at.getTime() + delay * 1000);
        continue;
      }
      delete own.NextAttemptTimestamp;
    } else if (type !== 'WAIT' && type !== 'EXECUTION') {
      if (details.Result !== undefined) own.Result = details.Result.Payload;
      if (details.Error !== undefined) own.Error = details.Error.Payload;
    }
    operation.Status = STATUSES[outcome];
    operation.EndTimestamp = at;
  }
  return [...operations.values()];
}
