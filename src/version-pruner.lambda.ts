// The version pruner: deletes the published versions of durable workflow functions that nothing needs any more.
// projen bundles this file (with @aws-sdk/client-lambda) into assets/version-pruner.lambda/ at build time;
// src/version-pruner-function.ts is the generated lambda.Function that deploys it.
//
// A version is deleted only when it is not among the newest `keepLatest`, no alias routes to it (its version or its
// routing weights), and no RUNNING execution is pinned to it. It reads its targets from PRUNE_TARGETS, one group
// `[keepLatest, ...functionNames]` per count, e.g. `[[3,"orders","billing"],[5,"audit"]]`; an invoke with `{}` prunes them
// all, `{"functionName":"orders"}` (a name or an ARN) one.
// A run that cannot finish (throttled, or a call failed) logs its summary and throws, so the function's Errors
// metric counts it. Running twice at once or after a failure is safe: every decision is re-read from the API.
import {
  DeleteFunctionCommand,
  LambdaClient,
  paginateListAliases,
  paginateListDurableExecutionsByFunction,
  paginateListVersionsByFunction,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { LogEntry, writeLogLine } from './json-log';

/** A function to prune and how many of its newest versions to keep whatever else holds. */
export interface PruneTarget {
  readonly functionName: string;
  readonly keepLatest: number;
}

/** Why a version is kept: `conflict` when Lambda refused the delete (an alias began to route to it meanwhile). */
export type KeptReason = 'newest' | 'alias' | 'running' | 'conflict';

/**
 * - `pruned`: every version was looked at;
 * - `throttled`: Lambda throttled a call (after the SDK's retries), so the run stopped;
 * - `failed`: another error stopped this function (see `error`);
 * - `skipped`: not started, because an earlier function was throttled.
 */
export type PruneStatus = 'pruned' | 'throttled' | 'failed' | 'skipped';

export interface FunctionReport {
  readonly functionName: string;
  status: PruneStatus;
  /** Versions this run deleted. */
  readonly deleted: string[];
  /** Versions that were gone when this run deleted them (another run got there first). */
  readonly alreadyDeleted: string[];
  /** Versions kept, each with its reason. */
  readonly kept: { version: string; reason: KeptReason }[];
  error?: string;
}

export interface PruneReport {
  /** True when every function was pruned to the end. */
  readonly complete: boolean;
  readonly functions: FunctionReport[];
}

/** Where log lines go: stdout as JSON lines in Lambda (`writeLogLine`), a list in tests. */
export type Log = (entry: LogEntry) => void;

/** The execution list's largest page: fewer calls against its 15 requests a second. */
const EXECUTION_PAGE = 1000;
const PUBLISHED_VERSION = /^[0-9]+$/;

let lambda: LambdaClient | undefined;

export async function handler(event: unknown): Promise<PruneReport> {
  const targets = selectTargets(readTargets(process.env.PRUNE_TARGETS), event);
  const report = await pruneVersions(lambda ??= new LambdaClient({}), targets, writeLogLine);
  if (!report.complete) {
    const unfinished = report.functions.filter((f) => f.status !== 'pruned').map((f) => `${f.functionName} ${f.status}`);
    throw new Error(`Version pruning did not finish: ${unfinished.join(', ')}`);
  }
  return report;
}

/** Prunes each target in turn; stops at the first throttled call, since every later call would add to the load. */
export async function pruneVersions(client: LambdaClient, targets: PruneTarget[], log: Log): Promise<PruneReport> {
  const functions: FunctionReport[] = [];
  for (const target of targets) {
    const throttled = functions.some((f) => f.status === 'throttled');
    functions.push(throttled ? emptyReport(target.functionName, 'skipped') : await pruneFunction(client, target, log));
  }
  const complete = functions.every((f) => f.status === 'pruned');
  log({
    level: complete ? 'INFO' : 'ERROR',
    message: 'Version pruning finished',
    complete,
    functions: functions.map(({ functionName, status, deleted, kept, error }) => (
      { functionName, status, deleted: deleted.length, kept: kept.length, error })),
  });
  return { complete, functions };
}

/** Deletes the versions of one function that nothing needs, oldest first. */
export async function pruneFunction(client: LambdaClient, target: PruneTarget, log: Log): Promise<FunctionReport> {
  const { functionName, keepLatest } = target;
  const report = emptyReport(functionName, 'pruned');
  const keep = (version: string, reason: KeptReason, detail: string) => {
    report.kept.push({ version, reason });
    log({ level: 'INFO', message: 'Version kept', functionName, version, reason, detail });
  };
  try {
    const versions = await publishedVersions(client, functionName);
    const aliased = await aliasReferences(client, functionName);
    const newest = new Set(versions.slice(-keepLatest));
    const reasonToKeep = async (version: string): Promise<[KeptReason, string] | undefined> => {
      const aliases = aliased.get(version);
      if (aliases) return ['alias', aliases.join('; ')];
      if (newest.has(version)) return ['newest', `among the newest ${keepLatest}`];
      const running = await runningExecution(client, functionName, version);
      return running ? ['running', `RUNNING execution ${running}`] : undefined;
    };
    for (const version of versions) {
      const reason = await reasonToKeep(version);
      if (reason) {
        keep(version, ...reason);
        continue;
      }
      const outcome = await deleteVersion(client, functionName, version);
      if (typeof outcome === 'object') {
        keep(version, 'conflict', outcome.refused);
        continue;
      }
      (outcome === 'deleted' ? report.deleted : report.alreadyDeleted).push(version);
      log({ level: 'INFO', message: outcome === 'deleted' ? 'Version deleted' : 'Version already deleted', functionName, version });
    }
  } catch (error) {
    report.status = error instanceof TooManyRequestsException ? 'throttled' : 'failed';
    report.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log({ level: 'ERROR', message: 'Version pruning stopped', functionName, status: report.status, error: report.error });
  }
  return report;
}

/** Deletes one version: `deleted`, `gone` when another run deleted it first, or Lambda's refusal. */
async function deleteVersion(client: LambdaClient, functionName: string, version: string): Promise<'deleted' | 'gone' | { refused: string }> {
  try {
    // Always qualified: DeleteFunction without a Qualifier deletes the whole function.
    await client.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }));
    return 'deleted';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'gone';
    // Lambda refuses to delete a version an alias routes to: a deploy or rollback moved an alias since it was read.
    if (error instanceof ResourceConflictException) return { refused: error.message };
    throw error;
  }
}

/** The function's published version numbers, oldest first (`$LATEST` is not a published version). */
async function publishedVersions(client: LambdaClient, functionName: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const page of paginateListVersionsByFunction({ client }, { FunctionName: functionName })) {
    for (const { Version } of page.Versions ?? []) if (Version && PUBLISHED_VERSION.test(Version)) versions.push(Version);
  }
  return versions.sort((a, b) => Number(a) - Number(b));
}

/** Version number to the aliases that route to it, by their version or a routing weight. */
async function aliasReferences(client: LambdaClient, functionName: string): Promise<Map<string, string[]>> {
  const references = new Map<string, string[]>();
  const add = (version: string, why: string) => references.set(version, [...references.get(version) ?? [], why]);
  for await (const page of paginateListAliases({ client }, { FunctionName: functionName })) {
    for (const alias of page.Aliases ?? []) {
      if (alias.FunctionVersion) add(alias.FunctionVersion, `alias ${alias.Name}`);
      for (const [version, weight] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
        add(version, `alias ${alias.Name} routes ${Math.round(weight * 1000) / 10}% to it`);
      }
    }
  }
  return references;
}

/** The ARN of a RUNNING execution pinned to the version, if any; reads every page (a page may be empty and still have a next). */
async function runningExecution(client: LambdaClient, functionName: string, version: string): Promise<string | undefined> {
  const pages = paginateListDurableExecutionsByFunction(
    { client, pageSize: EXECUTION_PAGE },
    { FunctionName: functionName, Qualifier: version, Statuses: ['RUNNING'] },
  );
  for await (const page of pages) {
    const found = page.DurableExecutions?.[0];
    if (found) return found.DurableExecutionArn ?? '(no ARN)';
  }
  return undefined;
}

/**
 * Parses PRUNE_TARGETS: a JSON array of groups `[keepLatest, ...functionNames]`. Names are grouped by count, rather than
 * listed each with its own, because Lambda allows 4 KB of environment variables: a stack's worth of names must fit.
 */
export function readTargets(json: string | undefined): PruneTarget[] {
  const expected = 'PRUNE_TARGETS must be a JSON array of [keepLatest, ...functionNames] groups';
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '');
  } catch {
    throw new Error(`${expected}, got: ${json}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${expected}, got: ${json}`);
  return parsed.flatMap((group: unknown, i) => {
    const [keepLatest, ...names] = Array.isArray(group) ? group : [];
    const valid = Number.isInteger(keepLatest) && keepLatest >= 1 && names.length > 0
      && names.every((name) => typeof name === 'string' && name !== '');
    if (!valid) {
      throw new Error(`${expected}: group ${i} must be [keepLatest: integer >= 1, ...functionNames: one or more non-empty strings], `
        + `got: ${JSON.stringify(group)}`);
    }
    return names.map((functionName: string) => ({ functionName, keepLatest: keepLatest as number }));
  });
}

/**
 * `{}` (or any event without `functionName`, such as a schedule's) selects every target; `{ functionName }` one of
 * them. `functionName` may also be an ARN or `NAME:QUALIFIER`, as Lambda accepts: the after-deploy rule passes the
 * alias ARN that CloudFormation reports for the alias it updated.
 */
export function selectTargets(targets: PruneTarget[], event: unknown): PruneTarget[] {
  const functionName = (event as { functionName?: unknown } | null | undefined)?.functionName;
  if (functionName === undefined) return targets;
  const name = typeof functionName === 'string' ? unqualifiedName(functionName) : functionName;
  const target = targets.find((t) => t.functionName === name);
  if (!target) {
    throw new Error(`functionName ${JSON.stringify(functionName)} is not one this pruner prunes (${targets.map((t) => t.functionName).join(', ')})`);
  }
  return [target];
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` or `NAME[:QUALIFIER]` to `NAME` (names never hold ':'). */
function unqualifiedName(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  return nameOrArn.startsWith('arn:') ? parts[6] ?? nameOrArn : parts[0];
}

function emptyReport(functionName: string, status: PruneStatus): FunctionReport {
  return { functionName, status, deleted: [], alreadyDeleted: [], kept: [] };
}
