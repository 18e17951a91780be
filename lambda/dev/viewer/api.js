// The calls the page makes: the Lambda REST API (the routes @aws-sdk/client-lambda uses) and the dev API (/_dev/),
// both on the server that served the page.

/** An answer that is not 2xx, with the message the server gave. */
export class ApiError extends Error {}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      const parsed = JSON.parse(text);
      message = parsed.message ?? parsed.Message ?? text;
    } catch {
      // not JSON: the text is the message
    }
    throw new ApiError(`${response.status} ${message}`);
  }
  return text === '' ? {} : JSON.parse(text);
}

const enc = encodeURIComponent;

/** The workflows of the assembly and facts about the server (GET /_dev/workflows). */
export function workflows() {
  return call('GET', '/_dev/workflows');
}

/** ListDurableExecutionsByFunction: every version's executions, newest first, of the given statuses (all when empty). */
export async function listExecutions(functionName, statuses) {
  const executions = [];
  let marker;
  do {
    const query = new URLSearchParams({ MaxItems: '1000' });
    for (const status of statuses) query.append('Statuses', status);
    if (marker) query.set('Marker', marker);
    const page = await call('GET', `/2025-12-01/functions/${enc(functionName)}/durable-executions?${query}`);
    executions.push(...page.DurableExecutions);
    marker = page.NextMarker;
  } while (marker);
  return executions;
}

/** GetDurableExecution, with its input, result and error. */
export function getExecution(arn) {
  return call('GET', `/2025-12-01/durable-executions/${enc(arn)}`);
}

/** The execution's timeline (operations, attempts, invocations) and its SVG picture (GET /_dev/executions/{arn}/timeline). */
export function timeline(arn) {
  return call('GET', `/_dev/executions/${enc(arn)}/timeline`);
}

/** StopDurableExecution. */
export function stopExecution(arn) {
  return call('POST', `/2025-12-01/durable-executions/${enc(arn)}/stop`, JSON.stringify({ ErrorMessage: 'Stopped in the dev server viewer' }));
}

/** Moves the execution's clock to its next timer (POST /_dev/executions/{arn}/skip). */
export function skipExecution(arn) {
  return call('POST', `/_dev/executions/${enc(arn)}/skip`);
}

/** SendDurableExecutionCallbackSuccess: `result` is the raw payload (JSON text), or undefined for none. */
export function succeedCallback(callbackId, result) {
  return call('POST', `/2025-12-01/durable-execution-callbacks/${enc(callbackId)}/succeed`, result);
}

/** SendDurableExecutionCallbackFailure with an ErrorObject. */
export function failCallback(callbackId, error) {
  return call('POST', `/2025-12-01/durable-execution-callbacks/${enc(callbackId)}/fail`, JSON.stringify(error));
}
