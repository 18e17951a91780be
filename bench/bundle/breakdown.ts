// Where a handler bundle's bytes come from. NodejsFunction's esbuild writes no metafile, so this rebuilds the entry
// with the same settings (CommonJS, node24, `@aws-sdk/*` external, DurableWorkflow's export conditions, minified, from
// the same project folder) and asks esbuild which input produced which output bytes. run.ts checks that the total
// equals the construct-built bundle, so the two builds agree. With `alias`, a package path is built from its sources
// instead, which shares the compiled runtime's bytes out to the files of lambda/.
import * as path from 'node:path';
import { build } from 'esbuild';

export interface Breakdown {
  readonly bytes: number;
  /** Output bytes per project file, or per package for node_modules. */
  readonly byInput: Record<string, number>;
}

export async function minifiedBreakdown(entry: string, projectRoot: string, alias?: Record<string, string>): Promise<Breakdown> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external: ['@aws-sdk/*'],
    conditions: ['cdk-durable-workflow-handler', 'module'],
    alias,
    minify: true,
    write: false,
    metafile: true,
    outfile: path.join(projectRoot, 'breakdown.js'),
    absWorkingDir: projectRoot,
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
