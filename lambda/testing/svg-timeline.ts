import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TimelineOperation } from './history-timeline';
import type { PrintableRun } from './text-timeline';
import { formatDuration, formatOffset } from './time-format';
import { layoutTimeline, type LaidRow, type LaidText, type LegendKey, type TimelineLayout, type TimelineLayoutOptions } from './timeline-layout';

/** Options of `renderTimelineSvg` and `writeTimelineSvg`. */
export type TimelineSvgOptions = TimelineLayoutOptions;

const COLORS: Record<LegendKey, string> = {
  STEP: '#2563eb',
  WAIT: '#d97706',
  CALLBACK: '#7c3aed',
  CONTEXT: '#64748b',
  CHAINED_INVOKE: '#059669',
  FAILED: '#dc2626',
  INVOCATION: '#0891b2',
};
const STATUS_COLORS: Record<string, string> = {
  SUCCEEDED: '#16a34a',
  FAILED: COLORS.FAILED,
  TIMED_OUT: COLORS.FAILED,
  STOPPED: COLORS.FAILED,
};
const MUTED = '#64748b';
const TEXT_COLORS: Partial<Record<LaidText['role'], string>> = {
  title: '#0f172a',
  summary: '#334155',
  outcome: '#334155',
  legend: '#334155',
  tick: '#475569',
  break: '#334155',
  name: '#0f172a',
  duration: '#475569',
  note: '#475569',
  footer: MUTED,
};
const SANS = 'system-ui, -apple-system, \'Segoe UI\', Helvetica, Arial, sans-serif';
const MONO = 'ui-monospace, Menlo, Consolas, monospace';

/**
 * The run as an SVG picture (laid out by `layoutTimeline`): one row per operation in start order, children
 * indented, bars on the time axis with retries as separate attempts, long idle gaps as labelled breaks, and
 * where each invocation started. Hovering a bar shows its details.
 */
export function renderTimelineSvg(run: PrintableRun, options: TimelineSvgOptions = {}): string {
  const layout = layoutTimeline(run, options);
  const { width, height, chart } = layout;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${SANS}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  // Zebra rows first, then the axis furniture, so bars draw over them.
  layout.rows.forEach((row, index) => {
    if (index % 2 === 0) parts.push(`<rect x="0" y="${row.y}" width="${width}" height="${row.height}" fill="#f8fafc"/>`);
  });
  for (const gap of layout.breaks) {
    parts.push(`<rect x="${gap.x1}" y="${chart.axisY}" width="${round(gap.x2 - gap.x1)}" height="${chart.rowsBottom - chart.axisY}" fill="#e2e8f0" fill-opacity="0.45"/>`);
    const pill = gap.label.box;
    parts.push(`<rect x="${pill.x}" y="${pill.y}" width="${pill.width}" height="${pill.height}" rx="7" fill="#f1f5f9" stroke="#94a3b8"/>`);
  }
  parts.push(`<line x1="${chart.left}" y1="${chart.axisY}" x2="${chart.right}" y2="${chart.axisY}" stroke="#94a3b8"/>`);
  for (const tick of layout.ticks) {
    parts.push(`<line x1="${tick.x}" y1="${chart.axisY - 4}" x2="${tick.x}" y2="${chart.rowsBottom}" stroke="#cbd5e1" stroke-dasharray="2 3"/>`);
  }
  for (const invocation of layout.invocations) {
    const color = invocation.failed ? COLORS.FAILED : COLORS.INVOCATION;
    parts.push(`<g><title>${escape(`invocation ${invocation.number}: ${formatOffset(invocation.startOffsetMs)} to ${formatOffset(invocation.endOffsetMs)}${invocation.failed ? ', failed' : ''}`)}</title>`
      + `<line x1="${invocation.x}" y1="${chart.axisY}" x2="${invocation.x}" y2="${chart.rowsBottom + 3}" stroke="${color}" stroke-opacity="0.55"/>`
      + `<path d="M${invocation.x - 4},${chart.axisY - 5} h8 l-4,5 z" fill="${color}"/></g>`);
  }
  parts.push(...layout.rows.map(rowShapes));
  parts.push(...breakCuts(layout));
  parts.push(...legend(layout));
  for (const text of texts(layout, run.status)) parts.push(textElement(text.text, text.color, text.laid));
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

/** Every text with its colour. */
function texts(layout: TimelineLayout, status: string): Array<{ laid: LaidText; text: string; color: string }> {
  const color = (laid: LaidText, override?: string) => ({ laid, text: laid.text, color: override ?? TEXT_COLORS[laid.role] ?? MUTED });
  const out = [color(layout.title), color(layout.status, STATUS_COLORS[status] ?? MUTED), color(layout.summary)];
  if (layout.outcome) out.push(color(layout.outcome));
  out.push(...layout.legend.map((item) => color(item.label)));
  out.push(...layout.ticks.flatMap((tick) => (tick.label ? [color(tick.label)] : [])));
  out.push(...layout.breaks.map((gap) => color(gap.label)));
  for (const row of layout.rows) {
    const operation = row.operation;
    out.push(color(row.glyph, STATUS_COLORS[operation.status] ?? MUTED), color(row.name), color(row.kind, kindColor(operation)), color(row.duration));
    if (row.note) out.push(color(row.note, operation.error ? COLORS.FAILED : undefined));
  }
  for (const invocation of layout.invocations) {
    if (invocation.label) out.push(color(invocation.label, invocation.failed ? COLORS.FAILED : COLORS.INVOCATION));
  }
  out.push(color(layout.footer));
  return out;
}

function textElement(text: string, color: string, laid: LaidText): string {
  const attributes = [`x="${laid.x}"`, `y="${laid.y}"`, `font-size="${laid.size}"`, `fill="${color}"`];
  if (laid.anchor !== 'start') attributes.push(`text-anchor="${laid.anchor}"`);
  if (laid.bold) attributes.push('font-weight="700"');
  if (laid.mono) attributes.push(`font-family="${MONO}"`);
  const body = `<text ${attributes.join(' ')}>${escape(text)}</text>`;
  // A shortened text keeps its whole content as a tooltip.
  return laid.full !== undefined ? `<g><title>${escape(laid.full)}</title>${body}</g>` : body;
}

function legend(layout: TimelineLayout): string[] {
  return layout.legend.map(({ key, swatch }) => {
    if (key === 'INVOCATION') {
      const x = swatch.x + swatch.width / 2;
      return `<line x1="${x}" y1="${swatch.y - 1}" x2="${x}" y2="${swatch.y + swatch.height + 1}" stroke="${COLORS.INVOCATION}" stroke-width="2"/>`;
    }
    const outline = key === 'CONTEXT' ? ` fill-opacity="0.15" stroke="${COLORS.CONTEXT}"` : '';
    return `<rect x="${swatch.x}" y="${swatch.y}" width="${swatch.width}" height="${swatch.height}" rx="2" fill="${COLORS[key]}"${outline}/>`;
  });
}

/** One operation's bars, with its details as a tooltip. */
function rowShapes(row: LaidRow): string {
  const operation = row.operation;
  const color = kindColor(operation);
  const out = [`<g><title>${escape(tooltip(operation))}</title>`];
  const middle = row.barY + row.barHeight / 2;
  for (const link of row.links) {
    out.push(`<line x1="${link.x1}" y1="${middle}" x2="${link.x2}" y2="${middle}" stroke="${color}" stroke-dasharray="3 3"/>`);
  }
  for (const bar of row.bars) {
    const shape = `x="${bar.x1}" y="${row.barY}" width="${round(bar.x2 - bar.x1)}" height="${row.barHeight}"`;
    if (operation.type === 'CONTEXT') {
      out.push(`<rect ${shape} rx="3" fill="${color}" fill-opacity="0.12" stroke="${bar.failed ? COLORS.FAILED : color}"/>`);
    } else {
      out.push(`<rect ${shape} rx="2" fill="${bar.failed ? COLORS.FAILED : color}"${bar.finished ? '' : ' fill-opacity="0.35"'}/>`);
    }
  }
  out.push('</g>');
  return out.join('');
}

/** The broken-axis marks, over the bars: a bar crossing a break shows the cut. */
function breakCuts(layout: TimelineLayout): string[] {
  const out: string[] = [];
  for (const gap of layout.breaks) {
    for (const x of [gap.x1 + 4, gap.x2 - 4]) {
      const points = zigzag(x, layout.chart.axisY, layout.chart.rowsBottom);
      out.push(`<polyline points="${points}" fill="none" stroke="#ffffff" stroke-width="3"/>`);
      out.push(`<polyline points="${points}" fill="none" stroke="#94a3b8"/>`);
    }
  }
  return out;
}

function kindColor(operation: TimelineOperation): string {
  return COLORS[operation.type as LegendKey] ?? '#0f172a';
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

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
