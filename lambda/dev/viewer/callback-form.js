// A callback that waits, with what answers it: a result (JSON) that succeeds it, or an error that fails it. Both go
// through the Lambda API's SendDurableExecutionCallbackSuccess and SendDurableExecutionCallbackFailure routes.
import { failCallback, succeedCallback } from './api.js';
import { h } from './dom.js';

/** The form of one waiting callback; `onAnswered()` runs once the server took the answer. */
export function callbackForm(operation, onAnswered) {
  const id = operation.callbackId;
  const message = h('p', { class: 'form-message', role: 'status' });
  const result = h('textarea', { name: 'result', rows: 3, spellcheck: 'false', placeholder: '{"approved": true}' });
  const errorType = h('input', { name: 'errorType', type: 'text', placeholder: 'Rejected' });
  const errorMessage = h('input', { name: 'errorMessage', type: 'text', placeholder: 'Why it failed' });
  const succeedButton = h('button', { type: 'submit', class: 'primary' }, 'Succeed callback');
  const failButton = h('button', { type: 'submit', class: 'danger' }, 'Fail callback');
  const buttons = [succeedButton, failButton];

  const send = async (answer) => {
    for (const button of buttons) button.disabled = true;
    message.textContent = 'Sending…';
    message.className = 'form-message';
    try {
      await answer();
      message.textContent = 'Answered.';
      onAnswered();
    } catch (error) {
      message.textContent = error.message;
      message.className = 'form-message error';
      for (const button of buttons) button.disabled = false;
    }
  };

  const succeed = h('form', {
    class: 'answer',
    onsubmit: (event) => {
      event.preventDefault();
      const text = result.value.trim();
      if (text !== '') {
        try {
          JSON.parse(text);
        } catch (error) {
          message.textContent = `The result must be JSON: ${error.message}`;
          message.className = 'form-message error';
          return;
        }
      }
      void send(() => succeedCallback(id, text === '' ? undefined : text));
    },
  },
  h('label', {}, 'Result (JSON, empty for none)', result),
  succeedButton);

  const fail = h('form', {
    class: 'answer',
    onsubmit: (event) => {
      event.preventDefault();
      const error = { ErrorMessage: errorMessage.value.trim() || 'Failed in the dev server viewer' };
      if (errorType.value.trim() !== '') error.ErrorType = errorType.value.trim();
      void send(() => failCallback(id, error));
    },
  },
  h('label', {}, 'Error type', errorType),
  h('label', {}, 'Error message', errorMessage),
  failButton);

  return h('section', { class: 'callback', 'aria-label': `Callback ${operation.label}` },
    h('h4', {}, operation.label),
    h('p', { class: 'muted callback-id', title: id }, `callback id ${id.length > 48 ? `${id.slice(0, 24)}…${id.slice(-16)}` : id}`),
    h('div', { class: 'answers' }, succeed, fail),
    message);
}
