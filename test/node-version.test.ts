// The durable SDKs require Node 22 or newer, and package.json's `engines` says so: the suite must run on such a Node,
// or it would pass on a Node that users' handlers and Lambda never run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test('the suite runs on the Node version package.json engines requires', () => {
  const engines = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).engines as { node: string };
  const minimumMajor = Number(/(\d+)/.exec(engines.node)![1]);
  expect(minimumMajor).toBeGreaterThanOrEqual(22);
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(minimumMajor);
});
