import type { Operation } from '@aws/durable-execution-sdk-js';
import type { StoredOperation } from './store/execution-store';

/** Operations per page of execution state, as the SDK asks for them. */
export const STATE_PAGE_SIZE = 1000;

/**
 * The operations an invocation receives. As the service does, the children of a context that has ended are left out
 * (the context's result stands for them) unless it asked to keep them (`ReplayChildren`: a result too large to
 * checkpoint, or instrumentation that wants the whole tree).
 */
export function visibleOperations(all: readonly StoredOperation[]): Operation[] {
  const byId = new Map<string, Operation>();
  const hidden = new Set<string>();
  const visible: Operation[] = [];
  for (const { operation } of all) {
    byId.set(operation.Id!, operation);
    const parent = operation.ParentId !== undefined ? byId.get(operation.ParentId) : undefined;
    const parentEnded = parent?.Status === 'SUCCEEDED' || parent?.Status === 'FAILED';
    if (parent && (hidden.has(parent.Id!) || (parentEnded && !parent.ContextDetails?.ReplayChildren))) {
      hidden.add(operation.Id!);
      continue;
    }
    visible.push(operation);
  }
  return visible;
}

/**
 * An operation as the handler receives it: a copy it may keep, with the times it polls for (a wait's end, a retry's
 * next attempt) put on its own clock by `handlerTime`.
 */
export function wireOperation(operation: Operation, handlerTime: (due: Date) => Date): Operation {
  const wire: Operation = { ...operation };
  if (operation.StepDetails) {
    const next = operation.StepDetails.NextAttemptTimestamp;
    wire.StepDetails = { ...operation.StepDetails, ...(next ? { NextAttemptTimestamp: handlerTime(next) } : {}) };
  }
  if (operation.WaitDetails) {
    const end = operation.WaitDetails.ScheduledEndTimestamp;
    wire.WaitDetails = { ScheduledEndTimestamp: end ? handlerTime(end) : undefined };
  }
  if (operation.ExecutionDetails) wire.ExecutionDetails = { ...operation.ExecutionDetails };
  if (operation.ContextDetails) wire.ContextDetails = { ...operation.ContextDetails };
  if (operation.CallbackDetails) wire.CallbackDetails = { ...operation.CallbackDetails };
  if (operation.ChainedInvokeDetails) wire.ChainedInvokeDetails = { ...operation.ChainedInvokeDetails };
  return wire;
}

/** One page of `operations` from `marker` (an offset), and the marker of the next page if there is one. */
export function statePage<T>(operations: readonly T[], marker: string | undefined, maxItems = STATE_PAGE_SIZE): { items: T[]; nextMarker?: string } {
  const start = marker ? Number(marker) : 0;
  const end = start + Math.max(1, Math.min(maxItems, STATE_PAGE_SIZE));
  return { items: operations.slice(start, end), nextMarker: end < operations.length ? String(end) : undefined };
}
