// `cdk-durable-workflow run <file>`: run a durable workflow on this machine and show its timeline.
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CallbackAnswer, PendingCallback } from '../testing';
import { loadTesting, parseCommandLine, parseJson, parseSeconds, splitSpec, UsageError, type Command } from './command';

const USAGE = `Usage: cdk-durable-workflow run <file> [options]

Runs a durable workflow handler on this machine, on cdk-durable-workflow's local durable engine
(the Lambda service's part, played in process): waits and retry delays are skipped, callbacks are
answered from the options. Prints the timeline and writes it as an SVG picture.

<file> is a .ts or .js file (bundled with esbuild, like DurableWorkflow's entry), a folder
with an index.js, or a synthesized CDK app (cdk.out): then the code it would deploy runs. With
several durable workflows in cdk.out, name one with --workflow; without it, they are listed.

Options:
  --payload <json>              the execution's input (default: {})
  --workflow <path or id>       in cdk.out: the workflow's construct path (OrderApp/OrderWorkflow),
                                construct id (OrderWorkflow) or its function's logical id
  --handler <name>              the export that holds the handler (default: handler; in cdk.out,
                                the function's Handler)
  --callback <name>=<json>      answer callback <name> with this JSON result (repeatable)
  --fail-callback <name>=<msg>  fail callback <name> with this error message (repeatable)
  --interactive                 ask on the terminal for callbacks the options do not answer
  --execution-timeout <seconds> end the execution TIMED_OUT after this long (simulated time)
  --runner <engine|official>    official: the durable SDK's LocalDurableTestRunner instead of the
                                local engine (needs @aws/durable-execution-sdk-js-testing)
  --svg <file>                  where to write the picture (default: a file in the temp folder)
  --history-out <file>          also write the execution's history there, as GetDurableExecutionHistory
                                gives it (a golden history for cdk-durable-workflow replay)
  -h, --help                    show this help

Exit status: 0 when the execution succeeded, 1 when it ended otherwise, 2 when it could not run.
`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a workflow handler on this machine and show its timeline',
  usage: USAGE,
  run,
};

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('run', argv, {
    'payload': { type: 'string' },
    'workflow': { type: 'string' },
    'handler': { type: 'string' },
    'callback': { type: 'string', multiple: true },
    'fail-callback': { type: 'string', multiple: true },
    'interactive': { type: 'boolean' },
    'execution-timeout': { type: 'string' },
    'runner': { type: 'string' },
    'svg': { type: 'string' },
    'history-out': { type: 'string' },
    'help': { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('run needs the workflow file: cdk-durable-workflow run path/to/workflow.ts');
  if (extra.length) throw new UsageError(`Unexpected argument(s): ${extra.join(' ')}. Quote JSON values, e.g. --payload '{"id":1}'`);

  const payload = values.payload === undefined ? undefined : parseJson(values.payload, '--payload');
  const callbacks: Record<string, CallbackAnswer> = {};
  for (const spec of values.callback ?? []) {
    const [name, text] = splitSpec(spec, '--callback', '<name>=<json>');
    callbacks[name] = { result: parseJson(text, `--callback ${name}`) };
  }
  for (const spec of values['fail-callback'] ?? []) {
    const [name, message] = splitSpec(spec, '--fail-callback', '<name>=<message>');
    callbacks[name] = { error: { message } };
  }

  const runner = values.runner ?? 'engine';
  if (runner !== 'engine' && runner !== 'official') throw new UsageError(`--runner must be engine or official, got "${runner}"`);
  const executionTimeoutSeconds = values['execution-timeout'] === undefined ? undefined : parseSeconds(values['execution-timeout'], '--execution-timeout');

  const testing = await loadTesting('run');
  const loaded = await testing.loadHandler(file, { handler: values.handler, workflow: values.workflow });
  const title = loaded.workflow ? `${loaded.workflow.path} (${loaded.workflow.bundle.handler})` : `${basename(loaded.file)} (${loaded.exportName})`;
  const svgPath = values.svg ?? join(tmpdir(), 'cdk-durable-workflow', `${loaded.workflow?.id ?? basename(loaded.file, extname(loaded.file))}-${new Date().toISOString().replace(/[:.]/g, '-')}.svg`);

  const prompt = values.interactive ? new CallbackPrompt() : undefined;
  let result;
  try {
    result = await testing.runWorkflowLocally(loaded.handler, {
      payload,
      callbacks,
      onCallback: prompt ? (callback) => prompt.ask(callback) : undefined,
      runner,
      executionTimeoutSeconds,
    });
  } finally {
    prompt?.close();
  }

  process.stdout.write(testing.formatTimeline(result, { title }));
  const picture = testing.writeTimelineSvg(result, svgPath, { title });
  process.stdout.write(`Timeline picture: ${picture}\n`);
  if (values['history-out'] !== undefined) testing.writeHistoryFile(values['history-out'], result.history);

  const reached = new Set(result.callbacks.map((callback) => callback.name));
  for (const name of Object.keys(callbacks).filter((given) => !reached.has(given))) {
    process.stderr.write(`warning: no callback named "${name}" was reached; callbacks answered: ${[...reached].join(', ') || 'none'}\n`);
  }
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/**
 * Reads callback answers from stdin, one line each, buffering lines that arrive before the question. On a
 * terminal it asks on stderr (stdout stays the timeline's). From a pipe or a file nobody sees the question
 * being asked, so it writes the question and the answer it read to stdout, in order with the timeline.
 */
class CallbackPrompt {
  private readonly lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  private readonly typed = process.stdin.isTTY === true;
  private readonly out = this.typed ? process.stderr : process.stdout;
  private queue: Promise<unknown> = Promise.resolve();

  public ask(callback: PendingCallback): Promise<CallbackAnswer> {
    // Callbacks reached together (parallel branches) are asked one after the other.
    const next = this.queue.then(() => this.askNow(callback));
    this.queue = next.catch(() => undefined);
    return next;
  }

  public close(): void {
    void this.lines.return?.();
  }

  private async askNow(callback: PendingCallback): Promise<CallbackAnswer> {
    const name = callback.name ?? '(unnamed)';
    this.out.write(`Callback "${name}" is waiting (callback id ${callback.callbackId}).\n`);
    for (;;) {
      this.out.write(`Answer "${name}" with a JSON result, or !<message> to fail it: `);
      const line = await this.lines.next();
      if (line.done) {
        this.out.write('\n');
        throw new UsageError(`stdin closed before callback "${name}" was answered`);
      }
      // A terminal has echoed what was typed; a pipe has not.
      if (!this.typed) this.out.write(`${line.value}\n`);
      const text = line.value.trim();
      if (text.startsWith('!')) return { error: { message: text.slice(1).trim() } };
      try {
        return { result: JSON.parse(text) };
      } catch (error) {
        this.out.write(`Not valid JSON (${(error as Error).message}). Strings need quotes: "yes".\n`);
      }
    }
  }
}
