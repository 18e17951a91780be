// The Lambda REST API's wire conventions, as @aws-sdk/client-lambda reads them: JSON bodies with timestamps in epoch
// seconds, errors as a status code, an `x-amzn-errortype` header and a JSON message, pages behind an opaque marker.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { isDurableExecutionClientError } from '@aws/durable-execution-sdk-js';
import { ServiceError } from '../../testing/engine/service-errors';

/** An error answered in the Lambda API's shape. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Lambda errors whose message member is `message`; the others (ResourceNotFoundException, ...) use `Message`. */
const LOWER_CASE_MESSAGE = new Set([
  'InvalidParameterValueException', 'InvalidRequestContentException', 'ResourceConflictException', 'TooManyRequestsException', 'ValidationException',
]);

/**
 * What the engine threw, as the service would answer it: its named errors keep their name and status; a refused
 * checkpoint (the SDK's client error) is a 400, whose message tells the SDK whether only the invocation is lost
 * (`Invalid Checkpoint Token`) or the execution.
 */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ServiceError) return new ApiError(error.statusCode, error.name, error.message);
  if (isDurableExecutionClientError(error)) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof ServiceError) return new ApiError(cause.statusCode, cause.name, cause.message);
    return new ApiError(400, 'InvalidParameterValueException', error.message);
  }
  return new ApiError(500, 'ServiceException', (error as Error)?.stack ?? String(error));
}

export function sendError(res: ServerResponse, error: ApiError): void {
  res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify({
    Type: error.status >= 500 ? 'Service' : 'User',
    [LOWER_CASE_MESSAGE.has(error.code) ? 'message' : 'Message']: error.message,
  }));
}

/** A JSON body with every Date as epoch seconds (the API's timestamp format). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
  res.end(JSON.stringify(body, function epochSeconds(this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  }));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Page sizes: MaxItems accepted (1 to `max`), and the page when it is absent or 0. */
export interface PageLimits {
  readonly max: number;
  readonly default: number;
}

/** The durable APIs: MaxItems 1 to 1000, default 100. */
export const DURABLE_PAGES: PageLimits = { max: 1000, default: 100 };

/** Where a page starts (the marker is an opaque offset) and how long it is. */
export function pageRequest(query: URLSearchParams, limits: PageLimits = DURABLE_PAGES): { offset: number; limit: number } {
  const asked = Number(query.get('MaxItems') ?? 0);
  if (!Number.isInteger(asked) || asked < 0 || asked > limits.max) {
    throw new ApiError(400, 'InvalidParameterValueException', `MaxItems must be between 1 and ${limits.max}.`);
  }
  const marker = query.get('Marker');
  const offset = marker === null ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'InvalidParameterValueException', `Invalid Marker: ${marker}`);
  return { offset, limit: asked === 0 ? limits.default : asked };
}

/** The marker of the page after one that started at `offset`, if more follow. */
export function nextMarker(offset: number, limit: number, more: boolean): string | undefined {
  return more ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
}

/** A history event without execution data: every `Payload` (inputs, results, errors) removed, as IncludeExecutionData=false does. */
export function withoutPayloads<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPayloads) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'Payload').map(([key, v]) => [key, withoutPayloads(v)])) as T;
}

/** An ErrorObject body; the SDK sends `{}` (or nothing) when the caller gave no error. */
export function errorBody(body: string): Record<string, unknown> | undefined {
  const error = parseJson(body === '' ? '{}' : body) as Record<string, unknown>;
  return Object.keys(error).length === 0 ? undefined : error;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
  }
}
