// The SDK's `childOperationsDepth` a handler runs with, carried on the handler itself: an execution's history does not
// record which completed contexts keep their children for replay, and `checkReplay` needs to know.

/** A global symbol, so a bundled copy of the runtime (a workflow file, a cdk.out asset) marks handlers the same way. */
const CHILD_OPERATIONS_DEPTH = Symbol.for('cdk-durable-workflow.childOperationsDepth');

/** Marks `handler` as running with `depth`. */
export function markChildOperationsDepth<T extends object>(handler: T, depth: number): T {
  return Object.defineProperty(handler, CHILD_OPERATIONS_DEPTH, { value: depth });
}

/** The depth a handler was marked with; undefined for handlers this package did not make. */
export function childOperationsDepthOf(handler: object): number | undefined {
  const depth = (handler as { [CHILD_OPERATIONS_DEPTH]?: unknown })[CHILD_OPERATIONS_DEPTH];
  return typeof depth === 'number' ? depth : undefined;
}
