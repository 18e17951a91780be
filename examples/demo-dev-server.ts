// The demo's last part: the synthesized cloud assembly on `cdk-durable-workflow dev`, as a user runs it, and one order
// through it with the runtime's WorkflowClient: started, its two-day wait skipped, its approval answered, SUCCEEDED.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WorkflowClient, type DescribeResponse, type HistoryEvent } from '../lambda/client';
import type { ApprovalDecision, Order } from './order-app/order';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'lib', 'runtime', 'cli.js');

export interface DevServerRun {
  /** Where the viewer and the Lambda API are: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The order's execution once it ended. */
  readonly execution: DescribeResponse;
}

/**
 * Serves `assembly` with `cdk-durable-workflow dev` on a free port and a state file of its own (under `outdir`, so the
 * bundle's `@aws-sdk/*` resolves from this repository's node_modules, as Lambda's runtime provides it), runs `order`
 * on the workflow at construct path `workflowPath` answering its approval with `decision`, and stops the server.
 */
export async function runOnDevServer(assembly: string, outdir: string, workflowPath: string, order: Order,
  decision: ApprovalDecision, log: (line: string) => void): Promise<DevServerRun> {
  const stateDirectory = mkdtempSync(join(outdir, 'dev-'));
  const args = ['dev', relative(ROOT, assembly), '--port', '0', '--state', relative(ROOT, join(stateDirectory, 'state.sqlite'))];
  log(`   node lib/runtime/cli.js ${args.join(' ')}`);
  const server = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let output = '';
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const viewer = /^Viewer: (http:\/\/\S+?)\/? /m.exec(output);
        if (viewer) resolve(viewer[1]);
      };
      server.stdout.on('data', read);
      server.stderr.on('data', read);
      void exited.then((code) => reject(new Error(`cdk-durable-workflow dev exited (${code}):\n${output}`)));
    });
    log(`   Viewer (and Lambda API): ${url}/`);

    const { workflows } = await (await fetch(`${url}/_dev/workflows`)).json() as { workflows: Array<{ path: string; aliases: Array<{ arn: string }> }> };
    const alias = workflows.find((workflow) => workflow.path === workflowPath)!.aliases[0].arn;
    // The dev server checks no signature; fixed credentials keep the SDK from looking for real ones.
    const orders = new WorkflowClient({ endpoint: url, aws: { region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local' } });
    const { arn } = await orders.start(alias, order, { name: order.orderId });
    log(`   ${order.orderId} started:      new WorkflowClient({ endpoint }).start('${alias.split(':').slice(-2).join(':')}', order)`);

    const event = (type: string) => poll(`${order.orderId}'s ${type} event`, async () => (await orders.history(arn!)).find((e: HistoryEvent) => e.EventType === type));
    await event('WaitStarted');
    // Real time by default: the skip endpoint (or `cdk-durable-workflow dev --skip`) moves the execution to its next timer.
    const skipped = await fetch(`${url}/_dev/executions/${encodeURIComponent(arn!)}/skip`, { method: 'POST' });
    if (!skipped.ok) throw new Error(`skip failed: ${await skipped.text()}`);
    log(`   2-day wait skipped:  POST /_dev/executions/<arn>/skip (as dev --skip ${order.orderId} --port ${new URL(url).port} does)`);

    const callbackId = (await event('CallbackStarted')).CallbackStartedDetails!.CallbackId!;
    await orders.succeed(callbackId, decision);
    log(`   approval answered:   orders.succeed(callbackId, ${JSON.stringify(decision)}) (SendDurableExecutionCallbackSuccess)`);

    const execution = await poll(`${order.orderId} to end`, async () => {
      const described = await orders.describe(arn!);
      return described.status === 'RUNNING' ? undefined : described;
    });
    log(`   ${order.orderId}: ${execution.status} ${JSON.stringify(execution.result ?? execution.error)}`);
    return { url, execution };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nThe dev server printed:\n${output}`);
  } finally {
    server.kill('SIGINT');
    log(`   Dev server stopped (exit code ${await exited}).`);
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

/** `check`'s value once it has one, asked every 50 ms for at most 30 s. */
async function poll<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let value = await check(); ; value = await check()) {
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
