// The queue dispatcher's Lambda handler, bundled into assets/ at build time (with its own @aws-sdk/client-lambda).
// Configured by environment variables: see QUEUE_DISPATCHER_ENV.
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { QueueDispatcher } from './queue-dispatcher';
import { readQueueDispatcherConfig } from './queue-dispatcher-config';

/** Tries per start (the SDK's standard retry of throttling and 5xx answers) before its message is reported. */
export const START_ATTEMPTS = 3;

let dispatcher: QueueDispatcher | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  // Built on the first batch: a misconfiguration fails that invocation with the error naming every bad variable.
  dispatcher ??= new QueueDispatcher(readQueueDispatcherConfig(process.env), new LambdaClient({ maxAttempts: START_ATTEMPTS }));
  return dispatcher.dispatch(event);
}
