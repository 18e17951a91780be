// SQS records in the shape a Lambda event source mapping delivers them.
import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { ACCOUNT, REGION } from './lambda-api-server';

export const STANDARD_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
export const FIFO_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`;

export interface MessageOptions {
  readonly messageId?: string;
  readonly messageAttributes?: SQSMessageAttributes;
  /** FIFO: the record comes from FIFO_QUEUE_ARN with this group. */
  readonly messageGroupId?: string;
}

/** A message as first delivered: a fresh message id (a UUID, as SQS gives), receive count 1. */
export function sqsRecord(body: string, options: MessageOptions = {}): SQSRecord {
  const fifo = options.messageGroupId !== undefined;
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600100',
      ...(fifo ? { MessageGroupId: options.messageGroupId, MessageDeduplicationId: md5(body), SequenceNumber: '18849496460467696128' } : {}),
    },
    messageAttributes: options.messageAttributes ?? {},
    md5OfBody: md5(body),
    eventSource: 'aws:sqs',
    eventSourceARN: fifo ? FIFO_QUEUE_ARN : STANDARD_QUEUE_ARN,
    awsRegion: REGION,
  };
}

/** The same message delivered again: a new receipt handle and a higher receive count, nothing else changed. */
export function redelivery(record: SQSRecord): SQSRecord {
  return {
    ...record,
    receiptHandle: `AQEB${randomUUID()}`,
    attributes: { ...record.attributes, ApproximateReceiveCount: String(Number(record.attributes.ApproximateReceiveCount) + 1) },
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function stringAttribute(value: string, dataType = 'String'): SQSMessageAttributes[string] {
  return { stringValue: value, stringListValues: [], binaryListValues: [], dataType };
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
