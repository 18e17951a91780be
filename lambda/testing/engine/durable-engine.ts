import { randomBytes, randomUUID } from 'node:crypto';
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurableExecutionClientError } from '@aws/durable-execution-sdk-js';
import type {
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  DurableExecutionClient,
  DurableLambdaHandler,
  ErrorObject,
  GetDurableExecutionStateRequest,
  GetDurableExecutionStateResponse,
  Operation,
  OperationUpdate,
} from '@aws/durable-execution-sdk-js';
import type { Event } from '@aws-sdk/client-lambda';
import { executionArn, functionArn, functionNameOf } from './arn';
import { applyUpdate } from './checkpoint/apply-update';
import { validateUpdates } from './checkpoint/validate-updates';
import type { EngineClock } from './clock/engine-clock';
import { SimulatedClock } from './clock/simulated-clock';
import { statePage, visibleOperations, wireOperation } from './execution-state';
import { eventError, eventPayload, historyEvent } from './history/history-event';
import { invokeHandler } from './invoker';
import type { InvocationOutcome } from './invoker';
import { isQuiet } from './quiescence';
import { ServiceError } from './service-errors';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, StoredOperation } from './store/execution-store';
import { MemoryExecutionStore } from './store/memory-store';
import { earliest, fireTimer, timersOf } from './timers';
import type { Timer } from './timers';

/** Options of a `DurableEngine`. */
export interface DurableEngineOptions {
  /** @default a SimulatedClock: waits and retry delays take no time */
  readonly clock?: EngineClock;
  /** @default a MemoryExecutionStore */
  readonly store?: ExecutionStore;
  /** The region in the ARNs handed out. @default 'us-east-1' */
  readonly region?: string;
  /** How long one invocation may run (the function timeout), on the handler's clock. @default 900 */
  readonly invocationTimeoutSeconds?: number;
}

/** Options of a registered function. */
export interface RegisterFunctionOptions {
  /** The `ExecutionTimeout` of its durable config. @default none */
  readonly executionTimeoutSeconds?: number;
  /** How long one invocation of this version may run (its function timeout). @default the engine's */
  readonly invocationTimeoutSeconds?: number;
}

/** What starting an execution takes: the `Invoke` of a durable function. */
export interface StartExecutionInput {
  readonly functionName: string;
  /** The version to run, as `Invoke` of a version or an alias picks one. @default the newest */
  readonly version?: string;
  /** The input as JSON text. @default '{}' */
  readonly payload?: string;
  /** The idempotency key. @default a generated one */
  readonly name?: string;
  /** @default the function's */
  readonly executionTimeoutSeconds?: number;
}

/** A callback that waits for its answer. */
export interface ReadyCallback {
  readonly callbackId: string;
  readonly operationId: string;
  /** The name in code: `createCallback(name)`, or the `waitForCallback(name, ...)` it belongs to. */
  readonly name?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatTimeoutSeconds?: number;
}

/** What the engine tells whoever drives it. */
export interface EngineObserver {
  /** A callback waits for its answer: a `createCallback` started, or a `waitForCallback` whose submitter succeeded. */
  callbackReady?(execution: ExecutionRecord, callback: ReadyCallback): void;
  /** The execution reached SUCCEEDED, FAILED, TIMED_OUT or STOPPED. */
  executionEnded?(execution: ExecutionRecord): void;
  /**
   * Nothing inside the engine can move the execution on: it waits for callbacks or other executions (`waitingOn`),
   * or, when `waitingOn` is empty, its handler suspended with nothing to wait for.
   */
  executionWaiting?(execution: ExecutionRecord, waitingOn: Operation[]): void;
  /** An invocation did not return a durable invocation status; the execution stays RUNNING, with no invocation. */
  invocationFailed?(execution: ExecutionRecord, outcome: Exclude<InvocationOutcome, { kind: 'returned' }>): void;
  /** Events were added to the execution's history (numbered, as `GetDurableExecutionHistory` returns them). */
  historyRecorded?(executionArn: string, events: readonly Event[]): void;
}

interface Invocation {
  readonly requestId: string;
  token: string;
  /** Checkpoints received so far. */
  checkpoints: number;
  readonly startedAt: Date;
  /** The operations it was started with, paged out through getExecutionState. */
  readonly snapshot: Operation[];
}

/** What the engine knows of a running execution beyond its stored state. */
interface Runtime {
  readonly arn: string;
  /** Its operations that have not ended, by id (the EXECUTION operation aside). */
  readonly open: Map<string, StoredOperation>;
  /** Operations the engine changed (a timer fired, a callback answered, an invoke ended) that no invocation has seen. */
  readonly unseen: Set<string>;
  /**
   * The checkpoint of the running invocation that started each of its timers: a timer never falls due in the answer
   * to the checkpoint that started it, since the SDK only polls for it once it has seen it pending.
   */
  readonly armedAt: Map<string, number>;
  invocation?: Invocation;
  /** Outside work under way (an answer being prepared): a clock that skips idle time waits for it. */
  holds: number;
  lastEventAt: Date;
  settling: boolean;
  settleAgain: boolean;
}

interface RegisteredVersion {
  readonly handler: DurableLambdaHandler;
  readonly invocationTimeoutMs: number;
}

interface RegisteredFunction {
  readonly versions: RegisteredVersion[];
  readonly executionTimeoutSeconds?: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED', 'TIMED_OUT']);

/**
 * A local durable execution service: it stands where Lambda stands for durable functions. It starts executions,
 * invokes their handlers (the real, unmodified SDK) with the state the service would send, takes their checkpoints
 * under the service's rules, keeps their operations and history (in `GetDurableExecutionHistory`'s format), fires
 * waits, retries and timeouts on its clock, runs chained invokes, and takes callback answers and stops from
 * outside. Everything is per instance: several engines, and many executions in one, run side by side.
 */
export class DurableEngine {
  private readonly clock: EngineClock;
  private readonly store: ExecutionStore;
  private readonly region: string;
  private readonly invocationTimeoutMs: number;
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly runtimes = new Map<string, Runtime>();
  private readonly observers = new Set<EngineObserver>();
  private tokens = 0;

  constructor(options: DurableEngineOptions = {}) {
    this.clock = options.clock ?? new SimulatedClock();
    this.store = options.store ?? new MemoryExecutionStore();
    this.region = options.region ?? 'us-east-1';
    this.invocationTimeoutMs = (options.invocationTimeoutSeconds ?? 900) * 1000;
  }

  /**
   * Registers a handler under a function name, for `start` and for chained invokes. Registering the name again
   * publishes a new version: executions already running keep the version they started on. Returns the version.
   */
  public register(functionName: string, handler: DurableLambdaHandler, options: RegisterFunctionOptions = {}): string {
    const invocationTimeoutMs = options.invocationTimeoutSeconds === undefined ? this.invocationTimeoutMs : options.invocationTimeoutSeconds * 1000;
    const versions = [...(this.functions.get(functionName)?.versions ?? []), { handler, invocationTimeoutMs }];
    this.functions.set(functionName, { versions, executionTimeoutSeconds: options.executionTimeoutSeconds });
    return String(versions.length);
  }

  /**
   * Lets go of every running execution without ending it: its timers are cleared and nothing more is done for it or
   * told about it. For a process that stops serving executions its store keeps (`resume` takes them up again).
   */
  public close(): void {
    for (const arn of this.runtimes.keys()) this.clock.release(arn);
    this.runtimes.clear();
    this.observers.clear();
  }

  /** Tells `observer` what happens from now on; returns the function that stops it. */
  public observe(observer: EngineObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Starts an execution of the function's newest version (or of `version`) and returns it. A name used before returns
   * that execution when the payload is the same, and is refused when it differs, as `Invoke` does.
   */
  public start(input: StartExecutionInput): ExecutionRecord {
    return this.startExecution(input);
  }

  /** Every execution, in the order they started. */
  public list(): ExecutionRecord[] {
    return this.store.listExecutions();
  }

  /**
   * Takes up the executions the store holds RUNNING that no engine runs (the process that ran them stopped): each is
   * invoked again from its stored state, as Lambda invokes again after a lost invocation, so what it checkpointed is
   * replayed and never run again, and its timers fall due on its time from its last event on. Register every
   * version they are pinned to first. Returns them.
   */
  public resume(): ExecutionRecord[] {
    const resumed = this.store.listExecutions('RUNNING').filter((record) => !this.runtimes.has(record.arn));
    for (const record of resumed) this.version(record.functionName, record.version);
    for (const record of resumed) {
      const lastEventAt = this.store.listEvents(record.arn).at(-1)?.EventTimestamp ?? record.startTimestamp;
      const runtime = newRuntime(record.arn, lastEventAt);
      for (const stored of this.store.listOperations(record.arn)) {
        if (stored.operation.Type !== 'EXECUTION' && !TERMINAL.has(stored.operation.Status ?? '')) runtime.open.set(stored.operation.Id!, stored);
      }
      this.clock.begin(record.arn, lastEventAt);
      this.runtimes.set(record.arn, runtime);
    }
    for (const record of resumed) this.invoke(this.runtimes.get(record.arn)!);
    return resumed;
  }

  /**
   * Invokes the execution again from its stored state after an invocation failed (`invocationFailed`), as Lambda
   * retries a failed invocation: what it checkpointed is replayed, not run again.
   */
  public reinvoke(arn: string): void {
    const runtime = this.runtime(arn);
    if (runtime.invocation) throw new ServiceError('InvalidParameterValueException', `Execution ${arn} has an invocation running`);
    this.invoke(runtime);
  }

  /**
   * Moves the execution's time to its next timer (a wait's end, a retry, a callback's deadline, the execution
   * timeout), whatever the clock, and lets it fall due. Returns that timer, or undefined when nothing is timed.
   */
  public skip(arn: string): Timer | undefined {
    const runtime = this.runtime(arn);
    const next = earliest(timersOf(this.existing(arn), runtime.open.values()));
    if (!next) return undefined;
    this.clock.advance(arn, next.due);
    this.settle(runtime);
    return next;
  }

  public describe(arn: string): ExecutionRecord | undefined {
    return this.store.getExecution(arn);
  }

  /** Every operation of the execution, in the order they started, the EXECUTION operation first. */
  public operations(arn: string): Operation[] {
    this.existing(arn);
    return this.store.listOperations(arn).map((stored) => stored.operation);
  }

  /** The execution's history, as `GetDurableExecutionHistory` returns it. */
  public history(arn: string): Event[] {
    this.existing(arn);
    return this.store.listEvents(arn);
  }

  /** `SendDurableExecutionCallbackSuccess`: `result` is the raw text the caller sent. */
  public sendCallbackSuccess(callbackId: string, result?: string): void {
    this.completeCallback(callbackId, 'SUCCEEDED', (operation) => ({
      operation: { ...operation, CallbackDetails: { ...operation.CallbackDetails, Result: result } },
      event: ['CallbackSucceeded', { Result: eventPayload(result) }],
    }));
  }

  /** `SendDurableExecutionCallbackFailure`. */
  public sendCallbackFailure(callbackId: string, error: ErrorObject = {}): void {
    this.completeCallback(callbackId, 'FAILED', (operation) => ({
      operation: { ...operation, CallbackDetails: { ...operation.CallbackDetails, Error: error } },
      event: ['CallbackFailed', { Error: eventError(error) }],
    }));
  }

  /** `SendDurableExecutionCallbackHeartbeat`: the heartbeat timeout counts again from now. */
  public sendCallbackHeartbeat(callbackId: string): void {
    const { runtime, stored } = this.openCallback(callbackId);
    this.putOperation(runtime, {
      ...stored,
      callback: { ...stored.callback, heartbeatAt: this.clock.now(runtime.arn) },
    });
    this.settle(runtime);
  }

  /** `StopDurableExecution`: a running invocation is not interrupted; its next checkpoint is refused. */
  public stop(arn: string, error: ErrorObject = {}): ExecutionRecord {
    const record = this.existing(arn);
    if (record.status !== 'RUNNING') {
      throw new ServiceError('InvalidParameterValueException', `Execution ${arn} has already ended (${record.status})`);
    }
    return this.finish(this.runtime(arn), 'STOPPED', { error });
  }

  /**
   * Keeps a clock that skips idle time from moving the execution on while something outside prepares an event
   * for it (an answer on its way). Returns the function that releases the hold.
   */
  public hold(arn: string): () => void {
    const runtime = this.runtime(arn);
    runtime.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      runtime.holds--;
      this.settle(runtime);
    };
  }

  // ---- Executions ---------------------------------------------------------------------------------------------

  private startExecution(input: StartExecutionInput, invokedBy?: ExecutionRecord['invokedBy'], at?: Date, id: string = randomUUID()): ExecutionRecord {
    const registered = this.functions.get(input.functionName);
    if (!registered) throw new ServiceError('ResourceNotFoundException', `Function not found: ${input.functionName}`);
    const version = input.version ?? String(registered.versions.length);
    this.version(input.functionName, version);
    const payload = input.payload ?? '{}';
    if (input.name !== undefined) {
      const earlier = this.store.findExecution(input.functionName, input.name);
      if (earlier) {
        if (earlier.input === payload) return earlier;
        throw new ServiceError('DurableExecutionAlreadyStartedException',
          `Execution ${input.name} of ${input.functionName} has already started with a different payload`);
      }
    }
    const name = input.name ?? id;
    const qualifiedArn = functionArn(this.region, input.functionName, version);
    const arn = executionArn(qualifiedArn, name, id);
    const started = this.clock.begin(arn, at);
    const record: ExecutionRecord = {
      arn,
      id,
      name,
      functionName: input.functionName,
      version,
      functionArn: qualifiedArn,
      status: 'RUNNING',
      input: payload,
      startTimestamp: started,
      executionTimeoutSeconds: input.executionTimeoutSeconds ?? registered.executionTimeoutSeconds,
      executionOperationId: id,
      invocations: 0,
      invokedBy,
    };
    const executionOperation: Operation = {
      Id: id,
      Type: 'EXECUTION',
      StartTimestamp: started,
      Status: 'STARTED',
      ExecutionDetails: { InputPayload: payload },
    };
    const runtime = newRuntime(arn, started);
    this.store.transaction(() => {
      this.store.insertExecution(record);
      this.store.putOperation(arn, { operation: executionOperation });
      this.record(runtime, [historyEvent('ExecutionStarted', executionOperation, started, {
        Input: eventPayload(payload), ExecutionTimeout: record.executionTimeoutSeconds,
      })]);
    });
    this.runtimes.set(arn, runtime);
    this.invoke(runtime);
    return record;
  }

  private finish(runtime: Runtime, status: Exclude<ExecutionStatus, 'RUNNING'>, outcome: { result?: string; error?: ErrorObject },
    at = this.clock.now(runtime.arn)): ExecutionRecord {
    const record = this.existing(runtime.arn);
    const ended: ExecutionRecord = { ...record, status, endTimestamp: at, result: outcome.result, error: outcome.error };
    const stored = this.store.getOperation(runtime.arn, record.executionOperationId)!;
    const type = ({ SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', STOPPED: 'ExecutionStopped' } as const)[status];
    this.store.transaction(() => {
      this.store.updateExecution(ended);
      this.store.putOperation(runtime.arn, { ...stored, operation: { ...stored.operation, Status: status, EndTimestamp: at } });
      this.record(runtime, [historyEvent(type, stored.operation, at,
        status === 'SUCCEEDED' ? { Result: eventPayload(outcome.result) } : { Error: eventError(outcome.error) })]);
    });
    this.clock.release(runtime.arn);
    this.runtimes.delete(runtime.arn);
    if (ended.invokedBy) this.completeInvoke(ended);
    for (const observer of this.observers) observer.executionEnded?.(ended);
    return ended;
  }

  // ---- Invocations ----------------------------------------------------------------------------------------------

  /** Starts an invocation of the execution's pinned version, with the state the service would send. */
  private invoke(runtime: Runtime): void {
    const record = this.existing(runtime.arn);
    const { handler, invocationTimeoutMs } = this.version(record.functionName, record.version);
    const invocation: Invocation = {
      requestId: randomUUID(),
      token: this.newToken(),
      checkpoints: 0,
      startedAt: this.clock.now(runtime.arn),
      snapshot: visibleOperations(this.store.listOperations(runtime.arn))
        .map((operation) => wireOperation(operation, (due) => this.clock.handlerTime(runtime.arn, due))),
    };
    const updated = [...runtime.unseen];
    runtime.unseen.clear();
    runtime.armedAt.clear();
    runtime.invocation = invocation;
    this.store.updateExecution({ ...record, invocations: record.invocations + 1 });

    const client: DurableExecutionClient = {
      checkpoint: async (request) => this.checkpoint(runtime, invocation, request),
      getExecutionState: async (request) => this.executionState(runtime, invocation, request),
    };
    const first = statePage(invocation.snapshot, undefined);
    // Started from a fresh task, never inside the checkpoint or call that asked for it.
    void Promise.resolve().then(() => invokeHandler({
      handler,
      executionArn: runtime.arn,
      checkpointToken: invocation.token,
      operations: first.items,
      nextMarker: first.nextMarker,
      updatedOperationIds: updated,
      requestId: invocation.requestId,
      client,
      functionName: record.functionName,
      functionVersion: record.version,
      functionArn: record.functionArn,
      deadline: Date.now() + invocationTimeoutMs,
    })).then((outcome) => this.invocationEnded(runtime, invocation, outcome));
  }

  private invocationEnded(runtime: Runtime, invocation: Invocation, outcome: InvocationOutcome): void {
    runtime.invocation = undefined;
    runtime.armedAt.clear();
    const failure = outcome.kind === 'threw' ? outcome.error : undefined;
    this.record(runtime, [historyEvent('InvocationCompleted', undefined, this.clock.now(runtime.arn), {
      StartTimestamp: invocation.startedAt,
      EndTimestamp: this.clock.now(runtime.arn),
      RequestId: invocation.requestId,
      ...(failure !== undefined ? { Error: eventError(errorObjectOf(failure)) } : {}),
    })]);
    const record = this.existing(runtime.arn);
    // Stopped, timed out, or completed by a checkpoint (a result too large to return): the answer changes nothing.
    if (record.status !== 'RUNNING') return;
    if (outcome.kind !== 'returned') {
      for (const observer of this.observers) observer.invocationFailed?.(record, outcome);
      return;
    }
    const output = outcome.output;
    if (output.Status === 'SUCCEEDED') {
      this.finish(runtime, 'SUCCEEDED', { result: output.Result });
    } else if (output.Status === 'FAILED') {
      this.finish(runtime, 'FAILED', { error: output.Error });
    } else {
      this.settle(runtime);
    }
  }

  // ---- The SDK's calls ----------------------------------------------------------------------------------------

  /** `CheckpointDurableExecution`. */
  private checkpoint(runtime: Runtime, invocation: Invocation, request: CheckpointDurableExecutionRequest): CheckpointDurableExecutionResponse {
    this.checkCaller(runtime, invocation, request.CheckpointToken);
    invocation.checkpoints++;
    const arn = runtime.arn;
    const updates = request.Updates ?? [];
    const touched = new Set<string>();
    const afterwards: Array<() => void> = [];
    try {
      this.store.transaction(() => {
        validateUpdates(updates, (id) => this.store.getOperation(arn, id)?.operation);
        for (const update of updates) {
          if (update.Type === 'EXECUTION') {
            afterwards.push(() => this.completeByCheckpoint(runtime, update));
            continue;
          }
          const applied = applyUpdate(update, this.store.getOperation(arn, update.Id!), {
            now: this.clock.now(arn),
            newCallbackId: newCallbackId,
          });
          let stored = applied.stored;
          if (update.Type === 'CHAINED_INVOKE' && update.Action === 'START') {
            const child = this.planInvoke(stored.invoke!.functionName);
            if (child) {
              stored = { ...stored, invoke: { ...stored.invoke!, executionArn: child.arn } };
              Object.assign(applied.events[0].ChainedInvokeStartedDetails!, { DurableExecutionArn: child.arn });
            }
            afterwards.push(() => this.startInvoke(runtime, stored, update.Payload, child));
          }
          this.putOperation(runtime, stored);
          this.record(runtime, applied.events);
          touched.add(update.Id!);
          if (isTimerStart(update)) runtime.armedAt.set(update.Id!, invocation.checkpoints);
          const effect = this.sideEffect(runtime, update, stored);
          if (effect) afterwards.push(effect);
        }
      });
    } catch (error) {
      throw toClientError(error);
    }
    for (const effect of afterwards) effect();
    this.settle(runtime);

    for (const id of runtime.unseen) touched.add(id);
    runtime.unseen.clear();
    invocation.token = this.newToken();
    const operations: Operation[] = [];
    for (const id of touched) {
      const stored = this.store.getOperation(arn, id);
      if (stored) operations.push(wireOperation(stored.operation, (due) => this.clock.handlerTime(arn, due)));
    }
    return { CheckpointToken: invocation.token, NewExecutionState: { Operations: operations } };
  }

  /** `GetDurableExecutionState`: further pages of the operations the invocation started with. */
  private executionState(runtime: Runtime, invocation: Invocation, request: GetDurableExecutionStateRequest): GetDurableExecutionStateResponse {
    this.checkCaller(runtime, invocation, request.CheckpointToken);
    const page = statePage(invocation.snapshot, request.Marker, request.MaxItems);
    return { Operations: page.items, NextMarker: page.nextMarker };
  }

  private checkCaller(runtime: Runtime, invocation: Invocation, token: string | undefined): void {
    const record = this.existing(runtime.arn);
    if (record.status !== 'RUNNING') {
      throw new DurableExecutionClientError(`Execution ${record.arn} has ended (${record.status})`, { scope: 'EXECUTION' });
    }
    if (runtime.invocation !== invocation || token !== invocation.token) {
      throw new DurableExecutionClientError('Invalid Checkpoint Token', { scope: 'INVOCATION' });
    }
  }

  /** Tells observers, once the checkpoint is stored, when a callback starts waiting for its answer. */
  private sideEffect(runtime: Runtime, update: OperationUpdate, stored: StoredOperation): (() => void) | undefined {
    const operation = stored.operation;
    if (update.Type === 'CALLBACK' && update.Action === 'START') {
      this.store.putCallback(operation.CallbackDetails!.CallbackId!, { arn: runtime.arn, operationId: operation.Id! });
      const parent = operation.ParentId !== undefined ? this.store.getOperation(runtime.arn, operation.ParentId) : undefined;
      // A waitForCallback's callback waits for its answer once its submitter has succeeded.
      if (parent?.operation.SubType !== 'WaitForCallback') return () => this.callbackReady(runtime, stored, operation.Name);
    }
    if (update.Type === 'STEP' && update.Action === 'SUCCEED' && operation.ParentId !== undefined) {
      const parent = this.store.getOperation(runtime.arn, operation.ParentId)!.operation;
      if (parent.SubType === 'WaitForCallback') {
        const callback = [...runtime.open.values()].find((open) => open.operation.Type === 'CALLBACK' && open.operation.ParentId === parent.Id);
        if (callback) return () => this.callbackReady(runtime, callback, parent.Name);
      }
    }
    return undefined;
  }

  private callbackReady(runtime: Runtime, stored: StoredOperation, name: string | undefined): void {
    const current = this.store.getOperation(runtime.arn, stored.operation.Id!)!;
    if (current.operation.Status !== 'STARTED') return;
    const record = this.existing(runtime.arn);
    const callback: ReadyCallback = {
      callbackId: current.operation.CallbackDetails!.CallbackId!,
      operationId: current.operation.Id!,
      name,
      timeoutSeconds: current.callback?.timeoutSeconds,
      heartbeatTimeoutSeconds: current.callback?.heartbeatTimeoutSeconds,
    };
    for (const observer of this.observers) observer.callbackReady?.(record, callback);
  }

  /** An EXECUTION update: the SDK checkpoints a result too large to return, and the execution ends with it. */
  private completeByCheckpoint(runtime: Runtime, update: OperationUpdate): void {
    if (update.Action === 'SUCCEED') this.finish(runtime, 'SUCCEEDED', { result: update.Payload });
    else this.finish(runtime, 'FAILED', { error: update.Error });
  }

  // ---- Chained invokes ------------------------------------------------------------------------------------------

  /** The execution a chained invoke of `target` will start, decided before its START is recorded. */
  private planInvoke(target: string): { functionName: string; id: string; arn: string } | undefined {
    const functionName = this.functions.has(target) ? target : functionNameOf(target);
    const registered = this.functions.get(functionName);
    if (!registered) return undefined;
    const id = randomUUID();
    return { functionName, id, arn: executionArn(functionArn(this.region, functionName, String(registered.versions.length)), id, id) };
  }

  private startInvoke(runtime: Runtime, stored: StoredOperation, payload: string | undefined,
    child: { functionName: string; id: string } | undefined): void {
    if (!child) {
      const error = { ErrorType: 'ResourceNotFoundException', ErrorMessage: `Function not found: ${stored.invoke!.functionName}` };
      this.endOperation(runtime, stored, 'FAILED', { ChainedInvokeDetails: { Error: error } },
        ['ChainedInvokeFailed', { Error: eventError(error) }]);
      return;
    }
    this.startExecution({ functionName: child.functionName, payload }, { arn: runtime.arn, operationId: stored.operation.Id! },
      this.clock.now(runtime.arn), child.id);
  }

  /**
   * A chained execution ended: its caller's CHAINED_INVOKE ends the same way, at the moment it ended. The caller's
   * clock reaches that moment like any other timer's, so the caller's time never runs behind the invoke's.
   */
  private completeInvoke(child: ExecutionRecord): void {
    const { arn, operationId } = child.invokedBy!;
    const runtime = this.runtimes.get(arn);
    const stored = this.store.getOperation(arn, operationId);
    if (!runtime || stored?.operation.Status !== 'STARTED') return; // the caller ended first
    const outcome = { status: child.status as 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED', at: child.endTimestamp!, result: child.result, error: child.error };
    this.putOperation(runtime, { ...stored, invoke: { ...stored.invoke!, outcome } });
    this.settle(runtime);
  }

  // ---- Callbacks from outside -----------------------------------------------------------------------------------

  private completeCallback(callbackId: string, status: 'SUCCEEDED' | 'FAILED',
    change: (operation: Operation) => { operation: Operation; event: [Parameters<typeof historyEvent>[0], object] }): void {
    const { runtime, stored } = this.openCallback(callbackId);
    const changed = change(stored.operation);
    this.endOperation(runtime, { ...stored, operation: changed.operation }, status, {}, changed.event);
    this.settle(runtime);
  }

  private openCallback(callbackId: string): { runtime: Runtime; stored: StoredOperation } {
    const where = this.store.getCallback(callbackId);
    if (!where) throw new ServiceError('ResourceNotFoundException', `Callback ${callbackId} not found`);
    const stored = this.store.getOperation(where.arn, where.operationId)!;
    const runtime = this.runtimes.get(where.arn);
    if (!runtime || stored.operation.Status !== 'STARTED') {
      throw new ServiceError('CallbackTimeoutException', `Callback ${callbackId} has already ended (${runtime ? stored.operation.Status : 'its execution ended'})`);
    }
    return { runtime, stored };
  }

  // ---- Time -----------------------------------------------------------------------------------------------------

  /**
   * Brings the execution up to date after anything changed: fires the timers that are due, invokes the handler when
   * it has something to react to, and lets the clock move the execution to its next timer when it is idle.
   */
  private settle(runtime: Runtime): void {
    if (runtime.settling) {
      runtime.settleAgain = true;
      return;
    }
    runtime.settling = true;
    try {
      do {
        runtime.settleAgain = false;
        this.settleOnce(runtime);
      } while (runtime.settleAgain);
    } finally {
      runtime.settling = false;
    }
  }

  private settleOnce(runtime: Runtime): void {
    for (;;) {
      if (!this.runtimes.has(runtime.arn)) return; // ended
      let pending = timersOf(this.existing(runtime.arn), runtime.open.values());
      if (this.fireDueTimers(runtime, pending)) {
        if (!this.runtimes.has(runtime.arn)) return;
        pending = timersOf(this.existing(runtime.arn), runtime.open.values());
      }
      if (!runtime.invocation && this.needsInvocation(runtime)) {
        this.invoke(runtime);
        return;
      }
      // Time moves to the earliest timer only: one the handler has not yet seen pending waits for its next poll.
      const next = earliest(pending);
      const ready = next && this.isEligible(runtime, next) ? next : undefined;
      this.clock.schedule(runtime.arn, ready?.due, () => this.settle(runtime));
      if (ready && this.isIdle(runtime) && this.clock.skipTo(runtime.arn, ready.due)) continue;
      if (!runtime.invocation && pending.length === 0 && runtime.holds === 0) {
        const open = [...runtime.open.values()].map((stored) => stored.operation);
        // A chained invoke moves on when its execution ends; that execution reports for itself if it cannot.
        if (open.some((operation) => operation.Type === 'CHAINED_INVOKE')) return;
        const record = this.existing(runtime.arn);
        const waitingOn = open.filter((operation) => operation.Type === 'CALLBACK');
        for (const observer of this.observers) observer.executionWaiting?.(record, waitingOn);
      }
      return;
    }
  }

  /** Fires the timers that are due; returns whether any did. */
  private fireDueTimers(runtime: Runtime, timers: readonly Timer[]): boolean {
    if (timers.length === 0) return false;
    const now = this.clock.now(runtime.arn).getTime();
    const due = timers.filter((timer) => timer.due.getTime() <= now && this.isEligible(runtime, timer))
      .sort((a, b) => a.due.getTime() - b.due.getTime());
    for (const timer of due) {
      // Stamped when it fell due, so a skipped wait lasts exactly as long as it said.
      const at = new Date(Math.max(timer.due.getTime(), runtime.lastEventAt.getTime()));
      if (timer.kind === 'execution-timeout') {
        this.finish(runtime, 'TIMED_OUT', { error: { ErrorType: 'ExecutionTimedOut', ErrorMessage: 'Execution timed out' } }, at);
        return true;
      }
      const stored = runtime.open.get(timer.operationId!);
      if (!stored || TERMINAL.has(stored.operation.Status ?? '') || (timer.kind === 'retry' && stored.operation.Status !== 'PENDING')) continue;
      const fired = fireTimer(timer, stored, at);
      this.store.transaction(() => {
        this.putOperation(runtime, fired.stored);
        this.record(runtime, fired.events);
      });
      runtime.unseen.add(timer.operationId!);
    }
    return due.length > 0;
  }

  private isEligible(runtime: Runtime, timer: Timer): boolean {
    const armed = timer.operationId !== undefined ? runtime.armedAt.get(timer.operationId) : undefined;
    return armed === undefined || !runtime.invocation || runtime.invocation.checkpoints > armed;
  }

  /** Between invocations: when nothing outside is under way. During one: when its checkpoints show it idle too. */
  private isIdle(runtime: Runtime): boolean {
    if (runtime.holds > 0) return false;
    return !runtime.invocation || isQuiet([...runtime.open.values()].map((stored) => stored.operation), (contextId) =>
      this.store.listOperations(runtime.arn).some(({ operation }) =>
        operation.ParentId === contextId && operation.Type === 'STEP' && TERMINAL.has(operation.Status ?? '')));
  }

  /** Something changed that the handler has not seen, or a step's retry is due to run. */
  private needsInvocation(runtime: Runtime): boolean {
    if (runtime.unseen.size > 0) return true;
    for (const stored of runtime.open.values()) {
      if (stored.operation.Type === 'STEP' && stored.operation.Status === 'READY') return true;
    }
    return false;
  }

  // ---- Storage --------------------------------------------------------------------------------------------------

  private putOperation(runtime: Runtime, stored: StoredOperation): void {
    this.store.putOperation(runtime.arn, stored);
    const id = stored.operation.Id!;
    if (TERMINAL.has(stored.operation.Status ?? '')) runtime.open.delete(id);
    else if (stored.operation.Type !== 'EXECUTION') runtime.open.set(id, stored);
  }

  /** Ends an operation the engine completes itself (a callback answered, an invoke done) and records the event. */
  private endOperation(runtime: Runtime, stored: StoredOperation, status: Operation['Status'], details: Partial<Operation>,
    event: [Parameters<typeof historyEvent>[0], object]): void {
    const at = this.clock.now(runtime.arn);
    this.store.transaction(() => {
      this.putOperation(runtime, { ...stored, operation: { ...stored.operation, ...details, Status: status, EndTimestamp: at } });
      this.record(runtime, [historyEvent(event[0], stored.operation, at, event[1])]);
    });
    runtime.unseen.add(stored.operation.Id!);
  }

  private record(runtime: Runtime, events: readonly Event[]): void {
    if (events.length === 0) return;
    this.store.appendEvents(runtime.arn, events);
    const last = events[events.length - 1].EventTimestamp!;
    if (last > runtime.lastEventAt) runtime.lastEventAt = last;
    for (const observer of this.observers) observer.historyRecorded?.(runtime.arn, events);
  }

  /** A checkpoint token: it only has to differ from every earlier one, for a caller in this process. */
  private newToken(): string {
    return `token-${++this.tokens}`;
  }

  private version(functionName: string, version: string): RegisteredVersion {
    const registered = this.functions.get(functionName)?.versions[Number(version) - 1];
    if (!registered || !/^[1-9]\d*$/.test(version)) {
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn(this.region, functionName, version)}`);
    }
    return registered;
  }

  private existing(arn: string): ExecutionRecord {
    const record = this.store.getExecution(arn);
    if (!record) throw new ServiceError('ResourceNotFoundException', `Execution ${arn} not found`);
    return record;
  }

  private runtime(arn: string): Runtime {
    const record = this.existing(arn);
    const runtime = this.runtimes.get(arn);
    if (!runtime) throw new ServiceError('InvalidParameterValueException', `Execution ${arn} has already ended (${record.status})`);
    return runtime;
  }
}

function newRuntime(arn: string, lastEventAt: Date): Runtime {
  return { arn, open: new Map(), unseen: new Set(), armedAt: new Map(), holds: 0, lastEventAt, settling: false, settleAgain: false };
}

/** Updates that start something the service times: a wait, a retry delay, a callback's deadlines. */
function isTimerStart(update: OperationUpdate): boolean {
  return (update.Type === 'WAIT' && update.Action === 'START')
    || (update.Type === 'STEP' && update.Action === 'RETRY')
    || (update.Type === 'CALLBACK' && update.Action === 'START');
}

/** A refused checkpoint reaches the SDK as a DurableExecutionClientError: the execution cannot go on. */
function toClientError(error: unknown): unknown {
  if (error instanceof ServiceError) {
    return new DurableExecutionClientError(`${error.name}: ${error.message}`, { scope: 'EXECUTION', cause: error });
  }
  return error;
}

function errorObjectOf(error: unknown): ErrorObject {
  return error instanceof Error
    ? { ErrorType: error.name, ErrorMessage: error.message, StackTrace: error.stack?.split('\n') }
    : { ErrorMessage: String(error) };
}

/** Of the form the API documents for CallbackId (base64, up to 1,024 characters), so the client's check accepts it. */
function newCallbackId(): string {
  return randomBytes(48).toString('base64');
}
