import type { TimelineOperation } from './history-timeline';
import type { PrintableRun } from './text-timeline';
import { fitText, textWidth, type TextStyle } from './text-width';
import { formatDuration, formatOffset } from './time-format';

// The geometry of a timeline picture, apart from how it is drawn: the SVG picture draws it, and so can any other
// view (a web page) that wants the same picture. Every text comes with the box it occupies, and no two boxes meet.

/** A rectangle in pixels, from the top left corner of the picture. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What a text is, which decides its font (below) and, in a renderer, its colour. */
export type TextRole = 'title' | 'status' | 'summary' | 'outcome' | 'legend' | 'tick' | 'break' | 'invocation'
| 'glyph' | 'name' | 'kind' | 'duration' | 'note' | 'footer';

/** A text placed in the picture. */
export interface LaidText extends TextStyle {
  readonly role: TextRole;
  readonly text: string;
  /** The whole text, when `text` was shortened with `…` to fit. */
  readonly full?: string;
  /** The anchor point: `x` is the start, middle or end of the text (`anchor`), `y` its baseline. */
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
  /** The area the text occupies, with the pill it is drawn on (break labels). */
  readonly box: Box;
}

/** One point of the time scale: the scale is linear between consecutive stops. */
export interface ScaleStop {
  readonly offsetMs: number;
  readonly x: number;
}

/** An idle gap drawn shorter than its length: the axis is broken there. */
export interface LaidBreak {
  readonly fromMs: number;
  readonly toMs: number;
  readonly x1: number;
  readonly x2: number;
  /** Its length, on a pill above the axis. */
  readonly label: LaidText;
}

/** A moment marked on the axis (the start, the end, the end of each break). */
export interface LaidTick {
  readonly offsetMs: number;
  readonly x: number;
  /** Its offset; left out where it would touch another label. */
  readonly label?: LaidText;
}

/** Where an invocation of the handler started. */
export interface LaidInvocation {
  /** 1 for the first invocation. */
  readonly number: number;
  readonly startOffsetMs: number;
  readonly endOffsetMs: number;
  readonly x: number;
  readonly failed: boolean;
  /** `#n` under the rows; left out where it would touch another label. */
  readonly label?: LaidText;
}

/** A bar: a whole operation, or one attempt of a step. */
export interface LaidBar {
  readonly x1: number;
  readonly x2: number;
  readonly failed: boolean;
  /** False for an operation still under way when the timeline was taken (drawn to its end). */
  readonly finished: boolean;
}

/** One operation's row. */
export interface LaidRow {
  readonly operation: TimelineOperation;
  readonly y: number;
  readonly height: number;
  readonly barY: number;
  readonly barHeight: number;
  /** The status mark, the name (indented under its parent), the type with attempts, the duration and the note. */
  readonly glyph: LaidText;
  readonly name: LaidText;
  readonly kind: LaidText;
  readonly duration: LaidText;
  /** A callback's answer, or the error. */
  readonly note?: LaidText;
  readonly bars: LaidBar[];
  /** Retry delays between attempts, from the end of one to the start of the next. */
  readonly links: Array<{ readonly x1: number; readonly x2: number }>;
}

/** What a legend entry shows. */
export type LegendKey = 'STEP' | 'WAIT' | 'CALLBACK' | 'CONTEXT' | 'CHAINED_INVOKE' | 'FAILED' | 'INVOCATION';

export interface LegendItem {
  readonly key: LegendKey;
  readonly swatch: Box;
  readonly label: LaidText;
}

/** The chart's area: the time axis runs from `left` to `right`, the rows from `rowsTop` to `rowsBottom`. */
export interface ChartArea {
  readonly left: number;
  readonly right: number;
  readonly axisY: number;
  readonly rowsTop: number;
  readonly rowsBottom: number;
}

/** A timeline picture, laid out. */
export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  readonly title: LaidText;
  readonly status: LaidText;
  readonly summary: LaidText;
  /** The result or the error. */
  readonly outcome?: LaidText;
  readonly legend: LegendItem[];
  readonly chart: ChartArea;
  readonly stops: ScaleStop[];
  readonly ticks: LaidTick[];
  readonly breaks: LaidBreak[];
  readonly invocations: LaidInvocation[];
  readonly rows: LaidRow[];
  readonly footer: LaidText;
}

/** Options of `layoutTimeline`. */
export interface TimelineLayoutOptions {
  /**
   * The heading, for example the workflow's name and scenario.
   * @default 'Durable execution'
   */
  readonly title?: string;
}

/** The fonts of each kind of text. */
const TEXT_STYLES: Record<TextRole, TextStyle> = {
  title: { size: 18, bold: true },
  status: { size: 13, bold: true },
  summary: { size: 13 },
  outcome: { size: 12 },
  legend: { size: 11 },
  tick: { size: 10, mono: true },
  break: { size: 10 },
  invocation: { size: 10, bold: true },
  glyph: { size: 12, bold: true },
  name: { size: 12 },
  kind: { size: 10, bold: true },
  duration: { size: 11 },
  note: { size: 11 },
  footer: { size: 11 },
};

const STATUS_GLYPHS: Record<string, string> = {
  SUCCEEDED: '✓',
  FAILED: '✗',
  TIMED_OUT: '◷',
  STOPPED: '■',
  CANCELLED: '–',
};

const PAD = 16;
const GAP = 12;
const GLYPH_COLUMN = 16;
const INDENT = 14;
const NAME_MAX = 260;
const NOTE_MAX = 260;
const CHART_WIDTH = 640;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
/** A bar is at least this wide, so an operation that took no time is still seen. */
const MIN_BAR = 3;
const PILL_HEIGHT = 15;
const PILL_PAD = 6;
const LANE_HEIGHT = 19;
const LABEL_GAP = 6;

const LEGEND: Array<[LegendKey, string]> = [
  ['STEP', 'Step'], ['WAIT', 'Wait'], ['CALLBACK', 'Callback'], ['CONTEXT', 'Child context'],
  ['CHAINED_INVOKE', 'Invoke'], ['FAILED', 'Failed attempt'], ['INVOCATION', 'Invocation start'],
];

/** Lays out the picture of a run: header, time axis with its breaks, one row per operation, invocation starts. */
export function layoutTimeline(run: PrintableRun, options: TimelineLayoutOptions = {}): TimelineLayout {
  const operations = run.operations;
  const runEnd = run.durationMs;

  // Columns left of the chart: status mark, name (indented), type. They are as wide as their texts need.
  const nameLeft = (operation: TimelineOperation) => PAD + GLYPH_COLUMN + operation.depth * INDENT;
  const kinds = operations.map(kindText);
  const nameRight = Math.min(PAD + GLYPH_COLUMN + NAME_MAX,
    Math.max(PAD + GLYPH_COLUMN + 40, ...operations.map((operation) => nameLeft(operation) + textWidth(operation.label, TEXT_STYLES.name))));
  const kindRight = nameRight + GAP + Math.max(0, ...kinds.map((kind) => textWidth(kind, TEXT_STYLES.kind)));
  const chartLeft = Math.ceil(kindRight + GAP);

  const scale = timeScale(run, chartLeft, CHART_WIDTH);
  const chartRight = chartLeft + scale.width;

  // Columns right of the chart: duration, then the answer or error.
  const durations = operations.map((operation) => (operation.endOffsetMs === undefined ? 'not finished' : formatDuration(operation.endOffsetMs - operation.startOffsetMs)));
  const notes = operations.map(noteText);
  const durationLeft = chartRight + GAP;
  const durationWidth = Math.max(0, ...durations.map((text) => textWidth(text, TEXT_STYLES.duration)));
  const noteLeft = durationLeft + durationWidth + GAP;
  const noteWidth = Math.min(NOTE_MAX, Math.max(0, ...notes.map((text) => (text ? textWidth(text, TEXT_STYLES.note) : 0))));
  const width = Math.ceil((noteWidth > 0 ? noteLeft + noteWidth : durationLeft + durationWidth) + PAD);
  const inner = width - 2 * PAD;

  // Header: title, status and summary, outcome, legend.
  let y = 30;
  const title = place('title', options.title ?? 'Durable execution', PAD, y, 'start', inner);
  y += 24;
  const status = place('status', `${STATUS_GLYPHS[run.status] ?? '…'} ${run.status}`, PAD, y, 'start');
  const summaryLeft = status.box.x + status.box.width + 10;
  const summary = place('summary', `${plural(operations.length, 'operation')} · ${plural(run.invocations, 'invocation')} · `
    + `${formatOffset(runEnd).slice(1)} of simulated time`, summaryLeft, y, 'start', width - PAD - summaryLeft);
  const outcomeText = run.status === 'SUCCEEDED'
    ? `Result: ${JSON.stringify(run.result) ?? 'undefined'}`
    : run.error ? `Error: ${run.error.type ? `${run.error.type}: ` : ''}${run.error.message}` : undefined;
  let outcome: LaidText | undefined;
  if (outcomeText !== undefined) {
    y += 20;
    outcome = place('outcome', outcomeText, PAD, y, 'start', inner);
  }
  y += 23;
  const legend: LegendItem[] = [];
  let x = PAD;
  for (const [key, name] of LEGEND) {
    const itemWidth = 17 + textWidth(name, TEXT_STYLES.legend);
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      y += 18;
    }
    legend.push({ key, swatch: { x, y: y - 9, width: 12, height: 10 }, label: place('legend', name, x + 17, y, 'start') });
    x += itemWidth + 14;
  }

  // Above the axis: a lane of offsets, then as many lanes of break pills as keep them apart.
  const tickBaseline = y + 28;
  const pillsTop = tickBaseline + 8;
  // Each lane holds the pills' [left, right] extents.
  const breakLanes: Array<Array<[number, number]>> = [];
  const breaks = scale.breaks.map((gap): LaidBreak => {
    const x1 = xAt(scale.stops, gap.fromMs);
    const x2 = xAt(scale.stops, gap.toMs);
    const text = formatDuration(gap.toMs - gap.fromMs);
    const pillWidth = textWidth(text, TEXT_STYLES.break) + 2 * PILL_PAD;
    const left = clamp((x1 + x2) / 2 - pillWidth / 2, chartLeft, chartRight - pillWidth);
    const extent: [number, number] = [left - LABEL_GAP / 2, left + pillWidth + LABEL_GAP / 2];
    let lane = breakLanes.findIndex((placed) => placed.every(([from, to]) => extent[1] <= from || to <= extent[0]));
    if (lane === -1) lane = breakLanes.push([]) - 1;
    breakLanes[lane].push(extent);
    const box = { x: round(left), y: pillsTop + lane * LANE_HEIGHT, width: round(pillWidth), height: PILL_HEIGHT };
    return { ...gap, x1, x2, label: { role: 'break', ...TEXT_STYLES.break, text, x: round(left + pillWidth / 2), y: box.y + 11, anchor: 'middle', box } };
  });
  const axisY = pillsTop + breakLanes.length * LANE_HEIGHT + 4;
  const rowsTop = axisY + 6;
  const rowsBottom = rowsTop + Math.max(1, operations.length) * ROW_HEIGHT;

  const ticks = layoutTicks(scale, tickBaseline, chartLeft, chartRight);
  const rows = operations.map((operation, index): LaidRow => {
    const top = rowsTop + index * ROW_HEIGHT;
    const baseline = top + 16;
    const note = notes[index];
    return {
      operation,
      y: top,
      height: ROW_HEIGHT,
      barY: top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
      barHeight: BAR_HEIGHT,
      glyph: place('glyph', STATUS_GLYPHS[operation.status] ?? '…', PAD, baseline, 'start'),
      name: place('name', operation.label, nameLeft(operation), baseline, 'start', nameRight - nameLeft(operation)),
      kind: place('kind', kinds[index], kindRight, baseline, 'end'),
      duration: place('duration', durations[index], durationLeft, baseline, 'start'),
      note: note ? place('note', note, noteLeft, baseline, 'start', noteWidth) : undefined,
      ...barsOf(operation, scale.stops, runEnd),
    };
  });

  // Under the rows: where each invocation started.
  const invocationBaseline = rowsBottom + 15;
  const placedInvocations: Box[] = [];
  const invocations = run.invocationSpans.map((span, index): LaidInvocation => {
    const at = xAt(scale.stops, span.startOffsetMs);
    const text = `#${index + 1}`;
    const labelWidth = textWidth(text, TEXT_STYLES.invocation);
    const centre = clamp(at, chartLeft + labelWidth / 2, chartRight - labelWidth / 2);
    const candidate = place('invocation', text, centre, invocationBaseline, 'middle');
    const fits = placedInvocations.every((other) => apart(other, candidate.box, LABEL_GAP));
    if (fits) placedInvocations.push(candidate.box);
    return {
      number: index + 1,
      startOffsetMs: span.startOffsetMs,
      endOffsetMs: span.endOffsetMs,
      x: at,
      failed: span.error !== undefined,
      label: fits ? candidate : undefined,
    };
  });

  const footerBaseline = invocationBaseline + 22;
  const footer = place('footer', 'Time axis: work to scale; idle gaps (waits, retry delays, callbacks) that would crowd it out are '
    + 'compressed into zigzag bands labelled with their length.', PAD, footerBaseline, 'start', inner);

  return {
    width,
    height: footerBaseline + 12,
    title,
    status,
    summary,
    outcome,
    legend,
    chart: { left: chartLeft, right: chartRight, axisY, rowsTop, rowsBottom },
    stops: scale.stops,
    ticks,
    breaks,
    invocations,
    rows,
    footer,
  };
}

/** Every text of a layout, each once. */
export function layoutTexts(layout: TimelineLayout): LaidText[] {
  return [
    layout.title, layout.status, layout.summary, ...(layout.outcome ? [layout.outcome] : []),
    ...layout.legend.map((item) => item.label),
    ...layout.ticks.flatMap((tick) => (tick.label ? [tick.label] : [])),
    ...layout.breaks.map((gap) => gap.label),
    ...layout.rows.flatMap((row) => [row.glyph, row.name, row.kind, row.duration, ...(row.note ? [row.note] : [])]),
    ...layout.invocations.flatMap((invocation) => (invocation.label ? [invocation.label] : [])),
    layout.footer,
  ];
}

/** The x of a moment on the scale. */
export function xAt(stops: readonly ScaleStop[], offsetMs: number): number {
  if (offsetMs <= stops[0].offsetMs) return stops[0].x;
  let low = 0;
  let high = stops.length - 1;
  if (offsetMs >= stops[high].offsetMs) return stops[high].x;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (stops[middle].offsetMs <= offsetMs) low = middle;
    else high = middle;
  }
  const a = stops[low];
  const b = stops[high];
  return round(a.x + ((offsetMs - a.offsetMs) / (b.offsetMs - a.offsetMs)) * (b.x - a.x));
}

// ---- The time scale ----------------------------------------------------------------------------------------------

/** The linear scale's cap in pixels a millisecond: a run that is mostly waiting widens its breaks, not its work. */
const MAX_PX_PER_MS = 40;
/** Two moments that differ are at least this far apart... */
const MIN_GAP_PX = 3;
/** ... and a stretch of time in which a step runs at least this wide. */
const MIN_WORK_PX = 6;
/** A break is this wide for a gap of a second or less, and grows this much for every tenfold longer gap. */
const BREAK_PX = 28;
const BREAK_PX_PER_DECADE = 18;
/** Breaks together take at most this share of the chart, each at least MIN_BREAK_PX (the room of its two cuts). */
const MAX_BREAK_SHARE = 0.5;
const MIN_BREAK_PX = 24;

interface TimeScale {
  readonly stops: ScaleStop[];
  readonly breaks: Array<{ readonly fromMs: number; readonly toMs: number }>;
  readonly width: number;
}

/**
 * Simulated time to x. A timeline mixes milliseconds of work with retry delays of seconds and waits of days, so
 * one linear scale either squeezes the work to nothing or lets a delay fill the picture. This scale:
 *
 * 1. cuts the run at every moment something starts or ends (operations, attempts, invocations);
 * 2. calls a stretch between two such moments idle when no step runs in it while a wait, a retry delay, a
 *    callback or an invoke is pending, and work otherwise;
 * 3. draws work to one linear scale, and an idle stretch to the same scale unless that would make it wider than
 *    its break width: 28 px for a second or less and 18 px more for each tenfold (46 px for 10 s, 78 px for
 *    10 min, 123 px for 2 days, 164 px for a year), never under 24 px. Such a stretch becomes a break: the axis
 *    is cut there and a pill gives its length. Width grows with length throughout, so a longer gap is never
 *    drawn narrower than a shorter one;
 * 4. shrinks the break widths together when they would take more than half the chart, so the work keeps the rest;
 * 5. takes the largest linear scale with which everything fits, keeping every stretch at least 3 px (6 px with
 *    a step running) so no moment hides another; the chart grows wider when the stretches need more room;
 * 6. caps the linear scale at 40 px a millisecond: a run that is mostly waiting widens its breaks instead (up to
 *    their linear width), and if that is not enough, the whole axis is stretched evenly to the chart's width.
 */
function timeScale(run: PrintableRun, left: number, minWidth: number): TimeScale {
  const runEnd = run.durationMs;
  const moments = new Set<number>([0, runEnd]);
  const working: Array<[number, number]> = [];
  const waiting: Array<[number, number]> = [];
  for (const operation of run.operations) {
    const end = operation.endOffsetMs ?? runEnd;
    moments.add(operation.startOffsetMs).add(end);
    if (['WAIT', 'CALLBACK', 'CHAINED_INVOKE'].includes(operation.type)) waiting.push([operation.startOffsetMs, end]);
    operation.attempts.forEach((attempt, index) => {
      const attemptEnd = attempt.endOffsetMs ?? runEnd;
      moments.add(attempt.startOffsetMs).add(attemptEnd);
      working.push([attempt.startOffsetMs, attemptEnd]);
      const next = operation.attempts[index + 1];
      // The retry delay: to the next attempt, or, while a retry is due, to the end.
      if (next) waiting.push([attemptEnd, next.startOffsetMs]);
      else if (attempt.endOffsetMs !== undefined && end > attemptEnd) waiting.push([attemptEnd, end]);
    });
  }
  for (const span of run.invocationSpans) moments.add(span.startOffsetMs);
  const times = [...moments].filter((time) => time >= 0 && time <= runEnd).sort((a, b) => a - b);
  if (times.length < 2) return { stops: [{ offsetMs: 0, x: left }], breaks: [], width: minWidth };

  // Which stretches a step runs in, and which something is waited for in (counted over sorted moments).
  const index = new Map(times.map((time, at) => [time, at]));
  const cover = (spans: Array<[number, number]>) => {
    const counts = new Array<number>(times.length).fill(0);
    for (const [from, to] of spans) {
      if (to <= from) continue;
      counts[index.get(from)!]++;
      counts[index.get(to)!]--;
    }
    for (let at = 1; at < counts.length; at++) counts[at] += counts[at - 1];
    return counts;
  };
  const work = cover(working);
  const wait = cover(waiting);
  const stretches = times.slice(1).map((to, at) => {
    const from = times[at];
    const idle = work[at] === 0 && wait[at] > 0;
    return { from, to, length: to - from, idle, floor: work[at] > 0 ? MIN_WORK_PX : MIN_GAP_PX };
  });
  const breakWidth = (length: number) => BREAK_PX + BREAK_PX_PER_DECADE * Math.max(0, Math.log10(length / 1000));
  // Idle stretches are drawn linearly up to `breaksBy` times their break width (and a break at least MIN_BREAK_PX).
  const widthAt = (stretch: typeof stretches[number], pxPerMs: number, breaksBy: number) => Math.max(stretch.floor, stretch.idle
    ? Math.min(pxPerMs * stretch.length, Math.max(MIN_BREAK_PX, breaksBy * breakWidth(stretch.length)))
    : pxPerMs * stretch.length);
  const total = (pxPerMs: number, breaksBy: number) => stretches.reduce((sum, stretch) => sum + widthAt(stretch, pxPerMs, breaksBy), 0);

  const width = Math.max(minWidth, Math.ceil(2 * stretches.reduce((sum, stretch) => sum + stretch.floor + (stretch.idle ? MIN_BREAK_PX : 0), 0)));
  const allBreaks = stretches.reduce((sum, stretch) => sum + (stretch.idle ? breakWidth(stretch.length) : 0), 0);
  let breaksBy = Math.min(1, (MAX_BREAK_SHARE * width) / Math.max(1, allBreaks));
  let pxPerMs = MAX_PX_PER_MS;
  if (total(pxPerMs, breaksBy) > width) {
    pxPerMs = largestBelow(MAX_PX_PER_MS, (value) => total(value, breaksBy) <= width);
  } else {
    // Mostly waiting: the work at its widest, and the breaks wider, up to drawing every idle stretch linearly.
    const linear = Math.max(breaksBy, ...stretches.map((stretch) => (stretch.idle ? (pxPerMs * stretch.length) / breakWidth(stretch.length) : 0)));
    breaksBy = largestBelow(linear, (value) => total(pxPerMs, value) <= width);
  }
  const stretchBy = width / total(pxPerMs, breaksBy);

  const stops: ScaleStop[] = [{ offsetMs: 0, x: left }];
  const breaks: TimeScale['breaks'] = [];
  let x = left;
  for (const stretch of stretches) {
    x += widthAt(stretch, pxPerMs, breaksBy) * stretchBy;
    stops.push({ offsetMs: stretch.to, x: round(x) });
    const broken = stretch.idle && Math.max(MIN_BREAK_PX, breaksBy * breakWidth(stretch.length)) < pxPerMs * stretch.length;
    if (broken) breaks.push({ fromMs: stretch.from, toMs: stretch.to });
  }
  return { stops, breaks, width };
}

/** The largest value in [0, high] for which `fits` holds, where it holds for every smaller value (by halving). */
function largestBelow(high: number, fits: (value: number) => boolean): number {
  if (fits(high)) return high;
  let low = 0;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function layoutTicks(scale: TimeScale, baseline: number, chartLeft: number, chartRight: number): LaidTick[] {
  const stops = scale.stops;
  const end = stops[stops.length - 1].offsetMs;
  // The start and the end first, then where activity resumes after the longest breaks.
  const moments = [0, end, ...[...scale.breaks].sort((a, b) => (b.toMs - b.fromMs) - (a.toMs - a.fromMs)).map((gap) => gap.toMs)];
  const placed: Box[] = [];
  const labels = new Map<number, LaidText>();
  for (const moment of new Set(moments)) {
    const text = moment === 0 ? '0' : formatOffset(moment);
    const at = xAt(stops, moment);
    const labelWidth = textWidth(text, TEXT_STYLES.tick);
    const label = moment === 0
      ? place('tick', text, chartLeft, baseline, 'start')
      : place('tick', text, clamp(at, chartLeft + labelWidth / 2, chartRight - labelWidth / 2), baseline, 'middle');
    if (placed.every((other) => apart(other, label.box, LABEL_GAP))) {
      placed.push(label.box);
      labels.set(moment, label);
    }
  }
  return [...new Set(moments)].sort((a, b) => a - b).map((moment) => ({ offsetMs: moment, x: xAt(stops, moment), label: labels.get(moment) }));
}

function barsOf(operation: TimelineOperation, stops: ScaleStop[], runEnd: number): Pick<LaidRow, 'bars' | 'links'> {
  const span = (from: number, to: number | undefined) => {
    const x1 = xAt(stops, from);
    return { x1, x2: Math.max(xAt(stops, to ?? runEnd), x1 + MIN_BAR) };
  };
  if (operation.type === 'STEP' && operation.attempts.length > 0) {
    const bars = operation.attempts.map((attempt) => ({
      ...span(attempt.startOffsetMs, attempt.endOffsetMs),
      failed: attempt.error !== undefined,
      finished: attempt.endOffsetMs !== undefined,
    }));
    const links = bars.slice(1).map((next, at) => ({ x1: bars[at].x2, x2: next.x1 }));
    return { bars, links };
  }
  return {
    bars: [{
      ...span(operation.startOffsetMs, operation.endOffsetMs),
      failed: ['FAILED', 'TIMED_OUT', 'STOPPED'].includes(operation.status),
      finished: operation.endOffsetMs !== undefined,
    }],
    links: [],
  };
}

function kindText(operation: TimelineOperation): string {
  const kind = operation.type === 'CHAINED_INVOKE' ? 'INVOKE' : operation.type;
  return (operation.attempt ?? 0) > 1 ? `${kind} ×${operation.attempt}` : kind;
}

/** What came out that the rest of the run depends on: a callback's answer, or the error. */
function noteText(operation: TimelineOperation): string | undefined {
  const parts: string[] = [];
  if (operation.type === 'CALLBACK' && operation.result !== undefined) parts.push(`answer ${JSON.stringify(operation.result)}`);
  if (operation.error) parts.push(operation.error.message);
  return parts.length ? parts.join(' · ') : undefined;
}

/** A text at its anchor, shortened to `maxWidth` when given, with its box. */
function place(role: TextRole, full: string, x: number, y: number, anchor: LaidText['anchor'], maxWidth?: number): LaidText {
  const style = TEXT_STYLES[role];
  const text = maxWidth === undefined ? full : fitText(full, maxWidth, style);
  const width = textWidth(text, style);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  return {
    role,
    ...style,
    text,
    ...(text !== full ? { full } : {}),
    x: round(x),
    y: round(y),
    anchor,
    box: { x: round(left), y: round(y - 0.8 * style.size), width: round(width), height: round(1.05 * style.size) },
  };
}

/** Whether two boxes are at least `gap` apart horizontally or do not share a line. */
function apart(a: Box, b: Box, gap: number): boolean {
  return a.x + a.width + gap <= b.x || b.x + b.width + gap <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
