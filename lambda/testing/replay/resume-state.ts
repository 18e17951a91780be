import type { Operation } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { visibleOperations } from '../engine/execution-state';
import { operationsFromHistory } from '../engine/history/operations-from-history';

/** The operations a history holds, and those an invocation resuming it would receive. */
export interface ResumeState {
  /** Every operation of the history in the order they started, the EXECUTION operation first. */
  readonly recorded: Operation[];
  /** What the service would send the handler on resume: the execution STARTED, and ended contexts' children left out unless kept. */
  readonly operations: Operation[];
}

/**
 * The state an execution resumes with, read back from its history. The history does not hold a context's
 * `ReplayChildren` flag, which decides whether the service keeps a completed context's children (and the SDK re-runs
 * its code on replay): it is set here as the SDK sets it under `childOperationsDepth`, on every completed context at
 * that nesting depth or shallower (top-level contexts are depth 1). The EXECUTION operation is STARTED even when the
 * history ended, so a finished (golden) history replays as if it were resumed at its last event.
 */
export function resumeState(events: readonly Event[], childOperationsDepth: number): ResumeState {
  const recorded = operationsFromHistory(events);
  const byId = new Map(recorded.map((operation) => [operation.Id!, operation]));
  const depthOf = (operation: Operation): number => {
    let depth = 0;
    for (let parent = byId.get(operation.ParentId ?? ''); parent; parent = byId.get(parent.ParentId ?? '')) depth++;
    return depth + 1;
  };
  const resumed = recorded.map((operation): Operation => {
    if (operation.Type === 'EXECUTION') {
      const { EndTimestamp: _ended, ...started } = operation;
      return { ...started, Status: 'STARTED' };
    }
    if (operation.Type === 'CONTEXT' && operation.EndTimestamp !== undefined && depthOf(operation) <= childOperationsDepth) {
      return { ...operation, ContextDetails: { ...operation.ContextDetails, ReplayChildren: true } };
    }
    return operation;
  });
  return { recorded, operations: visibleOperations(resumed.map((operation) => ({ operation }))) };
}
