// The front page: the assembly's workflows with their execution counts, and their executions (status, name, started,
// duration), filtered by workflow, status and name. Filters live in the address (#/?workflow=...&status=...), so a
// filtered list survives a reload and can be shared.
import { listExecutions } from './api.js';
import { h, statusBadge } from './dom.js';
import { elapsed, formatTime } from './format.js';

export const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

/**
 * Renders the list into `container`; `filters` is `{ workflow, status, name }` (empty strings: all); `onFilter` gets
 * the filters a control changed.
 */
export async function renderExecutionsList(container, about, filters, onFilter) {
  const shown = about.workflows.filter((workflow) => filters.workflow === '' || workflow.functionName === filters.workflow);
  const lists = await Promise.all(shown.map(async (workflow) => (await listExecutions(workflow.functionName, filters.status ? [filters.status] : []))
    .map((execution) => ({ ...execution, workflow }))));
  const needle = filters.name.trim().toLowerCase();
  const executions = lists.flat()
    .filter((execution) => needle === '' || execution.DurableExecutionName.toLowerCase().includes(needle))
    .sort((a, b) => b.StartTimestamp - a.StartTimestamp);

  container.replaceChildren(
    workflowsTable(about, filters, onFilter),
    h('section', { 'aria-labelledby': 'executions-heading' },
      h('h2', { id: 'executions-heading' }, 'Executions'),
      filterBar(about, filters, onFilter),
      executions.length === 0
        ? h('p', { class: 'empty' }, 'No executions match. Start one with the Lambda API (Invoke of an alias or version).')
        : h('table', { class: 'executions' },
          h('thead', {}, h('tr', {}, ['Name', 'Workflow', 'Status', 'Started', 'Duration'].map((title) => h('th', { scope: 'col' }, title)))),
          h('tbody', {}, executions.map(executionRow))),
      h('p', { class: 'muted' }, `${executions.length} execution${executions.length === 1 ? '' : 's'}`)),
  );
}

function workflowsTable(about, filters, onFilter) {
  return h('section', { 'aria-labelledby': 'workflows-heading' },
    h('h2', { id: 'workflows-heading' }, 'Workflows'),
    about.workflows.length === 0
      ? h('p', { class: 'empty' }, 'The assembly has no DurableWorkflow.')
      : h('table', { class: 'workflows' },
        h('thead', {}, h('tr', {}, ['Workflow', 'Function', 'Aliases', 'Version', ...STATUSES].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, about.workflows.map((workflow) => h('tr', { class: filters.workflow === workflow.functionName ? 'selected' : null },
          h('td', {}, h('a', {
            href: '#/',
            onclick: (event) => {
              event.preventDefault();
              onFilter({ workflow: workflow.functionName });
            },
          }, workflow.path)),
          h('td', { class: 'mono' }, workflow.functionName),
          h('td', {}, workflow.aliases.map((alias) => alias.name).join(', ')),
          h('td', {}, workflow.version ?? ''),
          STATUSES.map((status) => h('td', { class: 'count' }, String(workflow.executions?.[status] ?? 0))))))),
    about.skipped.length ? h('ul', { class: 'muted' }, about.skipped.map((skipped) => h('li', {}, `skipped ${skipped.path}: ${skipped.reason}`))) : null);
}

function filterBar(about, filters, onFilter) {
  // Labels name their control by id, so a select's name is its label, not its options too.
  const field = (label, name, control) => h('div', { class: 'field' }, h('label', { for: `filter-${name}` }, label), control);
  const select = (label, name, options) => field(label, name, h('select', {
    id: `filter-${name}`,
    name,
    onchange: (event) => onFilter({ [name]: event.target.value }),
  }, options.map(([value, text]) => h('option', { value, selected: filters[name] === value }, text))));
  let typing;
  return h('div', { class: 'filters', role: 'search' },
    select('Workflow', 'workflow', [['', 'All workflows'], ...about.workflows.map((workflow) => [workflow.functionName, workflow.path])]),
    select('Status', 'status', [['', 'All statuses'], ...STATUSES.map((status) => [status, status])]),
    field('Name', 'name', h('input', {
      id: 'filter-name',
      name: 'name',
      type: 'search',
      value: filters.name,
      placeholder: 'part of a name',
      oninput: (event) => {
        clearTimeout(typing);
        typing = setTimeout(() => onFilter({ name: event.target.value }), 250);
      },
    })));
}

function executionRow(execution) {
  const running = execution.Status === 'RUNNING';
  return h('tr', { 'data-status': execution.Status },
    h('td', {}, h('a', { href: `#/executions/${encodeURIComponent(execution.DurableExecutionArn)}` }, execution.DurableExecutionName)),
    h('td', {}, execution.workflow.path),
    h('td', {}, statusBadge(execution.Status)),
    h('td', { class: 'mono' }, formatTime(execution.StartTimestamp)),
    h('td', running ? { class: 'mono', 'data-since': execution.StartTimestamp } : { class: 'mono' }, elapsed(execution.StartTimestamp, execution.EndTimestamp)));
}
