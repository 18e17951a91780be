// `cdk-durable-workflow/runtime` as users get it: the compiled lib/runtime, reached through package.json `exports`
// (the package's self-reference), from CommonJS, from an ES module, under DurableWorkflow's handler condition, and from
// TypeScript; and `cdk-durable-workflow/runtime/client`, the client alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ensureCompiledRuntime, ROOT } from '../fixtures/runner/compiled-runtime';

const SCRATCH = join(ROOT, 'node_modules', '.cache', 'cdk-durable-workflow-entry-points');

/** A saga run on the package's local engine (cdk-durable-workflow/runtime/testing); prints what a caller would see. */
const program = (load: string) => `
${load}
const { runWorkflowLocally } = require('cdk-durable-workflow/runtime/testing');
(async () => {
  const handler = runtime.workflow.handler(async (event, ctx) => {
    await ctx.wait('pause', '2 hours');
    try {
      await ctx.stepWithRollback('reserve', { run: async () => event.id, undo: async (_e, id) => { throw new Error('cannot release ' + id); } },
        { undoConfig: { retryStrategy: () => ({ shouldRetry: false }) } });
      throw new Error('payment failed');
    } catch (error) {
      try { await ctx.rollbackAll(error); } catch (rollback) { return { rollbackError: rollback instanceof runtime.RollbackError, message: rollback.message }; }
    }
  });
  const run = await runWorkflowLocally(handler, { payload: { id: 'r-1' } });
  // An unqualified target is refused before any request: the full runtime answers with InvalidArgumentError.
  let start;
  try { start = await runtime.workflow.start('unqualified', { name: 'n' }).catch((error) => error.name); } catch (error) { start = error.message; }
  console.log(JSON.stringify({ status: run.status, result: run.result, client: typeof runtime.WorkflowClient, start }));
})();
`;

const result = { rollbackError: true, message: 'Rollback failed for 1 of 1 compensation(s): "reserve": cannot release r-1' };
const expected = { status: 'SUCCEEDED', result, client: 'function', start: 'InvalidArgumentError' };

function runNode(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, AWS_REGION: 'us-east-1' }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

beforeAll(() => {
  ensureCompiledRuntime();
});

test('require("cdk-durable-workflow/runtime") runs a workflow', () => {
  expect(runNode(['-e', program("const runtime = require('cdk-durable-workflow/runtime');")])).toEqual(expected);
});

test('import("cdk-durable-workflow/runtime") from an ES module runs a workflow', () => {
  const load = "import * as runtime from 'cdk-durable-workflow/runtime';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);";
  expect(runNode(['--input-type=module', '-e', program(load)])).toEqual(expected);
});

test.each([
  ['require', 'const runtime = require(\'cdk-durable-workflow/runtime\');'],
  ['import', "import * as runtime from 'cdk-durable-workflow/runtime';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);"],
])('under the cdk-durable-workflow-handler condition (%s), the handler side runs and workflow.start says where the client is', (_how, load) => {
  const moduleFlag = load.startsWith('import') ? ['--input-type=module'] : [];
  expect(runNode(['--conditions=cdk-durable-workflow-handler', ...moduleFlag, '-e', program(load)])).toEqual({
    status: 'SUCCEEDED',
    result,
    client: 'function', // the client's named exports are still there (an ES module bundle drops them unless imported)
    start: "In a DurableWorkflow handler, import the client from 'cdk-durable-workflow/runtime/client'",
  });
});

test('cdk-durable-workflow/runtime/client has the client calls and WorkflowClient, and no handler side', () => {
  const out = runNode(['-e', `
    const client = require('cdk-durable-workflow/runtime/client');
    console.log(JSON.stringify({ calls: Object.keys(client.workflow).sort(), client: typeof client.WorkflowClient, handler: typeof client.handler }));
  `]);
  expect(out).toEqual({
    calls: ['describe', 'fail', 'heartbeat', 'history', 'list', 'start', 'stop', 'succeed'],
    client: 'function',
    handler: 'undefined',
  });
});

test.each(['node16', 'bundler'] as const)('TypeScript (moduleResolution %s) type-checks a handler and a client call against the shipped types', (resolution) => {
  mkdirSync(SCRATCH, { recursive: true });
  const file = join(SCRATCH, 'consumer.ts');
  writeFileSync(file, [
    "import { workflow, RollbackError } from 'cdk-durable-workflow/runtime';",
    'export const handler = workflow.handler<{ id: string }, { id: string }>(async (event, ctx: workflow.Context) => {',
    "  const id = await ctx.stepWithRollback('reserve', { run: async () => event.id, undo: async (_error, reserved) => { reserved.toUpperCase(); } });",
    "  await ctx.wait('pause', '30 seconds');",
    "  const approval = await ctx.waitForCallbackJson<{ ok: boolean }>('approve', async () => undefined);",
    "  return { id: approval.ok ? id : '' };",
    '});',
    "import { workflow as client, WorkflowClient } from 'cdk-durable-workflow/runtime/client';",
    "export const started = new WorkflowClient().start('orders:live', { id: '1' }, { name: 'order-1', sync: true });",
    "export const fromClientPath: Promise<workflow.StartResponse> = client.start('orders:live', { name: 'order-1' });",
    'export const isRollback = (error: unknown) => error instanceof RollbackError;',
    '// SST client calls, as written for sst/aws/workflow',
    "export const sstStart = workflow.start({ name: 'orders', qualifier: 'live' }, { name: 'order-1', payload: { id: '1' } }, { aws: { region: 'us-east-1' } });",
    "export const sstSucceed = workflow.succeed('token', { payload: { ok: true } });",
    "export const sstFail = workflow.fail('token', { error: new Error('rejected') });",
    "export const sstStop = (arn: string) => workflow.stop(arn, { error: 'cancelled' });",
    'export const sstCaught = (token: string, caught: unknown) => workflow.fail(token, { error: caught });',
    "export const sstList = workflow.list({ name: 'orders', qualifier: 'live' }, { status: 'RUNNING' }).catch(() => undefined);",
    'export const sstRollback = (error: unknown) => (error instanceof workflow.RollbackError ? error.stepName : undefined);',
    'export const describeType = (arn: string): Promise<workflow.DescribeResponse> => workflow.describe(arn);',
    "export const sstOptions: workflow.Options = { aws: { accessKeyId: 'a', secretAccessKey: 'b', retries: 2 } };",
    '// @ts-expect-error workflow.start takes SST\'s { name, payload } only; payload and options apart are WorkflowClient\'s',
    "export const richOnModule = workflow.start('orders:live', { id: '1' }, { name: 'order-1' });",
    '// @ts-expect-error workflow.* takes SST\'s { aws } option only; a LambdaClient goes to new WorkflowClient({ client })',
    "export const clientOnModule = workflow.describe('arn', { client: undefined });",
    '// @ts-expect-error a wait takes a duration, not a number',
    "export const wrong = workflow.handler(async (_event, ctx) => ctx.wait('pause', 5));",
  ].join('\n'));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: resolution === 'node16' ? ts.ModuleKind.Node16 : ts.ModuleKind.ESNext,
    moduleResolution: resolution === 'node16' ? ts.ModuleResolutionKind.Node16 : ts.ModuleResolutionKind.Bundler,
    types: ['node'],
    skipLibCheck: true,
  };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
});
