// Elements built from data: every text goes in as a text node, never as markup, so names and payloads show as written.

/**
 * `h('td', { class: 'status' }, 'RUNNING')`: an element with attributes (`on<event>` functions become listeners;
 * null, undefined and false leave the attribute out) and children (strings become text nodes; arrays are flattened;
 * null and undefined are skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A status as a coloured badge (the colour comes from viewer.css, by status). */
export function statusBadge(status) {
  return h('span', { class: `badge status-${String(status).toLowerCase()}`, 'data-status': status }, status);
}

/** A JSON payload (a string as the API sends it) pretty-printed when it parses, as sent when it does not. */
export function payloadBlock(payload) {
  if (payload === undefined || payload === null || payload === '') return h('span', { class: 'muted' }, '(none)');
  return h('pre', { class: 'payload' }, prettyPayload(payload));
}

/** An already parsed value (the timeline's results) as indented JSON. */
export function valueBlock(value) {
  if (value === undefined) return h('span', { class: 'muted' }, '(none)');
  return h('pre', { class: 'payload' }, JSON.stringify(value, null, 2) ?? String(value));
}

function prettyPayload(payload) {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** An error of the API (`{ ErrorType, ErrorMessage, StackTrace }`) or of the timeline (`{ type, message, stackTrace }`). */
export function errorBlock(error) {
  const type = error.ErrorType ?? error.type;
  const message = error.ErrorMessage ?? error.message ?? '';
  const stack = error.StackTrace ?? error.stackTrace;
  return h('div', { class: 'error' },
    h('strong', {}, type ? `${type}: ` : ''), message,
    stack && stack.length ? h('details', {}, h('summary', {}, 'stack trace'), h('pre', {}, stack.join('\n'))) : null);
}
