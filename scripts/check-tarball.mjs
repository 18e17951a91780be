// Fails the build when the npm tarball lacks a file that package.json's `exports` or `bin` points at
// (the runtime helper and its CLI live in lib/runtime, outside jsii's view), or the bundle of a function the
// library ships (src/**/*.lambda.ts, bundled into assets/), or ships what it should not.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const tarballs = readdirSync('dist/js').filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) {
  throw new Error(`expected one tarball in dist/js, found ${JSON.stringify(tarballs)}`);
}
const files = new Set(execFileSync('tar', ['tzf', `dist/js/${tarballs[0]}`], { encoding: 'utf8' })
  .split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
const bundles = readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.lambda.ts'))
  .map((f) => `assets/${f.replace(/\.ts$/, '')}/index.js`);
const required = [...targets(pkg.exports), ...Object.values(pkg.bin ?? {}), ...bundles].map((f) => f.replace(/^\.\//, ''));
const missing = required.filter((f) => !files.has(f));
const unwanted = [...files].filter((f) => /^(src|lambda|test|integ|bench|examples|scripts|docs)\//.test(f));
if (missing.length > 0 || unwanted.length > 0) {
  throw new Error(`tarball ${tarballs[0]}: missing ${JSON.stringify(missing)}, unwanted ${JSON.stringify(unwanted.slice(0, 10))}`);
}
console.log(`tarball ok: dist/js/${tarballs[0]} (${files.size} files; ${required.length} export, bin and bundle targets present)`);
