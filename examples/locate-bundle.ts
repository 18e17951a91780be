// Finds a function's deployment bundle in a synthesized cloud assembly, the way CloudFormation
// would: the template's Code.S3Key names an asset, the asset manifest says which folder it is.
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AssetManifestArtifact, type CloudAssembly } from 'aws-cdk-lib/cx-api';

/** Where a synthesized function's code is and how Lambda would load it. */
export interface FunctionBundle {
  /** The asset folder in the cloud assembly (what is zipped and uploaded). */
  readonly directory: string;
  /** The file Lambda loads (`index.js` for handler `index.handler`). */
  readonly file: string;
  /** The export Lambda calls. */
  readonly exportName: string;
  /** The function's `Handler` property, as deployed. */
  readonly handler: string;
}

export function locateFunctionBundle(assembly: CloudAssembly, fn: lambda.Function): FunctionBundle {
  const stack = Stack.of(fn);
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const logicalId = stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId) as string;
  const resource = artifact.template.Resources?.[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a Lambda function in ${artifact.templateFile}`);
  const objectKey: unknown = resource.Properties?.Code?.S3Key;
  const handler: unknown = resource.Properties?.Handler;
  if (typeof objectKey !== 'string' || typeof handler !== 'string') {
    throw new Error(`${logicalId} has no asset code (Code.S3Key) and Handler in ${artifact.templateFile}`);
  }

  const manifests = artifact.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact);
  for (const manifest of manifests) {
    for (const asset of Object.values(manifest.contents.files ?? {})) {
      const uploaded = Object.values(asset.destinations).some((destination) => destination.objectKey === objectKey);
      if (uploaded && asset.source.path) {
        const directory = join(assembly.directory, asset.source.path);
        const dot = handler.lastIndexOf('.');
        return { directory, file: join(directory, `${handler.slice(0, dot)}.js`), exportName: handler.slice(dot + 1), handler };
      }
    }
  }
  throw new Error(`No asset manifest of ${artifact.id} uploads ${objectKey}`);
}
