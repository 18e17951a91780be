// One execution: what it is, its error and the rollback that followed, the callbacks it waits for (with their forms),
// its timeline picture, its input and result, and every operation with its attempts, result or error.
import { getExecution, skipExecution, stopExecution, timeline } from './api.js';
import { callbackForm } from './callback-form.js';
import { errorBlock, h, payloadBlock, statusBadge, valueBlock } from './dom.js';
import { elapsed, formatDuration, formatTime } from './format.js';
import { timelinePicture } from './timeline-picture.js';

export class ExecutionDetail {
  /** The forms of waiting callbacks by callback id: kept across refreshes so a half-typed answer is not lost. */
  forms = new Map();

  constructor(container, arn, about, onChanged) {
    this.container = container;
    this.arn = arn;
    this.about = about;
    this.onChanged = onChanged;
    this.message = h('p', { class: 'form-message', role: 'status' });
  }

  async refresh() {
    const [execution, picture] = await Promise.all([getExecution(this.arn), timeline(this.arn)]);
    // FunctionArn is qualified with the version the execution runs.
    const workflow = this.about.workflows.find((candidate) => execution.FunctionArn.startsWith(`${candidate.functionArn}:`));
    const operations = picture.operations;
    const rollback = operations.filter((operation) => operation.rollback);
    const waiting = operations.filter((operation) => operation.type === 'CALLBACK' && operation.status === 'STARTED' && operation.callbackId);
    for (const id of this.forms.keys()) if (!waiting.some((operation) => operation.callbackId === id)) this.forms.delete(id);
    for (const operation of waiting) {
      if (!this.forms.has(operation.callbackId)) this.forms.set(operation.callbackId, callbackForm(operation, this.onChanged));
    }
    const running = execution.Status === 'RUNNING';
    const ended = execution.EndTimestamp;

    // replaceChildren would write a null as the text "null": sections not shown are left out first.
    this.container.replaceChildren(...[
      h('p', {}, h('a', { href: '#/' }, '← All executions')),
      h('div', { class: 'title-row' },
        h('h2', {}, execution.DurableExecutionName),
        statusBadge(execution.Status),
        running ? h('button', { type: 'button', class: 'danger', onclick: () => this.act(() => stopExecution(this.arn), 'Stopped.') }, 'Stop execution') : null,
        running ? h('button', { type: 'button', onclick: () => this.act(() => skipExecution(this.arn), 'Skipped to the next timer.') }, 'Skip to next timer') : null),
      this.message,
      h('dl', { class: 'facts' },
        fact('Workflow', workflow ? workflow.path : execution.FunctionArn),
        fact('Version', execution.Version),
        fact('Started', formatTime(execution.StartTimestamp)),
        fact('Ended', ended ? formatTime(ended) : '—'),
        fact('Duration', h('span', running ? { 'data-since': execution.StartTimestamp } : {}, elapsed(execution.StartTimestamp, ended))),
        fact('Invocations', String(picture.invocations.length)),
        fact('ARN', h('span', { class: 'mono small' }, execution.DurableExecutionArn))),
      execution.Error ? section('Error', errorBlock(execution.Error)) : null,
      rollback.length ? section('Rollback', h('p', { class: 'muted' }, 'The steps that undid the work of the steps before the failure, newest first.'),
        operationsTable(rollback)) : null,
      waiting.length ? section('Callbacks waiting', [...this.forms.values()]) : null,
      section('Timeline', timelinePicture(picture.svg, execution.DurableExecutionName)),
      h('div', { class: 'columns' },
        section('Input', payloadBlock(execution.InputPayload)),
        execution.Status === 'SUCCEEDED' ? section('Result', payloadBlock(execution.Result)) : null),
      section(`Operations (${operations.length})`, operationsTable(operations)),
    ].filter(Boolean));
  }

  async act(action, done) {
    this.message.className = 'form-message';
    this.message.textContent = 'Sending…';
    try {
      await action();
      this.message.textContent = done;
      this.onChanged();
    } catch (error) {
      this.message.className = 'form-message error';
      this.message.textContent = error.message;
    }
  }
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function section(title, ...content) {
  return h('section', { 'aria-label': title }, h('h3', {}, title), content);
}

function operationsTable(operations) {
  return h('table', { class: 'operations' },
    h('thead', {}, h('tr', {}, ['Operation', 'Type', 'Status', 'Attempts', 'Start', 'Duration', 'Result or error'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, operations.map(operationRow)));
}

function operationRow(operation) {
  const name = h('td', { class: 'operation-name' }, operation.label, operation.rollback ? h('span', { class: 'tag' }, 'rollback') : null);
  name.style.setProperty('--depth', String(operation.depth));
  const kind = operation.subType && operation.subType.toUpperCase() !== operation.type ? `${operation.type} · ${operation.subType}` : operation.type;
  return h('tr', { 'data-status': operation.status },
    name,
    h('td', { class: 'kind' }, kind, operation.waitSeconds !== undefined ? ` ${formatDuration(operation.waitSeconds * 1000)}` : ''),
    h('td', {}, statusBadge(operation.status)),
    h('td', { class: 'count' }, operation.attempt === undefined ? '' : String(operation.attempt)),
    h('td', { class: 'mono' }, `+${formatDuration(operation.startOffsetMs)}`),
    h('td', { class: 'mono' }, operation.endOffsetMs === undefined ? '…' : formatDuration(operation.endOffsetMs - operation.startOffsetMs)),
    h('td', { class: 'outcome' }, outcome(operation)));
}

function outcome(operation) {
  const failedAttempts = operation.attempts.length > 1
    ? operation.attempts.map((attempt, index) => (attempt.error
      ? h('li', {}, `attempt ${index + 1} failed: ${attempt.error.type ? `${attempt.error.type}: ` : ''}${attempt.error.message}`)
      : null)).filter(Boolean)
    : [];
  return [
    failedAttempts.length ? h('ul', { class: 'attempts' }, failedAttempts) : null,
    operation.error ? errorBlock(operation.error) : null,
    !operation.error && operation.result !== undefined ? valueBlock(operation.result) : null,
    operation.type === 'CALLBACK' && operation.status === 'STARTED' ? h('span', { class: 'muted' }, 'waiting for an answer') : null,
  ];
}
