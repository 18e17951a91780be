// The dev server's state file: one SQLite database (node:sqlite, built into Node.js), opened by one server at a time.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as Sqlite from 'node:sqlite';

/** Bumped when the tables change; a state file of another version is refused, not misread. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE executions (
    arn TEXT PRIMARY KEY,
    function_name TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER,
    record TEXT NOT NULL,
    UNIQUE (function_name, name)
  );
  CREATE INDEX executions_by_start ON executions (function_name, start_ms);
  CREATE INDEX executions_by_status ON executions (status);
  CREATE TABLE operations (
    seq INTEGER PRIMARY KEY,
    arn TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (arn, id)
  );
  CREATE TABLE events (
    arn TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (arn, event_id)
  ) WITHOUT ROWID;
  CREATE TABLE callbacks (
    callback_id TEXT PRIMARY KEY,
    arn TEXT NOT NULL,
    operation_id TEXT NOT NULL
  );
  CREATE INDEX callbacks_by_execution ON callbacks (arn);
  CREATE TABLE function_versions (
    function_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    definition TEXT NOT NULL,
    published_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, version)
  );
`;

/** Thrown when the state file cannot be used: another server has it, or it is not a state file of this version. */
export class StateFileError extends Error {
  public readonly name = 'StateFileError';
}

/**
 * Opens (or creates) the state file. Writes go to a write-ahead log and each transaction is on disk when it commits,
 * so a server killed at any moment loses nothing it acknowledged. The file stays locked while the server runs.
 */
export function openDatabase(file: string): Sqlite.DatabaseSync {
  const { DatabaseSync } = loadSqlite();
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;');
    // Takes the lock now, so a second server on the same file fails here and not at its first write.
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (error) {
    db.close();
    if (/locked|busy/i.test((error as Error).message)) {
      throw new StateFileError(`${file} is in use by another cdk-durable-workflow dev server; stop it or choose another --state file`);
    }
    throw error;
  }
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version === 0) {
    db.exec(`BEGIN; ${SCHEMA}; PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
  } else if (version !== SCHEMA_VERSION) {
    db.close();
    throw new StateFileError(`${file} was written by another version of cdk-durable-workflow (state format ${version}, this one reads ${SCHEMA_VERSION}); `
      + 'move it away to start afresh');
  }
  return db;
}

/**
 * node:sqlite, without the ExperimentalWarning Node.js 22 prints when it loads (the user's output is theirs). It came
 * with Node.js 22.5 and needs no flag from 22.13.
 */
function loadSqlite(): typeof Sqlite {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && /SQLite/.test(String(warning))) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node:sqlite') as typeof Sqlite;
  } catch (error) {
    throw new StateFileError(`cdk-durable-workflow dev keeps its state with node:sqlite, which needs Node.js 22.13 or later (this is ${process.version}): `
      + `${(error as Error).message}`);
  } finally {
    process.emitWarning = emitWarning;
  }
}
