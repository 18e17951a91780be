// The queue dispatcher: starts one durable execution per SQS message, asynchronously and named after the message, so
// that a message delivered twice starts one execution. projen bundles this file (with @aws-sdk/client-lambda) into
// assets/queue-dispatcher.lambda/ at build time; src/queue-dispatcher-function.ts is the generated lambda.Function.
// Configured by environment variables (QUEUE_DISPATCHER_ENV). Each message ends started or in `batchItemFailures`
// (ReportBatchItemFailures) with one JSON log line saying why; SQS redelivers only those, and the queue's DLQ takes
// them after its maxReceiveCount.
import { DurableExecutionAlreadyStartedException, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { executionNameFor } from './execution-name';
import { writeLogLine } from './json-log';
import { parseJsonPath, readJsonPathText } from './json-path';
import type { JsonPathSegment } from './json-path';
import { executionNameFrom, readQueueDispatcherConfig } from './queue-dispatcher-config';
import type { QueueDispatcherConfig } from './queue-dispatcher-config';

/**
 * Starts in flight at once per batch: a batch of 10 goes out together, a larger one is paced (Lambda allows 300 starts
 * a second per Region; a throttled start is retried, then reported).
 */
const MAX_IN_FLIGHT = 10;
/** Record attributes that change on every delivery: a `record` payload leaves them out, or a redelivery would conflict. */
const PER_DELIVERY_ATTRIBUTES = new Set(['ApproximateReceiveCount']);

/** Tries per start (the SDK's standard retry of throttling and 5xx answers) before its message is reported. */
export const START_ATTEMPTS = 3;

type Outcome = 'started' | 'invalid' | 'conflict' | 'failed' | 'blocked';

class InvalidMessage extends Error {}

export class QueueDispatcher {
  private readonly jsonPath?: JsonPathSegment[];

  constructor(private readonly config: QueueDispatcherConfig, private readonly client: LambdaClient) {
    if (config.executionName.kind === 'jsonPath') this.jsonPath = parseJsonPath(config.executionName.path);
  }

  /**
   * Starts every message of a batch. Standard queues start them in any order. FIFO queues start each message group in
   * order: after a message of a group fails, the rest of that group is not started and is reported too, so SQS
   * redelivers the group in order; other groups go on.
   */
  async dispatch(event: SQSEvent): Promise<SQSBatchResponse> {
    const records = event.Records;
    const groups = new Map<string, SQSRecord[]>();
    records.forEach((record, index) => {
      const key = isFifo(record) ? `group:${record.attributes.MessageGroupId}` : `record:${index}`;
      const group = groups.get(key) ?? [];
      group.push(record);
      groups.set(key, group);
    });

    const outcomes = new Map<SQSRecord, Outcome>();
    const starts = new Map<string, { payload: string; outcome: Promise<Outcome> }>();
    await inParallel([...groups.values()], MAX_IN_FLIGHT, async (group) => {
      let blockedBy: string | undefined;
      for (const record of group) {
        const outcome = blockedBy === undefined ? await this.dispatchRecord(record, starts) : this.block(record, blockedBy);
        outcomes.set(record, outcome);
        if (outcome !== 'started' && isFifo(record)) blockedBy ??= record.messageId;
      }
    });

    const failed = records.filter((r) => outcomes.get(r) !== 'started');
    writeLogLine({ level: 'INFO', message: 'Batch dispatched', records: records.length, started: records.length - failed.length, failed: failed.length });
    return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
  }

  private async dispatchRecord(record: SQSRecord, starts: Map<string, { payload: string; outcome: Promise<Outcome> }>): Promise<Outcome> {
    let name: string;
    let payload: string;
    try {
      name = executionNameFor(this.nameValue(record));
      payload = this.payload(record);
    } catch (error) {
      // Whatever a message holds, it fails alone, never the batch.
      return error instanceof InvalidMessage
        ? this.report(record, 'invalid', `Message not started: ${error.message}`)
        : this.report(record, 'failed', 'Message not started: reading it failed', { error: describeError(error) });
    }

    // A message delivered twice in one batch is started once; both copies share the outcome.
    const same = starts.get(name);
    if (same?.payload === payload) {
      const shared = await same.outcome;
      return shared === 'started' ? shared
        : this.report(record, shared, 'Message not started: the same start for another copy in the batch failed', { executionName: name });
    }
    const outcome = this.start(record, name, payload);
    if (!same) starts.set(name, { payload, outcome });
    return outcome;
  }

  private nameValue(record: SQSRecord): string {
    const source = this.config.executionName;
    let value: string | undefined;
    if (source.kind === 'messageId') {
      value = record.messageId;
    } else if (source.kind === 'jsonPath') {
      value = readJsonPathText(jsonBody(record, `the execution name is read from ${source.path}`), this.jsonPath!);
      if (value === undefined) throw new InvalidMessage(`its JSON body has no string or number at ${source.path} for the execution name`);
    } else {
      const attribute = record.messageAttributes[source.name];
      if (attribute === undefined) throw new InvalidMessage(`it has no message attribute '${source.name}' for the execution name`);
      if (attribute.stringValue === undefined) {
        throw new InvalidMessage(`its message attribute '${source.name}' is ${attribute.dataType}; the execution name needs a String or Number`);
      }
      value = attribute.stringValue;
    }
    if (value === '') throw new InvalidMessage(`the value for the execution name (${executionNameFrom(this.config.executionName)}) is empty`);
    return value;
  }

  private payload(record: SQSRecord): string {
    switch (this.config.payload) {
      case 'jsonBody':
        // The body as sent (checked to be JSON): numbers keep their digits and a redelivery sends the same bytes.
        return jsonBody(record, 'the payload is the JSON body');
      case 'rawBody':
        return JSON.stringify(record.body);
      case 'record':
        return stableRecordJson(record);
    }
  }

  private async start(record: SQSRecord, name: string, payload: string): Promise<Outcome> {
    try {
      // Asynchronous: an execution may run up to a year; a synchronous start would cap it at 15 minutes.
      await this.client.send(new InvokeCommand({
        FunctionName: this.config.workflowArn,
        InvocationType: 'Event',
        DurableExecutionName: name,
        Payload: new TextEncoder().encode(payload),
      }));
      // The service answers a repeated name with the same payload with the existing execution: done too.
      return 'started';
    } catch (error) {
      if (error instanceof DurableExecutionAlreadyStartedException) {
        return this.report(record, 'conflict',
          'Message not started: an execution with its name already exists with a different payload', { executionName: name });
      }
      return this.report(record, 'failed', 'Message not started: the start failed', { executionName: name, error: describeError(error) });
    }
  }

  private block(record: SQSRecord, blockedBy: string): Outcome {
    return this.report(record, 'blocked', 'Message not started: an earlier message of its FIFO group was not started', {
      messageGroupId: record.attributes.MessageGroupId,
      blockedBy,
    });
  }

  private report(record: SQSRecord, outcome: Outcome, message: string, details: Record<string, unknown> = {}): Outcome {
    writeLogLine({
      level: 'ERROR',
      message,
      outcome,
      messageId: record.messageId,
      ...details,
      executionNameFrom: executionNameFrom(this.config.executionName),
      payloadFrom: this.config.payload,
      workflowArn: this.config.workflowArn,
    });
    return outcome;
  }
}

let dispatcher: QueueDispatcher | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  // Built on the first batch: a misconfiguration fails that invocation with the error naming every bad variable.
  dispatcher ??= new QueueDispatcher(readQueueDispatcherConfig(process.env), new LambdaClient({ maxAttempts: START_ATTEMPTS }));
  return dispatcher.dispatch(event);
}

/** Runs `work` on every item with at most `limit` running at once. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function isFifo(record: SQSRecord): boolean {
  return record.eventSourceARN.endsWith('.fifo');
}

/** The body, checked to be JSON; `why` says what needed it. */
function jsonBody(record: SQSRecord, why: string): string {
  try {
    JSON.parse(record.body);
  } catch {
    throw new InvalidMessage(`its body (${Buffer.byteLength(record.body)} bytes) is not JSON, and ${why}`);
  }
  return record.body;
}

/**
 * The record as Lambda delivers it, without what changes on every delivery (`receiptHandle`,
 * `attributes.ApproximateReceiveCount`), with keys sorted: the same message gives the same payload every time.
 */
function stableRecordJson(record: SQSRecord): string {
  const { receiptHandle: _perDelivery, ...stable } = record;
  const attributes = Object.fromEntries(Object.entries(record.attributes).filter(([key]) => !PER_DELIVERY_ATTRIBUTES.has(key)));
  return JSON.stringify({ ...stable, attributes }, (_key, value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value));
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return { name: error.name, message: error.message, ...(status === undefined ? {} : { statusCode: status }) };
}
