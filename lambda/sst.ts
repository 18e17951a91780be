// SST's client call shapes, so code written against `sst/aws/workflow` runs unchanged:
//   workflow.start(resource, { name, payload? }, { aws }?)     workflow.succeed(token, { payload? }, { aws }?)
//   workflow.fail(token, { error }, { aws }?)                   workflow.stop(arn, { error? }, { aws }?)
// This package's own shapes put the payload, result or error itself in the second argument. The readers below
// recognise SST's wrapper objects by their exact keys, so the rule is short enough to document: see each function.

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

/** SST's `workflow.start` input. */
export interface SstStartInput<TPayload = unknown> {
  /** The execution name (SST requires one). */
  readonly name: string;
  readonly payload?: TPayload;
}

/** SST's `workflow.succeed` input. */
export interface SstSucceedInput<TPayload = unknown> {
  readonly payload?: TPayload;
}

/** SST's `workflow.fail` and `workflow.stop` input. */
export interface SstErrorInput {
  readonly error?: unknown;
}

/**
 * `start(target, input, options)` is SST's form when `input` has a string `name` and no key but `name` and `payload`,
 * and `options` is absent or only `{ aws }`. Passing any option of this package (even `{}`) sends such an object as
 * the payload itself.
 */
export function readSstStart(input: unknown, options: unknown): SstStartInput | undefined {
  return onlySstOptions(options) && hasOnlyKeys(input, ['name', 'payload']) && typeof input.name === 'string'
    ? { name: input.name, payload: input.payload }
    : undefined;
}

/**
 * `succeed(id, result, options)` is SST's form when `result` is `{ payload }` (that key only) and `options` is absent
 * or only `{ aws }`; then the callback result is `payload`.
 */
export function readSstSucceed(result: unknown, options: unknown): SstSucceedInput | undefined {
  return onlySstOptions(options) && hasOnlyKeys(result, ['payload']) && 'payload' in result ? result : undefined;
}

/**
 * `{ error }` (no other key) is SST's wrapper for `fail` and `stop`: this package's error objects never have that key,
 * and `{}` carries no error in either form.
 */
export function readSstError(input: unknown): SstErrorInput | undefined {
  return hasOnlyKeys(input, ['error']) ? input : undefined;
}

function onlySstOptions(options: unknown): boolean {
  return options === undefined || hasOnlyKeys(options, ['aws']);
}

function hasOnlyKeys(value: unknown, allowed: readonly string[]): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false; // an Error, a Date, a class instance: never SST's
  return Object.keys(value).every((key) => allowed.includes(key));
}
