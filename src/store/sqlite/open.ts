import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BalanceOpsError, describeError } from '../../errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

export interface SqliteOpenOptions {
  /** How long a writer waits for another process's lock before failing; default 30 s. */
  busyTimeoutMs?: number;
  /** Apply pending migrations (the default). A change-signal connection skips them. */
  migrate?: boolean;
}

const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

function sqliteCode(err: unknown): string | undefined {
  return err instanceof Database.SqliteError ? err.code : undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Turns the low-level failures of opening a file into one message that names the path. */
function openFailure(path: string, err: unknown): BalanceOpsError {
  if (err instanceof BalanceOpsError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new BalanceOpsError(
      'STORE_OPEN_FAILED',
      `${path} is not a SQLite database (${describeError(err)})`,
      {
        hint: 'Point BALANCEOPS_DB at a BalanceOps database file, or at a path where one can be created.',
        cause: err,
      },
    );
  }
  return new BalanceOpsError('STORE_OPEN_FAILED', `cannot open database ${path}: ${describeError(err)}`, {
    hint: 'Check that BALANCEOPS_DB names a file in a folder this user can write.',
    cause: err,
  });
}

/**
 * Switching a fresh file to WAL takes an exclusive lock for an instant, and SQLite reports a collision
 * there as SQLITE_BUSY without consulting the busy handler; many processes opening a new database at once
 * hit it, so the switch is retried until the busy timeout.
 */
function enableWal(db: SqliteDatabase, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const code = sqliteCode(err);
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() > deadline) throw err;
      sleepSync(Math.min(50, attempt * 2 + Math.random() * 5));
    }
  }
}

function migrate(db: SqliteDatabase, path: string): void {
  const readVersion = () => Number(db.pragma('user_version', { simple: true }));
  const seen = readVersion();
  if (seen > LATEST_SCHEMA_VERSION) {
    throw new BalanceOpsError(
      'STORE_SCHEMA_TOO_NEW',
      `${path} has schema version ${seen}, this BalanceOps knows up to ${LATEST_SCHEMA_VERSION}`,
      { hint: 'Upgrade BalanceOps to use this database.' },
    );
  }
  if (seen === LATEST_SCHEMA_VERSION) return;
  // Re-read inside the immediate transaction: another process may have migrated while this one waited.
  db.transaction(() => {
    const version = readVersion();
    for (const m of MIGRATIONS) {
      if (m.version > version) db.exec(m.sql);
    }
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Opens (creating when missing) a BalanceOps SQLite database: parent folders, WAL, busy timeout, foreign
 * keys, then pending migrations. Every failure is a `STORE_OPEN_FAILED` naming the path; a file that is
 * not a SQLite database is left untouched.
 */
export function openSqlite(path: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new BalanceOpsError(
      'STORE_OPEN_FAILED',
      `cannot create the database folder ${dirname(path)}: ${describeError(err)}`,
      { hint: 'Point BALANCEOPS_DB at a path in a folder this user can write.', cause: err },
    );
  }
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    enableWal(db, busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (options.migrate !== false) migrate(db, path);
    return db;
  } catch (err) {
    db?.close();
    throw openFailure(path, err);
  }
}
