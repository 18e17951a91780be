import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCloudAssembly, loadHandler, runWorkflowLocally, selectWorkflow, workflowsInAssembly, type AssemblyWorkflow } from '../../lambda/testing';
import { synthWorkflowsApp } from '../fixtures/runner/workflows-app';

let outdir: string;
let assembly: string;
let workflows: AssemblyWorkflow[];
beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'assembly-workflows-test-'));
  assembly = synthWorkflowsApp(join(outdir, 'cdk.out'));
  workflows = await workflowsInAssembly(assembly);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('finds every durable function of the app, its stages\' too, with where its code is; not the other functions', () => {
  expect(isCloudAssembly(assembly)).toBe(true);
  expect(workflows.map((workflow) => [workflow.path, workflow.id, workflow.functionPath, workflow.stackId, workflow.runtime])).toEqual([
    ['Orders/Approval', 'Approval', 'Orders/Approval/Function', 'Orders', 'nodejs24.x'],
    ['Orders/Parallel', 'Parallel', 'Orders/Parallel/Function', 'Orders', 'nodejs24.x'],
    ['Orders/PythonFlow', 'PythonFlow', 'Orders/PythonFlow/Function', 'Orders', 'python3.13'],
    ['Eu/Orders/Approval', 'Approval', 'Eu/Orders/Approval/Function', expect.stringMatching(/^EuOrders[0-9A-F]{8}$/), 'nodejs24.x'],
  ]);
  for (const workflow of workflows) expect(workflow.logicalId).toMatch(/^[A-Za-z]+Function[0-9A-F]{8}$/);
  for (const workflow of workflows.filter((candidate) => candidate.runtime === 'nodejs24.x')) {
    expect(workflow.bundle).toEqual({ directory: expect.stringMatching(/\/asset\.[0-9a-f]{64}$/), file: join(workflow.bundle!.directory, 'index.js'), exportName: 'handler', handler: 'index.handler' });
    expect(existsSync(workflow.bundle!.file)).toBe(true);
  }
  // Python code is listed, with its handler, but has no bundle to run here.
  expect(workflows[2]).toMatchObject({ handler: 'app.handler', bundle: undefined });
});

test('picks a workflow by construct path, function path, construct id or logical id', () => {
  const parallel = workflows[1];
  for (const selector of ['Orders/Parallel', '/Orders/Parallel', 'Orders/Parallel/Function', 'Parallel', parallel.logicalId]) {
    expect(selectWorkflow(workflows, selector, 'cdk.out').path).toBe('Orders/Parallel');
  }
  expect(selectWorkflow(workflows, 'Eu/Orders/Approval', 'cdk.out').stackId).toMatch(/^EuOrders[0-9A-F]{8}$/);
  expect(selectWorkflow(workflows.slice(0, 1), undefined, 'cdk.out').path).toBe('Orders/Approval');
});

test('lists the workflows when none is named and there are several, or the name matches none or several', () => {
  const list = /:\n {2}Orders\/Approval +Orders\/ApprovalFunction\w+ +nodejs24\.x +index\.handler\n {2}Orders\/Parallel /;
  expect(() => selectWorkflow(workflows, undefined, 'cdk.out'))
    .toThrow(/^cdk\.out holds 4 durable workflows; choose one by construct path or id with --workflow \(loadHandler: options\.workflow\):\n/);
  expect(() => selectWorkflow(workflows, undefined, 'cdk.out')).toThrow(list);
  expect(() => selectWorkflow(workflows, 'Orders/Nope', 'cdk.out')).toThrow(/^No durable workflow in cdk\.out is named "Orders\/Nope"; choose one/);
  expect(() => selectWorkflow(workflows, 'Approval', 'cdk.out'))
    .toThrow(/^"Approval" names 2 durable workflows in cdk\.out; choose one by construct path:\n {2}Orders\/Approval .*\n {2}Eu\/Orders\/Approval /);
  expect(() => selectWorkflow([], undefined, 'cdk.out')).toThrow('cdk.out holds no durable function (an AWS::Lambda::Function with DurableConfig)');
  expect(() => selectWorkflow(workflows, 'PythonFlow', 'cdk.out')).toThrow('Orders/PythonFlow runs on python3.13; the local runner runs Node.js handlers');
});

test('loadHandler loads the chosen workflow\'s synthesized bundle, which runs', async () => {
  const loaded = await loadHandler(assembly, { workflow: 'Orders/Parallel' });
  expect(loaded.workflow?.path).toBe('Orders/Parallel');
  expect(loaded.file).toBe(workflows[1].bundle!.file);
  const run = await runWorkflowLocally(loaded.handler, { callbacks: { legal: { result: 'ok' }, finance: { result: 'fine' } } });
  expect(run.result).toEqual(['ok', 'fine']);

  await expect(loadHandler(assembly)).rejects.toThrow(/holds 4 durable workflows/);
  await expect(loadHandler(assembly, { workflow: 'Parallel', handler: 'main' })).rejects.toThrow(/is a cloud assembly: its function's Handler names the export/);
  await expect(loadHandler(join(__dirname, '..', 'fixtures', 'runner', 'approval-workflow.ts'), { workflow: 'Parallel' }))
    .rejects.toThrow(/approval-workflow\.ts is not a cloud assembly \(it has no manifest\.json\)/);
});
