// Where a handler bundle's bytes come from. NodejsFunction's esbuild writes no metafile, so this rebuilds the entry
// with the same settings (CommonJS, node24, `@aws-sdk/*` external, minified) and asks esbuild which input produced
// which output bytes. run.ts checks that the total equals the construct-built bundle, so the two builds agree.
import * as path from 'node:path';
import { build } from 'esbuild';

export interface Breakdown {
  readonly bytes: number;
  /** Output bytes per project file, or per package for node_modules. */
  readonly byInput: Record<string, number>;
}

export async function minifiedBreakdown(entry: string, root: string): Promise<Breakdown> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external: ['@aws-sdk/*'],
    minify: true,
    write: false,
    metafile: true,
    outfile: path.join(root, 'breakdown.js'),
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const byInput: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const key = pkg ?? input;
    byInput[key] = (byInput[key] ?? 0) + bytesInOutput;
  }
  return { bytes: output.bytes, byInput };
}
