/**
 * A payload as Lambda stores it (inputs, results, callback answers): parsed when it is JSON, the raw string
 * otherwise (a handler may return any string), undefined when empty.
 */
export function parseJsonOrText(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
