import { createHash } from 'node:crypto';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sqlite from 'node:sqlite';
import type { DurableExecutionClient, DurableExecutionInvocationInputWithClient, DurableLambdaHandler, Operation } from '@aws/durable-execution-sdk-js';
import type { WorkerPool, WorkerTarget } from './worker-pool';
import type { DurableEngine } from '../../testing/engine/durable-engine';
import type { WorkflowDefinition } from '../assembly/discover-workflows';
import { fromStoredJson, toStoredJson } from '../store/stored-json';

/** A published version of a function: what it runs, pinned for every execution started on it. */
export interface PublishedVersion {
  readonly functionName: string;
  readonly version: string;
  /** The definition it was published from; its code folder is the copy in the state folder. */
  readonly definition: WorkflowDefinition;
  readonly publishedAt: Date;
}

export interface FunctionVersionsOptions {
  readonly db: Sqlite.DatabaseSync;
  readonly engine: DurableEngine;
  readonly workers: WorkerPool;
  /** Where each version's code is copied, by code hash. */
  readonly codeRoot: string;
  readonly region: string;
  readonly endpoint: string;
  /** The durable client of each execution's running invocation, by execution ARN: the Lambda API routes its SDK calls there. */
  readonly invocations: Map<string, DurableExecutionClient>;
}

/**
 * The versions of every function, as Lambda publishes them: a new one each time a function's code or configuration
 * changes, numbered from 1, kept in the state file with a copy of its code, so executions pinned to a version replay
 * against that code after the assembly moved on and after a restart. Each is registered with the engine as a handler
 * that hands the invocation to the version's worker thread.
 */
export class FunctionVersions {
  private readonly versions = new Map<string, PublishedVersion[]>();

  constructor(private readonly options: FunctionVersionsOptions) {}

  /** Registers the versions the state file holds, oldest first, so executions pinned to them can resume. */
  public load(): void {
    const rows = this.options.db.prepare('SELECT function_name, version, definition, published_ms FROM function_versions ORDER BY function_name, version').all();
    for (const row of rows) {
      this.register({
        functionName: row.function_name as string,
        version: String(row.version),
        definition: fromStoredJson<WorkflowDefinition>(row.definition as string),
        publishedAt: new Date(row.published_ms as number),
      });
    }
  }

  /** Publishes a version of each function whose code or configuration differs from its newest; returns those. */
  public publish(definitions: readonly WorkflowDefinition[]): PublishedVersion[] {
    const published: PublishedVersion[] = [];
    for (const definition of definitions) {
      const fingerprint = fingerprintOf(definition);
      const newest = this.newest(definition.functionName);
      if (newest && fingerprintOf(newest.definition) === fingerprint) continue;
      const version: PublishedVersion = {
        functionName: definition.functionName,
        version: String(Number(newest?.version ?? 0) + 1),
        definition: { ...definition, codeDirectory: this.copyCode(definition) },
        publishedAt: new Date(),
      };
      this.options.db.prepare('INSERT INTO function_versions (function_name, version, fingerprint, definition, published_ms) VALUES (?, ?, ?, ?, ?)')
        .run(version.functionName, Number(version.version), fingerprint, toStoredJson(version.definition), version.publishedAt.getTime());
      this.register(version);
      published.push(version);
    }
    return published;
  }

  public newest(functionName: string): PublishedVersion | undefined {
    return this.versions.get(functionName)?.at(-1);
  }

  public get(functionName: string, version: string): PublishedVersion | undefined {
    return this.versions.get(functionName)?.find((candidate) => candidate.version === version);
  }

  public list(functionName: string): readonly PublishedVersion[] {
    return this.versions.get(functionName) ?? [];
  }

  private register(version: PublishedVersion): void {
    const { definition } = version;
    const registered = this.options.engine.register(version.functionName, this.handlerOf(version), {
      executionTimeoutSeconds: definition.executionTimeoutSeconds,
      invocationTimeoutSeconds: definition.timeoutSeconds,
    });
    if (registered !== version.version) throw new Error(`${version.functionName}: version ${version.version} registered as ${registered}`);
    this.versions.set(version.functionName, [...this.list(version.functionName), version]);
  }

  /** A handler in the engine that runs the invocation in the version's worker; the SDK there calls back over HTTP. */
  private handlerOf(version: PublishedVersion): DurableLambdaHandler {
    const target = this.workerTarget(version);
    const { invocations, workers } = this.options;
    return (async (event: DurableExecutionInvocationInputWithClient, context: LambdaContext) => {
      const arn = event.DurableExecutionArn;
      invocations.set(arn, event.durableExecutionClient);
      try {
        const outcome = await workers.invoke(target, {
          executionArn: arn,
          checkpointToken: event.CheckpointToken,
          operations: event.InitialExecutionState.Operations as Operation[],
          nextMarker: event.InitialExecutionState.NextMarker,
          updatedOperationIds: (event as { UpdatedOperationIds?: string[] }).UpdatedOperationIds ?? [],
          requestId: context.awsRequestId,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          functionArn: context.invokedFunctionArn,
          deadline: Date.now() + context.getRemainingTimeInMillis(),
        });
        if (outcome.kind === 'threw') throw Object.assign(new Error(), outcome.error);
        return outcome.output;
      } finally {
        if (invocations.get(arn) === event.durableExecutionClient) invocations.delete(arn);
      }
    }) as unknown as DurableLambdaHandler;
  }

  /** The worker of a version: its code, and the environment Lambda would give it. */
  private workerTarget(version: PublishedVersion): WorkerTarget {
    const { definition, functionName } = version;
    const { region, endpoint } = this.options;
    return {
      key: `${functionName}:${version.version}`,
      label: `${definition.path} v${version.version}`,
      codeDirectory: definition.codeDirectory,
      handler: definition.handler,
      environment: {
        ...definition.environment,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_VERSION: version.version,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `local/${functionName}/${version.version}`,
        AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        LAMBDA_TASK_ROOT: definition.codeDirectory,
        _HANDLER: definition.handler,
        // The Lambda API of this app is the dev server: a handler that starts another workflow starts it here.
        AWS_ENDPOINT_URL_LAMBDA: endpoint,
      },
    };
  }

  /** Copies the code out of the assembly, which the next synth may clean up, once per code hash. */
  private copyCode(definition: WorkflowDefinition): string {
    const target = join(this.options.codeRoot, definition.codeHash);
    if (!existsSync(target)) {
      const partial = `${target}.partial`;
      rmSync(partial, { recursive: true, force: true });
      cpSync(definition.codeDirectory, partial, { recursive: true });
      renameSync(partial, target);
    }
    return target;
  }
}

/** What the engine's invoker gives a handler, that goes on to the worker. */
interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** What makes a new version: the code and the configuration, not where the assembly keeps them. */
function fingerprintOf(definition: WorkflowDefinition): string {
  const { path, codeDirectory, unresolvedEnvironment, ...configuration } = definition;
  return createHash('sha256').update(JSON.stringify(configuration)).digest('hex');
}
