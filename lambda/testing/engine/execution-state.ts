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
 * An operation as the handler receives it, with the times it polls for (a wait's end, a retry's next attempt) put
 * on its own clock by `handlerTime`. Stored operations are never changed in place (every change stores a new one),
 * and the SDK copies what it receives, so an operation without such a time goes out as it is.
 */
export function wireOperation(operation: Operation, handlerTime: (due: Date) => Date): Operation {
  const next = operation.StepDetails?.NextAttemptTimestamp;
  const end = operation.WaitDetails?.ScheduledEndTimestamp;
  if (!next && !end) return operation;
  return {
    ...operation,
    ...(next ? { StepDetails: { ...operation.StepDetails, NextAttemptTimestamp: handlerTime(next) } } : {}),
    ...(end ? { WaitDetails: { ScheduledEndTimestamp: handlerTime(end) } } : {}),
  };
}

/** One page of `operations` from `marker` (an offset), and the marker of the next page if there is one. */
export function statePage<T>(operations: readonly T[], marker: string | undefined, maxItems = STATE_PAGE_SIZE): { items: T[]; nextMarker?: string } {
  const start = marker ? Number(marker) : 0;
  const end = start + Math.max(1, Math.min(maxItems, STATE_PAGE_SIZE));
  return { items: operations.slice(start, end), nextMarker: end < operations.length ? String(end) : undefined };
}
