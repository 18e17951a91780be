// Golden history files: written by `run --history-out` (writeHistoryFile), read back from files and folders.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readHistory, readHistoryFiles, runWorkflowLocally, writeHistoryFile } from '../../lambda/testing';
import { orderWorkflow, V1 } from '../fixtures/replay/order-workflow';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'histories-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a run\'s history written to a file reads back as the same events', async () => {
  const { history } = await runWorkflowLocally(orderWorkflow(V1), { callbacks: { approval: { result: 'yes' } } });
  const file = join(dir, 'golden', 'order.json');
  writeHistoryFile(file, history);
  const written = JSON.parse(readFileSync(file, 'utf8'));
  expect(Object.keys(written)).toEqual(['Events']);
  expect(written.Events[0].EventTimestamp).toBe(history[0].EventTimestamp!.toISOString());
  // What JSON keeps: every field but the undefined ones, the times as Dates again.
  expect(readHistoryFiles(file)).toEqual([{ file, events: readHistory(JSON.parse(JSON.stringify(history))) }]);
  expect(readHistoryFiles(file)[0].events.map((event) => event.EventTimestamp)).toEqual(history.map((event) => event.EventTimestamp));
});

test('a file inside the working folder is named relative to it', () => {
  const inside = mkdtempSync(join(process.cwd(), '.history-test-'));
  try {
    writeHistoryFile(join(inside, 'order.json'), [{ EventId: 1, EventType: 'ExecutionStarted', EventTimestamp: new Date() }]);
    expect(readHistoryFiles(inside)[0].file).toBe(join(relative(process.cwd(), inside), 'order.json'));
  } finally {
    rmSync(inside, { recursive: true, force: true });
  }
});

test('a folder gives each of its .json files in name order, not its other files or subfolders', () => {
  const started = { EventId: 1, EventType: 'ExecutionStarted', EventTimestamp: 0 };
  for (const name of ['b.json', 'a.json', 'notes.txt', join('old', 'c.json')]) {
    mkdirSync(join(dir, 'old'), { recursive: true });
    writeFileSync(join(dir, name), JSON.stringify([{ ...started, Name: name }]));
  }
  expect(readHistoryFiles(dir).map((history) => history.events[0].Name)).toEqual(['a.json', 'b.json']);
});

test.each([
  ['a missing file', () => join(dir, 'missing.json'), /^No such history file or folder: .*missing\.json$/],
  ['a folder without histories', () => dir, /is a folder without any \.json history file$/],
  ['a file that is not JSON', () => write('broken.json', '{"Events": ['), /broken\.json is not valid JSON: /],
  ['JSON that is not a history', () => write('config.json', '{"region": "us-east-1"}'), /config\.json is not an execution history: expected/],
])('%s is refused naming the file', (_, path, message) => {
  expect(() => readHistoryFiles(path())).toThrow(message);
});

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
