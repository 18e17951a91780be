import type { Event } from '@aws-sdk/client-lambda';
import { parseJsonOrText } from '../json';

/** An error as a durable execution records it (the Lambda API's `ErrorObject`). */
export interface TimelineError {
  readonly message: string;
  readonly type?: string;
  readonly data?: string;
  readonly stackTrace?: string[];
}

/** One try of a step: retries show up as several attempts with the backoff between them. */
export interface TimelineAttempt {
  readonly startOffsetMs: number;
  readonly endOffsetMs?: number;
  readonly error?: TimelineError;
}

/** One durable operation of an execution, placed on the execution's simulated clock. */
export interface TimelineOperation {
  readonly id: string;
  readonly parentId?: string;
  /** Nesting level: 0 for operations of the root context, 1 for their children, and so on. */
  readonly depth: number;
  /** `STEP`, `WAIT`, `CALLBACK`, `CONTEXT` or `CHAINED_INVOKE`. */
  readonly type: string;
  /** The SDK's finer kind: `Step`, `Wait`, `WaitForCallback`, `Parallel`, `MapIteration`, ... */
  readonly subType?: string;
  /** The name given in code; undefined for operations the SDK creates without one. */
  readonly name?: string;
  /** The name shown in timelines: the given name, or one derived from the parent for unnamed operations. */
  readonly label: string;
  /** `STARTED`, `PENDING` (a retry is scheduled), `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `STOPPED` or `CANCELLED`. */
  readonly status: string;
  /** Attempts made (steps only). */
  readonly attempt?: number;
  readonly attempts: TimelineAttempt[];
  /** Simulated time: the wall clock of the run plus every wait and retry delay the runner skipped. */
  readonly startTime: Date;
  readonly endTime?: Date;
  /** Milliseconds of simulated time from the start of the execution. */
  readonly startOffsetMs: number;
  readonly endOffsetMs?: number;
  /** Seconds a `WAIT` operation waits. */
  readonly waitSeconds?: number;
  /** The id a caller answers a `CALLBACK` operation with. */
  readonly callbackId?: string;
  /** The operation's result, parsed from JSON when it is JSON. */
  readonly result?: unknown;
  readonly error?: TimelineError;
}

/** One invocation of the handler, on the execution's simulated clock. */
export interface TimelineInvocation {
  readonly startOffsetMs: number;
  readonly endOffsetMs: number;
  /** Why the invocation failed (the handler threw or timed out), when it did. */
  readonly error?: TimelineError;
}

/** The operations of one execution on its simulated clock. */
export interface ExecutionTimeline {
  readonly operations: TimelineOperation[];
  readonly startTime: Date;
  readonly endTime: Date;
  /** Simulated duration of the whole execution in milliseconds. */
  readonly durationMs: number;
  /** How many times the handler was invoked (each replay counts). */
  readonly invocations: number;
  /** Where each invocation started and ended, in order (from the history's `InvocationCompleted` events). */
  readonly invocationSpans: TimelineInvocation[];
}

const OPERATION_KINDS: Record<string, string> = {
  Step: 'STEP',
  Wait: 'WAIT',
  Callback: 'CALLBACK',
  Context: 'CONTEXT',
  ChainedInvoke: 'CHAINED_INVOKE',
};

const OUTCOME_STATUS: Record<string, string> = {
  Started: 'STARTED',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  TimedOut: 'TIMED_OUT',
  Stopped: 'STOPPED',
  Cancelled: 'CANCELLED',
};

interface MutableOperation {
  id: string;
  parentId?: string;
  type: string;
  subType?: string;
  name?: string;
  status: string;
  attempts: Array<{ startOffsetMs: number; endOffsetMs?: number; error?: TimelineError }>;
  startOffsetMs: number;
  endOffsetMs?: number;
  waitSeconds?: number;
  callbackId?: string;
  result?: unknown;
  error?: TimelineError;
}

/**
 * Builds the timeline of an execution from its history events: the events the local runner
 * records, or what `GetDurableExecutionHistory` returns for a deployed execution.
 *
 * Simulated time: the local runner skips waits and retry delays, so an event that ends a wait
 * (or starts a retry) can carry a wall-clock time earlier than the moment it was due. The clock
 * is then moved forward to the due time. Each context (the root, a child context, a parallel
 * branch, a map item) keeps a clock of its own: the runner ends the waits of every branch at
 * once, and a two-day wait in one branch must not delay a sibling that only waited seconds.
 * A context starts at its parent's time, and its parent resumes no earlier than it ended. (So a map
 * item that waited for a free slot starts after the siblings the runner ended before starting it.)
 * Real history needs no correction: its events come when they were due.
 */
export function timelineFromHistory(events: readonly Event[]): ExecutionTimeline {
  const sorted = [...events]
    .filter((event) => event.EventTimestamp !== undefined)
    .sort((a, b) => (a.EventId ?? 0) - (b.EventId ?? 0));
  if (sorted.length === 0) {
    throw new Error('timelineFromHistory: the history has no timestamped events');
  }

  const origin = sorted[0].EventTimestamp!.getTime();
  let endOffset = 0;
  const invocationSpans: TimelineInvocation[] = [];
  // When the root clock's skipped time changed (wall offset, skipped from then on): an invocation's start,
  // which its InvocationCompleted event reports late, is placed with the skip of its own moment.
  const rootSkips: Array<{ wall: number; skipped: number }> = [{ wall: 0, skipped: 0 }];
  const due = new Map<string, number>();
  const operations = new Map<string, MutableOperation>();
  // Per context id (undefined: the root): skipped time so far, and its latest event.
  const clocks = new Map<string | undefined, { skipped: number; latest: number }>([[undefined, { skipped: 0, latest: 0 }]]);
  const clockOf = (context: string | undefined) => clocks.get(context) ?? clocks.get(undefined)!;

  for (const event of sorted) {
    const type = event.EventType ?? '';
    const wall = event.EventTimestamp!.getTime() - origin;
    const endsContext = /^Context(?!Started)/.test(type) && event.Id !== undefined && clocks.has(event.Id);
    // A context's end is on its own clock; every other event is on its parent context's (the root's for
    // execution and invocation events).
    const clock = endsContext ? clockOf(event.Id) : clockOf(event.ParentId);
    let offset = Math.max(clock.latest, wall + clock.skipped);
    const dueAt = event.Id !== undefined ? due.get(event.Id) : undefined;
    if (dueAt !== undefined && (type === 'WaitSucceeded' || type === 'StepStarted')) {
      if (offset < dueAt) {
        clock.skipped += dueAt - offset;
        offset = dueAt;
      }
      due.delete(event.Id!);
    }
    clock.latest = offset;
    endOffset = Math.max(endOffset, offset);
    if (type === 'ContextStarted' && event.Id !== undefined) {
      clocks.set(event.Id, { skipped: clock.skipped, latest: offset });
    }
    if (endsContext) {
      const parent = clockOf(event.ParentId);
      parent.skipped = Math.max(parent.skipped, offset - wall);
      parent.latest = Math.max(parent.latest, offset);
    }

    const root = clocks.get(undefined)!;
    if (root.skipped !== rootSkips[rootSkips.length - 1].skipped) rootSkips.push({ wall, skipped: root.skipped });

    if (type === 'InvocationCompleted') {
      const details = event.InvocationCompletedDetails;
      const startWall = details?.StartTimestamp !== undefined ? details.StartTimestamp.getTime() - origin : wall;
      const skipped = [...rootSkips].reverse().find((skip) => skip.wall <= startWall)?.skipped ?? 0;
      const previous = invocationSpans[invocationSpans.length - 1]?.startOffsetMs ?? 0;
      const error = toTimelineError(details?.Error?.Payload);
      invocationSpans.push({
        startOffsetMs: Math.min(offset, Math.max(previous, startWall + skipped)),
        endOffsetMs: offset,
        ...(error ? { error } : {}),
      });
      continue;
    }
    const match = /^(Step|Wait|Callback|Context|ChainedInvoke)(Started|Succeeded|Failed|TimedOut|Stopped|Cancelled)$/.exec(type);
    if (!match || event.Id === undefined) continue;
    const [, kind, outcome] = match;
    const details = (event as unknown as Record<string, EventDetails | undefined>)[`${type}Details`] ?? {};

    let operation = operations.get(event.Id);
    if (!operation) {
      operation = {
        id: event.Id,
        parentId: event.ParentId,
        type: OPERATION_KINDS[kind],
        subType: event.SubType,
        name: event.Name,
        status: 'STARTED',
        attempts: [],
        startOffsetMs: offset,
      };
      operations.set(event.Id, operation);
    }
    operation.name ??= event.Name;

    if (outcome === 'Started') {
      operation.status = 'STARTED';
      if (kind === 'Step') operation.attempts.push({ startOffsetMs: offset });
      if (kind === 'Wait' && details.Duration !== undefined) {
        operation.waitSeconds = details.Duration;
        due.set(event.Id, offset + details.Duration * 1000);
      }
      if (kind === 'Callback' && details.CallbackId) operation.callbackId = details.CallbackId;
      continue;
    }

    const error = toTimelineError(details.Error?.Payload);
    const retryDelay = details.RetryDetails?.NextAttemptDelaySeconds;
    if (kind === 'Step') {
      const current = operation.attempts[operation.attempts.length - 1];
      if (current && current.endOffsetMs === undefined) {
        current.endOffsetMs = offset;
        current.error = error;
      } else {
        operation.attempts.push({ startOffsetMs: offset, endOffsetMs: offset, error });
      }
    }
    if (outcome === 'Failed' && retryDelay !== undefined) {
      // A failed attempt with a retry scheduled: the step goes on.
      operation.status = 'PENDING';
      due.set(event.Id, offset + retryDelay * 1000);
      continue;
    }
    operation.status = OUTCOME_STATUS[outcome];
    operation.endOffsetMs = offset;
    operation.error = error;
    if (details.Result?.Payload !== undefined) operation.result = parseJsonOrText(details.Result.Payload);
  }

  // In the order they started on the simulated clock: branches of a parallel interleave as they would have run.
  const all = [...operations.values()].sort((a, b) => a.startOffsetMs - b.startOffsetMs);
  const byId = new Map(all.map((operation) => [operation.id, operation]));
  const at = (offset: number) => new Date(origin + offset);
  return {
    operations: all.map((operation) => ({
      ...operation,
      depth: depthOf(operation, byId),
      label: labelOf(operation, byId),
      attempt: operation.type === 'STEP' ? operation.attempts.length : undefined,
      startTime: at(operation.startOffsetMs),
      endTime: operation.endOffsetMs !== undefined ? at(operation.endOffsetMs) : undefined,
    })),
    startTime: at(0),
    endTime: at(endOffset),
    durationMs: endOffset,
    invocations: invocationSpans.length,
    invocationSpans,
  };
}

interface EventDetails {
  Duration?: number;
  CallbackId?: string;
  Result?: { Payload?: string };
  Error?: { Payload?: ErrorObjectLike };
  RetryDetails?: { NextAttemptDelaySeconds?: number };
}

interface ErrorObjectLike {
  ErrorMessage?: string;
  ErrorType?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

/** Converts the Lambda API's `ErrorObject` to a timeline error; undefined when there is none. */
export function toTimelineError(error: ErrorObjectLike | undefined): TimelineError | undefined {
  if (!error || (error.ErrorMessage === undefined && error.ErrorType === undefined)) return undefined;
  return {
    message: error.ErrorMessage ?? '',
    type: error.ErrorType,
    data: error.ErrorData,
    stackTrace: error.StackTrace,
  };
}

function depthOf(operation: MutableOperation, byId: Map<string, MutableOperation>): number {
  let depth = 0;
  for (let parent = operation.parentId; parent !== undefined; parent = byId.get(parent)?.parentId) {
    depth++;
    if (depth > byId.size) break;
  }
  return depth;
}

/** Unnamed operations are the SDK's own: name them after the operation they belong to. */
function labelOf(operation: MutableOperation, byId: Map<string, MutableOperation>): string {
  if (operation.name) return operation.name;
  const parent = operation.parentId !== undefined ? byId.get(operation.parentId) : undefined;
  if (parent?.subType === 'WaitForCallback') {
    return `${parent.name ?? 'waitForCallback'} ${operation.type === 'CALLBACK' ? '(callback)' : '(submitter)'}`;
  }
  return `(unnamed ${operation.subType ?? operation.type.toLowerCase()})`;
}
