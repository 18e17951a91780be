import type { ErrorObject, Operation } from '@aws/durable-execution-sdk-js';
import type { Event, EventError, EventResult, EventType } from '@aws-sdk/client-lambda';

/** The operation an event is about: the fields every event of it repeats. */
export type EventSubject = Pick<Operation, 'Id' | 'Name' | 'ParentId' | 'SubType'>;

/**
 * One event in the shape `GetDurableExecutionHistory` returns: the type, the operation it is about, the time, and
 * the details under `<EventType>Details`. The store numbers it (`EventId`).
 */
export function historyEvent(type: EventType, subject: EventSubject | undefined, at: Date, details: object = {}): Event {
  const event: Record<string, unknown> = { EventType: type, EventTimestamp: at, [`${type}Details`]: details };
  if (subject?.SubType !== undefined) event.SubType = subject.SubType;
  if (subject?.Id !== undefined) event.Id = subject.Id;
  if (subject?.Name !== undefined) event.Name = subject.Name;
  if (subject?.ParentId !== undefined) event.ParentId = subject.ParentId;
  return event as Event;
}

export function eventPayload(payload: string | undefined): EventResult {
  return { Payload: payload };
}

export function eventError(error: ErrorObject | undefined): EventError {
  return { Payload: error };
}
