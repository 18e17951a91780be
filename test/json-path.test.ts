// The JSON path subset both the construct (at synth) and the dispatcher (per message) accept.
import { jsonPathProblem, parseJsonPath, readJsonPathText } from '../src/json-path';

test.each(['$.orderId', '$.order.id', '$.items[0].sku', '$[2]', '$.a-b_c.9'])('%s is accepted', (path) => {
  expect(jsonPathProblem(path)).toBeUndefined();
});

test.each(['orderId', '$', '$.', '$..orderId', "$['orderId']", '$.items[*]', '$.items[-1]', '$.order id', '$.orderId '])('%s is refused, saying what is allowed', (path) => {
  expect(jsonPathProblem(path)).toBe(`JSON path '${path}' is not supported: use '$' followed by .key (letters, digits, _ and -) `
    + "or [index] steps, e.g. '$.orderId' or '$.items[0].sku'");
  expect(() => parseJsonPath(path)).toThrow(/is not supported/);
});

test('a path parses into keys and indexes', () => {
  expect(parseJsonPath('$.items[10].sku')).toEqual(['items', 10, 'sku']);
});

describe('reading a value', () => {
  const read = (text: string, path: string) => readJsonPathText(text, parseJsonPath(path));

  test('strings as they are, numbers as written (every digit of an id beyond 2^53)', () => {
    expect(read('{"order":{"id":"A-1"}}', '$.order.id')).toBe('A-1');
    expect(read('{"items":[{"sku":12345678901234567891}]}', '$.items[0].sku')).toBe('12345678901234567891');
    expect(read('{"n":1.50}', '$.n')).toBe('1.50');
  });

  test('nothing when the path leads nowhere or to something that is not a string or number', () => {
    expect(read('{"order":{}}', '$.order.id')).toBeUndefined();
    expect(read('{"order":{"id":{"x":1}}}', '$.order.id')).toBeUndefined();
    expect(read('{"order":{"id":null}}', '$.order.id')).toBeUndefined();
    expect(read('{"order":{"id":true}}', '$.order.id')).toBeUndefined();
    expect(read('{"items":{"0":"a"}}', '$.items[0]')).toBeUndefined();
    expect(read('{"items":["a"]}', '$.items.length')).toBeUndefined();
    expect(read('{"items":["a"]}', '$.items[1]')).toBeUndefined();
    expect(read('{}', '$.constructor')).toBeUndefined();
  });

  test('a body that is not JSON throws', () => {
    expect(() => read('order A-1', '$.id')).toThrow(SyntaxError);
  });
});
