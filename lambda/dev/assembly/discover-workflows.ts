// Finds the durable functions of a cloud assembly (cdk.out) from what CloudFormation would deploy: each
// AWS::Lambda::Function with a DurableConfig, its aliases, and the asset that holds its code. A DurableWorkflow is
// one of them (its function, version and alias); a durable lambda.Function is served too. Reading the templates, not
// construct internals, works for any assembly a CDK app wrote, whatever the version of this library.
import { basename, join } from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- the CDK app's own aws-cdk-lib (a peer dependency)
import { AssetManifestArtifact, CloudAssembly } from 'aws-cdk-lib/cx-api';
// eslint-disable-next-line import/no-extraneous-dependencies -- the CDK app's own aws-cdk-lib (a peer dependency)
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { resolveValue } from './intrinsics';
import type { LocalResource } from './intrinsics';
import { functionArn } from '../../testing/engine/arn';

/** One durable function of the assembly, as the dev server runs it. */
export interface WorkflowDefinition {
  /** The construct path: a DurableWorkflow's own (`OrderApp/OrderWorkflow`), else the function's. */
  readonly path: string;
  readonly stackName: string;
  readonly logicalId: string;
  /** `FunctionName`, or `<stack name>-<logical id>` when CloudFormation would make one up. */
  readonly functionName: string;
  /** Its aliases' names (a DurableWorkflow's qualifier); each points at the newest version. */
  readonly aliases: readonly string[];
  readonly runtime: string;
  /** `Handler`: `index.handler`. */
  readonly handler: string;
  /** The folder that holds the code. */
  readonly codeDirectory: string;
  /** The code asset's hash. */
  readonly codeHash: string;
  /** The function `Timeout`: how long one invocation may run. */
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly executionTimeoutSeconds: number;
  readonly retentionPeriodDays: number;
  /** The environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables whose values only exist once deployed (a table's name, an import): left unset. */
  readonly unresolvedEnvironment: readonly string[];
}

/** A durable function the dev server cannot run, and why. */
export interface SkippedFunction {
  readonly path: string;
  readonly reason: string;
}

export interface DiscoveredWorkflows {
  readonly workflows: WorkflowDefinition[];
  readonly skipped: SkippedFunction[];
}

type Resource = { Type?: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> };

/** Reads the assembly in `directory` (its nested stages too). */
export function discoverWorkflows(directory: string, region: string): DiscoveredWorkflows {
  const assembly = new CloudAssembly(directory, { skipVersionCheck: true });
  const workflows: WorkflowDefinition[] = [];
  const skipped: SkippedFunction[] = [];
  for (const stack of assembly.stacksRecursively) {
    const resources: Record<string, Resource> = stack.template.Resources ?? {};
    const paths = constructPaths(stack);
    const durable = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.DurableConfig);
    const names = new Map(durable.map(([logicalId, resource]) => [logicalId, functionNameOf(stack, logicalId, resource)]));

    // What the function's environment may refer to: the functions served and their aliases.
    const local = new Map<string, LocalResource>();
    for (const [logicalId, name] of names) local.set(logicalId, { ref: name, attributes: { Arn: functionArn(region, name) } });
    const aliases = new Map<string, string[]>();
    for (const [logicalId, resource] of Object.entries(resources)) {
      const target = resource.Type === 'AWS::Lambda::Alias' ? aliasTarget(resource, names) : undefined;
      if (target === undefined || typeof resource.Properties?.Name !== 'string') continue;
      aliases.set(target, [...(aliases.get(target) ?? []), resource.Properties.Name]);
      local.set(logicalId, { ref: functionArn(region, names.get(target)!, resource.Properties.Name), attributes: {} });
    }

    for (const [logicalId, resource] of durable) {
      const functionPath = paths.get(logicalId) ?? `${stack.hierarchicalId}/${logicalId}`;
      const path = workflowPath(functionPath, logicalId, resources, paths);
      const props = resource.Properties!;
      const runtime = String(props.Runtime ?? '');
      const code = codeAsset(stack, resource);
      if (!runtime.startsWith('nodejs')) {
        skipped.push({ path, reason: `its runtime is ${runtime || 'a container image'}; the dev server runs Node.js functions` });
      } else if (!code || typeof props.Handler !== 'string') {
        skipped.push({ path, reason: 'its code is not an asset folder of the assembly (inline code or an S3 object)' });
      } else {
        const environment: Record<string, string> = {};
        const unresolvedEnvironment: string[] = [];
        for (const [name, value] of Object.entries((props.Environment?.Variables ?? {}) as Record<string, unknown>)) {
          const resolved = resolveValue(value, { region, stackName: stack.stackName, resources: local });
          if (resolved === undefined) unresolvedEnvironment.push(name);
          else environment[name] = resolved;
        }
        workflows.push({
          path,
          stackName: stack.stackName,
          logicalId,
          functionName: names.get(logicalId)!,
          aliases: aliases.get(logicalId) ?? [],
          runtime,
          handler: props.Handler,
          codeDirectory: code.directory,
          codeHash: code.hash,
          timeoutSeconds: Number(props.Timeout ?? 3),
          memorySize: Number(props.MemorySize ?? 128),
          executionTimeoutSeconds: Number(props.DurableConfig.ExecutionTimeout),
          retentionPeriodDays: Number(props.DurableConfig.RetentionPeriodInDays ?? 14),
          environment,
          unresolvedEnvironment,
        });
      }
    }
  }
  return { workflows, skipped };
}

function functionNameOf(stack: CloudFormationStackArtifact, logicalId: string, resource: Resource): string {
  const given = resource.Properties?.FunctionName;
  return typeof given === 'string' ? given : `${stack.stackName}-${logicalId}`.slice(0, 64);
}

/** The function an alias points at, by logical id: `FunctionName: { Ref }` or the function's literal name. */
function aliasTarget(alias: Resource, names: ReadonlyMap<string, string>): string | undefined {
  const target: unknown = alias.Properties?.FunctionName;
  if (typeof target === 'string') return [...names].find(([, name]) => name === target)?.[0];
  const ref = (target as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' && names.has(ref) ? ref : undefined;
}

/** Construct paths by logical id, from the assembly's metadata (written whatever the app's path-metadata setting). */
function constructPaths(stack: CloudFormationStackArtifact): Map<string, string> {
  const paths = new Map<string, string>();
  for (const entry of stack.findMetadataByType('aws:cdk:logicalId')) {
    if (typeof entry.data === 'string') paths.set(entry.data, entry.path.replace(/^\//, '').replace(/\/Resource$/, ''));
  }
  return paths;
}

/** A DurableWorkflow holds `Function` and `Alias` side by side: its path is theirs without the last part. */
function workflowPath(functionPath: string, logicalId: string, resources: Record<string, Resource>, paths: ReadonlyMap<string, string>): string {
  if (!functionPath.endsWith('/Function')) return functionPath;
  const parent = functionPath.slice(0, -'/Function'.length);
  const hasAlias = Object.entries(resources).some(([id, resource]) => resource.Type === 'AWS::Lambda::Alias'
    && (resource.Properties?.FunctionName as { Ref?: unknown } | undefined)?.Ref === logicalId && paths.get(id) === `${parent}/Alias`);
  return hasAlias ? parent : functionPath;
}

/** The asset folder of a function's code: the asset manifest entry whose upload is `Code.S3Key`, else the asset metadata. */
function codeAsset(stack: CloudFormationStackArtifact, resource: Resource): { directory: string; hash: string } | undefined {
  const objectKey: unknown = resource.Properties?.Code?.S3Key;
  for (const manifest of stack.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact)) {
    for (const [hash, asset] of Object.entries(manifest.contents.files ?? {})) {
      const uploaded = Object.values(asset.destinations).some((destination) => destination.objectKey === objectKey);
      if (uploaded && asset.source.path && asset.source.packaging !== 'file') {
        return { directory: join(stack.assembly.directory, asset.source.path), hash };
      }
    }
  }
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') return undefined;
  return { directory: join(stack.assembly.directory, assetPath), hash: basename(assetPath).replace(/^asset\./, '') };
}
