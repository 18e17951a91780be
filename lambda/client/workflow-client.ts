// WorkflowClient: start, inspect, stop and answer callbacks, on @aws-sdk/client-lambda's typed commands and
// paginators. This package's own call shapes (payload and options apart, `sync`, an injected LambdaClient);
// `workflow.start` and the other calls in SST's shapes (calls.ts) use it underneath.
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { InvalidArgumentError } from '../errors';
import { parseJsonOrText } from '../json';
import { checkSize, decode, LIMITS, toErrorObject, toJson, utf8 } from './encode';
import type { ErrorInput } from './encode';
import { toWorkflowError } from './errors';
import { ExecutionList } from './execution-list';
import { checkCallbackId, checkExecutionArn, checkExecutionName, resolveTarget } from './target';
import type { WorkflowTarget } from './target';

/** Execution statuses of the Lambda durable execution API. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED';
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

/** One event of an execution's history, as the Lambda API returns it. */
export type HistoryEvent = LambdaSdk.Event;

/** SST's `{ aws }` option: aws4fetch's AwsClient options. Credentials, region and retries are honoured. */
export interface AwsOptions {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly region?: string;
  /** Retries after the first attempt (aws4fetch's `retries`): the LambdaClient gets `maxAttempts: retries + 1`. */
  readonly retries?: number;
  /** Other aws4fetch options (`service`, `cache`, `initRetryMs`) are accepted and ignored. */
  readonly [option: string]: unknown;
}

/** Which Lambda API client a WorkflowClient uses. */
export interface ClientOptions {
  /** A configured LambdaClient (credentials, region, retries, endpoint). @default a LambdaClient from the environment */
  readonly client?: LambdaSdk.LambdaClient;
  /** An endpoint for a LambdaClient created here, e.g. a local emulator. Ignored when `client` is given. */
  readonly endpoint?: string;
  /** A region for a LambdaClient created here. Ignored when `client` is given. */
  readonly region?: string;
  /**
   * SST's option: credentials, region and retries for a LambdaClient created here. Ignored when `client` is given.
   * @default credentials and region from the environment
   */
  readonly aws?: AwsOptions;
}

/** Options of `WorkflowClient.start`. */
export interface StartOptions {
  /**
   * Execution name, the idempotency key: starting again with the same name and payload returns the same execution;
   * with another payload it fails with ExecutionAlreadyStartedError. 1 to 64 of [a-zA-Z0-9-_].
   * @default a name Lambda generates
   */
  readonly name?: string;
  /**
   * Wait for the execution to finish (`RequestResponse`, at most 15 minutes) instead of starting it (`Event`).
   * @default false
   */
  readonly sync?: boolean;
}

/** What `workflow.start` returns. */
export interface StartResponse {
  /** ARN of the durable execution. */
  readonly arn?: string;
  /** HTTP status code of the Invoke call: 202 when started asynchronously, 200 for `sync`. */
  readonly statusCode: number;
  /** The function version that runs the execution. */
  readonly version?: string;
  /** `sync` only: the execution's result (or error payload), parsed from JSON. */
  readonly payload?: unknown;
  /** `sync` only: set when the execution failed (`Unhandled` or `Handled`). */
  readonly functionError?: string;
}

/** One execution, as listed. */
export interface Execution {
  readonly arn: string;
  readonly name: string;
  /** The version-qualified ARN of the function that runs the execution. */
  readonly functionArn: string;
  readonly status: ExecutionStatus;
  readonly createdAt: Date;
  /** When the execution ended, if it has. */
  readonly endedAt?: Date;
}

/** An execution's error. */
export interface ExecutionError {
  readonly message?: string;
  readonly type?: string;
  readonly data?: string;
  readonly stackTrace?: string[];
}

/** What `workflow.describe` returns. */
export interface DescribeResponse extends Execution {
  /** The version the execution is pinned to. */
  readonly version?: string;
  /** The payload it was started with, parsed from JSON (the raw string if it is not JSON). */
  readonly input?: unknown;
  /** Its result, parsed from JSON (the raw string if it is not JSON). */
  readonly result?: unknown;
  readonly error?: ExecutionError;
}

/** Filters of `workflow.list`. */
export interface ListQuery {
  /** One status or several. @default every status */
  readonly status?: ExecutionStatus | readonly ExecutionStatus[];
  /** Only executions with this name. */
  readonly name?: string;
  /** Start-time window and order. @default every start time, oldest first */
  readonly createdAt?: {
    readonly from?: Date;
    readonly to?: Date;
    readonly order?: 'asc' | 'desc';
  };
  /** Executions fetched per request, 1 to 1000. @default 1000 */
  readonly pageSize?: number;
}

/** What awaiting `workflow.list` gives: every matching execution, across all pages. */
export interface ListResponse {
  readonly executions: Execution[];
}

/** What `workflow.stop` returns. */
export interface StopResponse {
  readonly arn: string;
  readonly status: 'STOPPED';
  readonly stoppedAt?: Date;
}

/**
 * @aws-sdk/client-lambda, loaded on first use. A handler imports this module with the rest of the runtime
 * helper; loading client-lambda (about 50 ms) at import would put it in every cold start's module load, even
 * for handlers that never call the client (the durable SDK loads it later, at its first checkpoint).
 */
let lambdaSdk: Promise<typeof LambdaSdk> | undefined;
function loadLambdaSdk(): Promise<typeof LambdaSdk> {
  // eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, as above
  lambdaSdk ??= import('@aws-sdk/client-lambda');
  return lambdaSdk;
}

/** The workflow client bound to one LambdaClient. `workflow.start` and the other calls use a shared default one. */
export class WorkflowClient {
  private lambda?: LambdaSdk.LambdaClient;

  constructor(private readonly options: ClientOptions = {}) {}

  /**
   * Starts an execution of a qualified workflow with `input` as its payload: asynchronously (`Event`) unless
   * `options.sync`. `options.name` is the idempotency key.
   */
  async start(target: WorkflowTarget, input?: unknown, options: StartOptions = {}): Promise<StartResponse> {
    const { functionName, qualifier } = resolveTarget(target);
    const name = options.name === undefined ? undefined : checkExecutionName(options.name);
    const payload = input === undefined ? undefined : utf8(toJson(input, 'Workflow input'));
    if (payload) {
      checkSize('Workflow input (as JSON)', payload.length, options.sync ? LIMITS.syncPayload : LIMITS.asyncPayload,
        options.sync ? 'a synchronous start (RequestResponse: 6 MB)' : 'an asynchronous start (InvocationType Event: 1 MB; sync: true allows 6 MB)');
    }
    const response = await this.call('Invoke', (client, sdk) => client.send(new sdk.InvokeCommand({
      FunctionName: functionName,
      Qualifier: qualifier,
      InvocationType: options.sync ? 'RequestResponse' : 'Event',
      DurableExecutionName: name,
      Payload: payload,
    })));
    return {
      arn: response.DurableExecutionArn,
      statusCode: response.StatusCode ?? 0,
      version: response.ExecutedVersion,
      ...(options.sync ? { payload: parseJsonOrText(decode(response.Payload)), functionError: response.FunctionError } : {}),
    };
  }

  /** Status, timestamps, version, input, result and error of an execution. */
  async describe(arn: string): Promise<DescribeResponse> {
    const executionArn = checkExecutionArn(arn);
    const r = await this.call('GetDurableExecution', (client, sdk) => client.send(new sdk.GetDurableExecutionCommand({
      DurableExecutionArn: executionArn,
      IncludeExecutionData: true,
    })));
    return {
      ...toExecution(r),
      version: r.Version,
      input: parseJsonOrText(r.InputPayload),
      result: parseJsonOrText(r.Result),
      error: r.Error && {
        message: r.Error.ErrorMessage,
        type: r.Error.ErrorType,
        data: r.Error.ErrorData,
        stackTrace: r.Error.StackTrace,
      },
    };
  }

  /** Every execution of a workflow matching `query`; see ExecutionList. An unqualified target lists every version. */
  list(target: WorkflowTarget, query: ListQuery = {}): ExecutionList {
    return new ExecutionList(() => this.paginate('ListDurableExecutionsByFunction', async function* (client, sdk) {
      // Checked when the listing is awaited or iterated, before its first request: a bad target or query rejects
      // like any other failure of this promise-like, instead of throwing where `.catch` cannot see it.
      const { functionName, qualifier } = resolveTarget(target, true);
      const input = listInput(query);
      const pageSize = query.pageSize ?? 1000;
      const pages = sdk.paginateListDurableExecutionsByFunction(
        { client, pageSize, stopOnSameToken: true },
        { FunctionName: functionName, Qualifier: qualifier, ...input },
      );
      for await (const page of pages) yield (page.DurableExecutions ?? []).map(toExecution);
    }));
  }

  /** Every event of an execution's history, across all pages, oldest first. */
  async history(arn: string): Promise<HistoryEvent[]> {
    const executionArn = checkExecutionArn(arn);
    const events: HistoryEvent[] = [];
    const pages = this.paginate('GetDurableExecutionHistory', async function* (client, sdk) {
      const history = sdk.paginateGetDurableExecutionHistory(
        { client, pageSize: 1000, stopOnSameToken: true },
        { DurableExecutionArn: executionArn, IncludeExecutionData: true },
      );
      for await (const page of history) yield page.Events ?? [];
    });
    for await (const page of pages) events.push(...page);
    return events;
  }

  /** Stops a running execution, optionally with an error. It ends at its next checkpoint. */
  async stop(arn: string, error?: ErrorInput): Promise<StopResponse> {
    const executionArn = checkExecutionArn(arn);
    const errorObject = error === undefined ? undefined : toErrorObject(error, 'Stop error');
    const r = await this.call('StopDurableExecution', (client, sdk) => client.send(new sdk.StopDurableExecutionCommand({
      DurableExecutionArn: executionArn,
      Error: errorObject,
    })));
    return { arn: executionArn, status: 'STOPPED', stoppedAt: r.StopTimestamp };
  }

  /** Completes a callback successfully; `result` is sent as JSON (`ctx.waitForCallbackJson` parses it back). */
  async succeed(callbackId: string, result?: unknown): Promise<void> {
    const id = checkCallbackId(callbackId);
    const body = result === undefined ? undefined : utf8(toJson(result, 'Callback result'));
    if (body) checkSize('Callback result (as JSON)', body.length, LIMITS.callbackResult, 'SendDurableExecutionCallbackSuccess (1 MB)');
    await this.call('SendDurableExecutionCallbackSuccess', (client, sdk) =>
      client.send(new sdk.SendDurableExecutionCallbackSuccessCommand({ CallbackId: id, Result: body })));
  }

  /** Fails a callback; the workflow's waitForCallback throws a CallbackError with this error. */
  async fail(callbackId: string, error: ErrorInput): Promise<void> {
    const id = checkCallbackId(callbackId);
    const errorObject = toErrorObject(error, 'Callback error');
    await this.call('SendDurableExecutionCallbackFailure', (client, sdk) =>
      client.send(new sdk.SendDurableExecutionCallbackFailureCommand({ CallbackId: id, Error: errorObject })));
  }

  /** Keeps a callback with a heartbeat timeout open while its work is still running. */
  async heartbeat(callbackId: string): Promise<void> {
    const id = checkCallbackId(callbackId);
    await this.call('SendDurableExecutionCallbackHeartbeat', (client, sdk) =>
      client.send(new sdk.SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: id })));
  }

  /** The injected LambdaClient, or one created on first use (so constructing a client never reads config). */
  private async connect(): Promise<[LambdaSdk.LambdaClient, typeof LambdaSdk]> {
    const sdk = await loadLambdaSdk();
    this.lambda ??= this.options.client ?? createLambdaClient(sdk, this.options);
    return [this.lambda, sdk];
  }

  private async call<T>(operation: string, send: (client: LambdaSdk.LambdaClient, sdk: typeof LambdaSdk) => Promise<T>): Promise<T> {
    try {
      return await send(...await this.connect());
    } catch (error) {
      throw toWorkflowError(error, operation);
    }
  }

  private async *paginate<T>(
    operation: string,
    pages: (client: LambdaSdk.LambdaClient, sdk: typeof LambdaSdk) => AsyncIterable<T>,
  ): AsyncGenerator<T> {
    try {
      yield* pages(...await this.connect());
    } catch (error) {
      throw toWorkflowError(error, operation);
    }
  }
}

let defaultClient: WorkflowClient | undefined;

/** The shared client, or one for SST's `{ aws }` option. */
export function clientFor(aws: AwsOptions | undefined): WorkflowClient {
  if (aws) return new WorkflowClient({ aws });
  defaultClient ??= new WorkflowClient();
  return defaultClient;
}

function createLambdaClient(sdk: typeof LambdaSdk, { endpoint, region, aws }: ClientOptions): LambdaSdk.LambdaClient {
  const { accessKeyId, secretAccessKey, sessionToken, retries } = aws ?? {};
  return new sdk.LambdaClient({
    endpoint,
    region: region ?? aws?.region,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, sessionToken } } : {}),
    ...(typeof retries === 'number' ? { maxAttempts: retries + 1 } : {}),
  });
}

function listInput(query: ListQuery) {
  const statuses = query.status === undefined ? undefined : ([] as ExecutionStatus[]).concat(query.status);
  for (const status of statuses ?? []) {
    if (!STATUSES.includes(status)) {
      throw new InvalidArgumentError(`workflow.list status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}`);
    }
  }
  const { from, to, order = 'asc' } = query.createdAt ?? {};
  for (const [field, date] of [['from', from], ['to', to]] as const) {
    if (date !== undefined && !(date instanceof Date && Number.isFinite(date.getTime()))) {
      throw new InvalidArgumentError(`workflow.list createdAt.${field} must be a valid Date, got ${String(date)}`);
    }
  }
  if (from && to && from.getTime() > to.getTime()) {
    throw new InvalidArgumentError(`workflow.list createdAt.from (${from.toISOString()}) is after createdAt.to (${to.toISOString()})`);
  }
  if (order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError(`workflow.list createdAt.order must be 'asc' or 'desc', got ${String(order)}`);
  }
  const pageSize = query.pageSize;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) {
    throw new InvalidArgumentError(`workflow.list pageSize must be an integer from 1 to 1000, got ${String(pageSize)}`);
  }
  return {
    Statuses: statuses,
    DurableExecutionName: query.name === undefined ? undefined : checkExecutionName(query.name),
    StartedAfter: from,
    StartedBefore: to,
    // ListDurableExecutionsByFunction lists newest first unless ReverseOrder is true (the history API is the other
    // way round), so oldest-first is ReverseOrder=true. SST sends it for 'desc', the wrong way round.
    ReverseOrder: order === 'asc',
  };
}

interface ExecutionShape {
  readonly DurableExecutionArn?: string;
  readonly DurableExecutionName?: string;
  readonly FunctionArn?: string;
  readonly Status?: string;
  readonly StartTimestamp?: Date;
  readonly EndTimestamp?: Date;
}

function toExecution(e: ExecutionShape): Execution {
  return {
    arn: e.DurableExecutionArn ?? '',
    name: e.DurableExecutionName ?? '',
    functionArn: e.FunctionArn ?? '',
    status: e.Status as ExecutionStatus,
    createdAt: e.StartTimestamp ?? new Date(Number.NaN),
    ...(e.EndTimestamp ? { endedAt: e.EndTimestamp } : {}),
  };
}

