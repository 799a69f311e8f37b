import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../../test/helpers.js';
import { storeConformance } from '../../../test/store-conformance.js';
import { isBalanceOpsError } from '../../errors.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { openSqlite } from './open.js';
import { SqliteStore } from './sqlite-store.js';

const dir = tempDir();
let n = 0;
storeConformance('sqlite', async () => new SqliteStore(join(dir, `conf-${n++}.db`)));

describe('sqlite open', () => {
  it('creates parent folders, enables WAL and applies the schema once', () => {
    const path = join(dir, 'nested', 'deeper', 'a.db');
    const db = openSqlite(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    db.close();
    const again = openSqlite(path);
    assert.equal(again.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    again.close();
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.throws(
      () => openSqlite(path),
      (err) =>
        isBalanceOpsError(err, 'STORE_OPEN_FAILED') &&
        err.message.includes(path) &&
        /not a SQLite database/.test(err.message),
    );
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), before);
  });

  it('names the folder when the database folder cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'sub', 'db.sqlite');
    assert.throws(
      () => openSqlite(path),
      (err) => isBalanceOpsError(err, 'STORE_OPEN_FAILED') && err.message.includes(join(blocker, 'sub')),
    );
  });

  it('names the path when the database path is a folder', () => {
    const path = join(dir, 'is-a-folder.db');
    mkdirSync(path);
    assert.throws(
      () => openSqlite(path),
      (err) => isBalanceOpsError(err, 'STORE_OPEN_FAILED') && err.message.includes(path),
    );
  });

  it('refuses a database from a newer schema without changing it', () => {
    const path = join(dir, 'future.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    assert.throws(
      () => openSqlite(path),
      (err) => isBalanceOpsError(err, 'STORE_SCHEMA_TOO_NEW'),
    );
    const check = new Database(path);
    assert.equal(check.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION + 5);
    check.close();
  });
});
