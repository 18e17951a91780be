// Prints one closing line per JUnit report given (default: jest's): "<report>: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const reports = process.argv.slice(2);
for (const report of reports.length ? reports : ['test-reports/junit.xml']) {
  const xml = readFileSync(report, 'utf8');
  const root = xml.match(/<testsuites\b[^>]*>/);
  if (!root) {
    throw new Error(`${report} has no <testsuites> element`);
  }
  const attr = (name) => Number((root[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
  const total = attr('tests');
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  console.log(`tests (${report}): ${total - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
}
