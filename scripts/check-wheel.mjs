// Fails the build when the Python wheel is missing, does not carry the cdk_durable_workflow module, or its embedded
// npm tarball (what jsii runs) lacks a function bundle that the npm tarball carries (assets/<name>.lambda/index.js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const wheels = readdirSync('dist/python').filter((f) => f.endsWith('.whl'));
if (wheels.length !== 1) {
  throw new Error(`expected one wheel in dist/python, found ${JSON.stringify(wheels)}`);
}
const listing = execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-l', `dist/python/${wheels[0]}`], { encoding: 'utf8' });
for (const required of ['cdk_durable_workflow/__init__.py', 'cdk_durable_workflow/_jsii/']) {
  if (!listing.includes(required)) {
    throw new Error(`wheel ${wheels[0]} lacks ${required}`);
  }
}
const embedded = listing.match(/cdk_durable_workflow\/_jsii\/\S+\.jsii\.tgz/)?.[0];
const scratch = mkdtempSync(join(tmpdir(), 'check-wheel-'));
execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-e', `dist/python/${wheels[0]}`, scratch]);
const tarFiles = (tgz) => execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).split('\n').filter((f) => /^package\/assets\/.+\.js$/.test(f));
const bundles = tarFiles(join('dist/js', readdirSync('dist/js').find((f) => f.endsWith('.tgz'))));
const carried = new Set(embedded ? tarFiles(join(scratch, embedded)) : []);
const lacking = bundles.filter((f) => !carried.has(f));
if (!embedded || lacking.length > 0) {
  throw new Error(`wheel ${wheels[0]}: embedded npm tarball ${embedded ?? 'not found'} lacks ${JSON.stringify(lacking)}`);
}
console.log(`wheel ok: dist/python/${wheels[0]} (its npm tarball carries ${bundles.length} function bundles)`);
