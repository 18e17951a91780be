// The viewer of `cdk-durable-workflow dev`: the executions list at #/ (filters in its query), one execution at
// #/executions/<arn>. Both refresh when the change stream says their data changed.
import { workflows } from './api.js';
import { h } from './dom.js';
import { ExecutionDetail } from './execution-detail.js';
import { renderExecutionsList } from './executions-list.js';
import { elapsed } from './format.js';
import { watchChanges } from './live-updates.js';

const view = document.getElementById('view');
let about = { workflows: [], skipped: [] };
let detail;

function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const opened = /^\/executions\/([^?]+)$/.exec(hash);
  if (opened) return { arn: decodeURIComponent(opened[1]) };
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  return { filters: { workflow: query.get('workflow') ?? '', status: query.get('status') ?? '', name: query.get('name') ?? '' } };
}

/**
 * Changes the filters `changed` names. They merge into the filters in the address now, not those the list was drawn
 * with: a second change made before the list is drawn again must not undo the first.
 */
function setFilters(changed) {
  const filters = { ...currentRoute().filters, ...changed };
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  location.hash = `#/${query.size ? `?${query}` : ''}`;
}

async function loadAbout() {
  about = await workflows();
  document.getElementById('server-facts').textContent = `${about.workflows.length} workflow${about.workflows.length === 1 ? '' : 's'} · `
    + `${about.speed === 1 ? 'real time' : `${about.speed}× time`} · ${about.region} · ${about.assembly}`;
}

/** Draws the route again; one at a time, and once more if asked meanwhile. */
let drawing;
let again = false;
async function draw() {
  if (drawing) {
    again = true;
    return drawing;
  }
  drawing = (async () => {
    do {
      again = false;
      try {
        await drawOnce();
      } catch (error) {
        view.replaceChildren(h('p', { class: 'error' }, `Could not load: ${error.message}`), h('p', {}, h('a', { href: '#/' }, '← All executions')));
      }
    } while (again);
  })();
  try {
    await drawing;
  } finally {
    drawing = undefined;
  }
}

async function drawOnce() {
  const route = currentRoute();
  // Re-rendering replaces the filter inputs: keep the focus (and caret) where the user was typing.
  const focused = document.activeElement;
  const focus = focused && view.contains(focused) && focused.name ? { name: focused.name, caret: focused.selectionStart } : undefined;
  if (route.arn) {
    if (detail?.arn !== route.arn) detail = new ExecutionDetail(view, route.arn, about, () => void refresh());
    detail.about = about;
    await detail.refresh();
  } else {
    detail = undefined;
    await renderExecutionsList(view, about, route.filters, setFilters);
  }
  const refocus = focus && view.querySelector(`[name="${CSS.escape(focus.name)}"]`);
  if (refocus) {
    refocus.focus();
    if (typeof focus.caret === 'number' && 'setSelectionRange' in refocus) refocus.setSelectionRange(focus.caret, focus.caret);
  }
}

async function refresh() {
  await loadAbout();
  await draw();
}

window.addEventListener('hashchange', () => void draw());
watchChanges({
  onHistory: (arns) => {
    // The open execution only when it changed; the list (and its counts) on any change.
    if (detail && !arns.has(detail.arn)) return;
    void refresh();
  },
  onWorkflows: () => void refresh(),
  onConnection: (connected) => {
    const indicator = document.getElementById('connection');
    indicator.dataset.connected = String(connected);
    indicator.textContent = connected ? 'live' : 'reconnecting…';
    // Whatever changed while the stream was down is read again.
    if (connected) void refresh();
  },
});
// Running executions' durations count up.
setInterval(() => {
  for (const cell of document.querySelectorAll('[data-since]')) cell.textContent = elapsed(Number(cell.dataset.since));
}, 1000);
void refresh();
