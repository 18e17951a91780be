// ESM builds of the runtime entry points. The CJS build and the .d.ts files come from `tsc -p lambda`;
// esbuild adds an .mjs beside each entry so `import` gets real ESM. Packages stay external: the user's
// bundler (or NodejsFunction) decides what to bundle.
import { build } from 'esbuild';

const entries = [
  ['lambda/index.ts', 'lib/runtime/index.mjs'],
  // What DurableWorkflow's bundling picks (the `cdk-durable-workflow-handler` export condition): no client in `workflow`.
  ['lambda/handler-side.ts', 'lib/runtime/handler-side.mjs'],
  ['lambda/client/index.ts', 'lib/runtime/client/index.mjs'],
  ['lambda/testing/index.ts', 'lib/runtime/testing/index.mjs'],
];

await Promise.all(entries.map(([entry, outfile]) => build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
})));
