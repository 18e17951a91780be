import * as fc from 'fast-check';
import { layoutTexts, layoutTimeline, runWorkflowLocally, xAt, type Box, type LocalRunResult, type PrintableRun, type TimelineLayout } from '../../lambda/testing';
import { handler as approval } from '../fixtures/runner/approval-workflow';
import { handler as branchClocks } from '../fixtures/runner/branch-clocks';
import { handler as closeRetries } from '../fixtures/runner/close-retries';
import { handler as parallelApprovals } from '../fixtures/runner/parallel-approvals';
import { duration, runOf, runRecipe } from '../support/timeline-arbitrary';

const MINUTE = 60_000;

/** The checks every picture passes, whatever the run. */
function expectClean(layout: TimelineLayout, run: PrintableRun): void {
  const { chart } = layout;
  const texts = layoutTexts(layout);
  for (const text of texts) {
    const canvas = { x: 0, y: 0, width: layout.width, height: layout.height };
    expect({ text: text.text, inside: within(text.box, canvas) }).toEqual({ text: text.text, inside: true });
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (intersect(texts[i].box, texts[j].box)) throw new Error(`"${texts[i].text}" (${texts[i].role}) overlaps "${texts[j].text}" (${texts[j].role})`);
    }
  }
  // Columns: names end before the type column, which ends before the chart; durations and notes come after it.
  const typeColumn = Math.min(...layout.rows.map((row) => row.kind.box.x));
  for (const row of layout.rows) {
    expect(right(row.name.box)).toBeLessThanOrEqual(typeColumn);
    expect(right(row.kind.box)).toBeLessThanOrEqual(chart.left);
    expect(row.duration.box.x).toBeGreaterThanOrEqual(chart.right);
    if (row.note) expect(row.note.box.x).toBeGreaterThanOrEqual(right(row.duration.box));
  }
  // The axis labels stay over the chart.
  for (const text of texts.filter((laid) => ['tick', 'break', 'invocation'].includes(laid.role))) {
    expect(text.box.x).toBeGreaterThanOrEqual(chart.left - 0.2);
    expect(right(text.box)).toBeLessThanOrEqual(chart.right + 0.2);
  }
  // Time runs left to right.
  layout.stops.slice(1).forEach((stop, index) => {
    expect(stop.offsetMs).toBeGreaterThan(layout.stops[index].offsetMs);
    expect(stop.x).toBeGreaterThanOrEqual(layout.stops[index].x);
  });
  // Every stretch of time in which a step runs is readable, however long the waits around it.
  for (const row of layout.rows.filter((laid) => laid.operation.type === 'STEP')) {
    row.operation.attempts.forEach((attempt, index) => {
      const bar = row.bars[index];
      if ((attempt.endOffsetMs ?? attempt.startOffsetMs) > attempt.startOffsetMs) expect(bar.x2 - bar.x1).toBeGreaterThanOrEqual(5.9);
    });
  }
  // A longer gap is never drawn narrower than a shorter one, and where each resumes is marked.
  const breaks = [...layout.breaks].sort((a, b) => (a.toMs - a.fromMs) - (b.toMs - b.fromMs));
  breaks.slice(1).forEach((gap, index) => expect(gap.x2 - gap.x1).toBeGreaterThanOrEqual(breaks[index].x2 - breaks[index].x1 - 0.2));
  for (const gap of layout.breaks) expect(layout.ticks.map((tick) => tick.offsetMs)).toContain(gap.toMs);
  // Every invocation is marked where it started.
  expect(layout.invocations.map((invocation) => invocation.x)).toEqual(run.invocationSpans.map((span) => xAt(layout.stops, span.startOffsetMs)));
  if (layout.invocations.length) expect(layout.invocations[0].label?.text).toBe('#1');
}

describe('layoutTimeline over generated runs', () => {
  test('no label touches another or leaves the picture, whatever the mix of durations, names and answers', () => {
    fc.assert(fc.property(runRecipe, fc.string({ maxLength: 200 }), (recipe, title) => {
      const run = runOf(recipe);
      expectClean(layoutTimeline(run, { title }), run);
    }), { numRuns: 150 });
  });

  test('long waits do not squeeze short work: steps of milliseconds keep a third of the chart beside waits of a second to a year', () => {
    const wait = duration(1000, 366 * 24 * 3600 * 1000);
    const stepsAndWaits = fc.array(fc.tuple(duration(10, 500), fc.option(wait, { nil: undefined })), { minLength: 2, maxLength: 8 });
    fc.assert(fc.property(stepsAndWaits, wait, (pairs, lastWait) => {
      const segments = pairs.flatMap(([work, length], index) => [
        { kind: 'step' as const, name: `s${index}`, attempts: [{ work, delay: 0 }], failed: false },
        ...(length !== undefined ? [{ kind: 'wait' as const, name: `w${index}`, length }] : []),
      ]);
      const run = runOf({ segments: [...segments, { kind: 'wait', name: 'last', length: lastWait }], gaps: segments.map(() => 1).concat(1), invocationAt: [] });
      const layout = layoutTimeline(run);
      const stepWidth = layout.rows.filter((row) => row.operation.type === 'STEP').reduce((sum, row) => sum + row.bars[0].x2 - row.bars[0].x1, 0);
      expect(stepWidth).toBeGreaterThanOrEqual((layout.chart.right - layout.chart.left) / 3);
      expectClean(layout, run);
    }), { numRuns: 100 });
  });
});

describe('layoutTimeline of real runs on the local engine', () => {
  const runs: Array<[string, () => Promise<LocalRunResult>]> = [
    ['retries and a two-day wait', () => runWorkflowLocally(approval, { payload: { orderId: 'o', paymentFailures: 2 }, callbacks: { approval: { result: { approved: true } } } })],
    ['parallel branches and map items on their own clocks', () => runWorkflowLocally(branchClocks)],
    ['retries a second apart, a ten-minute wait and a long answer', () => runWorkflowLocally(closeRetries, { callbacks: { approval: { result: { note: 'x'.repeat(300) } } } })],
  ];
  test.each(runs)('%s', async (_, start) => {
    const run = await start();
    expectClean(layoutTimeline(run, { title: 'a real run' }), run);
  });

  test('one-second retry delays are breaks narrower than the ten-minute wait, and none takes the chart', async () => {
    const run = await runWorkflowLocally(closeRetries, { callbacks: { approval: { result: 'yes' } } });
    const layout = layoutTimeline(run);
    const chartWidth = layout.chart.right - layout.chart.left;
    const widthOf = (length: (ms: number) => boolean) => layout.breaks.filter((gap) => length(gap.toMs - gap.fromMs)).map((gap) => gap.x2 - gap.x1);
    const delays = widthOf((ms) => ms >= 1000 && ms < 2000);
    const [settle] = widthOf((ms) => ms >= 10 * MINUTE);
    expect(delays).toHaveLength(5);
    for (const delay of delays) expect(delay).toBeLessThan(settle);
    for (const gap of layout.breaks) expect(gap.x2 - gap.x1).toBeLessThan(chartWidth / 4);
    expect(layout.breaks.map((gap) => gap.label.text)).toEqual(expect.arrayContaining(['1s', '10m']));
  });

  test('marks where each invocation started: a callback answered later resumes the handler in a new invocation', async () => {
    const run = await runWorkflowLocally(approval, {
      payload: { orderId: 'o' },
      callbacks: { approval: () => new Promise((resolve) => setTimeout(() => resolve({ result: { approved: true } }), 50)) },
    });
    expect(run.invocations).toBeGreaterThan(1);
    expect(run.invocationSpans).toHaveLength(run.invocations);
    const layout = layoutTimeline(run);
    expectClean(layout, run);
    const callback = run.operations.find((operation) => operation.type === 'CALLBACK')!;
    // The last invocation starts once the callback was answered.
    expect(run.invocationSpans[run.invocations - 1].startOffsetMs).toBeGreaterThanOrEqual(callback.endOffsetMs!);
    expect(layout.invocations.map((invocation) => invocation.number)).toEqual(run.invocationSpans.map((_, index) => index + 1));
  });

  test('the official runner\'s history (one invocation per replay) places every invocation on the simulated clock', async () => {
    const run = await runWorkflowLocally(approval, {
      payload: { orderId: 'o', paymentFailures: 1 },
      callbacks: { approval: { result: { approved: true } } },
      runner: 'official',
    });
    expect(run.invocations).toBeGreaterThan(2);
    const starts = run.invocationSpans.map((span) => span.startOffsetMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // The invocation after the two-day wait starts after it, not at the wall-clock moment the runner skipped it.
    const wait = run.operations.find((operation) => operation.label === 'cool-off')!;
    expect(starts.filter((start) => start >= wait.endOffsetMs!).length).toBeGreaterThan(0);
    for (const span of run.invocationSpans) expect(span.endOffsetMs).toBeGreaterThanOrEqual(span.startOffsetMs);
    expectClean(layoutTimeline(run), run);
    const parallel = await runWorkflowLocally(parallelApprovals, { callbacks: { legal: { result: 'ok' }, finance: { result: 'ok' } }, runner: 'official' });
    expectClean(layoutTimeline(parallel), parallel);
  });
});

function intersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function within(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && right(inner) <= right(outer) && inner.y + inner.height <= outer.y + outer.height;
}

function right(box: Box): number {
  return box.x + box.width;
}
