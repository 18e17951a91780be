// `cdk-durable-workflow dev [cdk.out | app folder]`: serve the app's durable workflows on a local Lambda API.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadForCommand, parseCommandLine, UsageError, type Command } from './command';
import { DEFAULT_PORT, DEFAULT_STATE_FILE } from '../dev/dev-defaults';

const USAGE = `Usage: cdk-durable-workflow dev [cdk.out | app folder] [options]

Serves every durable workflow of a CDK app on 127.0.0.1, on cdk-durable-workflow's local durable engine,
behind the Lambda REST API: start executions, answer callbacks and read histories with
new LambdaClient({ endpoint }), the runtime's WorkflowClient ({ endpoint }) or aws --endpoint-url.

The argument is a cloud assembly (a folder with manifest.json), or a CDK app (a folder with cdk.json),
synthesized first with "npx cdk synth --quiet" (default: the current folder). The assembly is read
again whenever it is synthesized again: new executions run the new code, running ones keep theirs.

Options:
  --port <port>        the port on 127.0.0.1 (default: ${DEFAULT_PORT}, not the inspector's 9229; 0 picks a free one)
  --speed <n>          waits, retry delays and callback timeouts pass n times faster (default: 1, real time)
  --state <file>       the SQLite file executions are kept in; they survive a restart
                       (default: ${DEFAULT_STATE_FILE} in the app's folder)
  --skip <execution>   ask the dev server on --port to move a running execution (its ARN, or the name
                       of a running execution) to its next timer, then exit
  -h, --help           show this help

Examples:
  cdk-durable-workflow dev cdk.out --speed 3600    an hour of waiting passes in a second
  cdk-durable-workflow dev --skip order-42         the running execution order-42 jumps to its next timer
  aws lambda invoke --endpoint-url http://127.0.0.1:${DEFAULT_PORT} --no-sign-request --function-name <name> \\
    --qualifier live --invocation-type Event --payload '{}' --cli-binary-format raw-in-base64-out out.json

Stop the server with Ctrl-C; running executions carry on when it starts again.
`;

export const devCommand: Command = {
  name: 'dev',
  summary: 'serve the workflows of a CDK app on a local Lambda API',
  usage: USAGE,
  run,
};

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('dev', argv, {
    port: { type: 'string' },
    speed: { type: 'string' },
    state: { type: 'string' },
    skip: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`dev takes one folder (cdk.out or the app's), got: ${positionals.join(' ')}`);
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
  if (values.skip !== undefined) return skip(values.skip, port);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`--speed expects a positive number (60: a minute passes in a second), got "${values.speed}"`);

  const target = resolve(positionals[0] ?? '.');
  const isAssembly = existsSync(join(target, 'manifest.json'));
  if (!isAssembly && !existsSync(join(target, 'cdk.json'))) {
    throw new UsageError(`${target} is neither a cloud assembly (no manifest.json) nor a CDK app (no cdk.json)`);
  }
  const project = isAssembly ? dirname(target) : target;
  const stateFile = resolve(values.state ?? join(project, DEFAULT_STATE_FILE));

  const log = (line: string, stream: 'stdout' | 'stderr' = 'stdout') => process[stream].write(`${line}\n`);
  const { synthApp } = await import('../dev/assembly/synth-app');
  const assembly = isAssembly ? target : await synthApp(target, (line) => log(line, 'stderr'));
  const { startDevServer } = await loadForCommand('dev', () => import('../dev/dev-server'));
  const server = await startDevServer({ assembly, stateFile, port, speed, log });

  const { workflows, skipped } = server.discovered;
  log(`cdk-durable-workflow dev: ${workflows.length} workflow(s) from ${relative(process.cwd(), assembly) || '.'} on ${server.url}`);
  for (const workflow of workflows) {
    const aliases = workflow.aliases.length ? `alias ${workflow.aliases.join(', ')}` : 'no alias';
    log(`  ${workflow.path}: function ${workflow.functionName}, ${aliases} -> version ${server.published.find((v) => v.functionName === workflow.functionName)?.version ?? 'unchanged'}`);
    if (workflow.unresolvedEnvironment.length) {
      log(`    not set (known once deployed): ${workflow.unresolvedEnvironment.join(', ')}; set them in the server's environment`, 'stderr');
    }
  }
  for (const function_ of skipped) log(`  skipped ${function_.path}: ${function_.reason}`, 'stderr');
  log(`State: ${relative(process.cwd(), stateFile)}${server.resumed.length ? ` (${server.resumed.length} running execution(s) taken up again)` : ''}`);
  log(`Time: ${speed === 1 ? 'real' : `${speed} times faster than real`}; skip to an execution's next timer: cdk-durable-workflow dev --skip <execution>${port === DEFAULT_PORT ? '' : ' --port <port>'}`);
  log(`Viewer: ${server.url}/  Lambda API: ${server.url} (Ctrl-C stops)`);

  const signal = await new Promise<NodeJS.Signals>((stopped) => {
    process.once('SIGINT', stopped);
    process.once('SIGTERM', stopped);
  });
  log(`Stopping (${signal}): running executions carry on when the server starts again.`);
  await server.close();
  return 0;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`--port expects a port number (0 to 65535), got "${text}"`);
  return port;
}

/** `--skip`: the dev API's skip, on the server already running. */
async function skip(execution: string, port: number): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/_dev/executions/${encodeURIComponent(execution)}/skip`, { method: 'POST' });
  } catch (error) {
    throw new UsageError(`No dev server answers on port ${port} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}): start one with cdk-durable-workflow dev`);
  }
  const body = await response.json() as { message?: string; skippedTo?: string; timer?: string; executionArn?: string };
  if (!response.ok) {
    process.stderr.write(`cdk-durable-workflow: ${body.message}\n`);
    return 1;
  }
  process.stdout.write(`${body.executionArn}: its clock moved to ${body.skippedTo} (${body.timer})\n`);
  return 0;
}
