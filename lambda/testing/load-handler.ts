import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { isCloudAssembly, selectWorkflow, workflowsInAssembly, type RunnableWorkflow } from './assembly-workflows';
import { LocalRunError } from './local-run-error';

/** Options of `loadHandler`. */
export interface LoadHandlerOptions {
  /**
   * The export that holds the handler.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * In a cloud assembly, the workflow to load: its construct path (`OrderApp/OrderWorkflow`), construct id
   * (`OrderWorkflow`) or its function's logical id.
   * @default the assembly's only durable function; an error listing them when it holds several
   */
  readonly workflow?: string;
}

/** A handler loaded from a file. */
export interface LoadedHandler {
  readonly handler: DurableLambdaHandler;
  /** The file that was bundled. */
  readonly file: string;
  readonly exportName: string;
  /** The workflow, when the handler came from a cloud assembly. */
  readonly workflow?: RunnableWorkflow;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

/**
 * Loads a workflow handler from a TypeScript or JavaScript file, as `DurableWorkflow`'s `entry`
 * would: the file is bundled with esbuild (CommonJS, for this Node.js) into a temporary folder,
 * loaded, and the export checked. A folder (such as a synthesized asset in `cdk.out`) loads its
 * `index` file. A cloud assembly (`cdk.out` itself) loads the bundle of one of its durable functions
 * (`options.workflow`), with the export its `Handler` names.
 *
 * esbuild is resolved from the file's project (the one `NodejsFunction` bundling already needs),
 * else from the working folder or beside this package.
 */
export async function loadHandler(file: string, options: LoadHandlerOptions = {}): Promise<LoadedHandler> {
  const path = resolve(file);
  let workflow: RunnableWorkflow | undefined;
  let entry: string;
  let exportName = options.handler ?? 'handler';
  if (isCloudAssembly(path)) {
    if (options.handler !== undefined) {
      throw new LocalRunError(`${path} is a cloud assembly: its function's Handler names the export, so the handler option does not apply`);
    }
    workflow = selectWorkflow(await workflowsInAssembly(path), options.workflow, path);
    entry = workflow.bundle.file;
    exportName = workflow.bundle.exportName;
  } else {
    if (options.workflow !== undefined) {
      throw new LocalRunError(`${path} is not a cloud assembly (it has no manifest.json): the workflow option picks a workflow in cdk.out`);
    }
    entry = findEntry(path);
  }
  const esbuild = requireEsbuild(entry);

  const outdir = mkdtempSync(join(tmpdir(), 'cdk-durable-workflow-'));
  try {
    const outfile = join(outdir, 'handler.cjs');
    try {
      await esbuild.build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: `node${process.versions.node.split('.')[0]}`,
        sourcemap: 'inline',
        logLevel: 'silent',
      });
    } catch (error) {
      const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }).errors?.[0];
      const where = first?.location ? ` (${first.location.file}:${first.location.line}:${first.location.column})` : '';
      throw new LocalRunError(`Could not bundle ${entry}: ${first ? `${first.text}${where}` : (error as Error).message}`);
    }

    let exports: Record<string, unknown>;
    try {
      exports = createRequire(outfile)(outfile);
    } catch (error) {
      throw new LocalRunError(`Loading ${entry} failed: ${(error as Error).message}`);
    }
    const handler = exports[exportName] ?? (exports.default as Record<string, unknown> | undefined)?.[exportName];
    if (handler === undefined) {
      const functions = Object.keys(exports).filter((name) => typeof exports[name] === 'function');
      throw new LocalRunError(`${entry} has no export named "${exportName}"; `
        + (functions.length ? `its function exports are: ${functions.join(', ')} (choose one with --handler)` : 'it exports no functions'));
    }
    if (typeof handler !== 'function') {
      throw new LocalRunError(`Export "${exportName}" of ${entry} is not a function (it is a ${typeof handler}); `
        + 'it must be a durable handler made with workflow.handler() or withDurableExecution()');
    }
    return { handler: handler as DurableLambdaHandler, file: entry, exportName, ...(workflow ? { workflow } : {}) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function findEntry(path: string): string {
  if (!existsSync(path)) throw new LocalRunError(`No such file: ${path}`);
  if (statSync(path).isDirectory()) {
    const index = ['index.js', 'index.mjs', 'index.cjs', 'index.ts'].map((name) => join(path, name)).find((candidate) => existsSync(candidate));
    if (!index) throw new LocalRunError(`${path} is a folder without an index.js, index.mjs, index.cjs or index.ts to load`);
    return index;
  }
  if (!SOURCE_EXTENSIONS.includes(extname(path))) {
    throw new LocalRunError(`${path} is not a TypeScript or JavaScript file (expected one of ${SOURCE_EXTENSIONS.join(', ')})`);
  }
  return path;
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

function requireEsbuild(entry: string): Esbuild {
  // The workflow's project first, then the working folder, then wherever this package is installed.
  const bases = [entry, join(process.cwd(), 'package.json')];
  if (typeof __filename !== 'undefined') bases.push(__filename);
  for (const base of bases) {
    try {
      return createRequire(base)('esbuild') as Esbuild;
    } catch {
      // try the next place
    }
  }
  throw new LocalRunError('esbuild is needed to bundle the workflow file: npm install --save-dev esbuild');
}
