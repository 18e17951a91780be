// The version pruner's decisions against the local Lambda API server, through a real LambdaClient: what it deletes,
// what it keeps and why, and how it behaves when throttled, raced or run twice.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { pruneVersions, readTargets, selectTargets } from '../src/version-pruner.lambda';
import type { FunctionReport } from '../src/version-pruner.lambda';
import type { LambdaApiServer } from './support/lambda-api-server';
import { serveLambdaApi } from './support/serve-lambda-api';

let server: LambdaApiServer;
let client: LambdaClient;
serveLambdaApi((started, connected) => {
  server = started;
  client = connected;
});

const EIGHT = ['1', '2', '3', '4', '5', '6', '7', '8'];
const THROTTLED = { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded', retryAfterSeconds: 1 };

/** The issue's function: 8 versions, `live` on 8 with 10 % on 7, a RUNNING execution on 2 behind a full page of finished ones. */
function addIssueFunction(name = 'orders'): void {
  server.addFunction(name, { versions: EIGHT, aliases: { live: '8' }, routing: { live: { 7: 0.1 } } });
  server.addExecution({ functionName: name, version: '2', status: 'RUNNING' });
  server.addExecutions(1000, name, (i) => ({ version: String(1 + (i % 8)), status: i % 2 ? 'SUCCEEDED' : 'FAILED' }));
  server.sparseExecutionPages = true;
}

function versionsOf(name: string): string[] {
  return [...server.functions.get(name)!.versions].filter((v) => v !== '$LATEST').sort((a, b) => Number(a) - Number(b));
}

async function prune(targets: { functionName: string; keepLatest: number }[], lambda = client) {
  const logs: Record<string, unknown>[] = [];
  const report = await pruneVersions(lambda, targets, (entry) => logs.push(entry));
  return { report, logs };
}

test('the issue: 8 versions, alias on 8 with 10 % on 7, RUNNING on 2 (second page), keep 3: exactly 1, 3, 4 and 5 are deleted', async () => {
  addIssueFunction();

  const { report, logs } = await prune([{ functionName: 'orders', keepLatest: 3 }]);

  expect(report.complete).toBe(true);
  expect(report.functions[0]).toMatchObject({ status: 'pruned', deleted: ['1', '3', '4', '5'], alreadyDeleted: [] });
  expect(versionsOf('orders')).toEqual(['2', '6', '7', '8']);
  expect(logs.filter((l) => l.message === 'Version kept')).toEqual([
    { level: 'INFO', message: 'Version kept', functionName: 'orders', version: '2', reason: 'running', detail: expect.stringMatching(/^RUNNING execution arn:aws:lambda:.*:function:orders:2\/durable-execution\//) },
    { level: 'INFO', message: 'Version kept', functionName: 'orders', version: '6', reason: 'newest', detail: 'among the newest 3' },
    { level: 'INFO', message: 'Version kept', functionName: 'orders', version: '7', reason: 'alias', detail: 'alias live routes 10% to it' },
    { level: 'INFO', message: 'Version kept', functionName: 'orders', version: '8', reason: 'alias', detail: 'alias live' },
  ]);
  // Version 2's RUNNING execution came on the second page: the first, full of finished executions, was empty.
  const version2 = server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction' && r.query.get('Qualifier') === '2');
  expect(version2.map((r) => [r.query.getAll('Statuses'), r.query.get('MaxItems'), r.query.has('Marker')])).toEqual([
    [['RUNNING'], '1000', false],
    [['RUNNING'], '1000', true],
  ]);
  // Every delete names its version: an unqualified DeleteFunction would delete the function.
  expect(server.requests.filter((r) => r.operation === 'DeleteFunction').map((r) => r.query.get('Qualifier'))).toEqual(['1', '3', '4', '5']);
});

test('a routing weight alone keeps a version, and the newest are kept without asking for executions', async () => {
  addIssueFunction();

  const { report } = await prune([{ functionName: 'orders', keepLatest: 1 }]);

  expect(report.functions[0].deleted).toEqual(['1', '3', '4', '5', '6']);
  expect(report.functions[0].kept).toEqual([
    { version: '2', reason: 'running' },
    { version: '7', reason: 'alias' },
    { version: '8', reason: 'alias' },
  ]);
  const checked = server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction').map((r) => r.query.get('Qualifier'));
  expect(new Set(checked)).toEqual(new Set(['1', '2', '3', '4', '5', '6']));
});

test('a function with no published versions, or fewer than it keeps, loses nothing', async () => {
  server.addFunction('empty', { versions: [] });
  server.addFunction('young', { versions: ['1', '2'] });

  const { report } = await prune([{ functionName: 'empty', keepLatest: 3 }, { functionName: 'young', keepLatest: 3 }]);

  expect(report.complete).toBe(true);
  expect(report.functions.map((f) => [f.functionName, f.status, f.deleted, f.kept.length])).toEqual([['empty', 'pruned', [], 0], ['young', 'pruned', [], 2]]);
  expect(versionsOf('young')).toEqual(['1', '2']);
  expect(server.requestCount('DeleteFunction') + server.requestCount('ListDurableExecutionsByFunction')).toBe(0);
});

test.each(['DeleteFunction', 'ListDurableExecutionsByFunction', 'ListVersionsByFunction'])(
  'throttled on %s: the run stops there, reports it, and leaves the next function alone', async (operation) => {
    addIssueFunction('orders');
    addIssueFunction('billing');
    server.failNext(operation, THROTTLED);

    const { report, logs } = await prune([{ functionName: 'orders', keepLatest: 3 }, { functionName: 'billing', keepLatest: 3 }]);

    expect(report.complete).toBe(false);
    expect(report.functions.map((f) => [f.functionName, f.status])).toEqual([['orders', 'throttled'], ['billing', 'skipped']]);
    expect(report.functions[0]).toMatchObject({ deleted: [], error: 'TooManyRequestsException: Rate exceeded' });
    expect(versionsOf('orders')).toEqual(EIGHT);
    expect(server.requests.filter((r) => r.label === 'billing')).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ level: 'ERROR', message: 'Version pruning finished', complete: false });
  });

test('a version another run deleted between the check and the delete counts as deleted, not as a failure', async () => {
  addIssueFunction();
  // A second client whose requests delete version 3 on the server right after version 3's execution check.
  const raced = server.client();
  raced.middlewareStack.add((next, context) => async (args) => {
    const output = await next(args);
    const input = args.input as { Qualifier?: string };
    if (context.commandName === 'ListDurableExecutionsByFunctionCommand' && input.Qualifier === '3') server.functions.get('orders')!.versions.delete('3');
    return output;
  }, { step: 'initialize' });

  const { report } = await prune([{ functionName: 'orders', keepLatest: 3 }], raced);
  raced.destroy();

  expect(report.functions[0]).toMatchObject({ status: 'pruned', deleted: ['1', '4', '5'], alreadyDeleted: ['3'] });
  expect(versionsOf('orders')).toEqual(['2', '6', '7', '8']);
});

test('an alias that moves onto a version after the aliases were read keeps it: Lambda refuses the delete', async () => {
  addIssueFunction();
  server.functions.get('orders')!.aliases.set('rollback', '8');
  const rolledBack = server.client();
  rolledBack.middlewareStack.add((next, context) => async (args) => {
    const output = await next(args);
    if (context.commandName === 'ListAliasesCommand') server.functions.get('orders')!.aliases.set('rollback', '4');
    return output;
  }, { step: 'initialize' });

  const { report } = await prune([{ functionName: 'orders', keepLatest: 3 }], rolledBack);
  rolledBack.destroy();

  expect(report.functions[0].deleted).toEqual(['1', '3', '5']);
  expect(report.functions[0].kept).toContainEqual({ version: '4', reason: 'conflict' });
  expect(versionsOf('orders')).toEqual(['2', '4', '6', '7', '8']);
});

test('two runs at once delete each version once and both finish', async () => {
  addIssueFunction();
  const targets = [{ functionName: 'orders', keepLatest: 3 }];

  const [first, second] = await Promise.all([prune(targets), prune(targets)]);

  const outcome = (f: FunctionReport) => [...f.deleted, ...f.alreadyDeleted].sort();
  expect([first.report.complete, second.report.complete]).toEqual([true, true]);
  expect(outcome(first.report.functions[0])).toEqual(['1', '3', '4', '5']);
  expect(outcome(second.report.functions[0])).toEqual(['1', '3', '4', '5']);
  expect([...first.report.functions[0].deleted, ...second.report.functions[0].deleted].sort()).toEqual(['1', '3', '4', '5']);
  expect(versionsOf('orders')).toEqual(['2', '6', '7', '8']);
});

test('a run after a failed one finishes the job; a missing function fails alone', async () => {
  addIssueFunction();
  server.failNext('DeleteFunction', { status: 500, code: 'ServiceException', message: 'internal error' });

  const failed = await prune([{ functionName: 'orders', keepLatest: 3 }]);
  const retried = await prune([{ functionName: 'gone', keepLatest: 3 }, { functionName: 'orders', keepLatest: 3 }]);

  expect(failed.report.functions[0]).toMatchObject({ status: 'failed', deleted: [], error: 'ServiceException: internal error' });
  expect(retried.report.functions.map((f) => [f.functionName, f.status])).toEqual([['gone', 'failed'], ['orders', 'pruned']]);
  expect(retried.report.functions[0].error).toMatch(/^ResourceNotFoundException: Function not found/);
  expect(retried.report.functions[1].deleted).toEqual(['1', '3', '4', '5']);
  expect(versionsOf('orders')).toEqual(['2', '6', '7', '8']);
});

describe('configuration', () => {
  const targets = readTargets('[[3,"orders"],[5,"billing"]]');

  test('PRUNE_TARGETS groups functions by how many versions they keep', () => {
    expect(targets).toEqual([{ functionName: 'orders', keepLatest: 3 }, { functionName: 'billing', keepLatest: 5 }]);
    expect(readTargets('[[3,"orders","audit"],[10,"billing"],[3,"refunds"]]')).toEqual([
      { functionName: 'orders', keepLatest: 3 },
      { functionName: 'audit', keepLatest: 3 },
      { functionName: 'billing', keepLatest: 10 },
      { functionName: 'refunds', keepLatest: 3 },
    ]);
    expect(readTargets('[]')).toEqual([]);
  });

  test('a value that is not an array of groups is refused, naming the group at fault', () => {
    for (const bad of [undefined, '', 'orders', '{}', '{"3":["orders"]}']) {
      expect(() => readTargets(bad)).toThrow(`PRUNE_TARGETS must be a JSON array of [keepLatest, ...functionNames] groups, got: ${bad}`);
    }
    const groups: [string, string][] = [
      ['[[3,"orders"],["orders",3]]', '1 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: ["orders",3]'],
      ['[[0,"orders"]]', '0 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: [0,"orders"]'],
      ['[[2.5,"orders"]]', '0 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: [2.5,"orders"]'],
      ['[[3]]', '0 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: [3]'],
      ['[[3,"orders",""]]', '0 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: [3,"orders",""]'],
      ['[{"functionName":"orders","keepLatest":3}]', '0 must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], got: {"functionName":"orders","keepLatest":3}'],
    ];
    for (const [bad, error] of groups) {
      expect(() => readTargets(bad)).toThrow(`PRUNE_TARGETS must be a JSON array of [keepLatest, ...functionNames] groups: group ${error}`);
    }
  });

  test('an event without functionName (`{}`, a schedule) prunes every target; one with it prunes that one only', () => {
    expect(selectTargets(targets, {})).toEqual(targets);
    expect(selectTargets(targets, { 'detail-type': 'Scheduled Event' })).toEqual(targets);
    expect(selectTargets(targets, { functionName: 'billing' })).toEqual([{ functionName: 'billing', keepLatest: 5 }]);
    expect(() => selectTargets(targets, { functionName: 'payments' })).toThrow('functionName "payments" is not one this pruner prunes (orders, billing)');
  });

  test('functionName may be an ARN or qualified, as the after-deploy rule passes the alias ARN CloudFormation reports', () => {
    const billing = [{ functionName: 'billing', keepLatest: 5 }];
    for (const name of ['arn:aws:lambda:us-east-1:123456789012:function:billing:live', 'arn:aws:lambda:us-east-1:123456789012:function:billing', 'billing:7']) {
      expect(selectTargets(targets, { functionName: name })).toEqual(billing);
    }
    expect(() => selectTargets(targets, { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:payments:live' }))
      .toThrow('functionName "arn:aws:lambda:us-east-1:123456789012:function:payments:live" is not one this pruner prunes');
  });
});
