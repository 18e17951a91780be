// What counts as a history: GetDurableExecutionHistory's response or its Events, with times in any of the shapes it
// takes on its way (Dates from the client, epoch seconds from the API's JSON, ISO strings after JSON.stringify).
import type { Event } from '@aws-sdk/client-lambda';
import { readHistory } from '../../lambda/testing';

const AT = new Date('2026-03-01T10:00:00.000Z');
const EVENTS: Event[] = [
  { EventId: 1, EventType: 'ExecutionStarted', Id: 'exec', Name: 'order-1', EventTimestamp: AT, ExecutionStartedDetails: { Input: { Payload: '{}' }, ExecutionTimeout: 3600 } },
  { EventId: 2, EventType: 'WaitStarted', Id: 'w', Name: 'cool-off', SubType: 'Wait', EventTimestamp: AT, WaitStartedDetails: { Duration: 3600, ScheduledEndTimestamp: new Date(AT.getTime() + 3_600_000) } },
  { EventId: 3, EventType: 'InvocationCompleted', EventTimestamp: AT, InvocationCompletedDetails: { StartTimestamp: AT, EndTimestamp: AT, RequestId: 'r' } },
];

test('the Events array, the whole response, ISO strings and epoch seconds all read as the same events with Dates', () => {
  const iso = JSON.parse(JSON.stringify({ Events: EVENTS, NextMarker: undefined }));
  const epoch = JSON.parse(JSON.stringify(EVENTS, (_key, value) => (typeof value === 'string' && /^\d{4}-/.test(value) ? Date.parse(value) / 1000 : value)));
  expect(typeof epoch[1].WaitStartedDetails.ScheduledEndTimestamp).toBe('number');
  for (const history of [EVENTS, { Events: EVENTS }, iso, epoch]) expect(readHistory(history)).toEqual(EVENTS);
});

test('events listed newest first (ReverseOrder) are put back in order by their ids', () => {
  expect(readHistory([...EVENTS].reverse())).toEqual(EVENTS);
});

test.each([
  ['an object that is not a response', { events: [] }, /^the history is not an execution history: expected GetDurableExecutionHistory's response \(\{ "Events": \[\.\.\.\] \}\) or its Events array, got object \{"events":\[\]\}$/],
  ['an event without a type', [EVENTS[0], { Id: 'x' }], /event 2 has no EventType \(object \{"Id":"x"\}\)/],
  ['an event without a time', [{ EventType: 'ExecutionStarted' }], /event 1 \(ExecutionStarted\) has no EventTimestamp/],
  ['a time that is not one', [{ ...EVENTS[0], EventTimestamp: 'yesterday' }], /event 1: EventTimestamp is not a time \(epoch seconds, an ISO 8601 string or a Date\), got the string "yesterday"/],
  ['a page that does not start the execution', EVENTS.slice(1), /is not a whole execution history: it starts with WaitStarted, not ExecutionStarted \(save every page/],
  ['no events at all', { Events: [] }, /it has no events, not ExecutionStarted/],
  ['a truncated payload', [EVENTS[0], { EventId: 2, EventType: 'StepSucceeded', Id: 's', Name: 'fetch', EventTimestamp: AT, StepSucceededDetails: { Result: { Payload: '{"a', Truncated: true } } }],
    /the history cannot be replayed: the Result of event 2 \(StepSucceeded "fetch"\) is truncated in the history/],
])('%s is refused with a message saying why', (_, history, message) => {
  expect(() => readHistory(history)).toThrow(message);
});

test('the message names the source it is given', () => {
  expect(() => readHistory(42, 'golden/order.json')).toThrow(/^golden\/order\.json is not an execution history: .*got number 42$/);
});
