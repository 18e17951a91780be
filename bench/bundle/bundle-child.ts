// Bundles the three handlers the way DurableWorkflow's `entry` does, by synthesizing DurableWorkflows (NodejsFunction's
// esbuild, the construct's defaults), once as they come and once with `bundling: { minify: true }`:
// `node bundle-child.js <repoRoot> <outdir>`. Reports where each bundle landed in the cloud assembly.
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { DurableWorkflow } from '../../src';
import { runMain } from '../child';
import { HANDLERS, handlerProject } from './handlers';
import type { HandlerKind } from './handlers';

export interface BundleVariant {
  readonly handler: HandlerKind;
  readonly minify: boolean;
  /** The bundled handler file in the cloud assembly. */
  readonly file: string;
}

runMain(async (): Promise<BundleVariant[]> => {
  const [root, outdir] = process.argv.slice(2);
  if (!root || !outdir) throw new Error('usage: bundle-child <repoRoot> <outdir>');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundles');
  const variants = HANDLERS.flatMap((handler) => [false, true].map((minify) => {
    const { entry, projectRoot } = handlerProject(root, handler);
    const wf = new DurableWorkflow(stack, `${handler}${minify ? 'Minified' : 'Default'}`, {
      entry,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      projectRoot,
      bundling: minify ? { minify: true } : undefined,
    });
    return { handler, minify, logicalId: stack.getLogicalId(wf.function.node.defaultChild as CfnFunction) };
  }));
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Properties: { Code: { S3Key: string } } }>;
  };
  return variants.map(({ handler, minify, logicalId }) => {
    const assetHash = template.Resources[logicalId].Properties.Code.S3Key.replace(/\.zip$/, '');
    return { handler, minify, file: path.join(outdir, `asset.${assetHash}`, 'index.js') };
  });
});
