import type { TimelineError, TimelineOperation } from './history-timeline';
import type { LocalRunResult } from './run-workflow-locally';
import { formatDuration, formatOffset } from './time-format';

/** What the text timeline needs: a local run result, or a timeline from history plus its outcome. */
export type PrintableRun = Pick<LocalRunResult, 'operations' | 'durationMs' | 'invocations' | 'invocationSpans' | 'status'>
& Partial<Pick<LocalRunResult, 'result' | 'error' | 'callbacks'>>;

/** Options of `formatTimeline`. */
export interface FormatTimelineOptions {
  /** A heading, for example the workflow's name. */
  readonly title?: string;
}

/**
 * The run as readable text: one line per operation in the order they started, with simulated
 * start offset, type, name (indented under its parent), status, attempts and duration; then the
 * callbacks' answers and the result or error. Callback ids (long tokens) stay out of the table:
 * a callback's row and answer carry a mark such as `[1]`, and the ids follow once, at the end.
 */
export function formatTimeline(run: PrintableRun, options: FormatTimelineOptions = {}): string {
  // Footnote marks for the callbacks, in table order.
  const marks = new Map<string, string>();
  for (const operation of run.operations) {
    if (operation.callbackId !== undefined && !marks.has(operation.callbackId)) marks.set(operation.callbackId, `[${marks.size + 1}]`);
  }
  const header = ['#', 'offset', 'type', 'operation', 'status', 'attempt', 'duration'];
  const rows = run.operations.map((operation, index) => [
    String(index + 1),
    formatOffset(operation.startOffsetMs),
    operation.type,
    `${'  '.repeat(operation.depth)}${operation.label}${operation.callbackId !== undefined ? ` ${marks.get(operation.callbackId)}` : ''}`,
    operation.status,
    operation.attempt !== undefined ? String(operation.attempt) : '',
    durationOf(operation),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => (column === 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ')}`.trimEnd();

  const out: string[] = [];
  out.push(`${options.title ? `${options.title}: ` : ''}${run.status} after ${formatOffset(run.durationMs).slice(1)} of simulated time, `
    + `${run.operations.length} operation${run.operations.length === 1 ? '' : 's'}, ${run.invocations} invocation${run.invocations === 1 ? '' : 's'}`);
  out.push(line(header));
  rows.forEach((row, index) => {
    out.push(line(row));
    const operation = run.operations[index];
    const indent = ' '.repeat(2 + widths[0] + 2 + widths[1] + 2);
    for (const [attemptIndex, attempt] of operation.attempts.entries()) {
      if (attempt.error && operation.attempts.length > 1) out.push(`${indent}attempt ${attemptIndex + 1} failed: ${errorText(attempt.error)}`);
    }
    if (operation.error && operation.attempts.length <= 1) out.push(`${indent}error: ${errorText(operation.error)}`);
  });

  if (run.callbacks?.length) {
    out.push('Callbacks answered:');
    for (const callback of run.callbacks) {
      const reply = callback.answer.error ? `failed with ${errorText({ type: callback.answer.error.type ?? 'CallbackFailure', message: callback.answer.error.message })}` : `succeeded with ${JSON.stringify(callback.answer.result)}`;
      out.push(`  ${callback.name ?? '(unnamed)'} ${marks.get(callback.callbackId) ?? `(callback id ${callback.callbackId})`} ${reply}`);
    }
  }
  if (run.status === 'SUCCEEDED') out.push(`Result: ${JSON.stringify(run.result) ?? 'undefined'}`);
  else if (run.error) out.push(`Failed with ${errorText(run.error)}`);
  if (marks.size) {
    out.push('Callback ids:');
    for (const [callbackId, mark] of marks) out.push(`  ${mark} ${callbackId}`);
  }
  return `${out.join('\n')}\n`;
}

function durationOf(operation: TimelineOperation): string {
  if (operation.endOffsetMs === undefined) return 'not finished';
  return formatDuration(operation.endOffsetMs - operation.startOffsetMs);
}

function errorText(error: Pick<TimelineError, 'message' | 'type'>): string {
  return error.type ? `${error.type}: ${error.message}` : error.message;
}
