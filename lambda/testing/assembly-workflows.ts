// The durable functions of a synthesized CDK app (a cloud assembly such as `cdk.out`) and where each one's code is,
// found as CloudFormation and the CDK CLI would: the template's Code.S3Key names an asset, the asset manifest its
// folder. Read with aws-cdk-lib's own cloud assembly reader (the CDK app's aws-cdk-lib, loaded when needed).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRunError } from './local-run-error';

/** Where a synthesized function's code is and how Lambda loads it. */
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

/** A durable function (one with `DurableConfig`) in a cloud assembly. */
export interface AssemblyWorkflow {
  /**
   * The construct path that names it: a `DurableWorkflow`'s own path (its function is `<path>/Function`), or the
   * function's, for example `OrderApp/OrderWorkflow`.
   */
  readonly path: string;
  /** The last part of `path`: the construct id. */
  readonly id: string;
  /** The construct path of the `AWS::Lambda::Function`. */
  readonly functionPath: string;
  /** The stack's artifact id in the assembly. */
  readonly stackId: string;
  /** The function's logical id in the stack's template. */
  readonly logicalId: string;
  readonly runtime?: string;
  /** The function's `Handler` property. */
  readonly handler?: string;
  /**
   * Its Node.js code, when that is an asset of the assembly (not for other runtimes, code from a bucket of your
   * own or inline code).
   */
  readonly bundle?: FunctionBundle;
}

/** A workflow the local runner can run: a Node.js function whose bundle is in the assembly. */
export type RunnableWorkflow = AssemblyWorkflow & { readonly bundle: FunctionBundle };

/** Whether `directory` is a cloud assembly: a folder with a `manifest.json`, as `cdk synth` writes. */
export function isCloudAssembly(directory: string): boolean {
  return existsSync(join(directory, 'manifest.json'));
}

/** Every durable function of the cloud assembly in `directory`, with its stages' (nested assemblies'), in order. */
export async function workflowsInAssembly(directory: string): Promise<AssemblyWorkflow[]> {
  let cxapi: typeof import('aws-cdk-lib/cx-api');
  try {
    cxapi = await import('aws-cdk-lib/cx-api');
  } catch (error) {
    throw new LocalRunError(`Reading the cloud assembly ${directory} needs aws-cdk-lib, as the CDK app that wrote it does: ${(error as Error).message}`);
  }
  const assembly = new cxapi.CloudAssembly(directory);
  const workflows: AssemblyWorkflow[] = [];
  for (const stack of assembly.stacksRecursively) {
    const paths = new Map(stack.findMetadataByType('aws:cdk:logicalId').map((entry) => [entry.data as string, entry.path]));
    const assets = stack.dependencies.filter(cxapi.AssetManifestArtifact.isAssetManifestArtifact)
      .flatMap((manifest) => Object.values(manifest.contents.files ?? {}));
    for (const [logicalId, resource] of Object.entries<TemplateResource>(stack.template.Resources ?? {})) {
      const properties = resource.Properties ?? {};
      if (resource.Type !== 'AWS::Lambda::Function' || properties.DurableConfig === undefined) continue;
      const functionPath = (paths.get(logicalId) ?? `/${stack.hierarchicalId}/${logicalId}`).replace(/^\//, '').replace(/\/Resource$/, '');
      // A DurableWorkflow's function is its child `Function`: the workflow's path is the name users know.
      const path = functionPath.replace(/\/Function$/, '');
      const objectKey = properties.Code?.S3Key;
      const asset = typeof objectKey === 'string'
        ? assets.find((candidate) => Object.values(candidate.destinations).some((destination) => destination.objectKey === objectKey))
        : undefined;
      const runtime = typeof properties.Runtime === 'string' ? properties.Runtime : undefined;
      const handler = typeof properties.Handler === 'string' ? properties.Handler : undefined;
      workflows.push({
        path,
        id: path.slice(path.lastIndexOf('/') + 1),
        functionPath,
        stackId: stack.id,
        logicalId,
        runtime,
        handler,
        bundle: asset?.source.path !== undefined && handler !== undefined && runtime?.startsWith('nodejs')
          ? bundleOf(join(stack.assembly.directory, asset.source.path), handler)
          : undefined,
      });
    }
  }
  return workflows;
}

/**
 * The workflow `selector` names (its construct path, its function's path, its construct id or the function's
 * logical id), or the only one when there is one and no selector. Anything else is an error that lists them.
 */
export function selectWorkflow(workflows: readonly AssemblyWorkflow[], selector: string | undefined, where: string): RunnableWorkflow {
  if (workflows.length === 0) throw new LocalRunError(`${where} holds no durable function (an AWS::Lambda::Function with DurableConfig)`);
  const choose = 'choose one by construct path or id with --workflow (loadHandler: options.workflow)';
  if (selector === undefined) {
    if (workflows.length > 1) throw new LocalRunError(`${where} holds ${workflows.length} durable workflows; ${choose}:\n${listing(workflows)}`);
    return runnable(workflows[0]);
  }
  const wanted = selector.replace(/^\//, '');
  const matches = workflows.filter((workflow) => [workflow.path, workflow.functionPath, workflow.id, workflow.logicalId].includes(wanted));
  if (matches.length === 0) throw new LocalRunError(`No durable workflow in ${where} is named "${selector}"; ${choose}:\n${listing(workflows)}`);
  if (matches.length > 1) throw new LocalRunError(`"${selector}" names ${matches.length} durable workflows in ${where}; choose one by construct path:\n${listing(matches)}`);
  return runnable(matches[0]);
}

/** The workflows, one a line: path, stack and logical id, runtime, handler. */
function listing(workflows: readonly AssemblyWorkflow[]): string {
  const rows = workflows.map((workflow) => [workflow.path, `${workflow.stackId}/${workflow.logicalId}`, workflow.runtime ?? '', workflow.handler ?? '']);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd()).join('\n');
}

function runnable(workflow: AssemblyWorkflow): RunnableWorkflow {
  if (!workflow.runtime?.startsWith('nodejs')) {
    throw new LocalRunError(`${workflow.path} runs on ${workflow.runtime ?? 'a container image'}; the local runner runs Node.js handlers`);
  }
  if (!workflow.bundle) throw new LocalRunError(`${workflow.path}'s code is not an asset of the cloud assembly, so there is nothing here to run`);
  return workflow as RunnableWorkflow;
}

function bundleOf(directory: string, handler: string): FunctionBundle {
  const dot = handler.lastIndexOf('.');
  const module = join(directory, handler.slice(0, dot));
  const file = ['.js', '.mjs', '.cjs'].map((extension) => `${module}${extension}`).find((candidate) => existsSync(candidate)) ?? `${module}.js`;
  return { directory, file, exportName: handler.slice(dot + 1), handler };
}

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: {
    readonly DurableConfig?: unknown;
    readonly Code?: { readonly S3Key?: unknown };
    readonly Handler?: unknown;
    readonly Runtime?: unknown;
  };
}
