// The JSON path subset a queue source reads its execution name from. Shared by the construct (checked at synth) and
// the dispatcher (read per message), so both accept exactly the same paths.

/** One step into a JSON value: an object key or an array index. */
export type JsonPathSegment = string | number;

/** `$` followed by `.key` (letters, digits, `_`, `-`) or `[index]` steps, for example `$.order.id` or `$.items[0].sku`. */
const JSON_PATH = /^\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+$/;
const SEGMENT = /\.([A-Za-z0-9_-]+)|\[(\d+)\]/g;

/** The syntax rule, for error messages. */
export const JSON_PATH_RULE = "'$' followed by .key (letters, digits, _ and -) or [index] steps, e.g. '$.orderId' or '$.items[0].sku'";

/** Why `path` is not in the subset, or undefined when it is. */
export function jsonPathProblem(path: string): string | undefined {
  if (JSON_PATH.test(path)) return undefined;
  return `JSON path '${path}' is not supported: use ${JSON_PATH_RULE}`;
}

/** The steps of a valid path; throws on a path `jsonPathProblem` refuses. */
export function parseJsonPath(path: string): JsonPathSegment[] {
  const problem = jsonPathProblem(path);
  if (problem) throw new Error(problem);
  return [...path.matchAll(SEGMENT)].map(([, key, index]) => (key !== undefined ? key : Number(index)));
}

/**
 * The text of the string or number at `segments` in the JSON `text`, or undefined when the path leads nowhere or to
 * another type. A number is returned as written in the document, so ids beyond 2^53 keep every digit. Throws a
 * SyntaxError when `text` is not JSON.
 */
export function readJsonPathText(text: string, segments: JsonPathSegment[]): string | undefined {
  // Source text access (Node 21+): numbers become their exact text before JavaScript rounds them.
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    (typeof value === 'number' && context?.source !== undefined ? new JsonNumber(context.source) : value);
  let node: unknown = JSON.parse(text, reviver);
  for (const segment of segments) {
    if (typeof segment === 'number' ? !Array.isArray(node) : node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  if (typeof node === 'string') return node;
  return node instanceof JsonNumber ? node.source : undefined;
}

class JsonNumber {
  constructor(readonly source: string) {}
}
