// Saga compensations: ctx.stepWithRollback registers an undo, ctx.rollbackAll runs them newest first.
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurableOperationError, retryPresets } from '@aws/durable-execution-sdk-js';
import type { DurableContext, DurableLogger, StepConfig, StepFunc } from '@aws/durable-execution-sdk-js';
import { CompensationUnavailableError, RollbackError } from './errors';
import type { RollbackFailure } from './errors';

/** What a step function receives: a logger and the attempt number. */
export type StepContext<TLogger extends DurableLogger = DurableLogger> = Parameters<StepFunc<unknown, TLogger>>[0];

/** The forward step and its compensation. */
export interface RollbackHandler<TOutput, TLogger extends DurableLogger = DurableLogger> {
  /** The durable step. */
  readonly run: StepFunc<TOutput, TLogger>;
  /** Undoes `run`; gets the error given to `rollbackAll` and what `run` returned. Runs as its own durable step. */
  readonly undo: (error: unknown, result: TOutput, context: StepContext<TLogger>) => Promise<void>;
}

/** As RollbackHandler, for `registerUndo: 'before-run'`: `result` is undefined when `run` failed or never finished. */
export interface EarlyRollbackHandler<TOutput, TLogger extends DurableLogger = DurableLogger> {
  readonly run: StepFunc<TOutput, TLogger>;
  readonly undo: (error: unknown, result: TOutput | undefined, context: StepContext<TLogger>) => Promise<void>;
}

/** Retry and semantics of an undo step. */
export type UndoConfig = Pick<StepConfig<void>, 'retryStrategy' | 'semantics'>;

/** Configuration of `ctx.stepWithRollback`: the forward step's StepConfig plus the undo's own settings. */
export interface StepWithRollbackConfig<TOutput> extends StepConfig<TOutput> {
  /**
   * Retry strategy and semantics of the undo step. Not inherited from the forward step: a compensation usually wants
   * more retries than the action it undoes.
   * @default the SDK's default step retry (6 attempts, exponential backoff)
   */
  readonly undoConfig?: UndoConfig;
  /**
   * When the undo is registered. `'after-run'` registers it once `run` succeeded. `'before-run'` registers it before
   * `run` starts, for steps whose side effects can be partial (the undo then also runs when `run` failed).
   * @default 'after-run'
   */
  readonly registerUndo?: 'after-run' | 'before-run';
}

/** The step that checkpoints a rollback's plan: with the undo steps, how a history shows a rollback. */
export const ROLLBACK_PLAN_STEP = 'Rollback plan';

/** The name of the step that runs the undo of the stepWithRollback named `name`. */
export function undoStepName(name: string): string {
  return `Undo '${name}'`;
}

/** Whether an operation named `name` is part of a rollback: its plan or one of its undo steps. */
export function isRollbackStep(name: string | undefined): boolean {
  return name === ROLLBACK_PLAN_STEP || (name !== undefined && /^Undo '[\s\S]*'$/.test(name));
}

/** A compensation as checkpointed (in the rollback plan, or in the error of a failed child context that held it). */
export interface CompensationRecord {
  /** Position of the stepWithRollback call in the context tree (`"2.0.1"`): the same on every replay. */
  readonly key: string;
  readonly name: string;
}

interface Compensation extends CompensationRecord {
  readonly undoConfig?: UndoConfig;
  /** Missing for a compensation known only from a checkpoint: its code was in a failed child context. */
  readonly undo?: (error: unknown, context: StepContext<DurableLogger>) => Promise<void>;
  /** Set once the undo must run if a rollback happens (after `run` succeeded, or at once for 'before-run'). */
  active?: boolean;
  /** Set once a rollback planned this undo, so a second rollbackAll does not run it again. */
  planned?: boolean;
}

/**
 * The compensations of one execution, by key, shared by the handler's context and every child context. Rebuilt on each
 * invocation by the replay itself: completed forward steps return their checkpointed results and register again.
 */
export class CompensationRegistry extends Map<string, Compensation> {
  /** Registers `handler`'s undo at `key`; `activate` arms it with the forward step's result. */
  register<TOutput>(
    key: string,
    name: string,
    handler: RollbackHandler<TOutput> | EarlyRollbackHandler<TOutput>,
    config: StepWithRollbackConfig<TOutput> | undefined,
  ): (result: TOutput) => void {
    let result: TOutput | undefined;
    const entry: Compensation = {
      key,
      name,
      undoConfig: config?.undoConfig,
      undo: (error, context) => (handler.undo as EarlyRollbackHandler<TOutput>['undo'])(error, result, context),
      active: config?.registerUndo === 'before-run',
    };
    this.set(key, entry);
    return (value) => {
      result = value;
      entry.active = true;
    };
  }

  /** Active compensations registered at or below `key` (inside one child context). */
  activeWithin(key: string): CompensationRecord[] {
    return [...this.values()]
      .filter((c) => c.active && (c.key === key || c.key.startsWith(`${key}.`)))
      .map(({ key: k, name }) => ({ key: k, name }));
  }

  /**
   * Re-adds compensations of a failed child context from its checkpointed error (see carryCompensations). Their code
   * is gone on replay; rollbackAll still plans them and fails clearly if one must run, instead of silently skipping it.
   */
  restore(records: readonly CompensationRecord[]): void {
    for (const { key, name } of records) if (!this.has(key)) this.set(key, { key, name, active: true });
  }
}

/** How the errorData of a checkpointed child-context error that carries compensations begins. */
const CARRIED = '{"compensations":';

/** A failed child context's error as checkpointed, with its compensations in `errorData`. */
class CarriedCompensations extends DurableOperationError {
  constructor(readonly errorType: string, message: string, errorData: string) {
    super(message, undefined, errorData);
  }
}

/**
 * What a NESTED child context that held compensations throws when it fails. The SDK never re-runs a failed NESTED child
 * on replay, so its compensations would vanish from later invocations: they travel in the checkpointed error's
 * `errorData`, the one field of it the SDK keeps as given, beside the error's own data. Type and message are the
 * original's (as the SDK checkpoints them), and no operation is added. A child without compensations fails unchanged.
 */
export function carryCompensations(error: unknown, held: readonly CompensationRecord[]): unknown {
  if (held.length === 0) return error;
  const e = error as Partial<Error> | null;
  const { ErrorType, ErrorMessage, ErrorData } = error instanceof DurableOperationError
    ? error.toErrorObject()
    : typeof e === 'object' && e !== null && 'message' in e && 'name' in e
      ? { ErrorType: e.name, ErrorMessage: e.message }
      : { ErrorType: undefined, ErrorMessage: 'Unknown error' };
  return new CarriedCompensations(ErrorType!, ErrorMessage!, JSON.stringify({ compensations: held, errorData: ErrorData }));
}

/**
 * Restores the compensations a failed child context's error carries (on the first run and on every replay alike) into
 * `registry`, and gives the error back its own `errorData`, so callers see what the SDK alone would have thrown.
 */
export function restoreCompensations<T>(error: T, registry: CompensationRegistry): T {
  // The SDK's error has the checkpointed one as its cause (or is it, through an errorMapper).
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e instanceof DurableOperationError && e.errorData?.startsWith(CARRIED)) {
      const carried = JSON.parse(e.errorData) as { compensations: CompensationRecord[]; errorData?: string };
      registry.restore(carried.compensations);
      e.errorData = carried.errorData;
    }
  }
  return error;
}

/**
 * Runs every active compensation not yet planned, newest position first, each as its own durable step, and throws one
 * RollbackError listing every undo that failed. Completed undo steps return their checkpoint on replay, so they never
 * run twice.
 *
 * It first waits for `siblings`, the stepWithRollback calls of the calling context: one still running when another
 * failed (in `ctx.promise.all`) would otherwise miss the plan and its side effect would stay. Steps of other
 * contexts are not awaited: a map or parallel that completed early abandons its running branches, whose steps never
 * settle. Awaiting adds no operation, and the plan is checkpointed, so replays stay deterministic.
 */
export async function rollbackAll(
  ctx: DurableContext<DurableLogger>, registry: CompensationRegistry, error: unknown, siblings: readonly PromiseLike<unknown>[],
): Promise<void> {
  await Promise.allSettled(siblings);
  // The plan is checkpointed first, so a replay walks exactly the same undo steps in the same order even if the
  // replay could not rebuild a compensation (one registered inside a child context that failed).
  const plan = await ctx.step<CompensationRecord[]>(ROLLBACK_PLAN_STEP, async () => [...registry.values()]
    .filter((c) => c.active && !c.planned)
    .sort((a, b) => comparePositions(b.key, a.key))
    .map(({ key, name }) => ({ key, name })), { retryStrategy: retryPresets.noRetry });

  const failures: RollbackFailure[] = [];
  for (const { key } of plan) {
    const entry = registry.get(key);
    if (entry) entry.planned = true;
  }
  for (const { key, name } of plan) {
    const entry = registry.get(key);
    const undo = entry?.active ? entry.undo : undefined;
    try {
      // A completed undo step returns its checkpoint without calling the function, even when `undo` is missing.
      await ctx.step<void>(undoStepName(name), undo ? (stepContext) => undo(error, stepContext) : async () => {
        throw new CompensationUnavailableError(name);
      }, undo ? entry?.undoConfig : { retryStrategy: retryPresets.noRetry });
    } catch (undoError) {
      failures.push({ stepName: name, error: undoError });
    }
  }
  if (failures.length > 0) throw new RollbackError(failures, plan.length, error);
}

/** Orders keys as positions: "1.10" after "1.2", a context's own key before those of its children. */
function comparePositions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
