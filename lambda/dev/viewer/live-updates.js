// The dev server's change stream (/_dev/events): the page refreshes what a change touches. Bursts (an execution records
// several events at once, a load test starts hundreds) are coalesced into one refresh per view and frame of ~100 ms.

const COALESCE_MS = 100;

/**
 * Calls `onHistory(executionArns)` with the executions that changed, and `onWorkflows()` when the assembly was read
 * again; `onConnection(connected)` as the stream opens and drops (the browser reconnects by itself).
 */
export function watchChanges({ onHistory, onWorkflows, onConnection }) {
  const source = new EventSource('/_dev/events');
  let changed = new Set();
  let timer;
  source.addEventListener('history', (event) => {
    changed.add(JSON.parse(event.data).executionArn);
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      const arns = changed;
      changed = new Set();
      timer = undefined;
      onHistory(arns);
    }, COALESCE_MS);
  });
  source.addEventListener('workflows', () => onWorkflows());
  source.addEventListener('open', () => onConnection(true));
  source.addEventListener('error', () => onConnection(false));
  return () => source.close();
}
