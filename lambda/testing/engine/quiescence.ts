import type { Operation } from '@aws/durable-execution-sdk-js';

/**
 * An operation the handler can only wait for: a timer, a callback, another execution. A `waitForCallback`'s callback
 * is not waited for until its submitter step has ended: the SDK checkpoints the callback first and then starts the
 * submitter, so in between the context's own code is about to run.
 */
function isWaiting(operation: Operation, parent: Operation | undefined, submitterEnded: (contextId: string) => boolean): boolean {
  switch (operation.Type) {
    case 'WAIT': return operation.Status === 'STARTED';
    case 'STEP': return operation.Status === 'PENDING';
    case 'CALLBACK':
      if (parent?.SubType === 'WaitForCallback' && !submitterEnded(parent.Id!)) return false;
      return operation.Status === 'STARTED';
    case 'CHAINED_INVOKE': return operation.Status === 'STARTED';
    default: return false;
  }
}

/**
 * Whether a running invocation is idle, as far as its checkpoints show: no step body is running or about to run,
 * and every context still running (the root included) has something it waits for. Only then may a clock that
 * skips idle time move the execution to its next timer without running it ahead of work a sibling branch still
 * does. The SDK knows better (it suspends an idle invocation after a short cooldown), so when this cannot tell,
 * the answer is no and the execution moves on after the invocation suspends. `submitterEnded` tells whether a
 * `waitForCallback` context's submitter step has ended (an ended step is no longer among the open operations).
 */
export function isQuiet(open: Iterable<Operation>, submitterEnded: (contextId: string) => boolean): boolean {
  const byId = new Map<string, Operation>();
  for (const operation of open) byId.set(operation.Id!, operation);
  // Contexts with something waiting below them; ROOT stands for the handler's own body.
  const blocked = new Set<string>();
  for (const operation of byId.values()) {
    if (operation.Type === 'STEP' && (operation.Status === 'STARTED' || operation.Status === 'READY')) return false;
    if (!isWaiting(operation, byId.get(operation.ParentId ?? ''), submitterEnded)) continue;
    let parentId = operation.ParentId;
    while (parentId !== undefined && !blocked.has(parentId)) {
      const parent = byId.get(parentId);
      if (!parent) break; // below a context that has ended: left behind, it blocks nothing
      blocked.add(parentId);
      parentId = parent.ParentId;
    }
    if (parentId === undefined) blocked.add(ROOT);
  }
  for (const operation of byId.values()) {
    if (operation.Type === 'CONTEXT' && !blocked.has(operation.Id!)) return false;
  }
  return blocked.has(ROOT);
}

const ROOT = '\u0000root';
