// `npm run demo`: synthesize the example order app, take the workflow's bundle from the cloud
// assembly (the code that would be deployed, not the source), and run it locally on the local
// durable engine with time skipping, in three scenarios; then serve the assembly on the dev server
// and run one more order through it with the real client.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { runOnDevServer, type DevServerRun } from './demo-dev-server';
import {
  formatTimeline, runWorkflowLocally, selectWorkflow, workflowsInAssembly, writeTimelineSvg,
  type FunctionBundle, type LocalRunResult, type RunWorkflowLocallyOptions,
} from '../lambda/testing';
import { createOrderApp } from './order-app/app';
import type { ApprovalDecision, Order } from './order-app/order';
import { DECLINED_CARD } from './order-app/services';

const ROOT = resolve(__dirname, '..');

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly payload: Order;
  readonly callbacks?: RunWorkflowLocallyOptions['callbacks'];
}

const order = (orderId: string, cardToken = 'tok_visa'): Order => ({
  orderId,
  items: [{ sku: 'espresso-machine', quantity: 1 }, { sku: 'coffee-beans-1kg', quantity: 2 }],
  amountCents: 45_900,
  cardToken,
});
const decide = (decision: ApprovalDecision) => ({ 'manager-approval': { result: decision } });

export const SCENARIOS: Scenario[] = [
  {
    id: 'approved',
    title: 'Order o-1001: approved and shipped',
    payload: order('o-1001'),
    callbacks: decide({ approved: true, approver: 'dana' }),
  },
  {
    id: 'rejected',
    title: 'Order o-1002: rejected by the manager, compensated',
    payload: order('o-1002'),
    callbacks: decide({ approved: false, approver: 'dana', reason: 'customer asked to cancel' }),
  },
  {
    id: 'card-declined',
    title: 'Order o-1003: card declined after retries, compensated',
    payload: order('o-1003', DECLINED_CARD),
  },
];

export interface DemoRun {
  readonly scenario: Scenario;
  readonly run: LocalRunResult;
  /** The SVG picture of the run. */
  readonly picture: string;
}

export interface DemoResult {
  readonly bundle: FunctionBundle;
  readonly runs: DemoRun[];
  /** The order run on `cdk-durable-workflow dev`. */
  readonly dev: DevServerRun;
}

/** Synthesizes the app into `outdir`, loads the workflow's synthesized bundle and runs every scenario, then one order on the dev server. */
export async function runDemo(outdir: string, log: (line: string) => void = () => undefined): Promise<DemoResult> {
  log('1. Synthesizing the example app (examples/order-app) ...');
  const { app, stack } = createOrderApp(join(outdir, 'cdk.out'));
  const assembly = app.synth();
  const { bundle } = selectWorkflow(await workflowsInAssembly(assembly.directory), stack.workflow.node.path, 'the example app');
  const size = Math.round(statSync(bundle.file).size / 1024);
  log(`   ${stack.workflow.node.path}: handler ${bundle.handler}, bundle ${relative(ROOT, bundle.file)} (${size} KB)`);

  // Loaded as Lambda loads it: the bundle's file, its handler export. `@aws-sdk/*` is external in the
  // bundle (Lambda's Node.js runtime provides it); here it resolves from this repository's node_modules.
  const handler = createRequire(bundle.file)(bundle.file)[bundle.exportName] as DurableLambdaHandler;

  log('2. Running the synthesized bundle locally (local durable engine, time skipped) ...');
  const runs: DemoRun[] = [];
  for (const scenario of SCENARIOS) {
    const run = await runWorkflowLocally(handler, { payload: scenario.payload, callbacks: scenario.callbacks });
    const picture = writeTimelineSvg(run, join(outdir, `${scenario.id}.svg`), { title: scenario.title });
    log('');
    log(formatTimeline(run, { title: scenario.title }).trimEnd());
    log(`Picture: ${picture}`);
    runs.push({ scenario, run, picture });
  }

  log('');
  log('3. Serving the same cdk.out on the dev server, one order through the real client ...');
  const dev = await runOnDevServer(assembly.directory, outdir, stack.workflow.node.path, order('o-1004'), { approved: true, approver: 'dana' }, log);
  return { bundle, runs, dev };
}

if (require.main === module) {
  const started = process.uptime();
  runDemo(join(ROOT, '.demo-out'), (line) => console.log(line)).then(() => {
    console.log('');
    console.log(`Done in ${(process.uptime() - started).toFixed(1)} s. Run the deployed artifact yourself, answering the approval on the terminal:`);
    console.log(`  node lib/runtime/cli.js run .demo-out/cdk.out --payload '${JSON.stringify(order('o-2001'))}' --interactive`);
    console.log('or serve it and open the viewer (Ctrl-C stops):');
    console.log('  node lib/runtime/cli.js dev .demo-out/cdk.out');
  }, (error: Error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
