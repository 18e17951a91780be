// `cdk-durable-workflow replay`: golden histories saved with `run --history-out` (and one of an execution waiting for
// its callback) checked against new code, the histories of a deployed function's executions read with the real
// client from the local Lambda API server, and input it cannot use.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@aws-sdk/client-lambda';
import { readHistory, writeHistoryFile } from '../../lambda/testing';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import { orderWorkflow, V1 } from '../fixtures/replay/order-workflow';
import { ensureCompiledRuntime, ROOT } from '../fixtures/runner/compiled-runtime';
import { runCli } from '../support/cli-process';
import { watch } from '../support/engine-watch';
import { LambdaApiServer, wireEvents } from '../support/lambda-api-server';

const VERSIONS = join(ROOT, 'test', 'fixtures', 'replay', 'order-versions.ts');

let workDir: string;
let golden: string;
let waiting: Event[];
const cli = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { cwd: workDir, env });

beforeAll(async () => {
  ensureCompiledRuntime();
  workDir = mkdtempSync(join(tmpdir(), 'cli-replay-'));
  golden = join(workDir, 'golden');
  mkdirSync(golden);
  // An execution waiting for its callback: the history GetDurableExecutionHistory would return now.
  const engine = new DurableEngine();
  engine.register('orders', orderWorkflow(V1));
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'orders' });
  await events.waiting(arn);
  waiting = engine.history(arn);
  engine.stop(arn);
  writeHistoryFile(join(golden, 'waiting.json'), waiting);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('golden histories', () => {
  beforeAll(async () => {
    const run = await cli(['run', VERSIONS, '--handler', 'v1', '--callback', 'approval="yes"', '--svg', join(workDir, 'done.svg'), '--history-out', join(golden, 'done.json')]);
    expect(run.code).toBe(0);
  });

  test('run --history-out writes the execution\'s history as GetDurableExecutionHistory gives it', () => {
    const saved = JSON.parse(readFileSync(join(golden, 'done.json'), 'utf8'));
    const events = readHistory(saved);
    expect(events[0].EventType).toBe('ExecutionStarted');
    expect(events.at(-1)!.EventType).toBe('ExecutionSucceeded');
    expect(events.filter((event) => event.EventType === 'StepSucceeded').map((event) => event.Name)).toContain('dispatch');
  });

  test('the same code replays every history in the folder: exit status 0, a line each', async () => {
    const result = await cli(['replay', VERSIONS, '--handler', 'v1', '--history', golden]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      `${join('golden', 'done.json')}: compatible: replays the history (14 operations) and ends the execution (SUCCEEDED)`,
      `${join('golden', 'waiting.json')}: compatible: replays the history (9 operations) and waits where the history stops`,
      '',
      'All 2 histories replay.',
      '',
    ].join('\n'));
  });

  test('a step appended after the end replays too; a renamed step diverges in each history, exit status 1', async () => {
    expect((await cli(['replay', VERSIONS, '--handler', 'appended', '--history', golden])).code).toBe(0);
    const result = await cli(['replay', VERSIONS, '--handler', 'renamed', '--history', join(golden, 'waiting.json'), '--history', join(golden, 'done.json')]);
    expect(result.code).toBe(1);
    const divergence = (file: string) => [
      `${file}: diverges at operation #2 of ${file.includes('done') ? 14 : 9}`,
      '  history:  STEP "charge"',
      '  new code: STEP "take-payment"',
      '  NonDeterministicExecutionError: [Unrecoverable Execution] Non-deterministic execution detected: Operation name mismatch for step "2". '
        + 'Expected name "charge", but got "take-payment". This indicates non-deterministic control flow in your workflow code.',
    ].join('\n');
    expect(result.stdout).toBe(`${divergence(join('golden', 'waiting.json'))}\n${divergence(join('golden', 'done.json'))}\n\n2 of 2 histories diverge.\n`);
  });

  test('the cdk.out-style asset folder loads like a file', async () => {
    const asset = join(workDir, 'asset.123');
    mkdirSync(asset);
    writeFileSync(join(asset, 'index.ts'), `export { withoutWait as handler } from ${JSON.stringify(VERSIONS.replace(/\.ts$/, ''))};\n`);
    const result = await cli(['replay', asset, '--history', join(golden, 'waiting.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('\n  history:  WAIT "cool-off"\n  new code: CONTEXT (WaitForCallback) "approval"\n');
  });
});

describe('--function: the executions of a deployed function, read with the Lambda API', () => {
  let server: LambdaApiServer;
  let env: NodeJS.ProcessEnv;
  const arns: Record<string, string> = {};
  beforeAll(async () => {
    server = await LambdaApiServer.start();
    env = { AWS_ENDPOINT_URL_LAMBDA: server.endpoint, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret' };
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    server.reset();
    server.addFunction('orders', { versions: ['1', '2', '3'], aliases: { live: '2' } });
    // A full first page of executions that match no filter (listed oldest first): the matches come on the second.
    server.addExecutions(1000, 'orders', () => ({ version: '3', status: 'SUCCEEDED' }));
    server.sparseExecutionPages = true;
    const renamedRun = await runOnEngine(orderWorkflow(V1.map((operation) => ('step' in operation && operation.step === 'reserve' ? { step: 'hold' } : operation))));
    arns.waiting = server.addExecution({ functionName: 'orders', name: 'waiting', version: '2', events: wireEvents(waiting) }).arn;
    arns.older = server.addExecution({ functionName: 'orders', name: 'older', version: '1', events: wireEvents(renamedRun) }).arn;
    arns.done = server.addExecution({ functionName: 'orders', name: 'done', version: '2', status: 'SUCCEEDED', events: wireEvents(readHistory(JSON.parse(readFileSync(join(golden, 'done.json'), 'utf8')))) }).arn;
    server.clearRequests();
  });

  test('replays every RUNNING execution on every page, reads only the list and their histories, and reports each', async () => {
    const result = await cli(['replay', VERSIONS, '--handler', 'v1', '--function', 'orders'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${arns.waiting}: compatible: replays the history (9 operations) and waits where the history stops\n`);
    expect(result.stdout).toContain(`${arns.older}: diverges at operation #1 of 9\n  history:  STEP "hold"\n  new code: STEP "reserve"\n`);
    expect(result.stdout).toMatch(/\n1 of 2 histories diverge\.\n$/);
    expect(server.requests.map((request) => request.operation)).toEqual([
      'ListDurableExecutionsByFunction', 'ListDurableExecutionsByFunction', 'GetDurableExecutionHistory', 'GetDurableExecutionHistory',
    ]);
    expect(server.requests[0].query.getAll('Statuses')).toEqual(['RUNNING']);
    expect(server.requests.slice(2).map((request) => request.label)).toEqual([arns.waiting, arns.older]);
  });

  test('--qualifier keeps the executions of the version an alias points at; --status chooses other statuses', async () => {
    const live = await cli(['replay', VERSIONS, '--handler', 'v1', '--function', 'orders', '--qualifier', 'live'], env);
    expect(live.code).toBe(0);
    expect(live.stdout).toBe(`${arns.waiting}: compatible: replays the history (9 operations) and waits where the history stops\n\nAll 1 history replays.\n`);
    const finished = await cli(['replay', VERSIONS, '--handler', 'renamed', '--function', 'arn:aws:lambda:us-east-1:123456789012:function:orders:live', '--status', 'SUCCEEDED'], env);
    expect(finished.code).toBe(1);
    expect(finished.stdout).toMatch(new RegExp(`^${escape(arns.done)}: diverges at operation #2 of 14\n`));
  });

  test('no matching execution is nothing to replay: exit status 0; an unknown function is unusable input: 2', async () => {
    const none = await cli(['replay', VERSIONS, '--handler', 'v1', '--function', 'orders', '--status', 'TIMED_OUT'], env);
    expect(none).toMatchObject({ code: 0, stdout: 'No TIMED_OUT executions of orders: nothing to replay.\n' });
    const unknown = await cli(['replay', VERSIONS, '--handler', 'v1', '--function', 'billing'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cdk-durable-workflow: Could not read the executions of billing: .*Function not found/);
  });
});

describe('input it cannot use: a clear message and exit status 2', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing history file', () => ['--history', join(workDir, 'nope.json')], /^cdk-durable-workflow: No such history file or folder: .*nope\.json\n$/],
    ['a history file that is not JSON', () => ['--history', write('broken.json', '{"Events": [')], /broken\.json is not valid JSON: /],
    ['JSON that is not a history', () => ['--history', write('package.json', '{"name": "x"}')], /package\.json is not an execution history: expected GetDurableExecutionHistory's response/],
    ['a handler that is not durable', () => ['--history', join(golden, 'waiting.json'), '--handler', 'plain'], /The handler is not a durable handler: it returned object \{"statusCode":200\}/],
    ['no histories', () => [], /replay needs histories: --history <file-or-folder> \(repeatable\) or --function <name-or-arn>/],
    ['--status without --function', () => ['--history', golden, '--status', 'RUNNING'], /--qualifier and --status choose executions of --function; give --function too/],
    ['an unknown status', () => ['--function', 'orders', '--status', 'DONE'], /--status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED, got "DONE"/],
    ['a depth that is not one', () => ['--history', golden, '--child-operations-depth', 'all'], /--child-operations-depth expects a whole number or Infinity, got "all"/],
  ];

  test.each(cases)('%s', async (_, args, message) => {
    const result = await cli(['replay', VERSIONS, '--handler', 'v1', ...args()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  test('replay --help prints the usage; the command list names replay', async () => {
    const help = await cli(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdk-durable-workflow replay <file> --history <file-or-folder>\.\.\. \[options\]\n/);
    expect((await cli(['--help'])).stdout).toContain('\n  replay    check that a handler still replays saved or deployed execution histories\n');
  });
});

async function runOnEngine(handler: ReturnType<typeof orderWorkflow>): Promise<Event[]> {
  const engine = new DurableEngine();
  engine.register('orders', handler);
  const events = watch(engine);
  const { arn } = engine.start({ functionName: 'orders' });
  await events.waiting(arn);
  const history = engine.history(arn);
  engine.stop(arn);
  return history;
}

function write(name: string, text: string): string {
  writeFileSync(join(workDir, name), text);
  return join(workDir, name);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
