import type { Event } from '@aws-sdk/client-lambda';
import { describe, LocalRunError } from '../local-run-error';

/**
 * A saved execution history: the `Events` of `GetDurableExecutionHistory`, or its whole response. Its timestamps may
 * be `Date`s (as `workflow.history()` and the local runner return them), epoch seconds (the API's JSON) or ISO 8601
 * strings (the same, after `JSON.stringify`).
 */
export type ExecutionHistory = readonly unknown[] | { readonly Events?: readonly unknown[] };

/**
 * The events of a history, oldest first, with every timestamp a `Date`. Throws a LocalRunError naming `source` when
 * the value is not a history.
 */
export function readHistory(history: unknown, source = 'the history'): Event[] {
  const events = Array.isArray(history) ? history : (history as { Events?: unknown } | null)?.Events;
  if (!Array.isArray(events)) {
    throw new LocalRunError(`${source} is not an execution history: expected GetDurableExecutionHistory's response `
      + `({ "Events": [...] }) or its Events array, got ${describe(history)}`);
  }
  const read = events.map((event: unknown, index) => {
    if (event === null || typeof event !== 'object' || typeof (event as Event).EventType !== 'string') {
      throw new LocalRunError(`${source} is not an execution history: event ${index + 1} has no EventType (${describe(event)})`);
    }
    const parsed = withDates(event, `${source}, event ${index + 1}`) as Event;
    if (!parsed.EventTimestamp) throw new LocalRunError(`${source} is not an execution history: event ${index + 1} (${parsed.EventType}) has no EventTimestamp`);
    const details = (parsed as unknown as Record<string, Record<string, { Truncated?: boolean } | undefined> | undefined>)[`${parsed.EventType}Details`];
    const truncated = Object.keys(details ?? {}).find((field) => details![field]?.Truncated === true);
    if (truncated) {
      // The SDK would replay a cut-off payload: the check cannot stand in for the service.
      throw new LocalRunError(`${source} cannot be replayed: the ${truncated} of event ${index + 1} (${parsed.EventType}${parsed.Name !== undefined ? ` "${parsed.Name}"` : ''}) `
        + 'is truncated in the history');
    }
    return parsed;
  });
  // ReverseOrder=true pages come newest first; the event ids put them back in order.
  if (read.every((event) => typeof event.EventId === 'number')) read.sort((a, b) => a.EventId! - b.EventId!);
  if (read[0]?.EventType !== 'ExecutionStarted') {
    throw new LocalRunError(`${source} is not a whole execution history: it ${read.length === 0 ? 'has no events' : `starts with ${read[0].EventType}`}, `
      + 'not ExecutionStarted (save every page of GetDurableExecutionHistory)');
  }
  return read;
}

/** A copy of `value` whose `...Timestamp` fields are Dates. */
function withDates(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withDates(item, where));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, key.endsWith('Timestamp') ? toDate(field, `${where}: ${key}`) : withDates(field, where)]));
}

function toDate(value: unknown, where: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value
    : typeof value === 'number' ? new Date(value * 1000)
      : typeof value === 'string' ? new Date(value)
        : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new LocalRunError(`${where} is not a time (epoch seconds, an ISO 8601 string or a Date), got ${describe(value)}`);
  }
  return date;
}
