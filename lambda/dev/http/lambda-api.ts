// The Lambda REST API of durable functions, on the engine: what @aws-sdk/client-lambda, the runtime's WorkflowClient
// and the AWS CLI send (starts, executions, history, stops, callbacks), and the two calls the durable SDK makes from
// inside a handler (checkpoints and state pages), which reach the engine through the running invocation's client.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CheckpointDurableExecutionRequest, DurableExecutionClient, ErrorObject } from '@aws/durable-execution-sdk-js';
import {
  ApiError, errorBody, header, nextMarker, pageRequest, parseJson, readBody, sendJson, withoutPayloads,
} from './wire';
import { functionArn } from '../../testing/engine/arn';
import type { DurableEngine } from '../../testing/engine/durable-engine';
import type { ExecutionRecord } from '../../testing/engine/store/execution-store';
import type { WorkflowDefinition } from '../assembly/discover-workflows';
import type { FunctionVersions, PublishedVersion } from '../functions/function-versions';
import type { SqliteExecutionStore } from '../store/sqlite-execution-store';

export interface LambdaApiOptions {
  readonly engine: DurableEngine;
  readonly store: SqliteExecutionStore;
  readonly versions: FunctionVersions;
  /** The function as the assembly now defines it; only those can be started. */
  readonly current: (functionName: string) => WorkflowDefinition | undefined;
  /** The durable client of each execution's running invocation, by execution ARN. */
  readonly invocations: ReadonlyMap<string, DurableExecutionClient>;
  readonly region: string;
  /** Resolves when the execution has ended. */
  readonly ended: (arn: string) => Promise<ExecutionRecord>;
}

interface ApiRequest {
  /** The path's labels, decoded. */
  readonly labels: string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Handler = (request: ApiRequest, res: ServerResponse) => Promise<void> | void;

/** Execution names: 1-64 of [a-zA-Z0-9-_]. */
const EXECUTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED']);

export class LambdaApi {
  private readonly routes: Array<{ method: string; pattern: RegExp; handle: Handler }> = [
    { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, handle: (r, res) => this.invoke(r, res) },
    { method: 'GET', pattern: /^\/2025-12-01\/functions\/([^/]+)\/durable-executions$/, handle: (r, res) => this.list(r, res) },
    { method: 'GET', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)$/, handle: (r, res) => this.describe(r, res) },
    { method: 'GET', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/history$/, handle: (r, res) => this.history(r, res) },
    { method: 'POST', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/stop$/, handle: (r, res) => this.stop(r, res) },
    { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/succeed$/, handle: (r, res) => this.callback(r, res, 'succeed') },
    { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/fail$/, handle: (r, res) => this.callback(r, res, 'fail') },
    { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/heartbeat$/, handle: (r, res) => this.callback(r, res, 'heartbeat') },
    { method: 'POST', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/checkpoint$/, handle: (r, res) => this.checkpoint(r, res) },
    { method: 'GET', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/state$/, handle: (r, res) => this.state(r, res) },
  ];

  constructor(private readonly options: LambdaApiOptions) {}

  /** Answers the request if it is one of the API's; returns false when no route matches. */
  public async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    for (const route of this.routes) {
      const match = req.method === route.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const labels = match.slice(1).map((label) => decodeURIComponent(label));
      await route.handle({ labels, query: url.searchParams, headers: req.headers, body: await readBody(req) }, res);
      return true;
    }
    return false;
  }

  // ---- Starting -------------------------------------------------------------------------------------------------

  private async invoke(request: ApiRequest, res: ServerResponse): Promise<void> {
    const { functionName, qualifier } = this.functionOf(request);
    const definition = this.options.current(functionName);
    if (!definition) throw notFound(this.arn(functionName, qualifier));
    if (qualifier === undefined) {
      throw new ApiError(400, 'InvalidParameterValueException', 'You cannot invoke a durable function using an unqualified ARN.');
    }
    const version = this.versionOf(functionName, qualifier, definition);
    const type = header(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (type === 'DryRun') {
      res.writeHead(204, { 'x-amz-executed-version': version.version });
      res.end();
      return;
    }
    const name = header(request.headers, 'x-amz-durable-execution-name');
    if (name !== undefined && !EXECUTION_NAME.test(name)) {
      throw new ApiError(400, 'ValidationException', `1 validation error detected: Value '${name}' at 'durableExecutionName' `
        + 'failed to satisfy constraint: Member must have length between 1 and 64 and match pattern [a-zA-Z0-9-_]+');
    }
    if (request.body !== '') parseJson(request.body);
    const execution = this.options.engine.start({
      functionName, version: version.version, name, payload: request.body === '' ? undefined : request.body,
    });
    const headers = { 'x-amz-durable-execution-arn': execution.arn, 'x-amz-executed-version': execution.version };
    if (type === 'Event') {
      res.writeHead(202, headers);
      res.end();
      return;
    }
    // RequestResponse: the answer is the execution's outcome.
    const ended = await this.options.ended(execution.arn);
    if (ended.status === 'SUCCEEDED') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(ended.result ?? 'null');
      return;
    }
    const error = ended.error ?? {};
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
    res.end(JSON.stringify({
      errorType: error.ErrorType ?? ended.status, errorMessage: error.ErrorMessage ?? `The execution ended ${ended.status}`, stackTrace: error.StackTrace,
    }));
  }

  // ---- Executions -----------------------------------------------------------------------------------------------

  private list(request: ApiRequest, res: ServerResponse): void {
    const { functionName, qualifier } = this.functionOf(request);
    const definition = this.options.current(functionName);
    if (!definition && this.options.versions.list(functionName).length === 0) throw notFound(this.arn(functionName, qualifier));
    const statuses = request.query.getAll('Statuses');
    const unknown = statuses.find((status) => !STATUSES.has(status));
    if (unknown !== undefined) throw new ApiError(400, 'ValidationException', `Unknown status ${unknown}: use ${[...STATUSES].join(', ')}`);
    const { offset, limit } = pageRequest(request.query);
    const page = this.options.store.queryExecutions({
      functionName,
      version: qualifier === undefined ? undefined : this.versionOf(functionName, qualifier, definition).version,
      name: request.query.get('DurableExecutionName') ?? undefined,
      statuses,
      startedAfter: timeQuery(request.query, 'StartedAfter'),
      startedBefore: timeQuery(request.query, 'StartedBefore'),
      oldestFirst: request.query.get('ReverseOrder') === 'true',
      offset,
      limit,
    });
    sendJson(res, 200, { DurableExecutions: page.items.map(executionSummary), NextMarker: nextMarker(offset, limit, page.more) });
  }

  private describe(request: ApiRequest, res: ServerResponse): void {
    const execution = this.execution(request.labels[0]);
    const definition = this.options.versions.get(execution.functionName, execution.version)?.definition;
    const withData = request.query.get('IncludeExecutionData') !== 'false';
    sendJson(res, 200, {
      ...executionSummary(execution),
      Version: execution.version,
      ...(withData ? { InputPayload: execution.input, Result: execution.result, Error: execution.error } : {}),
      ExecutionDataIncluded: withData,
      ...(definition ? {
        DurableConfig: { ExecutionTimeout: definition.executionTimeoutSeconds, RetentionPeriodInDays: definition.retentionPeriodDays },
      } : {}),
    });
  }

  private history(request: ApiRequest, res: ServerResponse): void {
    const execution = this.execution(request.labels[0]);
    const { offset, limit } = pageRequest(request.query);
    const page = this.options.store.pageEvents(execution.arn, { offset, limit, newestFirst: request.query.get('ReverseOrder') === 'true' });
    const events = request.query.get('IncludeExecutionData') === 'false' ? page.items.map(withoutPayloads) : page.items;
    sendJson(res, 200, { Events: events, NextMarker: nextMarker(offset, limit, page.more) });
  }

  private stop(request: ApiRequest, res: ServerResponse): void {
    const execution = this.execution(request.labels[0]);
    const stopped = this.options.engine.stop(execution.arn, errorBody(request.body) as ErrorObject | undefined);
    sendJson(res, 200, { StopTimestamp: stopped.endTimestamp });
  }

  private callback(request: ApiRequest, res: ServerResponse, action: 'succeed' | 'fail' | 'heartbeat'): void {
    const [callbackId] = request.labels;
    const { engine } = this.options;
    if (action === 'succeed') engine.sendCallbackSuccess(callbackId, request.body === '' ? undefined : request.body);
    else if (action === 'fail') engine.sendCallbackFailure(callbackId, errorBody(request.body) as ErrorObject | undefined);
    else engine.sendCallbackHeartbeat(callbackId);
    sendJson(res, 200, {});
  }

  // ---- The SDK's calls from inside the handler -------------------------------------------------------------------

  private async checkpoint(request: ApiRequest, res: ServerResponse): Promise<void> {
    const arn = request.labels[0];
    const body = parseJson(request.body) as Omit<CheckpointDurableExecutionRequest, 'DurableExecutionArn'>;
    const answer = await this.invocationOf(arn).checkpoint({ ...body, DurableExecutionArn: arn });
    sendJson(res, 200, answer);
  }

  private async state(request: ApiRequest, res: ServerResponse): Promise<void> {
    const arn = request.labels[0];
    const maxItems = request.query.get('MaxItems');
    const page = await this.invocationOf(arn).getExecutionState({
      DurableExecutionArn: arn,
      CheckpointToken: request.query.get('CheckpointToken') ?? '',
      Marker: request.query.get('Marker') ?? undefined,
      MaxItems: maxItems === null ? undefined : Number(maxItems),
    });
    sendJson(res, 200, page);
  }

  /** The client of the execution's running invocation; without one, the token cannot be the current one. */
  private invocationOf(arn: string): DurableExecutionClient {
    this.execution(arn);
    const client = this.options.invocations.get(arn);
    if (!client) throw new ApiError(400, 'InvalidParameterValueException', 'Invalid Checkpoint Token: the execution has no running invocation');
    return client;
  }

  // ---- Names ----------------------------------------------------------------------------------------------------

  /** A function name, `name:qualifier`, a partial ARN (`ACCOUNT:function:name`) or a function ARN, as Lambda takes them. */
  private functionOf(request: ApiRequest): { functionName: string; qualifier?: string } {
    const label = request.labels[0];
    const arn = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?\d{12}:function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/.exec(label);
    const [functionName, inName, ...rest] = arn ? [arn[1], arn[2]] : label.split(':');
    const inQuery = request.query.get('Qualifier') ?? undefined;
    if (rest.length > 0) throw new ApiError(400, 'ValidationException', `${label} is not a function name or ARN`);
    if (inName !== undefined && inQuery !== undefined && inName !== inQuery) {
      throw new ApiError(400, 'InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    return { functionName, qualifier: inName ?? inQuery };
  }

  /** The version a qualifier names: a version number, an alias or `$LATEST` (aliases point at the newest version). */
  private versionOf(functionName: string, qualifier: string, definition: WorkflowDefinition | undefined): PublishedVersion {
    const { versions } = this.options;
    const version = /^\d+$/.test(qualifier)
      ? versions.get(functionName, qualifier)
      : qualifier === '$LATEST' || definition?.aliases.includes(qualifier) ? versions.newest(functionName) : undefined;
    if (!version) throw notFound(this.arn(functionName, qualifier));
    return version;
  }

  private execution(arn: string): ExecutionRecord {
    const execution = this.options.engine.describe(arn);
    if (!execution) throw new ApiError(404, 'ResourceNotFoundException', `Durable execution not found: ${arn}`);
    return execution;
  }

  private arn(functionName: string, qualifier?: string): string {
    return functionArn(this.options.region, functionName, qualifier);
  }
}

function notFound(arn: string): ApiError {
  return new ApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
}

function timeQuery(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const time = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(time)) throw new ApiError(400, 'ValidationException', `${name} is not a timestamp: ${value}`);
  return new Date(time);
}

/** An execution as ListDurableExecutionsByFunction lists it. */
function executionSummary(execution: ExecutionRecord): Record<string, unknown> {
  return {
    DurableExecutionArn: execution.arn,
    DurableExecutionName: execution.name,
    FunctionArn: execution.functionArn,
    Status: execution.status,
    StartTimestamp: execution.startTimestamp,
    EndTimestamp: execution.endTimestamp,
  };
}
