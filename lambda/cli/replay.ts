// `cdk-durable-workflow replay <file> --history ... | --function ...`: check that new code still replays saved histories,
// or those of a deployed function's executions, before it ships.
import type { ExecutionStatus } from '../client/workflow-client';
import type * as Testing from '../testing';
import { loadTesting, parseCommandLine, UsageError, type Command } from './command';

const USAGE = `Usage: cdk-durable-workflow replay <file> --history <file-or-folder>... [options]
       cdk-durable-workflow replay <file> --function <name-or-arn> [--qualifier <alias>] [--status <status>]...

Replays execution histories against a workflow handler (the new code) on this machine, with the real
durable SDK and no AWS call, and reports every history the code no longer replays: where it diverges,
what the history holds there, what the code does instead, and the SDK's error.

<file> is a .ts or .js file (bundled with esbuild, like DurableWorkflow's entry) or a folder
with an index.js, such as a synthesized asset in cdk.out.

Histories:
  --history <file-or-folder>       a GetDurableExecutionHistory response or its Events, as JSON (what
                                   run --history-out writes); a folder: each .json file in it (repeatable)
  --function <name-or-arn>         the histories of a deployed function's executions, every page, read
                                   with the Lambda API (credentials and region from the environment)
  --qualifier <alias-or-version>   only the executions of that version (default: every version)
  --status <status>                only executions in this status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT
                                   or STOPPED (repeatable; default: RUNNING)

Options:
  --handler <name>                 the export that holds the handler (default: handler)
  --child-operations-depth <n>     the SDK's childOperationsDepth the executions ran with: a whole number
                                   or Infinity (default: the handler's own, Infinity for workflow.handler, else 0)
  -h, --help                       show this help

Exit status: 0 when every history replays, 1 when one diverges, 2 when the input is unusable.
`;

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

export const replayCommand: Command = {
  name: 'replay',
  summary: 'check that a handler still replays saved or deployed execution histories',
  usage: USAGE,
  run,
};

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('replay', argv, {
    'history': { type: 'string', multiple: true },
    'function': { type: 'string' },
    'qualifier': { type: 'string' },
    'status': { type: 'string', multiple: true },
    'handler': { type: 'string' },
    'child-operations-depth': { type: 'string' },
    'help': { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('replay needs the workflow file: cdk-durable-workflow replay path/to/workflow.ts --history histories/');
  if (extra.length) throw new UsageError(`Unexpected argument(s): ${extra.join(' ')}`);
  if (!values.history?.length && values.function === undefined) {
    throw new UsageError('replay needs histories: --history <file-or-folder> (repeatable) or --function <name-or-arn>');
  }
  if (values.function === undefined && (values.qualifier !== undefined || values.status)) {
    throw new UsageError('--qualifier and --status choose executions of --function; give --function too');
  }
  const statuses = (values.status ?? ['RUNNING']).map((status) => {
    if (!STATUSES.includes(status as ExecutionStatus)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got "${status}"`);
    return status as ExecutionStatus;
  });
  const depthText = values['child-operations-depth'];
  const childOperationsDepth = depthText === undefined ? undefined : depthText === 'Infinity' ? Infinity : Number(depthText);
  if (depthText !== undefined && !(childOperationsDepth === Infinity || /^\d+$/.test(depthText))) {
    throw new UsageError(`--child-operations-depth expects a whole number or Infinity, got "${depthText}"`);
  }

  const testing = await loadTesting('replay');
  const loaded = await testing.loadHandler(file, { handler: values.handler });
  // Every file is read before anything replays: input that cannot be used stops the command with nothing judged.
  const histories: Testing.HistoryFile[] = values.history?.length ? testing.readHistoryFiles(...values.history) : [];
  if (values.function !== undefined) histories.push(...await fetchHistories(testing, values.function, values.qualifier, statuses));
  if (histories.length === 0) {
    process.stdout.write(`No ${statuses.join(' or ')} executions of ${values.function}${values.qualifier ? `:${values.qualifier}` : ''}: nothing to replay.\n`);
    return 0;
  }

  let diverged = 0;
  for (const { file: execution, events } of histories) {
    const result = await testing.checkReplay(loaded.handler, events, { execution, childOperationsDepth });
    if (!result.compatible) diverged++;
    process.stdout.write(`${result.message}\n`);
  }
  const total = histories.length;
  process.stdout.write(`\n${diverged === 0 ? `All ${total} histor${total === 1 ? 'y replays' : 'ies replay'}`
    : `${diverged} of ${total} histor${total === 1 ? 'y diverges' : 'ies diverge'}`}.\n`);
  return diverged === 0 ? 0 : 1;
}

/** The histories of a function's executions, read with the runtime's client: every page of the listing and of each history. */
async function fetchHistories(testing: typeof Testing, target: string, qualifier: string | undefined,
  statuses: ExecutionStatus[]): Promise<Testing.HistoryFile[]> {
  const { WorkflowClient } = await import('../client/workflow-client');
  const client = new WorkflowClient();
  // A qualifier in the target itself (`orders:live`, a qualified ARN) and --qualifier together: the client refuses the pair.
  const qualified = qualifier === undefined ? target : `${target}:${qualifier}`;
  const histories: Testing.HistoryFile[] = [];
  try {
    for await (const execution of client.list(qualified, { status: statuses })) {
      histories.push({ file: execution.arn, events: testing.readHistory(await client.history(execution.arn), execution.arn) });
    }
  } catch (error) {
    if ((error as Error).name === 'LocalRunError') throw error;
    throw new UsageError(`Could not read the executions of ${qualified}: ${(error as Error).message}`);
  }
  return histories;
}
