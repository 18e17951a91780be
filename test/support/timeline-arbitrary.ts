// Generated runs for property tests of the timeline layout: any mix of quick and slow steps, retries, waits of a
// second to a year, callbacks answered at once or days later, parallel branches, long and wide names, invocations.
import * as fc from 'fast-check';
import type { PrintableRun, TimelineAttempt, TimelineInvocation, TimelineOperation } from '../../lambda/testing';

const SECOND = 1000;
const YEAR = 366 * 24 * 3600 * SECOND;

/** A duration from `min` to `max` milliseconds, spread evenly over orders of magnitude. */
export function duration(min: number, max: number): fc.Arbitrary<number> {
  const low = Math.log10(Math.max(1, min));
  const high = Math.log10(max);
  return fc.integer({ min: 0, max: 1000 }).map((step) => Math.max(min, Math.round(10 ** (low + ((high - low) * step) / 1000))));
}

const name = fc.string({ minLength: 1, maxLength: 70, unit: fc.constantFrom('a', 'W', 'm', 'i', '-', ' ', '1', 'é', '→', '_', 'Q') });
const answer = fc.option(fc.string({ maxLength: 200 }), { nil: undefined });

/** One thing the workflow does: work, waiting, or branches that do either at once. */
type Segment =
  | { kind: 'step'; name: string; attempts: Array<{ work: number; delay: number }>; failed: boolean }
  | { kind: 'wait'; name: string; length: number }
  | { kind: 'callback'; name: string; latency: number; answer?: string }
  | { kind: 'parallel'; name: string; branches: Segment[][] };

const step = fc.record({
  kind: fc.constant('step' as const),
  name,
  attempts: fc.array(fc.record({
    work: fc.oneof(duration(0, 50), duration(50, 5 * 60 * SECOND)),
    delay: duration(SECOND, 3600 * SECOND),
  }), { minLength: 1, maxLength: 6 }),
  failed: fc.boolean(),
});
const wait = fc.record({ kind: fc.constant('wait' as const), name, length: duration(SECOND, YEAR) });
const callback = fc.record({ kind: fc.constant('callback' as const), name, latency: fc.oneof(duration(0, 20), duration(20, 3 * 24 * 3600 * SECOND)), answer });
const leaf = fc.oneof(step, wait, callback);
const parallel = fc.record({
  kind: fc.constant('parallel' as const),
  name,
  branches: fc.array(fc.array(leaf, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 3 }),
});

/** What a run is made of: segments in order, gaps of handler code between them, and where invocations started. */
export interface RunRecipe {
  readonly segments: Segment[];
  readonly gaps: number[];
  readonly invocationAt: number[];
}

export const runRecipe: fc.Arbitrary<RunRecipe> = fc.record({
  segments: fc.array(fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: parallel }), { minLength: 1, maxLength: 8 }),
  gaps: fc.array(duration(0, 5), { minLength: 8, maxLength: 8 }),
  invocationAt: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 7 }),
});

/** Lays a recipe out on a clock: the run the layout gets. */
export function runOf(recipe: RunRecipe): PrintableRun {
  const operations: TimelineOperation[] = [];
  const invocationStarts = [0];
  let now = 0;
  recipe.segments.forEach((segment, index) => {
    now += recipe.gaps[index];
    if (recipe.invocationAt.includes(index)) invocationStarts.push(now);
    now = place(segment, now, 0, undefined, operations);
  });
  const durationMs = now + 1;
  const invocationSpans: TimelineInvocation[] = invocationStarts.map((start, index) => ({
    startOffsetMs: start,
    endOffsetMs: invocationStarts[index + 1] ?? durationMs,
  }));
  const failed = operations.find((operation) => operation.depth === 0 && operation.status === 'FAILED');
  return {
    operations: operations.sort((a, b) => a.startOffsetMs - b.startOffsetMs),
    durationMs,
    invocations: invocationSpans.length,
    invocationSpans,
    status: failed ? 'FAILED' : 'SUCCEEDED',
    result: failed ? undefined : { ok: true },
    error: failed?.error,
  };
}

/** Adds the segment's operations starting at `start`; returns when it ended. */
function place(segment: Segment, start: number, depth: number, parentId: string | undefined, out: TimelineOperation[]): number {
  const id = `op-${out.length}`;
  const add = (operation: Partial<TimelineOperation> & Pick<TimelineOperation, 'type' | 'label' | 'status' | 'startOffsetMs' | 'endOffsetMs'>) => {
    out.push({ id: `op-${out.length}`, parentId, depth, attempts: [], startTime: new Date(operation.startOffsetMs), ...operation });
  };
  switch (segment.kind) {
    case 'step': {
      const attempts: TimelineAttempt[] = [];
      let at = start;
      segment.attempts.forEach((attempt, index) => {
        const last = index === segment.attempts.length - 1;
        const error = !last || segment.failed ? { message: `attempt ${index + 1} failed: ${segment.name}`, type: 'Error' } : undefined;
        attempts.push({ startOffsetMs: at, endOffsetMs: at + attempt.work, error });
        at += attempt.work + (last ? 0 : attempt.delay);
      });
      add({
        type: 'STEP',
        label: segment.name,
        status: segment.failed ? 'FAILED' : 'SUCCEEDED',
        startOffsetMs: start,
        endOffsetMs: at,
        attempts,
        attempt: attempts.length,
        error: attempts[attempts.length - 1].error,
      });
      return at;
    }
    case 'wait':
      add({ type: 'WAIT', label: segment.name, status: 'SUCCEEDED', startOffsetMs: start, endOffsetMs: start + segment.length, waitSeconds: segment.length / 1000 });
      return start + segment.length;
    case 'callback': {
      const end = start + 1 + segment.latency;
      add({ type: 'CONTEXT', subType: 'WaitForCallback', label: segment.name, status: 'SUCCEEDED', startOffsetMs: start, endOffsetMs: end + 1 });
      const child = { depth: depth + 1, parentId: id };
      out.push({
        id: `op-${out.length}`,
        ...child,
        type: 'CALLBACK',
        label: `${segment.name} (callback)`,
        status: 'SUCCEEDED',
        attempts: [],
        startOffsetMs: start,
        endOffsetMs: end,
        startTime: new Date(start),
        callbackId: 'x'.repeat(150),
        result: segment.answer,
      });
      out.push({
        id: `op-${out.length}`,
        ...child,
        type: 'STEP',
        label: `${segment.name} (submitter)`,
        status: 'SUCCEEDED',
        attempt: 1,
        attempts: [{ startOffsetMs: start + 1, endOffsetMs: start + 1 }],
        startOffsetMs: start + 1,
        endOffsetMs: start + 1,
        startTime: new Date(start),
      });
      return end + 1;
    }
    case 'parallel': {
      const at = out.length;
      add({ type: 'CONTEXT', subType: 'Parallel', label: segment.name, status: 'SUCCEEDED', startOffsetMs: start, endOffsetMs: start });
      const end = Math.max(...segment.branches.map((branch) => branch.reduce((from, inner) => place(inner, from, depth + 1, id, out), start)));
      out[at] = { ...out[at], endOffsetMs: end };
      return end;
    }
  }
}
