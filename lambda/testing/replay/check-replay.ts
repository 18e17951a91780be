import { randomUUID } from 'node:crypto';
import type { DurableLambdaHandler, ErrorObject, Operation, OperationUpdate } from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { childOperationsDepthOf } from '../../child-operations-depth';
import { executionArn, functionArn } from '../engine/arn';
import { statePage } from '../engine/execution-state';
import { invokeHandler } from '../engine/invoker';
import type { InvocationOutcome } from '../engine/invoker';
import { timelineFromHistory } from '../history-timeline';
import { describe, LocalRunError, notDurableError } from '../local-run-error';
import { readHistory } from './history-input';
import { ReplayClient } from './replay-client';
import type { ReplayStop } from './replay-client';
import { describeOperation } from './replay-result';
import type { RecordedOperation, ReplayCompatible, ReplayDivergence, ReplayOperation, ReplayResult } from './replay-result';
import { resumeState } from './resume-state';
import type { ResumeState } from './resume-state';
import { readSdkMismatch } from './sdk-mismatch';

/** Options of `checkReplay`. */
export interface CheckReplayOptions {
  /** The execution in the report: its name, or its ARN (which the handler then sees). @default the history's */
  readonly execution?: string;
  /**
   * The SDK's `pluginsConfig.childOperationsDepth` the execution runs with. Completed child contexts down to this
   * depth keep their children, and the SDK re-runs their code on replay, checking the operations inside them; deeper
   * ones replay from their recorded result. The history does not record it.
   * @default the handler's own for `workflow.handler` (Infinity unless its config sets it), 0 for other handlers (the SDK's default)
   */
  readonly childOperationsDepth?: number;
  /** How long the replay may run before the check gives up on it (a handler awaiting something that never comes). @default 60 */
  readonly timeoutSeconds?: number;
}

const REGION = 'us-east-1';
const FUNCTION = 'replay-check';
const TOKEN = 'replay-check';

/**
 * Checks that `handler` (new code) can resume the execution `history` records: the handler runs once on the real
 * durable SDK with the state the service would send on resume, and the SDK's own determinism check compares what the
 * code does with what the history holds. No AWS call is made. The replay stops where the history stops: at an
 * operation the history holds open, or at the handler's first checkpoint (work the history does not hold: the
 * execution would go on there, and the check does not take it).
 *
 * `history` is `GetDurableExecutionHistory`'s response or its `Events`, as `workflow.history()`, the local runner
 * (`runWorkflowLocally(...).history`) or `cdk-durable-workflow run --history-out` give it, also after a JSON round trip.
 *
 * The first new operation's code may start before its checkpoint ends the invocation (the SDK checkpoints an
 * at-least-once step's start while its function runs): run the check where that is harmless.
 */
export async function checkReplay(handler: DurableLambdaHandler, history: unknown, options: CheckReplayOptions = {}): Promise<ReplayResult> {
  if (typeof handler !== 'function') {
    throw new LocalRunError(`checkReplay: handler must be a function made with workflow.handler() or withDurableExecution(), got ${describe(handler)}`);
  }
  const depth = options.childOperationsDepth ?? childOperationsDepthOf(handler) ?? 0;
  if (!(depth === Infinity || (Number.isInteger(depth) && depth >= 0))) {
    throw new LocalRunError(`checkReplay: childOperationsDepth must be a whole number from 0, or Infinity, got ${describe(depth)}`);
  }
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  if (!(timeoutSeconds > 0 && Number.isFinite(timeoutSeconds))) {
    throw new LocalRunError(`checkReplay: timeoutSeconds must be a positive number of seconds, got ${describe(timeoutSeconds)}`);
  }
  const events = readHistory(history);
  const started = events[0];
  const execution = options.execution ?? started.Name ?? started.Id ?? 'execution';
  const arn = /\/durable-execution\//.test(execution) ? execution
    : executionArn(functionArn(REGION, FUNCTION, '1'), started.Name ?? FUNCTION, started.Id ?? randomUUID());
  const state = resumeState(events, depth);
  const run = (operations: readonly Operation[]) => replay(handler, operations, state.recorded, arn, execution, timeoutSeconds);
  return judge(await run(state.operations), { execution, events, state, run });
}

interface Replay {
  readonly outcome: InvocationOutcome;
  readonly stop?: ReplayStop;
}

/** One invocation of the handler with `operations`, standing where the service stands. */
async function replay(handler: DurableLambdaHandler, operations: readonly Operation[], recorded: readonly Operation[],
  arn: string, execution: string, timeoutSeconds: number): Promise<Replay> {
  const client = new ReplayClient(TOKEN, operations, recorded);
  const first = statePage(operations, undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LocalRunError(`The replay of ${execution} did not end within ${timeoutSeconds} s: the handler `
      + 'neither suspended, ended nor checkpointed (does it await something that is not a durable operation?)')), timeoutSeconds * 1000);
  });
  try {
    const outcome = await Promise.race([timeout, invokeHandler({
      handler,
      executionArn: arn,
      checkpointToken: TOKEN,
      operations: first.items,
      nextMarker: first.nextMarker,
      updatedOperationIds: [],
      requestId: randomUUID(),
      client,
      functionName: FUNCTION,
      functionVersion: '1',
      functionArn: functionArn(REGION, FUNCTION, '1'),
      // No time left to poll: the SDK suspends on what it waits for, as at the end of a real invocation.
      deadline: Date.now(),
    })]);
    return { outcome, stop: client.stop };
  } finally {
    clearTimeout(timer);
  }
}

interface Judging {
  readonly execution: string;
  readonly events: readonly Event[];
  readonly state: ResumeState;
  /** Replays again with other operations (to see what the new code does where it diverged). */
  readonly run: (operations: readonly Operation[]) => Promise<Replay>;
}

async function judge({ outcome, stop }: Replay, judging: Judging): Promise<ReplayResult> {
  if (stop?.kind === 'refused') {
    return diverged(judging, {
      reason: 'refused',
      operationId: stop.refused.Id,
      replayed: operationOf(stop.refused),
      action: stop.refused.Action,
      errorType: stop.error.name,
      error: stop.error.message,
    });
  }
  const failure = outcome.kind === 'returned' && outcome.output.Status === 'FAILED' ? outcome.output.Error ?? {} : undefined;
  if (failure?.ErrorType === 'NonDeterministicExecutionError') return nonDeterministic(failure, judging);
  if (stop) {
    const beyond = stop.updates.find((update) => update.Type !== 'EXECUTION');
    if (stop.updates.length === 0) return compatible(judging, 'waits');
    if (beyond) return compatible(judging, 'continues', { next: operationOf(beyond) });
    // A result too large to return is checkpointed as the EXECUTION's own update.
    const ending = stop.updates[stop.updates.length - 1];
    return ended(judging, ending.Action === 'SUCCEED' ? 'SUCCEEDED' : 'FAILED', ending.Error);
  }
  switch (outcome.kind) {
    case 'returned':
      if (outcome.output.Status === 'PENDING') return compatible(judging, 'waits');
      return ended(judging, outcome.output.Status, failure);
    case 'threw':
      if ((outcome.error as { isUnrecoverable?: unknown } | null)?.isUnrecoverable === true) {
        const error = outcome.error as Error;
        return diverged(judging, { reason: 'failed', errorType: error.name, error: error.message });
      }
      throw notDurableError(`it threw "${(outcome.error as Error)?.message ?? String(outcome.error)}" instead of returning an invocation status`);
  }
  throw notDurableError(`it returned ${describe(outcome.output)} instead of an invocation status`);
}

/** The handler ended the execution: compatible unless it fails where the history did not, or skips what is open. */
function ended(judging: Judging, status: 'SUCCEEDED' | 'FAILED', error: ErrorObject | undefined): ReplayResult {
  const recordedStatus = judging.state.recorded[0].Status;
  if (status === 'FAILED' && recordedStatus !== 'FAILED') {
    return diverged(judging, { reason: 'failed', errorType: error?.ErrorType, error: error?.ErrorMessage ?? 'the execution failed' });
  }
  const open = firstOpen(judging.state.operations);
  if (open) {
    return diverged(judging, {
      reason: 'ended-early',
      operationId: open.Id,
      error: `The handler ended the execution (${status}) without reaching ${describeOperation(operationOf(open))}, which the history holds ${open.Status}`,
    });
  }
  return compatible(judging, 'ends', { status });
}

/**
 * The operation the history holds open that a resumed execution must come back to: the first one that has not ended
 * and lies inside no ended context (a map or parallel that completed early leaves branches that never end). A context
 * counts only when nothing inside it is open.
 */
function firstOpen(operations: readonly Operation[]): Operation | undefined {
  const byId = new Map(operations.map((operation) => [operation.Id!, operation]));
  const isOpen = (operation: Operation) => operation.EndTimestamp === undefined;
  const reachable = (operation: Operation): boolean => {
    for (let parent = byId.get(operation.ParentId ?? ''); parent; parent = byId.get(parent.ParentId ?? '')) {
      if (!isOpen(parent)) return false;
    }
    return true;
  };
  const open = operations.filter((operation) => operation.Type !== 'EXECUTION' && isOpen(operation) && reachable(operation));
  return open.find((operation) => operation.Type !== 'CONTEXT') ?? open[0];
}

/** The SDK found another operation where the history holds one: where, and what the new code did instead. */
async function nonDeterministic(failure: ErrorObject, judging: Judging): Promise<ReplayResult> {
  const message = failure.ErrorMessage ?? '';
  const mismatch = readSdkMismatch(message);
  const recorded = judging.state.recorded.find((operation) => operation.Id === mismatch.operationId && operation.Type !== 'EXECUTION');
  let replayed: ReplayOperation | undefined;
  if (recorded && mismatch.field === 'name') replayed = { type: recorded.Type!, name: mismatch.got };
  if (recorded && mismatch.field === 'subtype') replayed = { type: recorded.Type!, subType: mismatch.got, name: recorded.Name };
  if (recorded && mismatch.field === 'type') {
    // The SDK names only the other type: replay again without the recorded operation to see the new one start.
    replayed = await newOperationAt(recorded, judging) ?? { type: mismatch.got! };
  }
  return diverged(judging, {
    reason: 'non-deterministic', operationId: recorded?.Id, replayed, errorType: failure.ErrorType, error: message,
  });
}

/**
 * What the new code starts where the history holds `recorded`: a replay with `recorded` (and what runs inside it)
 * taken out, and the contexts around it still running, stops at the new operation's START, which names it.
 */
async function newOperationAt(recorded: Operation, judging: Judging): Promise<ReplayOperation | undefined> {
  const byId = new Map(judging.state.operations.map((operation) => [operation.Id!, operation]));
  const inside = (operation: Operation): boolean => {
    for (let at: Operation | undefined = operation; at; at = byId.get(at.ParentId ?? '')) if (at.Id === recorded.Id) return true;
    return false;
  };
  const around = new Set<string>();
  for (let parent = byId.get(recorded.ParentId ?? ''); parent; parent = byId.get(parent.ParentId ?? '')) around.add(parent.Id!);
  const operations = judging.state.operations.filter((operation) => !inside(operation)).map((operation): Operation => {
    if (!around.has(operation.Id!)) return operation;
    const { EndTimestamp: _end, ContextDetails: _details, ...running } = operation;
    return { ...running, Status: 'STARTED' };
  });
  const { stop } = await judging.run(operations);
  const start = stop?.updates.find((update) => update.Id === recorded.Id);
  return start && operationOf(start);
}

function operationOf(operation: Operation | OperationUpdate): ReplayOperation {
  return { type: operation.Type!, subType: operation.SubType, name: operation.Name };
}

function compatible(judging: Judging, outcome: ReplayCompatible['outcome'], more: { next?: ReplayOperation; status?: string } = {}): ReplayCompatible {
  const operations = judging.state.recorded.length - 1;
  const how = {
    waits: 'and waits where the history stops',
    continues: `and would continue with ${more.next ? describeOperation(more.next) : ''}`,
    ends: `and ends the execution (${more.status})`,
  }[outcome];
  return {
    compatible: true,
    execution: judging.execution,
    outcome,
    ...more,
    operations,
    message: `${judging.execution}: compatible: replays the history (${operations} operation${operations === 1 ? '' : 's'}) ${how}`,
  };
}

interface Found {
  readonly reason: ReplayDivergence['reason'];
  readonly operationId?: string;
  readonly replayed?: ReplayOperation;
  /** `refused`: the update's action. */
  readonly action?: string;
  readonly errorType?: string;
  readonly error: string;
}

function diverged(judging: Judging, found: Found): ReplayDivergence {
  const operations = judging.state.recorded.length - 1;
  const timeline = timelineFromHistory(judging.events).operations;
  const index = timeline.findIndex((operation) => operation.id === found.operationId);
  const byId = new Map(timeline.map((operation) => [operation.id, operation]));
  let recorded: RecordedOperation | undefined;
  if (index >= 0) {
    const operation = timeline[index];
    const contexts: string[] = [];
    for (let parent = byId.get(operation.parentId ?? ''); parent; parent = byId.get(parent.parentId ?? '')) contexts.unshift(parent.label);
    recorded = {
      id: operation.id,
      type: operation.type,
      subType: operation.subType,
      name: operation.name,
      status: operation.status,
      label: operation.label,
      contexts,
    };
  }
  const position = index >= 0 ? index + 1 : undefined;
  const where = position !== undefined ? ` at operation #${position} of ${operations}${recorded!.contexts.length ? `, inside ${recorded!.contexts.map((label) => JSON.stringify(label)).join(' › ')}` : ''}` : '';
  const lines = [`${judging.execution}: diverges${where}`];
  if (recorded) lines.push(`  history:  ${describeOperation(recorded)}${found.reason === 'ended-early' ? `, ${recorded.status}` : ''}`);
  if (found.reason === 'non-deterministic') {
    lines.push(`  new code: ${found.replayed ? describeOperation(found.replayed) : 'an operation the SDK does not name'}`);
  } else if (found.reason === 'refused') {
    lines.push(`  new code: ${found.action} ${describeOperation(found.replayed!)}, which the service refuses`);
  } else if (found.reason === 'ended-early') {
    lines.push('  new code: ends the execution without reaching it');
  } else {
    lines.push('  new code: fails the execution on replay');
  }
  lines.push(`  ${found.errorType ? `${found.errorType}: ` : ''}${found.error}`);
  return {
    compatible: false,
    execution: judging.execution,
    reason: found.reason,
    position,
    recorded,
    replayed: found.replayed,
    errorType: found.errorType,
    error: found.error,
    operations,
    message: lines.join('\n'),
  };
}
