// What two local runs must share to count as the same execution: status, result, error type and message, and the
// operations (type, name, kind, status, attempts) in tree order, each context's operations in the order they started.
import type { LocalRunResult, TimelineOperation } from '../../lambda/testing';

export interface RunShape {
  readonly status: string;
  readonly result: unknown;
  readonly error?: { readonly type?: string; readonly message: string };
  readonly operations: string[];
}

export function runShape(run: LocalRunResult): RunShape {
  const children = new Map<string | undefined, TimelineOperation[]>();
  // Timelines list operations by simulated start; within one context that is the order the code started them.
  for (const operation of run.operations) children.set(operation.parentId, [...children.get(operation.parentId) ?? [], operation]);
  const operations: string[] = [];
  const walk = (parentId: string | undefined, depth: number): void => {
    for (const operation of children.get(parentId) ?? []) {
      operations.push(`${'  '.repeat(depth)}${operation.type} ${operation.label} (${operation.subType}) ${operation.status}`
        + `${operation.attempt !== undefined ? ` x${operation.attempt}` : ''}`);
      walk(operation.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return {
    status: run.status,
    result: run.result,
    error: run.error && { type: run.error.type, message: run.error.message },
    operations,
  };
}
