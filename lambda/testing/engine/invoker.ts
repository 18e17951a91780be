// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurableExecutionInvocationInputWithClient } from '@aws/durable-execution-sdk-js';
import type {
  DurableExecutionClient,
  DurableExecutionInvocationOutput,
  DurableLambdaHandler,
  Operation,
} from '@aws/durable-execution-sdk-js';

/** What one invocation of a handler receives, as the service would send it. */
export interface InvocationRequest {
  readonly handler: DurableLambdaHandler;
  readonly executionArn: string;
  readonly checkpointToken: string;
  /** The first page of the execution's operations, the EXECUTION operation first. */
  readonly operations: Operation[];
  readonly nextMarker?: string;
  /** Operations that changed since the previous invocation (waits ended, callbacks answered, invokes done). */
  readonly updatedOperationIds: string[];
  readonly requestId: string;
  /** The engine, behind the SDK's door for a backend other than the Lambda API. */
  readonly client: DurableExecutionClient;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly functionArn: string;
  /** When the invocation must end, on the handler's clock (the function timeout). */
  readonly deadline: number;
}

/** How an invocation ended. */
export type InvocationOutcome =
  /** The SDK answered: SUCCEEDED, FAILED or PENDING. */
  | { readonly kind: 'returned'; readonly output: DurableExecutionInvocationOutput }
  /** It returned something that is not a durable invocation status: not a durable handler. */
  | { readonly kind: 'not-durable'; readonly output: unknown }
  /** It threw: the SDK's unrecoverable errors (Lambda would retry the invocation), or a handler that is not durable. */
  | { readonly kind: 'threw'; readonly error: unknown };

/**
 * Runs one invocation of a durable handler, standing where the Lambda service stands: the handler gets the
 * invocation input with the engine as its `DurableExecutionClient` (the SDK's public door for another backend)
 * and a Lambda context, and its answer is classified. Nothing in the SDK or the handler is patched.
 */
export async function invokeHandler(request: InvocationRequest): Promise<InvocationOutcome> {
  const input = new DurableExecutionInvocationInputWithClient({
    DurableExecutionArn: request.executionArn,
    CheckpointToken: request.checkpointToken,
    InitialExecutionState: { Operations: request.operations, NextMarker: request.nextMarker },
  }, request.client);
  // The class keeps only the fields it declares; the SDK reads this one from the event itself.
  Object.assign(input, { UpdatedOperationIds: request.updatedOperationIds });

  const { requestId } = request;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: request.functionName,
    functionVersion: request.functionVersion,
    invokedFunctionArn: request.functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${request.functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as unknown as Parameters<DurableLambdaHandler>[1];

  let output: unknown;
  try {
    output = await request.handler(input, context);
  } catch (error) {
    return { kind: 'threw', error };
  }
  const status = (output as { Status?: unknown } | null)?.Status;
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'PENDING'
    ? { kind: 'returned', output: output as DurableExecutionInvocationOutput }
    : { kind: 'not-durable', output };
}
