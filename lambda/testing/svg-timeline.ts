import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TimelineOperation } from './history-timeline';
import type { PrintableRun } from './text-timeline';
import { formatDuration, formatOffset } from './time-format';

/** Options of `renderTimelineSvg` and `writeTimelineSvg`. */
export interface TimelineSvgOptions {
  /** The heading, for example the workflow's name and scenario. */
  readonly title?: string;
}

// Gaps longer than this (waits, retry delays, a human answering) are drawn as axis breaks
// of a width that grows with the logarithm of the gap; shorter spans share one linear scale.
// Without it, a two-day wait would leave millisecond steps zero pixels wide.
const BREAK_THRESHOLD_MS = 1000;
const LABEL_WIDTH = 330;
const CHART_WIDTH = 840;
const PAD = 16;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
const HEADER_HEIGHT = 150;
const FOOTER_HEIGHT = 28;

const COLORS: Record<string, string> = {
  STEP: '#2563eb',
  WAIT: '#d97706',
  CALLBACK: '#7c3aed',
  CONTEXT: '#64748b',
  CHAINED_INVOKE: '#059669',
};
const FAILED = '#dc2626';
const STATUS_GLYPH: Record<string, [string, string]> = {
  SUCCEEDED: ['✓', '#16a34a'],
  FAILED: ['✗', FAILED],
  TIMED_OUT: ['⏱', FAILED],
  STOPPED: ['■', FAILED],
  CANCELLED: ['–', '#64748b'],
};

/**
 * The run as an SVG picture: one row per operation (in start order, children indented), bars on
 * the simulated time axis, retries as separate attempts, and long gaps drawn as labelled axis breaks.
 * Hovering a bar shows its details.
 */
export function renderTimelineSvg(run: PrintableRun, options: TimelineSvgOptions = {}): string {
  const scale = new BrokenTimeScale(run, PAD + LABEL_WIDTH, CHART_WIDTH);
  const width = PAD * 2 + LABEL_WIDTH + CHART_WIDTH;
  const rowsTop = HEADER_HEIGHT;
  const rowsBottom = rowsTop + Math.max(1, run.operations.length) * ROW_HEIGHT;
  const height = rowsBottom + FOOTER_HEIGHT;
  const parts: string[] = [];

  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(...header(run, options));

  // Zebra rows first, so bars and breaks draw over them.
  run.operations.forEach((_, index) => {
    if (index % 2 === 0) parts.push(`<rect x="0" y="${rowsTop + index * ROW_HEIGHT}" width="${width}" height="${ROW_HEIGHT}" fill="#f8fafc"/>`);
  });
  parts.push(...breakBands(scale, rowsTop, rowsBottom));
  parts.push(...axis(scale, rowsTop, rowsBottom));
  const rows = run.operations.map((operation, index) => row(operation, index, rowsTop, scale, run.durationMs));
  parts.push(...rows.flatMap((drawn) => drawn.shapes));
  parts.push(...breakCuts(scale, rowsTop, rowsBottom));
  // Notes last, with a white halo: they stay legible where they cross a break mark.
  parts.push(...rows.map((drawn) => drawn.note));
  parts.push(`<text x="${PAD}" y="${height - 10}" fill="#64748b" font-size="11">Simulated time: waits and retry delays at full length; the local runner skipped them. Zigzag bands are compressed gaps.</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Writes `renderTimelineSvg(run)` to `file` (creating its folder) and returns the file's absolute path. */
export function writeTimelineSvg(run: PrintableRun, file: string, options: TimelineSvgOptions = {}): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderTimelineSvg(run, options));
  return path;
}

function header(run: PrintableRun, options: TimelineSvgOptions): string[] {
  const [glyph, color] = STATUS_GLYPH[run.status] ?? ['…', '#64748b'];
  const outcome = run.status === 'SUCCEEDED'
    ? `Result: ${JSON.stringify(run.result) ?? 'undefined'}`
    : run.error ? `Error: ${run.error.type ? `${run.error.type}: ` : ''}${run.error.message}` : '';
  const summary = `${plural(run.operations.length, 'operation')} · ${plural(run.invocations, 'invocation')} · ${formatOffset(run.durationMs).slice(1)} of simulated time`;
  const out = [
    `<text x="${PAD}" y="30" font-size="18" font-weight="600" fill="#0f172a">${escape(options.title ?? 'Durable execution')}</text>`,
    `<text x="${PAD}" y="54" font-size="13"><tspan fill="${color}" font-weight="700">${glyph} ${escape(run.status)}</tspan><tspan fill="#334155" dx="10">${escape(summary)}</tspan></text>`,
    `<text x="${PAD}" y="74" font-size="12" fill="#334155">${escape(truncate(outcome, 150))}</text>`,
  ];
  let x = PAD;
  const legend: Array<[string, string, string]> = [
    ['Step', COLORS.STEP, 'solid'], ['Wait', COLORS.WAIT, 'solid'], ['Callback', COLORS.CALLBACK, 'solid'],
    ['Child context', COLORS.CONTEXT, 'outline'], ['Invoke', COLORS.CHAINED_INVOKE, 'solid'], ['Failed attempt', FAILED, 'solid'],
  ];
  for (const [name, fill, style] of legend) {
    out.push(style === 'outline'
      ? `<rect x="${x}" y="88" width="12" height="10" rx="2" fill="${fill}" fill-opacity="0.15" stroke="${fill}"/>`
      : `<rect x="${x}" y="88" width="12" height="10" rx="2" fill="${fill}"/>`);
    out.push(`<text x="${x + 17}" y="97" font-size="11" fill="#334155">${name}</text>`);
    x += 30 + name.length * 6.2;
  }
  return out;
}

function axis(scale: BrokenTimeScale, top: number, bottom: number): string[] {
  const out = [`<line x1="${scale.left}" y1="${top - 6}" x2="${scale.left + scale.width}" y2="${top - 6}" stroke="#94a3b8"/>`];
  const ticks = scale.ticks();
  let lastLabel = -Infinity;
  ticks.forEach((tick, index) => {
    const x = scale.x(tick);
    const last = index === ticks.length - 1;
    out.push(`<line x1="${x}" y1="${top - 10}" x2="${x}" y2="${bottom}" stroke="#cbd5e1" stroke-dasharray="2 3"/>`);
    if (x - lastLabel >= 100 || (last && x - lastLabel >= 50)) {
      const anchor = index === 0 ? 'start' : last ? 'end' : 'middle';
      out.push(`<text x="${x}" y="${top - 32}" font-size="10" fill="#475569" text-anchor="${anchor}" font-family="ui-monospace, Menlo, Consolas, monospace">${tick === 0 ? '0' : escape(formatOffset(tick))}</text>`);
      lastLabel = x;
    }
  });
  return out;
}

/** One operation's row: label, type and bars (`shapes`), and the duration/answer/error text beside the bar (`note`). */
function row(operation: TimelineOperation, index: number, top: number, scale: BrokenTimeScale, runEnd: number): { shapes: string[]; note: string } {
  const y = top + index * ROW_HEIGHT;
  const barY = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
  const color = COLORS[operation.type] ?? '#0f172a';
  const [glyph, glyphColor] = STATUS_GLYPH[operation.status] ?? ['…', '#64748b'];
  const finished = operation.endOffsetMs !== undefined;
  const end = operation.endOffsetMs ?? runEnd;
  const x1 = scale.x(operation.startOffsetMs);
  const x2 = Math.max(scale.x(end), x1 + 3);
  const out = [`<g><title>${escape(tooltip(operation))}</title>`];

  out.push(`<text x="${PAD}" y="${y + 16}" fill="${glyphColor}" font-weight="700">${glyph}</text>`);
  out.push(`<text x="${PAD + 16 + operation.depth * 14}" y="${y + 16}" fill="#0f172a">${escape(truncate(operation.label, 40 - operation.depth * 2))}</text>`);
  const kind = operation.type === 'CHAINED_INVOKE' ? 'INVOKE' : operation.type;
  const attempts = (operation.attempt ?? 0) > 1 ? ` ×${operation.attempt}` : '';
  out.push(`<text x="${PAD + LABEL_WIDTH - 10}" y="${y + 16}" fill="${color}" font-size="10" text-anchor="end" font-weight="600">${kind}${attempts}</text>`);

  if (operation.type === 'CONTEXT') {
    out.push(`<rect x="${x1}" y="${barY}" width="${x2 - x1}" height="${BAR_HEIGHT}" rx="3" fill="${color}" fill-opacity="0.12" stroke="${operation.status === 'FAILED' ? FAILED : color}"/>`);
  } else if (operation.type === 'STEP' && operation.attempts.length > 0) {
    operation.attempts.forEach((attempt, attemptIndex) => {
      const a1 = scale.x(attempt.startOffsetMs);
      const a2 = Math.max(scale.x(attempt.endOffsetMs ?? runEnd), a1 + 3);
      out.push(`<rect x="${a1}" y="${barY}" width="${a2 - a1}" height="${BAR_HEIGHT}" rx="2" fill="${attempt.error ? FAILED : color}"/>`);
      const next = operation.attempts[attemptIndex + 1];
      if (next) {
        const n1 = scale.x(next.startOffsetMs);
        out.push(`<line x1="${a2}" y1="${barY + BAR_HEIGHT / 2}" x2="${n1}" y2="${barY + BAR_HEIGHT / 2}" stroke="${color}" stroke-dasharray="3 3"/>`);
      }
    });
  } else {
    const failed = ['FAILED', 'TIMED_OUT', 'STOPPED'].includes(operation.status);
    out.push(`<rect x="${x1}" y="${barY}" width="${x2 - x1}" height="${BAR_HEIGHT}" rx="2" fill="${failed ? FAILED : color}"${finished ? '' : ' fill-opacity="0.35"'}/>`);
  }

  const note = [finished ? formatDuration(end - operation.startOffsetMs) : 'not finished'];
  // What the callback was answered with is what the rest of the run depends on: show it.
  if (operation.type === 'CALLBACK' && operation.result !== undefined) note.push(`answer ${truncate(JSON.stringify(operation.result) ?? '', 60)}`);
  if (operation.error) note.push(truncate(operation.error.message, 60));
  const text = note.join(' · ');
  const halo = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"';
  const fitsRight = x2 + 6 + text.length * 6 < scale.left + scale.width;
  out.push('</g>');
  return {
    shapes: out,
    note: fitsRight
      ? `<text x="${x2 + 6}" y="${y + 16}" font-size="11" fill="#475569" ${halo}>${escape(text)}</text>`
      : `<text x="${x1 - 6}" y="${y + 16}" font-size="11" fill="#475569" text-anchor="end" ${halo}>${escape(text)}</text>`,
  };
}

/** Compressed gaps: a shaded band with the gap's length, under the bars. */
function breakBands(scale: BrokenTimeScale, top: number, bottom: number): string[] {
  const out: string[] = [];
  for (const gap of scale.breaks) {
    const x1 = scale.x(gap.from);
    const x2 = scale.x(gap.to);
    const middle = (x1 + x2) / 2;
    const label = formatDuration(gap.to - gap.from);
    out.push(`<rect x="${x1}" y="${top - 6}" width="${x2 - x1}" height="${bottom - top + 6}" fill="#e2e8f0" fill-opacity="0.45"/>`);
    out.push(`<rect x="${middle - (label.length * 3.3 + 6)}" y="${top - 27}" width="${label.length * 6.6 + 12}" height="15" rx="7" fill="#f1f5f9" stroke="#94a3b8"/>`);
    out.push(`<text x="${middle}" y="${top - 16}" font-size="10" fill="#334155" text-anchor="middle">${escape(label)}</text>`);
  }
  return out;
}

/** The broken-axis mark over everything: a bar crossing a gap shows the cut. */
function breakCuts(scale: BrokenTimeScale, top: number, bottom: number): string[] {
  const out: string[] = [];
  for (const gap of scale.breaks) {
    for (const x of [scale.x(gap.from) + 4, scale.x(gap.to) - 4]) {
      const points = zigzag(x, top - 6, bottom);
      out.push(`<polyline points="${points}" fill="none" stroke="#ffffff" stroke-width="3"/>`);
      out.push(`<polyline points="${points}" fill="none" stroke="#94a3b8"/>`);
    }
  }
  return out;
}

/**
 * Simulated time to x: spans between consecutive operation boundaries are linear, except gaps
 * longer than BREAK_THRESHOLD_MS, which get a width growing with log(gap) so days and
 * milliseconds fit in one picture.
 */
class BrokenTimeScale {
  private static breakWidth(ms: number): number {
    return Math.min(110, 56 + 12 * Math.log10(ms / BREAK_THRESHOLD_MS));
  }

  public readonly breaks: Array<{ from: number; to: number }> = [];
  private readonly stops: Array<{ time: number; x: number }> = [];

  constructor(run: PrintableRun, public readonly left: number, public readonly width: number) {
    const times = new Set<number>([0, run.durationMs]);
    for (const operation of run.operations) {
      times.add(operation.startOffsetMs);
      if (operation.endOffsetMs !== undefined) times.add(operation.endOffsetMs);
      for (const attempt of operation.attempts) {
        times.add(attempt.startOffsetMs);
        if (attempt.endOffsetMs !== undefined) times.add(attempt.endOffsetMs);
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((time, index) => ({ from: sorted[index], to: time }));
    let linearMs = 0;
    let breakWidth = 0;
    for (const gap of gaps) {
      if (gap.to - gap.from > BREAK_THRESHOLD_MS) {
        this.breaks.push(gap);
        breakWidth += BrokenTimeScale.breakWidth(gap.to - gap.from);
      } else {
        linearMs += gap.to - gap.from;
      }
    }
    // Many breaks (a long retry loop) must not squeeze the linear parts away.
    const breakShare = breakWidth > width * 0.6 ? (width * 0.6) / breakWidth : 1;
    const pxPerMs = linearMs > 0 ? Math.min((width - breakWidth * breakShare) / linearMs, 40) : 0;
    let x = left;
    this.stops.push({ time: sorted[0], x });
    for (const gap of gaps) {
      const length = gap.to - gap.from;
      x += length > BREAK_THRESHOLD_MS ? BrokenTimeScale.breakWidth(length) * breakShare : length * pxPerMs;
      this.stops.push({ time: gap.to, x });
    }
  }

  public x(time: number): number {
    const stops = this.stops;
    if (time <= stops[0].time) return round(stops[0].x);
    for (let i = 1; i < stops.length; i++) {
      if (time <= stops[i].time) {
        const a = stops[i - 1];
        const b = stops[i];
        return round(a.x + ((time - a.time) / (b.time - a.time || 1)) * (b.x - a.x));
      }
    }
    return round(stops[stops.length - 1].x);
  }

  /** The start, the end, and where each compressed gap ends (the start of the next burst of activity). */
  public ticks(): number[] {
    const ticks = new Set<number>([this.stops[0].time, this.stops[this.stops.length - 1].time]);
    for (const gap of this.breaks) ticks.add(gap.to);
    return [...ticks].sort((a, b) => a - b);
  }
}

function zigzag(x: number, top: number, bottom: number): string {
  const points: string[] = [];
  for (let y = top, i = 0; y <= bottom; y += 6, i++) points.push(`${round(x + (i % 2 === 0 ? -3 : 3))},${round(y)}`);
  return points.join(' ');
}

function tooltip(operation: TimelineOperation): string {
  const lines = [
    `${operation.type}${operation.subType ? ` (${operation.subType})` : ''} ${operation.label}: ${operation.status}`,
    `start ${formatOffset(operation.startOffsetMs)}${operation.endOffsetMs !== undefined ? `, end ${formatOffset(operation.endOffsetMs)}` : ''}`,
  ];
  if (operation.attempt !== undefined) lines.push(`attempts: ${operation.attempt}`);
  if (operation.waitSeconds !== undefined) lines.push(`waits ${formatDuration(operation.waitSeconds * 1000)}`);
  if (operation.callbackId) lines.push(`callback id ${operation.callbackId}`);
  if (operation.result !== undefined) lines.push(`result ${truncate(JSON.stringify(operation.result) ?? '', 200)}`);
  if (operation.error) lines.push(`error ${operation.error.type ? `${operation.error.type}: ` : ''}${operation.error.message}`);
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
