import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiledRuntime, ROOT } from '../fixtures/runner/compiled-runtime';
import { synthWorkflowsApp } from '../fixtures/runner/workflows-app';
import { runCli } from '../support/cli-process';

const WORKFLOW = join(ROOT, 'test', 'fixtures', 'runner', 'approval-workflow.ts');

/** Runs `cdk-durable-workflow` in the test's working folder. */
const cli = (args: string[], stdin?: string) => runCli(args, { cwd: workDir, stdin });

let workDir: string;
/** A synthesized app with several durable workflows. */
let assembly: string;
beforeAll(() => {
  ensureCompiledRuntime();
  workDir = mkdtempSync(join(tmpdir(), 'cli-test-'));
  assembly = synthWorkflowsApp(join(workDir, 'cdk.out'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('cdk-durable-workflow run', () => {
  test('runs a TypeScript workflow, prints its timeline and writes the picture', async () => {
    const svg = join(workDir, 'approved.svg');
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o-1","paymentFailures":1}', '--callback', 'approval={"approved":true}', '--svg', svg]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^approval-workflow\.ts \(handler\): SUCCEEDED after 2d 00:00:3\d\.\d{3} of simulated time, 8 operations/);
    expect(result.stdout).toMatch(/\+00:00:00\.\d{3}\s+STEP\s+charge\s+SUCCEEDED\s+2\s/);
    expect(result.stdout).toMatch(/\+00:00:30\.\d{3}\s+WAIT\s+cool-off\s+SUCCEEDED\s+2d/);
    expect(result.stdout).toMatch(/approval \[1\] succeeded with \{"approved":true\}\n[\s\S]*\nCallback ids:\n {2}\[1\] \S{20,}\n/);
    expect(result.stdout).toContain('Result: {"reservation":"res-o-1","payment":"pay-o-1","tracking":"trk-o-1"}');
    expect(result.stdout).toContain(`Timeline picture: ${svg}\n`);
    const picture = readFileSync(svg, 'utf8');
    for (const name of ['reserve', 'charge', 'cool-off', 'approval', 'ship', 'label']) expect(picture).toContain(`>${name}</text>`);
  });

  test('a failed callback fails the execution: exit status 1, and a callback name that matched nothing is reported', async () => {
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o-2"}', '--fail-callback', 'approval=out of stock', '--callback', 'aproval=true']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('approval [1] failed with CallbackFailure: out of stock');
    expect(result.stdout).toContain('Failed with CallbackExternalError: out of stock');
    expect(result.stderr).toBe('warning: no callback named "aproval" was reached; callbacks answered: approval\n');
    const picture = result.stdout.match(/Timeline picture: (.+\.svg)\n/)![1];
    expect(existsSync(picture)).toBe(true);
    rmSync(picture);
  });

  test('--interactive from a pipe: the questions and the answers read, in order with the timeline, on stdout', async () => {
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o-3"}', '--interactive', '--svg', join(workDir, 'interactive.svg')],
      'yes please\n{"approved": true}\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp('^Callback "approval" is waiting \\(callback id \\S{20,}\\)\\.\\n'
      + 'Answer "approval" with a JSON result, or !<message> to fail it: yes please\\n'
      + 'Not valid JSON \\(.*\\)\\. Strings need quotes: "yes"\\.\\n'
      + 'Answer "approval" with a JSON result, or !<message> to fail it: \\{"approved": true\\}\\n'
      + 'approval-workflow\\.ts \\(handler\\): SUCCEEDED '));
    expect(result.stdout).toContain('approval [1] succeeded with {"approved":true}');
    expect(result.stdout).toContain('"tracking":"trk-o-3"');
  });

  test('--interactive with stdin closed before an answer: exit status 2, the question asked on stdout', async () => {
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o"}', '--interactive']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Callback "approval" is waiting .*\nAnswer "approval" with a JSON result, or !<message> to fail it: \n$/);
    expect(result.stderr).toBe('cdk-durable-workflow: stdin closed before callback "approval" was answered\n');
  });

  test('--interactive fails a callback with !message', async () => {
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o-4"}', '--interactive', '--svg', join(workDir, 'no.svg')], '!not today\n');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Failed with CallbackExternalError: not today');
  });

  test('--runner official runs the same execution on LocalDurableTestRunner: the same operations, answers and result', async () => {
    const args = ['run', WORKFLOW, '--payload', '{"orderId":"o-5","paymentFailures":2}', '--callback', 'approval={"approved":true}'];
    const [engine, official] = await Promise.all([
      cli([...args, '--svg', join(workDir, 'engine.svg')]),
      cli([...args, '--svg', join(workDir, 'official.svg'), '--runner', 'official']),
    ]);
    expect([engine.code, official.code]).toEqual([0, 0]);
    expect(operationRows(engine.stdout)).toEqual(operationRows(official.stdout));
    expect(operationRows(engine.stdout)).toContainEqual(['STEP', 'charge', 'SUCCEEDED', '3']);
    for (const output of [engine.stdout, official.stdout]) {
      expect(output).toContain('approval [1] succeeded with {"approved":true}');
      expect(output).toContain('Result: {"reservation":"res-o-5","payment":"pay-o-5","tracking":"trk-o-5"}');
    }
  });

  test('--execution-timeout ends a longer execution TIMED_OUT: exit status 1', async () => {
    const result = await cli(['run', WORKFLOW, '--payload', '{"orderId":"o-6"}', '--execution-timeout', '86400', '--svg', join(workDir, 'timeout.svg')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/: TIMED_OUT after 1d 00:00:00\.000 of simulated time/);
    expect(result.stdout).toContain('Failed with ExecutionTimedOut: Execution timed out');
  });

  test('run cdk.out lists its durable workflows when it holds several and none is named: exit status 2', async () => {
    const result = await cli(['run', assembly]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^cdk-durable-workflow: ${assembly} holds 4 durable workflows; choose one by construct path or id with --workflow `));
    const listed = result.stderr.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim().split(/\s+/));
    expect(listed.map(([path, , runtime, handler]) => [path, runtime, handler])).toEqual([
      ['Orders/Approval', 'nodejs24.x', 'index.handler'],
      ['Orders/Parallel', 'nodejs24.x', 'index.handler'],
      ['Orders/PythonFlow', 'python3.13', 'app.handler'],
      ['Eu/Orders/Approval', 'nodejs24.x', 'index.handler'],
    ]);
  });

  test('run cdk.out --workflow runs that workflow\'s synthesized bundle, named by construct path or id', async () => {
    const byPath = await cli(['run', assembly, '--workflow', 'Eu/Orders/Approval', '--payload', '{"orderId":"o-7"}', '--callback', 'approval={"approved":true}', '--svg', join(workDir, 'eu.svg')]);
    expect(byPath.stderr).toBe('');
    expect(byPath.code).toBe(0);
    expect(byPath.stdout).toMatch(/^Eu\/Orders\/Approval \(index\.handler\): SUCCEEDED after 2d /);
    expect(byPath.stdout).toContain('"tracking":"trk-o-7"');
    const byId = await cli(['run', assembly, '--workflow', 'Parallel', '--callback', 'legal="ok"', '--callback', 'finance="fine"', '--svg', join(workDir, 'parallel.svg')]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^Orders\/Parallel \(index\.handler\): SUCCEEDED /);
    expect(byId.stdout).toContain('Result: ["ok","fine"]');
    const ambiguous = await cli(['run', assembly, '--workflow', 'Approval']);
    expect([ambiguous.code, ambiguous.stderr]).toEqual([2, expect.stringMatching(/"Approval" names 2 durable workflows in .*; choose one by construct path:\n {2}Orders\/Approval .*\n {2}Eu\/Orders\/Approval /)]);
  });

  test('--help lists the commands; run --help prints the usage of run', async () => {
    const overview = await cli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/^Usage: cdk-durable-workflow <command> \[options\]\n\nCommands:\n {2}run {7}run a workflow handler/);
    const result = await cli(['run', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cdk-durable-workflow run <file> \[options\]/);
    expect(result.stdout).toContain('--callback <name>=<json>');
    expect(result.stdout).toContain('--workflow <path or id>');
  });
});

describe('cdk-durable-workflow run: input it cannot run gives a clear message and exit status 2', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['an unknown file', () => ['run', 'missing/workflow.ts'], /^cdk-durable-workflow: No such file: .*missing\/workflow\.ts\n$/],
    ['a file that is not code', () => ['run', writeFile('notes.txt', 'hello')], /notes\.txt is not a TypeScript or JavaScript file \(expected one of \.ts, /],
    ['a file that does not compile', () => ['run', writeFile('broken.ts', 'export const handler = (;\n')], /Could not bundle .*broken\.ts: .*\(.*broken\.ts:1:\d+\)/],
    ['bad JSON in --payload', () => ['run', WORKFLOW, '--payload', '{orderId: 1}'], /--payload is not valid JSON: .*Got: \{orderId: 1\}/],
    ['bad JSON in --callback', () => ['run', WORKFLOW, '--callback', 'approval=yes'], /--callback approval is not valid JSON: /],
    ['--callback without a name', () => ['run', WORKFLOW, '--callback', '{"approved":true}'], /--callback expects <name>=<json>, got "\{"approved":true\}"/],
    ['--workflow with a file that is not a cloud assembly', () => ['run', WORKFLOW, '--workflow', 'Orders/Approval'], /approval-workflow\.ts is not a cloud assembly \(it has no manifest\.json\)/],
    ['a Python workflow in cdk.out', () => ['run', assembly, '--workflow', 'PythonFlow'], /Orders\/PythonFlow runs on python3\.13; the local runner runs Node\.js handlers/],
    ['a missing export', () => ['run', WORKFLOW, '--handler', 'main'], /has no export named "main"; its function exports are: handler, plain \(choose one with --handler\)/],
    ['an export that is not a function', () => ['run', WORKFLOW, '--handler', 'notAFunction'], /Export "notAFunction" of .* is not a function \(it is a number\)/],
    ['a handler that is not durable', () => ['run', WORKFLOW, '--handler', 'plain'], /The handler is not a durable handler: it returned object \{"statusCode":200\} instead of an invocation status\. Wrap it with workflow\.handler\(\)/],
    ['a callback left unanswered', () => ['run', WORKFLOW, '--payload', '{"orderId":"o"}'], /Callback "approval" is waiting for an answer and none was given\. .*--callback approval='<json>'/],
    ['an unknown option', () => ['run', WORKFLOW, '--paylod', '{}'], /Unknown option '--paylod'[\s\S]*Run cdk-durable-workflow run --help/],
    ['an unknown runner', () => ['run', WORKFLOW, '--runner', 'fast'], /--runner must be engine or official, got "fast"/],
    ['an execution timeout that is not whole seconds', () => ['run', WORKFLOW, '--execution-timeout', '1.5'], /--execution-timeout expects a whole number of seconds, got "1\.5"/],
    ['an unknown command', () => ['start', WORKFLOW], /Unknown command "start": the commands are run, replay, dev\./],
    ['no file', () => ['run'], /run needs the workflow file/],
  ];

  test.each(cases)('%s', async (_, args, message) => {
    const result = await cli(args());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(result.stdout).toBe('');
  });
});

/** The operation rows of a printed timeline: type, operation, status and attempt (offsets and durations differ). */
function operationRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const header = lines.find((line) => /#\s+offset\s+type/.test(line))!;
  const columns = ['type', 'operation', 'status', 'attempt', 'duration'].map((title) => header.indexOf(title));
  return lines.filter((line) => /^\s+\d+\s+\+/.test(line))
    .map((line) => columns.slice(0, -1).map((start, index) => line.slice(start, columns[index + 1]).trim()));
}

function writeFile(name: string, content: string): string {
  const path = join(workDir, name);
  writeFileSync(path, content);
  return path;
}
