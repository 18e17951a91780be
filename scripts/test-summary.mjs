// Prints one closing line from jest's JUnit report: "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const xml = readFileSync('test-reports/junit.xml', 'utf8');
const root = xml.match(/<testsuites\b[^>]*>/);
if (!root) {
  throw new Error('test-reports/junit.xml has no <testsuites> element');
}
const attr = (name) => Number((root[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
const total = attr('tests');
const failed = attr('failures') + attr('errors');
const skipped = attr('skipped');
console.log(`tests: ${total - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
