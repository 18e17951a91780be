// A real HTTP server on 127.0.0.1 that speaks the Lambda REST API paths the workflow client uses (Invoke and the
// durable execution APIs), with an in-memory store of functions, executions, history and callbacks. Point a real
// @aws-sdk/client-lambda LambdaClient at `endpoint`. Errors use the wire shape Lambda returns (status code,
// `x-amzn-errortype` header, JSON body), so the client deserializes them into its typed exceptions.
// Every request is logged (`requests`, `requestCount`) and any operation can be made to fail (`failNext`), optionally
// only the requests a predicate picks (one execution name among concurrent starts).
// Versions and aliases: ListVersionsByFunction, ListAliases, GetAlias and DeleteFunction (a version, or the whole
// function without a Qualifier), with alias routing weights, as the version pruner uses them.
// Defaults follow the API reference as @aws-sdk/client-lambda documents it, not what the workflow client happens to
// send: MaxItems 100, IncludeExecutionData true, executions listed newest first unless ReverseOrder (history the
// other way round). test/runtime/lambda-api-server.test.ts pins them with the SDK's own commands.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED';

/** The API's ErrorObject. */
export interface WireError {
  ErrorMessage?: string;
  ErrorType?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

export interface StoredExecution {
  arn: string;
  name: string;
  functionName: string;
  /** Version the execution is pinned to (a number or `$LATEST`). */
  version: string;
  status: ExecutionStatus;
  startedAt: Date;
  endedAt?: Date;
  /** Raw JSON input payload. */
  input?: string;
  /** Raw JSON result. */
  result?: string;
  error?: WireError;
  /** History events in the API's JSON shape (timestamps as epoch seconds). */
  events: Record<string, unknown>[];
}

export interface StoredCallback {
  id: string;
  state: 'OPEN' | 'SUCCEEDED' | 'FAILED';
  /** Raw body sent with SendDurableExecutionCallbackSuccess. */
  result?: string;
  error?: WireError;
  heartbeats: number;
}

export interface RecordedRequest {
  /** Lambda API operation, e.g. `GetDurableExecution`, or `Unknown`. */
  operation: string;
  method: string;
  /** Path as sent (still percent-encoded). */
  rawPath: string;
  /** Decoded path labels: function name, execution ARN or callback ID. */
  label?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An error to answer with, in Lambda's wire shape. */
export interface ScriptedError {
  status: number;
  /** AWS error code sent in `x-amzn-errortype`, e.g. `TooManyRequestsException`. */
  code: string;
  message: string;
  /** Sent as the `Retry-After` header (throttling). */
  retryAfterSeconds?: number;
}

/** Picks the requests a scripted error applies to, e.g. the Invoke that starts one execution name. */
export type RequestMatcher = (request: RecordedRequest) => boolean;

/** What a synchronous (`RequestResponse`) start returns; by default the execution succeeds with its input echoed. */
export type SyncOutcome = { result: unknown } | { error: { errorType: string; errorMessage: string } };

interface StoredFunction {
  name: string;
  /** Alias name to version. */
  aliases: Map<string, string>;
  /** Alias name to its routing weights (`{ '7': 0.1 }`: 10 % of its traffic goes to version 7). */
  routing: Map<string, Record<string, number>>;
  versions: Set<string>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

const ROUTES: { method: string; pattern: RegExp; operation: string }[] = [
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, operation: 'Invoke' },
  { method: 'GET', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)$/, operation: 'GetDurableExecution' },
  { method: 'GET', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/history$/, operation: 'GetDurableExecutionHistory' },
  { method: 'POST', pattern: /^\/2025-12-01\/durable-executions\/([^/]+)\/stop$/, operation: 'StopDurableExecution' },
  { method: 'GET', pattern: /^\/2025-12-01\/functions\/([^/]+)\/durable-executions$/, operation: 'ListDurableExecutionsByFunction' },
  { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/succeed$/, operation: 'SendDurableExecutionCallbackSuccess' },
  { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/fail$/, operation: 'SendDurableExecutionCallbackFailure' },
  { method: 'POST', pattern: /^\/2025-12-01\/durable-execution-callbacks\/([^/]+)\/heartbeat$/, operation: 'SendDurableExecutionCallbackHeartbeat' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/versions$/, operation: 'ListVersionsByFunction' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, operation: 'ListAliases' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, operation: 'GetAlias' },
  { method: 'DELETE', pattern: /^\/2015-03-31\/functions\/([^/]+)$/, operation: 'DeleteFunction' },
];

/** Execution names: 1-64 of [a-zA-Z0-9-_] (the API reference's pattern and length constraints). */
const EXECUTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Page sizes: MaxItems accepted (1 to `max`), the page when it is absent or 0, the most one response holds. */
interface PageLimits {
  max: number;
  default: number;
  cap: number;
}
/** The durable APIs: MaxItems 1 to 1000, default 100. */
const DURABLE_PAGES: PageLimits = { max: 1000, default: 100, cap: 1000 };
/**
 * ListVersionsByFunction and ListAliases: MaxItems 1 to 10000, but "ListVersionsByFunction returns a maximum of 50
 * items in each response, even if you set the number higher" (the API reference); ListAliases is assumed to page alike.
 */
const VERSION_PAGES: PageLimits = { max: 10_000, default: 50, cap: 50 };
/** Lambda errors whose message member is `message`; the others (ResourceNotFoundException, ...) use `Message`. */
const LOWER_CASE_MESSAGE = new Set([
  'InvalidParameterValueException', 'InvalidRequestContentException', 'ResourceConflictException', 'TooManyRequestsException', 'ValidationException',
]);

export class LambdaApiServer {
  /** Starts a server on an ephemeral port of 127.0.0.1. */
  static async start(): Promise<LambdaApiServer> {
    const server = new LambdaApiServer();
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly functions = new Map<string, StoredFunction>();
  readonly executions = new Map<string, StoredExecution>();
  readonly callbacks = new Map<string, StoredCallback>();

  /**
   * When true, ListDurableExecutionsByFunction reads a page of the function's executions first and filters it
   * afterwards, as a store with filter expressions does: a page can be short or empty while NextMarker says more
   * follow. The API reference does not promise full pages, so a client must follow NextMarker to its end.
   */
  sparseExecutionPages = false;

  private readonly http: Server;
  private readonly operations: Record<string, (req: RecordedRequest, res: ServerResponse) => void> = {
    Invoke: (req, res) => this.invoke(req, res),
    GetDurableExecution: (req, res) => this.getDurableExecution(req, res),
    GetDurableExecutionHistory: (req, res) => this.getDurableExecutionHistory(req, res),
    StopDurableExecution: (req, res) => this.stopDurableExecution(req, res),
    ListDurableExecutionsByFunction: (req, res) => this.listDurableExecutionsByFunction(req, res),
    SendDurableExecutionCallbackSuccess: (req, res) => this.sendCallbackSuccess(req, res),
    SendDurableExecutionCallbackFailure: (req, res) => this.sendCallbackFailure(req, res),
    SendDurableExecutionCallbackHeartbeat: (req, res) => this.sendCallbackHeartbeat(req, res),
    ListVersionsByFunction: (req, res) => this.listVersionsByFunction(req, res),
    ListAliases: (req, res) => this.listAliases(req, res),
    GetAlias: (req, res) => this.getAlias(req, res),
    DeleteFunction: (req, res) => this.deleteFunction(req, res),
  };
  private readonly scripted = new Map<string, { error: ScriptedError; when?: RequestMatcher }[]>();
  private sequence = 0;

  private constructor() {
    this.http = createServer((req, res) => void this.handle(req, res));
  }

  /** Decides what a synchronous start returns. */
  syncOutcome: (execution: StoredExecution) => SyncOutcome = (e) => ({ result: e.input === undefined ? null : JSON.parse(e.input) });


  /** `http://127.0.0.1:PORT` */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** A real LambdaClient pointed at this server (static test credentials, no retries unless asked). */
  client(config: Partial<LambdaClientConfig> = {}): LambdaClient {
    return new LambdaClient({
      endpoint: this.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
      ...config,
    });
  }

  /** Number of requests, optionally of one operation. */
  requestCount(operation?: string): number {
    return operation === undefined ? this.requests.length : this.requests.filter((r) => r.operation === operation).length;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Forgets every request, function, execution, callback and scripted error: a fresh server for the next test. */
  reset(): void {
    this.clearRequests();
    this.functions.clear();
    this.executions.clear();
    this.callbacks.clear();
    this.scripted.clear();
    this.sparseExecutionPages = false;
  }

  /** Makes the next `times` requests of `operation` (of those `when` picks, if given) fail with `error`. */
  failNext(operation: string, error: ScriptedError, times = 1, when?: RequestMatcher): void {
    const queue = this.scripted.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push({ error, when });
    this.scripted.set(operation, queue);
  }

  /**
   * Registers a function with published versions and aliases (`{ live: '3' }`); `routing` gives an alias's
   * additional version weights (`{ live: { '2': 0.1 } }`).
   */
  addFunction(
    name: string,
    options: { versions?: string[]; aliases?: Record<string, string>; routing?: Record<string, Record<string, number>> } = {},
  ): void {
    const versions = new Set(['$LATEST', ...(options.versions ?? ['1'])]);
    const aliases = new Map(Object.entries(options.aliases ?? {}));
    const routing = new Map(Object.entries(options.routing ?? {}));
    for (const version of [...aliases.values(), ...[...routing.values()].flatMap(Object.keys)]) versions.add(version);
    this.functions.set(name, { name, versions, aliases, routing });
  }

  /** Stores an execution directly (for describe, list and history tests and benchmarks). */
  addExecution(e: Partial<StoredExecution> & { functionName: string }): StoredExecution {
    if (!this.functions.has(e.functionName)) this.addFunction(e.functionName);
    const sequence = ++this.sequence;
    const name = e.name ?? `exec-${sequence}`;
    const version = e.version ?? '1';
    // One second apart in insertion order, so the order the list API returns is well defined.
    const startedAt = e.startedAt ?? new Date(Date.UTC(2025, 0, 1) + sequence * 1000);
    const execution: StoredExecution = {
      arn: e.arn ?? `${functionArn(e.functionName, version)}/durable-execution/${name}/${randomUUID()}`,
      name,
      functionName: e.functionName,
      version,
      status: e.status ?? 'RUNNING',
      startedAt,
      endedAt: e.endedAt,
      input: e.input,
      result: e.result,
      error: e.error,
      events: e.events ?? [{
        EventType: 'ExecutionStarted',
        EventId: 1,
        Id: name,
        Name: name,
        EventTimestamp: startedAt.getTime() / 1000,
        ExecutionStartedDetails: { Input: { Payload: e.input, Truncated: false }, ExecutionTimeout: 3600 },
      }],
    };
    this.executions.set(execution.arn, execution);
    return execution;
  }

  /** Stores `count` executions of one function; `make(i)` customises each. */
  addExecutions(count: number, functionName: string, make: (i: number) => Partial<StoredExecution> = () => ({})): StoredExecution[] {
    return Array.from({ length: count }, (_, i) => this.addExecution({ functionName, ...make(i) }));
  }

  /** Opens a callback that SendDurableExecutionCallback* can complete. Its ID has the API's form: base64 characters. */
  openCallback(id: string = randomBytes(48).toString('base64')): string {
    this.callbacks.set(id, { id, state: 'OPEN', heartbeats: 0 });
    return id;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.http.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const rawLabel = route ? route.pattern.exec(url.pathname)?.[1] : undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      operation: route?.operation ?? 'Unknown',
      method: req.method ?? '',
      rawPath: url.pathname,
      label: rawLabel === undefined ? undefined : decodeURIComponent(rawLabel),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);

    try {
      const scripted = this.takeScripted(request);
      if (scripted) throw new HttpError(scripted.status, scripted.code, scripted.message, scripted.retryAfterSeconds);
      if (!route) throw new HttpError(404, 'UnknownOperationException', `No route for ${req.method} ${url.pathname}`);
      this.operations[route.operation](request, res);
    } catch (caught) {
      const error = caught instanceof HttpError ? caught : new HttpError(500, 'ServiceException', String(caught));
      res.writeHead(error.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': error.code,
        'x-amzn-requestid': randomUUID(),
        ...(error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) }),
      });
      res.end(JSON.stringify({
        Type: error.status >= 500 ? 'Service' : 'User',
        [LOWER_CASE_MESSAGE.has(error.code) ? 'message' : 'Message']: error.message,
        ...(error.code === 'TooManyRequestsException' ? { Reason: 'CallerRateLimitExceeded' } : {}),
      }));
    }
  }

  /** The first scripted error for this request's operation that applies to it, removed from the queue. */
  private takeScripted(request: RecordedRequest): ScriptedError | undefined {
    const queue = this.scripted.get(request.operation) ?? [];
    const index = queue.findIndex((s) => s.when === undefined || s.when(request));
    return index === -1 ? undefined : queue.splice(index, 1)[0].error;
  }

  private invoke(req: RecordedRequest, res: ServerResponse): void {
    const { fn, qualifier } = this.resolveFunction(req.label!, req.query.get('Qualifier') ?? undefined);
    if (qualifier === undefined) {
      throw new HttpError(400, 'InvalidParameterValueException', 'You cannot invoke a durable function using an unqualified ARN.');
    }
    const version = fn.aliases.get(qualifier) ?? (fn.versions.has(qualifier) ? qualifier : undefined);
    if (version === undefined) {
      throw new HttpError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(fn.name, qualifier)}`);
    }
    const name = header(req.headers, 'x-amz-durable-execution-name') ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) {
      throw new HttpError(400, 'ValidationException', `1 validation error detected: Value '${name}' at 'durableExecutionName' `
        + 'failed to satisfy constraint: Member must have length between 1 and 64 and match pattern [a-zA-Z0-9-_]+');
    }
    const input = req.body === '' ? undefined : req.body;
    if (input !== undefined && !isJson(input)) {
      throw new HttpError(400, 'InvalidRequestContentException', 'Could not parse request body into json: the payload must be JSON.');
    }
    let execution = [...this.executions.values()].find((e) => e.functionName === fn.name && e.name === name);
    if (execution && execution.input !== input) {
      throw new HttpError(409, 'DurableExecutionAlreadyStartedException',
        `Durable execution with name ${name} already exists with a different input.`);
    }
    execution ??= this.addExecution({ functionName: fn.name, name, version, input, startedAt: new Date() });

    const headers = {
      'x-amz-durable-execution-arn': execution.arn,
      'x-amz-executed-version': version,
      'x-amzn-requestid': randomUUID(),
    };
    if ((header(req.headers, 'x-amz-invocation-type') ?? 'RequestResponse') === 'Event') {
      res.writeHead(202, headers);
      res.end();
      return;
    }
    const outcome = this.syncOutcome(execution);
    execution.endedAt = new Date();
    if ('result' in outcome) {
      execution.status = 'SUCCEEDED';
      execution.result = JSON.stringify(outcome.result);
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(execution.result);
    } else {
      execution.status = 'FAILED';
      execution.error = { ErrorType: outcome.error.errorType, ErrorMessage: outcome.error.errorMessage };
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify(outcome.error));
    }
  }

  private getDurableExecution(req: RecordedRequest, res: ServerResponse): void {
    const e = this.findExecution(req.label!);
    const withData = req.query.get('IncludeExecutionData') !== 'false';
    json(res, 200, {
      ...executionJson(e),
      Version: e.version,
      ...(withData ? { InputPayload: e.input, Result: e.result, Error: e.error, ExecutionDataIncluded: true } : {}),
    });
  }

  private getDurableExecutionHistory(req: RecordedRequest, res: ServerResponse): void {
    const e = this.findExecution(req.label!);
    const withData = req.query.get('IncludeExecutionData') !== 'false';
    // Oldest first; ReverseOrder=true gives newest first.
    const events = req.query.get('ReverseOrder') === 'true' ? [...e.events].reverse() : e.events;
    const { page, nextMarker } = paginate(events, req.query);
    json(res, 200, { Events: withData ? page : page.map(withoutPayloads), NextMarker: nextMarker });
  }

  private stopDurableExecution(req: RecordedRequest, res: ServerResponse): void {
    const e = this.findExecution(req.label!);
    if (e.status !== 'RUNNING') {
      throw new HttpError(400, 'InvalidParameterValueException', `Durable execution ${e.arn} is ${e.status}, not RUNNING.`);
    }
    e.status = 'STOPPED';
    e.endedAt = new Date();
    e.error = errorBody(req.body);
    json(res, 200, { StopTimestamp: e.endedAt.getTime() / 1000 });
  }

  private listDurableExecutionsByFunction(req: RecordedRequest, res: ServerResponse): void {
    const { fn, qualifier } = this.resolveFunction(req.label!, req.query.get('Qualifier') ?? undefined);
    const version = qualifier === undefined ? undefined : fn.aliases.get(qualifier) ?? qualifier;
    const statuses = req.query.getAll('Statuses');
    const name = req.query.get('DurableExecutionName');
    const after = req.query.get('StartedAfter');
    const before = req.query.get('StartedBefore');
    const matches = (e: StoredExecution) => (version === undefined || e.version === version)
      && (statuses.length === 0 || statuses.includes(e.status))
      && (name === null || e.name === name)
      && (after === null || e.startedAt.getTime() >= Date.parse(after))
      && (before === null || e.startedAt.getTime() <= Date.parse(before));
    let executions = [...this.executions.values()]
      .filter((e) => e.functionName === fn.name)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    // Newest first; ReverseOrder=true gives oldest first (the reverse of the history API's convention).
    if (req.query.get('ReverseOrder') === 'true') executions = executions.reverse();
    const { page, nextMarker } = paginate(this.sparseExecutionPages ? executions : executions.filter(matches), req.query);
    json(res, 200, { DurableExecutions: page.filter(matches).map(executionJson), NextMarker: nextMarker });
  }

  private sendCallbackSuccess(req: RecordedRequest, res: ServerResponse): void {
    const callback = this.openCallbackOrThrow(req.label!);
    callback.state = 'SUCCEEDED';
    callback.result = req.body;
    json(res, 200, {});
  }

  private sendCallbackFailure(req: RecordedRequest, res: ServerResponse): void {
    const callback = this.openCallbackOrThrow(req.label!);
    callback.state = 'FAILED';
    callback.error = errorBody(req.body);
    json(res, 200, {});
  }

  private sendCallbackHeartbeat(req: RecordedRequest, res: ServerResponse): void {
    this.openCallbackOrThrow(req.label!).heartbeats++;
    json(res, 200, {});
  }

  /** `$LATEST` first, then the published versions in the order they were published. */
  private listVersionsByFunction(req: RecordedRequest, res: ServerResponse): void {
    const { fn } = this.resolveFunction(req.label!, undefined);
    const versions = [...fn.versions].sort((a, b) => (a === '$LATEST' ? -1 : b === '$LATEST' ? 1 : Number(a) - Number(b)));
    const { page, nextMarker } = paginate(versions, req.query, VERSION_PAGES);
    json(res, 200, {
      Versions: page.map((version) => ({ FunctionName: fn.name, FunctionArn: functionArn(fn.name, version), Version: version })),
      NextMarker: nextMarker,
    });
  }

  /** By name; FunctionVersion keeps the aliases whose version it is. */
  private listAliases(req: RecordedRequest, res: ServerResponse): void {
    const { fn } = this.resolveFunction(req.label!, undefined);
    const version = req.query.get('FunctionVersion');
    const names = [...fn.aliases.keys()].sort().filter((name) => version === null || fn.aliases.get(name) === version);
    const { page, nextMarker } = paginate(names, req.query, VERSION_PAGES);
    json(res, 200, { Aliases: page.map((name) => aliasJson(fn, name)), NextMarker: nextMarker });
  }

  private getAlias(req: RecordedRequest, res: ServerResponse): void {
    const { fn } = this.resolveFunction(req.label!, undefined);
    const name = decodeURIComponent(/\/aliases\/([^/]+)$/.exec(req.rawPath)![1]);
    if (!fn.aliases.has(name)) throw new HttpError(404, 'ResourceNotFoundException', `Cannot find alias arn: ${functionArn(fn.name, name)}`);
    json(res, 200, aliasJson(fn, name));
  }

  /** A version, unless an alias routes to it (its version or a weight); without a Qualifier, the whole function. */
  private deleteFunction(req: RecordedRequest, res: ServerResponse): void {
    const { fn, qualifier } = this.resolveFunction(req.label!, req.query.get('Qualifier') ?? undefined);
    if (qualifier === undefined) {
      this.functions.delete(fn.name);
    } else if (qualifier === '$LATEST') {
      throw new HttpError(400, 'InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.');
    } else if (!fn.versions.has(qualifier)) {
      throw new HttpError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(fn.name, qualifier)}`);
    } else {
      const aliases = [...fn.aliases.keys()].filter((name) => fn.aliases.get(name) === qualifier || qualifier in (fn.routing.get(name) ?? {}));
      if (aliases.length > 0) {
        throw new HttpError(409, 'ResourceConflictException', `Unable to delete version because the following aliases reference it: [${aliases.join(', ')}]`);
      }
      fn.versions.delete(qualifier);
    }
    res.writeHead(204, { 'x-amzn-requestid': randomUUID() });
    res.end();
  }

  /** Accepts a function name, `name:qualifier`, or a (qualified) function ARN, as Lambda does. */
  private resolveFunction(functionName: string, queryQualifier: string | undefined): { fn: StoredFunction; qualifier?: string } {
    const arn = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(functionName);
    const [name, pathQualifier] = arn ? [arn[1], arn[2]] : functionName.split(':');
    if (pathQualifier !== undefined && queryQualifier !== undefined && pathQualifier !== queryQualifier) {
      throw new HttpError(400, 'InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    const fn = this.functions.get(name);
    if (!fn) throw new HttpError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    return { fn, qualifier: pathQualifier ?? queryQualifier };
  }

  private findExecution(arn: string): StoredExecution {
    const e = this.executions.get(arn);
    if (!e) throw new HttpError(404, 'ResourceNotFoundException', `Durable execution not found: ${arn}`);
    return e;
  }

  private openCallbackOrThrow(id: string): StoredCallback {
    const callback = this.callbacks.get(id);
    if (!callback) throw new HttpError(404, 'ResourceNotFoundException', `Callback not found: ${id}`);
    if (callback.state !== 'OPEN') {
      throw new HttpError(400, 'CallbackTimeoutException',
        'The callback ID token has either expired or the callback associated with the token has already been closed.');
    }
    return callback;
  }
}

export function functionArn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

function executionJson(e: StoredExecution): Record<string, unknown> {
  return {
    DurableExecutionArn: e.arn,
    DurableExecutionName: e.name,
    FunctionArn: functionArn(e.functionName, e.version),
    Status: e.status,
    StartTimestamp: e.startedAt.getTime() / 1000,
    ...(e.endedAt ? { EndTimestamp: e.endedAt.getTime() / 1000 } : {}),
  };
}

/** History events (as @aws-sdk/client-lambda or the local engine give them) in the API's JSON shape: times as epoch seconds. */
export function wireEvents(events: readonly object[]): Record<string, unknown>[] {
  return JSON.parse(JSON.stringify(events, function toWire(this: Record<string, unknown>, key, value) {
    return this[key] instanceof Date ? (this[key] as Date).getTime() / 1000 : value;
  }));
}

function aliasJson(fn: StoredFunction, name: string): Record<string, unknown> {
  const weights = fn.routing.get(name);
  return {
    AliasArn: functionArn(fn.name, name),
    Name: name,
    FunctionVersion: fn.aliases.get(name),
    Description: '',
    ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}),
  };
}

/** Offset pagination with an opaque marker; MaxItems within `limits` (by default the durable APIs'). */
function paginate<T>(items: T[], query: URLSearchParams, limits: PageLimits = DURABLE_PAGES): { page: T[]; nextMarker?: string } {
  const asked = Number(query.get('MaxItems') ?? 0);
  if (!Number.isInteger(asked) || asked < 0 || asked > limits.max) {
    throw new HttpError(400, 'InvalidParameterValueException', `MaxItems must be between 1 and ${limits.max}.`);
  }
  const maxItems = Math.min(asked === 0 ? limits.default : asked, limits.cap);
  const marker = query.get('Marker');
  const offset = marker === null ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
    throw new HttpError(400, 'InvalidParameterValueException', `Invalid Marker: ${marker}`);
  }
  const end = offset + maxItems;
  return {
    page: items.slice(offset, end),
    nextMarker: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

/** An ErrorObject body; the SDK sends `{}` (or nothing) when the caller gave no error. */
function errorBody(body: string): WireError | undefined {
  const error = body === '' ? {} : JSON.parse(body) as WireError;
  return Object.keys(error).length === 0 ? undefined : error;
}

/** A history event without execution data: every `Payload` (inputs, results, errors) removed, as IncludeExecutionData=false does. */
function withoutPayloads<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPayloads) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'Payload').map(([key, v]) => [key, withoutPayloads(v)])) as T;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}
