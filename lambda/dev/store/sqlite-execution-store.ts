import type * as Sqlite from 'node:sqlite';
import type { Event } from '@aws-sdk/client-lambda';
import { fromStoredJson, toStoredJson } from './stored-json';
import type {
  CallbackLocation,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  StoredOperation,
} from '../../testing/engine/store/execution-store';

/** What `ListDurableExecutionsByFunction` asks for. */
export interface ExecutionQuery {
  readonly functionName: string;
  readonly version?: string;
  readonly name?: string;
  /** @default every status */
  readonly statuses?: readonly string[];
  readonly startedAfter?: Date;
  readonly startedBefore?: Date;
  /** @default false: newest first */
  readonly oldestFirst?: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** A page of rows, and whether more follow. */
export interface Page<T> {
  readonly items: T[];
  readonly more: boolean;
}

/**
 * The engine's store in a SQLite database: executions, operations, history events and the callback index in tables,
 * each engine transaction one SQLite transaction (savepoints when nested), so a server killed at any moment comes
 * back with every checkpoint it acknowledged and none half-applied.
 */
export class SqliteExecutionStore implements ExecutionStore {
  private depth = 0;
  private readonly statements = new Map<string, Sqlite.StatementSync>();

  constructor(private readonly db: Sqlite.DatabaseSync) {}

  public transaction<T>(work: () => T): T {
    const savepoint = `engine_${++this.depth}`;
    this.db.exec(`SAVEPOINT ${savepoint}`);
    try {
      const result = work();
      this.db.exec(`RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    } finally {
      this.depth--;
    }
  }

  public insertExecution(record: ExecutionRecord): void {
    this.sql(`INSERT INTO executions (arn, function_name, name, version, status, start_ms, end_ms, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(record.arn, record.functionName, record.name, record.version, record.status,
      record.startTimestamp.getTime(), record.endTimestamp?.getTime() ?? null, toStoredJson(record));
  }

  public updateExecution(record: ExecutionRecord): void {
    const changed = this.sql('UPDATE executions SET status = ?, end_ms = ?, record = ? WHERE arn = ?')
      .run(record.status, record.endTimestamp?.getTime() ?? null, toStoredJson(record), record.arn).changes;
    if (changed === 0) throw new Error(`no execution ${record.arn}`);
  }

  public getExecution(arn: string): ExecutionRecord | undefined {
    return this.record(this.sql('SELECT record FROM executions WHERE arn = ?').get(arn));
  }

  public findExecution(functionName: string, name: string): ExecutionRecord | undefined {
    return this.record(this.sql('SELECT record FROM executions WHERE function_name = ? AND name = ?').get(functionName, name));
  }

  public listExecutions(status?: ExecutionStatus): ExecutionRecord[] {
    const rows = status === undefined
      ? this.sql('SELECT record FROM executions ORDER BY start_ms, rowid').all()
      : this.sql('SELECT record FROM executions WHERE status = ? ORDER BY start_ms, rowid').all(status);
    return rows.map((row) => this.record(row)!);
  }

  /** One page of a function's executions, filtered and ordered by start time in SQL. */
  public queryExecutions(query: ExecutionQuery): Page<ExecutionRecord> {
    const where = ['function_name = ?'];
    const values: Sqlite.SQLInputValue[] = [query.functionName];
    if (query.version !== undefined) {
      where.push('version = ?');
      values.push(query.version);
    }
    if (query.name !== undefined) {
      where.push('name = ?');
      values.push(query.name);
    }
    if (query.statuses?.length) {
      where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
      values.push(...query.statuses);
    }
    if (query.startedAfter) {
      where.push('start_ms >= ?');
      values.push(query.startedAfter.getTime());
    }
    if (query.startedBefore) {
      where.push('start_ms <= ?');
      values.push(query.startedBefore.getTime());
    }
    const order = query.oldestFirst ? 'ASC' : 'DESC';
    const rows = this.db.prepare(`SELECT record FROM executions WHERE ${where.join(' AND ')}
      ORDER BY start_ms ${order}, rowid ${order} LIMIT ? OFFSET ?`).all(...values, query.limit + 1, query.offset);
    return { items: rows.slice(0, query.limit).map((row) => this.record(row)!), more: rows.length > query.limit };
  }

  /** How many of the function's executions are in each status. */
  public countByStatus(functionName: string): Partial<Record<ExecutionStatus, number>> {
    const rows = this.sql('SELECT status, COUNT(*) AS count FROM executions WHERE function_name = ? GROUP BY status').all(functionName);
    return Object.fromEntries(rows.map((row) => [row.status as string, Number(row.count)]));
  }

  public putOperation(arn: string, operation: StoredOperation): void {
    // An upsert keeps the row (and its place in the order) of an operation stored before.
    this.sql('INSERT INTO operations (arn, id, body) VALUES (?, ?, ?) ON CONFLICT (arn, id) DO UPDATE SET body = excluded.body')
      .run(arn, operation.operation.Id!, toStoredJson(operation));
  }

  public getOperation(arn: string, id: string): StoredOperation | undefined {
    const row = this.sql('SELECT body FROM operations WHERE arn = ? AND id = ?').get(arn, id);
    return row === undefined ? undefined : fromStoredJson<StoredOperation>(row.body as string);
  }

  public listOperations(arn: string): StoredOperation[] {
    return this.sql('SELECT body FROM operations WHERE arn = ? ORDER BY seq').all(arn)
      .map((row) => fromStoredJson<StoredOperation>(row.body as string));
  }

  public appendEvents(arn: string, events: readonly Event[]): void {
    let last = (this.sql('SELECT MAX(event_id) AS last FROM events WHERE arn = ?').get(arn)!.last as number | null) ?? 0;
    const insert = this.sql('INSERT INTO events (arn, event_id, body) VALUES (?, ?, ?)');
    for (const event of events) {
      event.EventId = ++last;
      insert.run(arn, last, toStoredJson(event));
    }
  }

  public listEvents(arn: string): Event[] {
    return this.sql('SELECT body FROM events WHERE arn = ? ORDER BY event_id').all(arn).map((row) => fromStoredJson<Event>(row.body as string));
  }

  /** One page of an execution's history, oldest first unless `newestFirst`. */
  public pageEvents(arn: string, options: { offset: number; limit: number; newestFirst?: boolean }): Page<Event> {
    const rows = this.db.prepare(`SELECT body FROM events WHERE arn = ? ORDER BY event_id ${options.newestFirst ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`)
      .all(arn, options.limit + 1, options.offset);
    return { items: rows.slice(0, options.limit).map((row) => fromStoredJson<Event>(row.body as string)), more: rows.length > options.limit };
  }

  public putCallback(callbackId: string, where: CallbackLocation): void {
    this.sql('INSERT OR REPLACE INTO callbacks (callback_id, arn, operation_id) VALUES (?, ?, ?)').run(callbackId, where.arn, where.operationId);
  }

  public getCallback(callbackId: string): CallbackLocation | undefined {
    const row = this.sql('SELECT arn, operation_id FROM callbacks WHERE callback_id = ?').get(callbackId);
    return row === undefined ? undefined : { arn: row.arn as string, operationId: row.operation_id as string };
  }

  /** Deletes the function's executions that ended before `before`, with everything they hold; returns how many. */
  public deleteEnded(functionName: string, before: Date): number {
    return this.transaction(() => {
      const ended = 'SELECT arn FROM executions WHERE function_name = ? AND end_ms IS NOT NULL AND end_ms < ?';
      for (const table of ['operations', 'events', 'callbacks']) {
        this.db.prepare(`DELETE FROM ${table} WHERE arn IN (${ended})`).run(functionName, before.getTime());
      }
      return Number(this.db.prepare('DELETE FROM executions WHERE function_name = ? AND end_ms IS NOT NULL AND end_ms < ?')
        .run(functionName, before.getTime()).changes);
    });
  }

  private record(row: Record<string, Sqlite.SQLOutputValue> | undefined): ExecutionRecord | undefined {
    return row === undefined ? undefined : fromStoredJson<ExecutionRecord>(row.record as string);
  }

  /** A prepared statement, prepared once. */
  private sql(text: string): Sqlite.StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
