// The context handed to workflow handlers: every DurableContext operation plus SST's helpers. It wraps the SDK's
// context in a Proxy, so operations this file does not mention pass through untouched, and wraps the child
// contexts the SDK hands to runInChildContext, map and parallel callbacks so the helpers work there too.
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurablePromise, NestingType, retryPresets } from '@aws/durable-execution-sdk-js';
import type {
  BatchResult,
  ChildConfig,
  DurableContext,
  DurableContextLogger,
  DurableLogger,
  Duration,
  MapConfig,
  RetryDecision,
  StepConfig,
  StepFunc,
} from '@aws/durable-execution-sdk-js';
import { toDuration, secondsUntil } from './duration';
import type { WaitDuration } from './duration';
import { CallbackPayloadError, CHECKPOINT_LIMIT_BYTES, CheckpointSizeError, InvalidArgumentError } from './errors';
import { carryCompensations, CompensationRegistry, restoreCompensations, rollbackAll } from './rollback';
import type { EarlyRollbackHandler, RollbackHandler, StepWithRollbackConfig } from './rollback';

/** A child context body that receives the extended context. */
export type WorkflowChildFunc<TOutput, TLogger extends DurableLogger = DurableLogger> =
  (context: WorkflowContext<TLogger>) => Promise<TOutput>;
/** A map callback that receives the extended context. */
export type WorkflowMapFunc<TInput, TOutput, TLogger extends DurableLogger = DurableLogger> =
  (context: WorkflowContext<TLogger>, item: TInput, index: number, array: TInput[]) => Promise<TOutput>;
/** A parallel branch that receives the extended context. */
export type WorkflowParallelFunc<TOutput, TLogger extends DurableLogger = DurableLogger> =
  (context: WorkflowContext<TLogger>) => Promise<TOutput>;
/** A named parallel branch that receives the extended context. */
export interface WorkflowNamedParallelBranch<TOutput, TLogger extends DurableLogger = DurableLogger> {
  name?: string;
  func: WorkflowParallelFunc<TOutput, TLogger>;
}
/** The SDK's ParallelConfig (not exported by the SDK itself). */
export type ParallelConfig<TOutput> = Omit<MapConfig<unknown, TOutput>, 'itemNamer'>;
type BranchOutput<Branches extends readonly unknown[], TLogger extends DurableLogger> =
  Branches[number] extends WorkflowParallelFunc<infer R, TLogger> ? R
    : Branches[number] extends WorkflowNamedParallelBranch<infer R, TLogger> ? R : never;

/** The function that hands a callback ID to the system that will complete it. */
export type CallbackSubmitter<TLogger extends DurableLogger = DurableLogger> =
  (callbackId: string, context: { logger: DurableContextLogger<TLogger> }) => Promise<void>;

/** Options of `ctx.waitForCallbackJson`: the SDK's waitForCallback options without serdes. */
export interface WaitForCallbackJsonConfig {
  /** How long the callback may stay open. */
  readonly timeout?: Duration;
  /** How long the callback may go without a heartbeat. */
  readonly heartbeatTimeout?: Duration;
  /** Retries of the submitter function. */
  readonly retryStrategy?: (error: Error, attemptCount: number) => RetryDecision;
}

/**
 * The context of a workflow handler: every DurableContext operation, plus `stepWithRollback`, `rollbackAll`,
 * `waitUntil`, `waitForCallbackJson`, and a `wait` that also takes human durations. Child contexts created through
 * `runInChildContext`, `map` and `parallel` are WorkflowContexts too, sharing one compensation registry.
 */
export interface WorkflowContext<TLogger extends DurableLogger = DurableLogger> extends DurableContext<TLogger> {
  /** Waits for a duration: the SDK's `{ minutes: 1 }` or a string such as `"30 seconds"`, `"2 hours"`, `"7 days"`. */
  wait(name: string, duration: WaitDuration): DurablePromise<void>;
  wait(duration: WaitDuration): DurablePromise<void>;

  /**
   * Waits until `until`: always exactly one wait operation, of 1 s (for a past date) to 366 days, rounded up to
   * whole seconds.
   */
  waitUntil(name: string, until: Date): DurablePromise<void>;

  /**
   * A durable step with a compensation. The undo is registered when `run` succeeds (or before it starts, with
   * `registerUndo: 'before-run'`) and runs only through `rollbackAll`.
   */
  stepWithRollback<TOutput>(
    name: string,
    handler: RollbackHandler<TOutput, TLogger>,
    config?: StepWithRollbackConfig<TOutput> & { readonly registerUndo?: 'after-run' },
  ): DurablePromise<TOutput>;
  stepWithRollback<TOutput>(
    name: string,
    handler: EarlyRollbackHandler<TOutput, TLogger>,
    config: StepWithRollbackConfig<TOutput> & { readonly registerUndo: 'before-run' },
  ): DurablePromise<TOutput>;

  /**
   * Runs every registered compensation of the execution, newest first, each as its own durable step. Attempts all
   * of them, then throws a RollbackError listing each failure.
   */
  rollbackAll(error: unknown): Promise<void>;

  /**
   * waitForCallback whose result is parsed as JSON (`workflow.succeed(id, value)` sends JSON). An empty result
   * gives `undefined`; a result that is not JSON fails with CallbackPayloadError. Plain `waitForCallback` still
   * returns the raw string.
   */
  waitForCallbackJson<T = unknown>(
    name: string | undefined, submitter: CallbackSubmitter<TLogger>, config?: WaitForCallbackJsonConfig): DurablePromise<T>;
  waitForCallbackJson<T = unknown>(submitter: CallbackSubmitter<TLogger>, config?: WaitForCallbackJsonConfig): DurablePromise<T>;

  runInChildContext<TOutput>(
    name: string | undefined, fn: WorkflowChildFunc<TOutput, TLogger>, config?: ChildConfig<TOutput>): DurablePromise<TOutput>;
  runInChildContext<TOutput>(fn: WorkflowChildFunc<TOutput, TLogger>, config?: ChildConfig<TOutput>): DurablePromise<TOutput>;

  map<TInput, TOutput>(
    name: string | undefined,
    items: TInput[],
    mapFunc: WorkflowMapFunc<TInput, TOutput, TLogger>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  map<TInput, TOutput>(
    items: TInput[], mapFunc: WorkflowMapFunc<TInput, TOutput, TLogger>, config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  parallel<TOutput>(
    name: string | undefined,
    branches: (WorkflowParallelFunc<TOutput, TLogger> | WorkflowNamedParallelBranch<TOutput, TLogger>)[],
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  parallel<TOutput>(
    branches: (WorkflowParallelFunc<TOutput, TLogger> | WorkflowNamedParallelBranch<TOutput, TLogger>)[],
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  parallel<Branches extends readonly unknown[]>(
    name: string | undefined, branches: Branches, config?: ParallelConfig<BranchOutput<Branches, TLogger>>,
  ): DurablePromise<BatchResult<BranchOutput<Branches, TLogger>>>;
  parallel<Branches extends readonly unknown[]>(
    branches: Branches, config?: ParallelConfig<BranchOutput<Branches, TLogger>>,
  ): DurablePromise<BatchResult<BranchOutput<Branches, TLogger>>>;
}

/** What every context of one execution shares. */
export interface ExecutionScope {
  readonly registry: CompensationRegistry;
  /** `pluginsConfig.childOperationsDepth` in effect: how deep completed child contexts re-run on replay. */
  readonly replayDepth: number;
}

/**
 * Wraps an SDK context (the handler's, or a child's) into a WorkflowContext. `path` is where the context sits in the
 * execution's context tree (it orders compensations the same way on every replay, across parallel branches too),
 * `level` its checkpointed nesting (0 for the handler's), and `customSerdes` whether `configureSerdes` set a default
 * serdes, which then owns the size of step results.
 */
export function extendContext<TLogger extends DurableLogger>(
  ctx: DurableContext<TLogger>, execution: ExecutionScope, path = '', level = 0, customSerdes = false,
): WorkflowContext<TLogger> {
  const { registry, replayDepth } = execution;
  /** This context's stepWithRollback promises, for rollbackAll to let them settle first. */
  const forwards: PromiseLike<unknown>[] = [];
  let next = 0;
  /** The position of the next stepWithRollback / runInChildContext / map / parallel call of this context. */
  const position = () => `${path}${path && '.'}${next++}`;
  /** The body of a child context (a runInChildContext, a map item, a parallel branch) `levels` checkpointed levels down. */
  const childBody = <T>(at: string, levels: number, nested: boolean, fn: (c: WorkflowContext<TLogger>) => Promise<T>) => {
    const serdes = customSerdes;
    const body = (c: DurableContext<TLogger>) => fn(extendContext(c, execution, at, level + levels, serdes));
    // The SDK never re-runs a failed NESTED child context on replay, so compensations registered in it would vanish
    // from later invocations: such a child carries them in its checkpointed error (see carryCompensations), and the
    // parent restores them from there. Virtual children (FLAT nesting, virtualContext) re-run on replay and need
    // nothing, nor do children too deep to hold compensations. No operation is added, with or without compensations.
    return nested && level + levels <= replayDepth
      ? async (c: DurableContext<TLogger>) => {
        try {
          return await body(c);
        } catch (error) {
          throw carryCompensations(error, registry.activeWithin(at));
        }
      }
      : body;
  };
  const restored = <T>(running: DurablePromise<BatchResult<T>>) => new DurablePromise(async () => {
    const batch = await running;
    for (const item of batch.all) restoreCompensations(item.error, registry);
    return batch;
  });

  const step = (...args: unknown[]): DurablePromise<unknown> => {
    const [name, fn, config] = nameFirst<[StepFunc<unknown, TLogger>, StepConfig<unknown> | undefined]>(args);
    if (customSerdes || config?.serdes) return ctx.step(name, fn, config);
    return ctx.step(name, async (stepContext) => checkCheckpointSize(await fn(stepContext), name), {
      ...config,
      retryStrategy: (error, attempt) => error instanceof CheckpointSizeError
        ? { shouldRetry: false }
        : (config?.retryStrategy ?? retryPresets.default)(error, attempt),
    });
  };

  const overrides: Record<string, unknown> = {
    step,

    wait: (...args: unknown[]) => {
      // One argument is always the duration: `wait("30 seconds")` must not read the string as a name.
      const [name, duration] = args.length === 1 ? [undefined, args[0] as WaitDuration] : nameFirst<[WaitDuration]>(args);
      const parsed = toDuration(duration, name);
      return name === undefined ? ctx.wait(parsed) : ctx.wait(name, parsed);
    },

    // Date.now() differs on every replay, but the SDK reads the duration only when it creates the wait; a replay
    // finds the checkpointed wait and keeps its scheduled end. Clamping keeps it to exactly one valid wait
    // operation on every replay, so computing the delay here needs no extra step.
    waitUntil: (name: string, until: Date) => ctx.wait(name, { seconds: secondsUntil(until, Date.now(), name) }),

    stepWithRollback: (name: string, handler: RollbackHandler<unknown>, config?: StepWithRollbackConfig<unknown>) => {
      checkRollbackConfig(name, handler, config, level, replayDepth);
      const activate = registry.register(position(), name, handler, config);
      const forward = step(name, handler.run, config); // the SDK reads only a StepConfig's own fields
      const registered = new DurablePromise(async () => {
        const result = await forward;
        activate(result);
        return result;
      });
      forwards.push(registered);
      return registered;
    },

    rollbackAll: (error: unknown) => rollbackAll(ctx as DurableContext<DurableLogger>, registry, error, forwards),

    waitForCallbackJson: (...args: unknown[]) => {
      const [name, submitter, config] = nameFirst<[CallbackSubmitter<TLogger>, WaitForCallbackJsonConfig | undefined]>(args);
      // An explicit pass-through deserializer: a configureSerdes default must not parse the payload first.
      const raw = ctx.waitForCallback<string | undefined>(name, submitter, { ...config, serdes: { deserialize: async (data) => data } });
      return new DurablePromise(async () => parseCallbackJson(await raw, name));
    },

    configureSerdes: (config: Parameters<DurableContext['configureSerdes']>[0]) => {
      if (config.defaultSerdes) customSerdes = true;
      ctx.configureSerdes(config);
    },

    runInChildContext: (...args: unknown[]) => {
      const [name, fn, config] = nameFirst<[WorkflowChildFunc<unknown, TLogger>, ChildConfig<unknown> | undefined]>(args);
      const nested = !config?.virtualContext;
      const body = childBody(position(), nested ? 1 : 0, nested, fn);
      const mapError = config?.errorMapper;
      const running = ctx.runInChildContext(name, body,
        mapError ? { ...config, errorMapper: (error) => mapError(restoreCompensations(error, registry)) } : config);
      return new DurablePromise(async () => {
        try {
          return await running;
        } catch (error) {
          throw restoreCompensations(error, registry);
        }
      });
    },

    map: (...args: unknown[]) => {
      const [name, items, mapFunc, config] =
        nameFirst<[unknown[], WorkflowMapFunc<unknown, unknown, TLogger>, MapConfig<unknown, unknown> | undefined]>(args);
      const at = position();
      // The map is one checkpointed context and each item another, unless FLAT nesting makes items virtual.
      const nested = config?.nesting !== NestingType.FLAT;
      return restored(ctx.map(name, items, (c, item, index, array) =>
        childBody(`${at}.${index}`, nested ? 2 : 1, nested, (wc) => mapFunc(wc, item, index, array))(c), config));
    },

    parallel: (...args: unknown[]) => {
      const [name, branches, config] = nameFirst<[unknown[], ParallelConfig<unknown> | undefined]>(args);
      if (!Array.isArray(branches)) return ctx.parallel(name, branches, config);
      const at = position();
      const nested = config?.nesting !== NestingType.FLAT;
      const wrap = (fn: WorkflowParallelFunc<unknown, TLogger>, index: number) => childBody(`${at}.${index}`, nested ? 2 : 1, nested, fn);
      return restored(ctx.parallel(name, branches.map((branch, index) => {
        if (typeof branch === 'function') return wrap(branch as WorkflowParallelFunc<unknown, TLogger>, index);
        const named = branch as WorkflowNamedParallelBranch<unknown, TLogger>;
        return { ...named, func: wrap(named.func, index) };
      }), config));
    },
  };

  return new Proxy(ctx, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as string];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as WorkflowContext<TLogger>;
}

/** Splits the SDK's optional leading name off an argument list, as its own overloads do. */
function nameFirst<Rest extends unknown[]>(args: unknown[]): [string | undefined, ...Rest] {
  return (typeof args[0] === 'string' || args[0] === undefined ? args : [undefined, ...args]) as [string | undefined, ...Rest];
}

/** Fails a step whose result the checkpoint cannot hold, before the SDK tries to checkpoint it. */
function checkCheckpointSize<T>(result: T, stepName: string | undefined): T {
  let size = 0;
  try {
    size = Buffer.byteLength(JSON.stringify(result) ?? '', 'utf8');
  } catch {
    // Not JSON at all: the SDK's own serialization reports that.
  }
  if (size > CHECKPOINT_LIMIT_BYTES) throw new CheckpointSizeError(stepName, size);
  return result;
}

function checkRollbackConfig(
  name: unknown, handler: Partial<RollbackHandler<unknown>> | undefined, config: StepWithRollbackConfig<unknown> | undefined,
  level: number, replayDepth: number,
): void {
  const when = config?.registerUndo ?? 'after-run';
  if (typeof name !== 'string' || !name || typeof handler?.run !== 'function' || typeof handler.undo !== 'function'
    || (when !== 'after-run' && when !== 'before-run')) {
    throw new InvalidArgumentError(`stepWithRollback(${JSON.stringify(name)}) needs a name, { run, undo } functions and `
      + 'registerUndo \'after-run\' or \'before-run\'');
  }
  if (level > replayDepth) {
    throw new InvalidArgumentError(`stepWithRollback("${name}") is at child-context depth ${level}, past `
      + `pluginsConfig.childOperationsDepth ${replayDepth}: its undo would be lost on replay`);
  }
}

function parseCallbackJson(raw: string | undefined, name: string | undefined): unknown {
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CallbackPayloadError(name, raw, error);
  }
}
