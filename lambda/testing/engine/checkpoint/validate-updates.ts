import type { Operation, OperationUpdate } from '@aws/durable-execution-sdk-js';
import { ServiceError } from '../service-errors';

/** The largest payload one operation may checkpoint: 256 KB of UTF-8. */
export const MAX_OPERATION_PAYLOAD_BYTES = 256 * 1024;

/** The actions each operation type accepts. */
const ACTIONS: Record<string, readonly string[]> = {
  STEP: ['START', 'SUCCEED', 'FAIL', 'RETRY'],
  CONTEXT: ['START', 'SUCCEED', 'FAIL'],
  WAIT: ['START', 'CANCEL'],
  CALLBACK: ['START', 'CANCEL'],
  CHAINED_INVOKE: ['START', 'CANCEL'],
  EXECUTION: ['SUCCEED', 'FAIL'],
};

/**
 * Checks a checkpoint's updates as the service does, before any of them is applied: a checkpoint that breaks a rule
 * changes nothing. `existing` looks up the operations already stored.
 */
export function validateUpdates(updates: readonly OperationUpdate[], existing: (id: string) => Operation | undefined): void {
  const executionUpdates = updates.reduce((count, update) => count + (update.Type === 'EXECUTION' ? 1 : 0), 0);
  if (executionUpdates > 1) reject('a checkpoint may complete the execution only once');
  if (executionUpdates === 1 && updates[updates.length - 1].Type !== 'EXECUTION') {
    reject('the EXECUTION update must be the last update of its checkpoint');
  }

  // Operations started earlier in this same checkpoint, and the last update seen per operation.
  const startedHere = new Map<string, OperationUpdate>();
  const seen = new Map<string, OperationUpdate>();
  for (const update of updates) {
    const id = update.Id;
    if (!id) reject('every update needs an Id');
    const type = update.Type ?? '';
    const action = update.Action ?? '';
    if (!ACTIONS[type]) reject(`unknown operation type ${type || '(none)'}`);
    if (!ACTIONS[type].includes(action)) reject(`${type} operations do not accept the action ${action || '(none)'}`);

    const previous = seen.get(id!);
    // A step or context may start and end in one checkpoint (a fire-and-forget START batched with the outcome).
    if (previous && !((type === 'STEP' || type === 'CONTEXT') && previous.Action === 'START' && action !== 'START')) {
      reject(`operation ${id} is updated twice in one checkpoint`);
    }
    if (update.ParentId !== undefined) {
      const parentType = startedHere.get(update.ParentId)?.Type ?? existing(update.ParentId)?.Type;
      if (parentType !== 'CONTEXT') reject(`operation ${id} names parent ${update.ParentId}, which is not a started CONTEXT`);
    }
    checkPayloadSize(update);
    if (type !== 'EXECUTION') checkTransition(update, previous ? statusAfter(previous) : existing(id!)?.Status);

    if (action === 'START') startedHere.set(id!, update);
    seen.set(id!, update);
  }
}

/** The status an update leaves its operation in, for the next update of the same operation in the batch. */
function statusAfter(update: OperationUpdate): string {
  return update.Action === 'START' ? 'STARTED' : 'DONE';
}

function checkTransition(update: OperationUpdate, status: string | undefined): void {
  const { Type: type, Action: action } = update;
  const subject = () => `${type} ${update.Name !== undefined ? `"${update.Name}" ` : ''}(${update.Id})`;
  switch (action) {
    case 'START':
      // A step starts again for its next attempt, once its retry delay is over.
      if (status !== undefined && !(type === 'STEP' && status === 'READY')) reject(`cannot start ${subject()}: it is ${status}`);
      break;
    case 'SUCCEED':
    case 'FAIL':
    case 'RETRY':
      if (status !== undefined && status !== 'STARTED' && !(type === 'STEP' && status === 'READY')) {
        reject(`cannot ${action.toLowerCase()} ${subject()}: it is ${status}`);
      }
      if (action === 'RETRY' && update.StepOptions === undefined) reject(`RETRY of ${subject()} needs StepOptions`);
      if (action === 'FAIL' && update.Payload !== undefined) reject(`FAIL of ${subject()} cannot carry a Payload`);
      if (action === 'SUCCEED' && update.Error !== undefined) reject(`SUCCEED of ${subject()} cannot carry an Error`);
      break;
    case 'CANCEL':
      if (status !== 'STARTED') reject(`cannot cancel ${subject()}: it is ${status ?? 'not started'}`);
      break;
  }
}

function checkPayloadSize(update: OperationUpdate): void {
  if (update.Type === 'EXECUTION' || update.Payload === undefined) return;
  const bytes = Buffer.byteLength(update.Payload, 'utf8');
  if (bytes > MAX_OPERATION_PAYLOAD_BYTES) {
    reject(`the payload of ${update.Type} ${update.Name !== undefined ? `"${update.Name}"` : update.Id} is ${bytes} bytes, `
      + `over the ${MAX_OPERATION_PAYLOAD_BYTES}-byte (256 KB) limit of a checkpointed operation`);
  }
}

function reject(reason: string): never {
  throw new ServiceError('InvalidParameterValueException', `Invalid checkpoint: ${reason}`);
}
