// Fails the build when the npm tarball lacks a file that package.json's `exports` or `bin` points at
// (the runtime helper and its CLI live in lib/runtime, outside jsii's view), or the bundle a generated
// lib/*-function.js deploys (assets/<name>.lambda/index.js), or the dev server's viewer files, or ships what it should not.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';

const tarballs = readdirSync('dist/js').filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) {
  throw new Error(`expected one tarball in dist/js, found ${JSON.stringify(tarballs)}`);
}
const files = new Set(execFileSync('tar', ['tzf', `dist/js/${tarballs[0]}`], { encoding: 'utf8' })
  .split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
const required = [...targets(pkg.exports), ...Object.values(pkg.bin ?? {})].map((f) => f.replace(/^\.\//, ''));
// projen's generated Function classes load their code with Code.fromAsset(path.join(__dirname, '<dir>')).
const assets = [...files].filter((f) => /^lib\/.*-function\.js$/.test(f)).map((f) => {
  const dir = /Code\.fromAsset\(path\.join\(__dirname, '([^']+)'\)\)/.exec(readFileSync(f, 'utf8'))?.[1];
  return dir === undefined ? `${f} (no Code.fromAsset)` : posix.join(posix.dirname(f), dir, 'index.js');
});
required.push(...assets);
// The dev server serves its viewer from lib/runtime/dev/viewer, copied from lambda/dev/viewer (not compiled by tsc).
const viewer = readdirSync('lambda/dev/viewer').map((f) => `lib/runtime/dev/viewer/${f}`);
required.push(...viewer);
const missing = required.filter((f) => !files.has(f));
// The handlers' sources as jsii compiled them (lib/*.lambda.js) are not what deploys; they import devDependencies.
const unwanted = [...files].filter((f) => /^(src|lambda|test|integ|bench|examples|scripts|docs)\/|\.lambda\.(js|d\.ts)$/.test(f));
if (missing.length > 0 || unwanted.length > 0) {
  throw new Error(`tarball ${tarballs[0]}: missing ${JSON.stringify(missing)}, unwanted ${JSON.stringify(unwanted.slice(0, 10))}`);
}
console.log(`tarball ok: dist/js/${tarballs[0]} (${files.size} files; ${required.length - assets.length - viewer.length} export and bin targets, `
  + `${assets.length} function bundles and ${viewer.length} viewer files present)`);
