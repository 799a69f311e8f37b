import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../test/helpers.js';
import { displayDatabase, displayPath, loadSettings } from './config.js';
import { isBalanceOpsError } from './errors.js';

describe('loadSettings', () => {
  it('uses the contract defaults, resolved against the working directory', () => {
    const cwd = tempDir();
    const s = loadSettings({}, cwd);
    assert.deepEqual(s.db, { kind: 'sqlite', path: resolve(cwd, 'data/balanceops.db') });
    assert.equal(s.artifactsDir, resolve(cwd, 'artifacts'));
    assert.equal(s.currentModelPath, resolve(cwd, 'artifacts/models/current.json'));
    assert.equal(s.apiUrl, 'http://127.0.0.1:8000');
    assert.equal(s.policyPath, undefined);
    assert.equal(s.apiToken, undefined);
    assert.equal(displayDatabase(s), 'data/balanceops.db');
  });

  it('reads .env, and the environment wins over it; empty values count as unset', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, '.env'),
      'BALANCEOPS_ARTIFACTS=from-file\nBALANCEOPS_API_TOKEN="secret token"\nBALANCEOPS_DB=file.db\n# comment\n',
    );
    const s = loadSettings(
      { BALANCEOPS_DB: 'env.db', BALANCEOPS_API_URL: 'http://h:1/', BALANCEOPS_POLICY: '' },
      cwd,
    );
    assert.equal(s.db.kind === 'sqlite' && s.db.path, resolve(cwd, 'env.db'));
    assert.equal(s.artifactsDir, resolve(cwd, 'from-file'));
    assert.equal(s.apiToken, 'secret token');
    assert.equal(s.apiUrl, 'http://h:1');
    assert.equal(s.policyPath, undefined);
  });

  it('recognises PostgreSQL URLs and hides their password in messages', () => {
    const s = loadSettings({ BALANCEOPS_DB: 'postgres://bo:hunter2@db:5432/balanceops' }, tempDir());
    assert.equal(s.db.kind, 'postgres');
    assert.equal(displayDatabase(s), 'postgres://bo:***@db:5432/balanceops');
  });

  it('rejects a database URL of another scheme, naming it', () => {
    assert.throws(
      () => loadSettings({ BALANCEOPS_DB: 'mysql://x/y' }, tempDir()),
      (err) => isBalanceOpsError(err, 'CONFIG_INVALID') && err.message.includes("'mysql://'"),
    );
  });

  it('shows paths inside the working directory relative, others absolute', () => {
    const cwd = tempDir();
    assert.equal(displayPath({ cwd }, join(cwd, 'artifacts', 'runs')), 'artifacts/runs');
    assert.equal(
      displayPath({ cwd }, '/elsewhere/x.json'),
      resolve('/elsewhere/x.json').split('\\').join('/'),
    );
  });
});
