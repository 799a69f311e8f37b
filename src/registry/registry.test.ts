import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { sandboxSettings, tempDir } from '../../test/helpers.js';
import type { Settings } from '../config.js';
import { isBalanceOpsError } from '../errors.js';
import { dummyDocument } from '../models/dummy.js';
import { saveModel } from '../models/load.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ModelVersion } from '../store/types.js';
import { ModelRegistry, sha256 } from './registry.js';

describe('ModelRegistry', () => {
  let settings: Settings;
  let store: SqliteStore;
  let registry: ModelRegistry;
  let n = 0;
  const stores: SqliteStore[] = [];
  after(async () => {
    for (const s of stores) await s.close();
  });

  beforeEach(() => {
    settings = sandboxSettings(tempDir());
    store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
    stores.push(store);
    registry = new ModelRegistry(store, settings, { actor: 'test' });
  });

  const candidate = async (bal: number, recall = 0.8): Promise<ModelVersion> => {
    const path = join(settings.artifactsDir, 'models', 'candidates', `m${n++}.json`);
    saveModel(path, dummyDocument([bal, recall], 0, n));
    return registry.registerCandidate({ runId: null, path, metrics: { bal_acc: bal, recall_1: recall } });
  };
  const canonicalSha = () => sha256(readFileSync(settings.currentModelPath));

  it('promotes by policy, declines with a recorded reason, and copies the current file', async () => {
    const v1 = await candidate(0.8);
    const first = await registry.promoteIfBetter(v1);
    assert.deepEqual([first.promoted, first.reason], [true, 'no current model yet']);
    assert.equal(canonicalSha(), v1.sha256);
    const v2 = await candidate(0.802);
    const second = await registry.promoteIfBetter(v2);
    assert.equal(second.promoted, false);
    assert.match(second.reason, /^not enough improvement/);
    assert.equal(canonicalSha(), v1.sha256);
    const v3 = await candidate(0.9);
    assert.equal((await registry.promoteIfBetter(v3)).promoted, true);
    assert.equal(canonicalSha(), v3.sha256);
    const history = await registry.history();
    assert.deepEqual(
      history.map((e) => [e.action, e.from_version, e.to_version]),
      [
        ['promote', 1, 3],
        ['decline', 1, 2],
        ['promote', null, 1],
      ],
    );
    assert.equal((await registry.currentJson())?.version, 3);
  });

  it('rolls back along the promotion history and refuses past the first model', async () => {
    const [v1, v2, v3] = [await candidate(0.1), await candidate(0.2), await candidate(0.3)];
    for (const v of [v1, v2, v3]) await registry.promote(v, { reason: 'manual' });
    assert.equal((await registry.rollback()).version.version, 2);
    assert.equal(canonicalSha(), v2.sha256);
    assert.equal((await registry.rollback()).version.version, 1);
    const events = await registry.history();
    await assert.rejects(registry.rollback(), (err) => isBalanceOpsError(err, 'NO_PREVIOUS_MODEL'));
    assert.equal((await registry.history()).length, events.length, 'a refused rollback records nothing');
    assert.equal((await registry.current())?.version.id, v1.id);
  });

  it('never promotes a version whose file is missing or altered', async () => {
    const v1 = await candidate(0.5);
    await registry.promote(v1, { reason: 'r' });
    const v2 = await candidate(0.6);
    writeFileSync(join(settings.cwd, v2.path), JSON.stringify(dummyDocument([9, 9], 0, 1)));
    await assert.rejects(
      registry.promote(v2, { reason: 'r' }),
      (err) => isBalanceOpsError(err, 'MODEL_INVALID') && /changed since/.test(err.message),
    );
    const v3 = await candidate(0.7);
    rmSync(join(settings.cwd, v3.path));
    await assert.rejects(
      registry.promote(v3, { reason: 'r' }),
      (err) => isBalanceOpsError(err, 'MODEL_INVALID') && /missing/.test(err.message),
    );
    assert.equal((await registry.current())?.version.id, v1.id);
    assert.equal(canonicalSha(), v1.sha256);
  });

  it('rejects registering a file that is not a model', async () => {
    const path = join(settings.cwd, 'junk.json');
    writeFileSync(path, '{"hello": 1}');
    await assert.rejects(registry.registerCandidate({ runId: null, path, metrics: {} }), (err) =>
      isBalanceOpsError(err, 'MODEL_INVALID'),
    );
    assert.deepEqual(await registry.listVersions(), []);
  });

  it('repairs a stale, truncated or missing canonical file from the pointer', async () => {
    const v1 = await candidate(0.5);
    const v2 = await candidate(0.6);
    await registry.promote(v1, { reason: 'r' });
    await registry.promote(v2, { reason: 'r' });
    assert.equal(await registry.ensureCanonical(), 'ok');
    writeFileSync(settings.currentModelPath, readFileSync(join(settings.cwd, v1.path))); // crash window: old bytes
    assert.equal(await registry.ensureCanonical(), 'repaired');
    assert.equal(canonicalSha(), v2.sha256);
    writeFileSync(settings.currentModelPath, '{"format": "balance');
    assert.equal(await registry.ensureCanonical(), 'repaired');
    rmSync(settings.currentModelPath);
    assert.equal(await registry.ensureCanonical(), 'repaired');
    assert.equal(canonicalSha(), v2.sha256);
  });

  it('serves the canonical copy when the current version file is gone', async () => {
    const v1 = await candidate(0.5);
    await registry.promote(v1, { reason: 'r' });
    rmSync(join(settings.cwd, v1.path));
    const loaded = await registry.loadCurrent();
    assert.equal(loaded?.path, settings.currentModelPath);
    assert.equal(loaded?.version.id, v1.id);
    rmSync(settings.currentModelPath);
    await assert.rejects(registry.loadCurrent(), (err) => isBalanceOpsError(err, 'MODEL_INVALID'));
  });

  it('lets exactly one of two racing promotions from the same current win each round', async () => {
    const base = await candidate(0.5);
    await registry.promote(base, { reason: 'r' });
    const other = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
    stores.push(other);
    const registry2 = new ModelRegistry(other, settings, { actor: 'other' });
    const a = await candidate(0.9);
    const b = await candidate(0.95);
    const [ra, rb] = await Promise.all([registry.promoteIfBetter(a), registry2.promoteIfBetter(b)]);
    assert.ok(ra.promoted || rb.promoted);
    const current = await registry.current();
    assert.equal(canonicalSha(), current?.version.sha256);
    const events = (await registry.history()).filter((e) => e.action === 'promote');
    // every promotion event starts from the version the previous one ended at: no lost update
    for (let i = 0; i < events.length - 1; i++)
      assert.equal(events[i]?.from_version, events[i + 1]?.to_version);
  });
});
