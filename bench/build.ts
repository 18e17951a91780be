// Compiles each benchmark's child script to one plain-JS file, so children start on `node` alone: no TypeScript
// compiler in their start-up time or their memory. The project's own sources (src/, lambda/, test/support/) are
// bundled in as they are now; packages stay external and load from node_modules, as they would for a user.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

export const CHILDREN = {
  synth: 'synth/synth-child.ts',
  bundle: 'bundle/bundle-child.ts',
  load: 'bundle/load-child.ts',
  replay: 'replay/replay-child.ts',
  client: 'client/client-child.ts',
  testSpeed: 'test-speed/test-speed-child.ts',
  engine: 'engine/engine-child.ts',
} as const;

export type ChildName = keyof typeof CHILDREN;

/**
 * Builds every child script into `outdir` and returns the path of each. The functions the library ships prebuilt
 * (`assets/`, which src/ finds at `../assets` from its own file) are copied beside `outdir` the same way.
 */
export async function buildChildren(benchDir: string, outdir: string): Promise<Record<ChildName, string>> {
  const names = Object.keys(CHILDREN) as ChildName[];
  await build({
    entryPoints: Object.fromEntries(names.map((name) => [name, path.join(benchDir, CHILDREN[name])])),
    outdir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'warning',
  });
  fs.cpSync(path.join(benchDir, '..', 'assets'), path.join(outdir, '..', 'assets'), { recursive: true });
  return Object.fromEntries(names.map((name) => [name, path.join(outdir, `${name}.js`)])) as Record<ChildName, string>;
}
