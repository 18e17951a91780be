// `cdk-durable-workflow dev`'s command line: its help, and input it refuses before serving anything (exit status 2,
// a message without a stack trace). Serving is tested in test/dev/.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiledRuntime } from '../fixtures/runner/compiled-runtime';
import { runCli } from '../support/cli-process';

let workDir: string;
const cli = (args: string[]) => runCli(args, { cwd: workDir });

beforeAll(() => {
  ensureCompiledRuntime();
  workDir = mkdtempSync(join(tmpdir(), 'cli-dev-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test('dev --help prints the usage: the argument, every option with its default, and examples', async () => {
  const help = await cli(['dev', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: cdk-durable-workflow dev \[cdk\.out \| app folder\] \[options\]\n/);
  expect(help.stdout).toContain("--port <port>        the port on 127.0.0.1 (default: 8911, not the inspector's 9229; 0 picks a free one)");
  expect(help.stdout).toContain('--speed <n>          waits, retry delays and callback timeouts pass n times faster (default: 1, real time)');
  expect(help.stdout).toContain('(default: .cdk-durable-workflow/dev.sqlite in the app\'s folder)');
  expect(help.stdout).toContain('--skip <execution>');
  expect(help.stdout).toContain('aws lambda invoke --endpoint-url http://127.0.0.1:8911 --no-sign-request');
  expect((await cli(['--help'])).stdout).toContain('\n  dev       serve the workflows of a CDK app on a local Lambda API\n');
});

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening()));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

const refused: Array<[string, () => Promise<string[]>, RegExp]> = [
  ['a speed that is not a positive number', async () => ['dev', '.', '--speed', '0'], /--speed expects a positive number \(60: a minute passes in a second\), got "0"/],
  ['a speed that is not a number', async () => ['dev', '.', '--speed', 'fast'], /--speed expects a positive number .*got "fast"/],
  ['a port out of range', async () => ['dev', '.', '--port', '70000'], /--port expects a port number \(0 to 65535\), got "70000"/],
  ['two folders', async () => ['dev', 'a', 'b'], /dev takes one folder \(cdk\.out or the app's\), got: a b/],
  ['a folder that is neither an assembly nor an app', async () => ['dev', '.'], /is neither a cloud assembly \(no manifest\.json\) nor a CDK app \(no cdk\.json\)/],
  ['an unknown option', async () => ['dev', '--sped', '60'], /Unknown option '--sped'[\s\S]*Run cdk-durable-workflow dev --help for the options/],
  ['--skip with no server on the port', async () => ['dev', '--skip', 'order-42', '--port', String(await closedPort())], /No dev server answers on port \d+ .*: start one with cdk-durable-workflow dev/],
];

test.each(refused)('refuses %s with exit status 2 and says what to change', async (_name, args, message) => {
  const result = await cli(await args());
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
});
