import type { Event } from '@aws-sdk/client-lambda';
import type { CallbackLocation, ExecutionRecord, ExecutionStatus, ExecutionStore, StoredOperation } from './execution-store';

interface Entry {
  record: ExecutionRecord;
  readonly operations: Map<string, StoredOperation>;
  readonly events: Event[];
}

/** The store of a local run: everything in memory, gone with the process. */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly executions = new Map<string, Entry>();
  private readonly byName = new Map<string, string>();
  private readonly callbacks = new Map<string, CallbackLocation>();

  public transaction<T>(work: () => T): T {
    return work();
  }

  public insertExecution(record: ExecutionRecord): void {
    if (this.executions.has(record.arn)) throw new Error(`execution ${record.arn} exists already`);
    this.executions.set(record.arn, { record, operations: new Map(), events: [] });
    this.byName.set(nameKey(record.functionName, record.name), record.arn);
  }

  public updateExecution(record: ExecutionRecord): void {
    this.entry(record.arn).record = record;
  }

  public getExecution(arn: string): ExecutionRecord | undefined {
    return this.executions.get(arn)?.record;
  }

  public findExecution(functionName: string, name: string): ExecutionRecord | undefined {
    const arn = this.byName.get(nameKey(functionName, name));
    return arn === undefined ? undefined : this.getExecution(arn);
  }

  public listExecutions(status?: ExecutionStatus): ExecutionRecord[] {
    const records = [...this.executions.values()].map((entry) => entry.record);
    return status === undefined ? records : records.filter((record) => record.status === status);
  }

  public putOperation(arn: string, operation: StoredOperation): void {
    this.entry(arn).operations.set(operation.operation.Id!, operation);
  }

  public getOperation(arn: string, id: string): StoredOperation | undefined {
    return this.executions.get(arn)?.operations.get(id);
  }

  public listOperations(arn: string): StoredOperation[] {
    return [...this.entry(arn).operations.values()];
  }

  public appendEvents(arn: string, events: readonly Event[]): void {
    const stored = this.entry(arn).events;
    for (const event of events) {
      event.EventId = stored.length + 1;
      stored.push(event);
    }
  }

  public listEvents(arn: string): Event[] {
    return [...this.entry(arn).events];
  }

  public putCallback(callbackId: string, where: CallbackLocation): void {
    this.callbacks.set(callbackId, where);
  }

  public getCallback(callbackId: string): CallbackLocation | undefined {
    return this.callbacks.get(callbackId);
  }

  private entry(arn: string): Entry {
    const entry = this.executions.get(arn);
    if (!entry) throw new Error(`no execution ${arn}`);
    return entry;
  }
}

function nameKey(functionName: string, name: string): string {
  return `${functionName}\u0000${name}`;
}
