// The local engine's own speed, in a fresh process: `node engine-child.js steps <engine|official|sdk>` runs a 500-step
// workflow twice, cold (the process's first run, as a test file's first workflow has it) then warm, through
// runWorkflowLocally on either runner, or (`sdk`, the floor) as one invocation against a client that only echoes the
// updates back: what the SDK itself costs, whatever stands behind it. `node engine-child.js concurrent <executions>`
// runs that many executions of a 20-step workflow with a wait side by side on one engine. Every run is checked.
import type { DurableContext, DurableExecutionClient, DurableLambdaHandler, Operation } from '@aws/durable-execution-sdk-js';
import { DurableExecutionInvocationInputWithClient, withDurableExecution } from '@aws/durable-execution-sdk-js';
import { runWorkflowLocally } from '../../lambda/testing';
import { DurableEngine } from '../../lambda/testing/engine/durable-engine';
import type { ExecutionRecord } from '../../lambda/testing/engine/store/execution-store';
import { runMain } from '../child';
import { nowMs } from '../clock';

const STEPS = 500;
const CONCURRENT_STEPS = 20;

export interface StepsSample {
  readonly wallMs: number;
  /** User + system CPU of the whole process during the run (the official runner's worker thread included). */
  readonly cpuMs: number;
}

export interface StepsRun {
  readonly runner: string;
  readonly steps: number;
  /** The process's first run: module code not yet compiled. */
  readonly cold: StepsSample;
  /** The same run again in the same process. */
  readonly warm: StepsSample;
}

export interface ConcurrentRun {
  readonly executions: number;
  /** Steps of each execution. */
  readonly steps: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly succeeded: number;
  /** Executions whose history holds every step, the wait and the end. */
  readonly complete: number;
  readonly invocations: number;
}

async function sumSteps(ctx: DurableContext, count: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await ctx.step(`step-${i}`, async () => i);
  return sum;
}

type StepsRunner = 'engine' | 'official' | 'sdk';

async function stepsSample(runner: StepsRunner): Promise<StepsSample> {
  const handler = withDurableExecution(async (_event: unknown, ctx) => sumSteps(ctx, STEPS));
  const cpu = process.cpuUsage();
  const start = nowMs();
  const run = runner === 'sdk' ? await echoRun(handler) : await localRun(handler, runner);
  const wallMs = nowMs() - start;
  const used = process.cpuUsage(cpu);
  if (run.status !== 'SUCCEEDED' || run.result !== (STEPS * (STEPS - 1)) / 2 || run.operations !== STEPS) {
    throw new Error(`${runner}: expected SUCCEEDED with ${STEPS} operations, got ${run.status} ${JSON.stringify(run.result)} with ${run.operations}`);
  }
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function localRun(handler: DurableLambdaHandler, runner: 'engine' | 'official'): Promise<{ status: string; result: unknown; operations: number }> {
  const run = await runWorkflowLocally(handler, { runner });
  return { status: run.status, result: run.result, operations: run.operations.length };
}

/** One invocation against a client that keeps nothing: it answers each checkpoint with the updated operations. */
async function echoRun(handler: DurableLambdaHandler): Promise<{ status: string; result: unknown; operations: number }> {
  const ids = new Set<string>();
  const client: DurableExecutionClient = {
    checkpoint: async (request) => ({
      CheckpointToken: 'token',
      NewExecutionState: {
        Operations: (request.Updates ?? []).map((update): Operation => {
          ids.add(update.Id!);
          return {
            Id: update.Id,
            Type: update.Type,
            Name: update.Name,
            SubType: update.SubType,
            StartTimestamp: new Date(),
            Status: update.Action === 'START' ? 'STARTED' : 'SUCCEEDED',
            StepDetails: { Result: update.Payload },
          };
        }),
      },
    }),
    getExecutionState: async () => ({ Operations: [] }),
  };
  const input = new DurableExecutionInvocationInputWithClient({
    DurableExecutionArn: 'arn:aws:lambda:us-east-1:123456789012:function:floor:1/durable-execution/floor/1',
    CheckpointToken: 'token',
    InitialExecutionState: { Operations: [{ Id: 'execution', Type: 'EXECUTION', Status: 'STARTED', StartTimestamp: new Date(), ExecutionDetails: { InputPayload: '{}' } }] },
  }, client);
  const output = await handler(input, { awsRequestId: 'floor', getRemainingTimeInMillis: () => 900_000 } as unknown as Parameters<DurableLambdaHandler>[1]);
  return { status: output.Status, result: output.Status === 'SUCCEEDED' ? JSON.parse(output.Result ?? 'null') : undefined, operations: ids.size };
}

async function steps(runner: StepsRunner): Promise<StepsRun> {
  const cold = await stepsSample(runner);
  const warm = await stepsSample(runner);
  return { runner, steps: STEPS, cold, warm };
}

async function concurrent(executions: number): Promise<ConcurrentRun> {
  const handler = withDurableExecution(async (event: { id: number }, ctx) => {
    const half = await sumSteps(ctx, CONCURRENT_STEPS / 2);
    await ctx.wait('cool-down', { hours: 1 });
    const rest = await ctx.runInChildContext('rest', async (child) => {
      let sum = 0;
      for (let i = CONCURRENT_STEPS / 2; i < CONCURRENT_STEPS; i++) sum += await child.step(`step-${i}`, async () => i);
      return sum;
    });
    return { id: event.id, sum: half + rest };
  });
  const engine = new DurableEngine();
  engine.register('twenty-steps', handler);
  const ended = new Map<string, ExecutionRecord>();
  let allEnded!: () => void;
  const done = new Promise<void>((resolve) => { allEnded = resolve; });
  engine.observe({
    executionEnded: (execution) => {
      ended.set(execution.arn, execution);
      if (ended.size === executions) allEnded();
    },
    invocationFailed: (execution, outcome) => { throw new Error(`${execution.arn}: ${JSON.stringify(outcome)}`); },
  });
  const cpu = process.cpuUsage();
  const start = nowMs();
  const arns = Array.from({ length: executions }, (_, id) => engine.start({ functionName: 'twenty-steps', payload: JSON.stringify({ id }) }).arn);
  await done;
  const wallMs = nowMs() - start;
  const used = process.cpuUsage(cpu);

  const expectedSum = (CONCURRENT_STEPS * (CONCURRENT_STEPS - 1)) / 2;
  let succeeded = 0;
  let complete = 0;
  let invocations = 0;
  for (const [id, arn] of arns.entries()) {
    const execution = ended.get(arn);
    const result = execution?.result === undefined ? undefined : JSON.parse(execution.result) as { id: number; sum: number };
    if (execution?.status === 'SUCCEEDED' && result?.id === id && result.sum === expectedSum) succeeded++;
    const types = engine.history(arn).map((event) => event.EventType);
    if (types.filter((type) => type === 'StepSucceeded').length === CONCURRENT_STEPS && types.includes('WaitSucceeded')
      && types.at(-1) === 'ExecutionSucceeded') complete++;
    invocations += execution?.invocations ?? 0;
  }
  if (new Set(arns).size !== executions || succeeded !== executions || complete !== executions) {
    throw new Error(`${executions} executions: ${new Set(arns).size} distinct, ${succeeded} succeeded with the right result, ${complete} complete histories`);
  }
  return { executions, steps: CONCURRENT_STEPS, wallMs, cpuMs: (used.user + used.system) / 1000, succeeded, complete, invocations };
}

runMain(async () => {
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'steps' && (arg === 'engine' || arg === 'official' || arg === 'sdk')) return steps(arg);
  if (mode === 'concurrent' && Number.isInteger(Number(arg))) return concurrent(Number(arg));
  throw new Error('usage: engine-child steps <engine|official|sdk> | engine-child concurrent <executions>');
});
