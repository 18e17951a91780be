// DurableWorkflow's `entry` bundling picks the runtime helper's handler-side build (the `cdk-durable-workflow-handler`
// export condition): `workflow` without the client, so a handler carries no client code unless it imports it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { runWorkflowLocally } from '../lambda/testing';
import { DurableWorkflow, VersionRetention } from '../src';
import { ensureCompiledRuntime, ROOT } from './fixtures/runner/compiled-runtime';

const FIXTURES = path.join(__dirname, 'fixtures', 'bundling');
const project = { depsLockFilePath: path.join(ROOT, 'package-lock.json'), projectRoot: ROOT };
/** No version pruner: the stack's functions are then exactly the four bundled here. */
const workflow = { ...project, versionRetention: VersionRetention.all() };
/** Strings only the client has: an API operation it calls and the error a handler-side `workflow.start` throws. */
const CLIENT_CODE = 'ListDurableExecutionsByFunction';
const HANDLER_SIDE = 'In a DurableWorkflow handler, import the client from';

let template: Template;
let bundles: Record<'saga' | 'withClient' | 'userArgs' | 'plainNodejs', string>;

beforeAll(() => {
  ensureCompiledRuntime(); // the handlers import `cdk-durable-workflow/runtime`, the compiled lib/runtime
  const app = new App();
  const stack = new Stack(app, 'Bundling');
  const saga = path.join(FIXTURES, 'saga-handler.ts');
  const functions = {
    saga: new DurableWorkflow(stack, 'Saga', { entry: saga, ...workflow }).function,
    withClient: new DurableWorkflow(stack, 'WithClient', { entry: path.join(FIXTURES, 'client-handler.ts'), ...workflow }).function,
    userArgs: new DurableWorkflow(stack, 'UserArgs', {
      entry: saga, ...workflow, bundling: { minify: true, esbuildArgs: { '--banner:js': '/* user banner */' } },
    }).function,
    // The same handler bundled without the construct: the default build, client included.
    plainNodejs: new nodejs.NodejsFunction(stack, 'Plain', { entry: saga, ...project }),
  };
  template = Template.fromStack(stack);
  const directory = app.synth().directory;
  bundles = Object.fromEntries(Object.entries(functions).map(([name, fn]) => {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as never);
    const key = template.toJSON().Resources[logicalId].Properties.Code.S3Key as string;
    return [name, path.join(directory, `asset.${key.replace('.zip', '')}`, 'index.js')];
  })) as typeof bundles;
});

test('every entry is bundled into its own asset', () => {
  template.resourceCountIs('AWS::Lambda::Function', 4);
  template.allResourcesProperties('AWS::Lambda::Function', { Code: { S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') } });
  expect(new Set(Object.values(bundles)).size).toBe(4);
});

test('a handler bundled by DurableWorkflow carries the handler side only, and runs', async () => {
  const code = fs.readFileSync(bundles.saga, 'utf8');
  expect(code).toContain(HANDLER_SIDE);
  expect(code).toContain('Rollback plan');
  expect(code).not.toContain(CLIENT_CODE);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(bundles.saga);
  const run = await runWorkflowLocally(handler, { payload: { orderId: 'o-1' } });
  expect({ status: run.status, result: run.result }).toEqual({ status: 'SUCCEEDED', result: 'hold-o-1' });
  expect(run.operations.map((op) => [op.type, op.name, op.waitSeconds])).toEqual([['STEP', 'hold', undefined], ['WAIT', 'cool-off', 3600]]);
});

test('a handler that imports the client from its own path gets it, and the plain NodejsFunction build has it', () => {
  expect(fs.readFileSync(bundles.withClient, 'utf8')).toContain(CLIENT_CODE);
  const plain = fs.readFileSync(bundles.plainNodejs, 'utf8');
  expect(plain).toContain(CLIENT_CODE);
  expect(plain).not.toContain(HANDLER_SIDE);
});

test("the user's own bundling options and esbuild arguments are kept beside the condition", () => {
  const code = fs.readFileSync(bundles.userArgs, 'utf8');
  expect(code.startsWith('/* user banner */')).toBe(true);
  expect(code.length).toBeLessThan(fs.statSync(bundles.saga).size * 0.7); // minified
  expect(code).toContain(HANDLER_SIDE);
  expect(code).not.toContain(CLIENT_CODE);
});
