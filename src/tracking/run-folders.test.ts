import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sandboxSettings, tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { RunFolders, runDirName } from './run-folders.js';

describe('runDirName', () => {
  it('stamps UTC time, slugs the kind and keeps eight alphanumerics of the id', () => {
    assert.equal(
      runDirName('2026-01-26T09:21:43.120Z', 'demo', '8e013cbf-1234-4abc-9def-0123456789ab'),
      '20260126_092143_demo_8e013cbf',
    );
    assert.equal(
      runDirName('2026-12-31T23:59:59.999Z', 'train tabular/v2!', 'ab-cd-ef-12-34'),
      '20261231_235959_train_tabular_v2__abcdef12',
    );
  });
});

describe('RunFolders', () => {
  const setup = () => {
    const dir = tempDir();
    const settings = sandboxSettings(dir);
    return { dir, settings, folders: new RunFolders(settings) };
  };
  const runId = '11111111-2222-4333-8444-555555555555';

  it('writes pointers and only moves _latest forward in time', () => {
    const { folders } = setup();
    folders.writePointers(runId, 'dir_new', '2026-01-02T00:00:00.000Z');
    folders.writePointers('22222222-2222-4333-8444-555555555555', 'dir_old', '2026-01-01T00:00:00.000Z');
    assert.equal(folders.readLatestPointer()?.run_id, runId);
    assert.equal(folders.readByIdPointer(runId)?.run_dir_name, 'dir_new');
  });

  it('names the file of a corrupt or half-written pointer', () => {
    const { folders } = setup();
    const path = folders.latestPointerPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{"run_id": "abc", "run_dir');
    assert.throws(
      () => folders.readLatestPointer(),
      (err) => isBalanceOpsError(err, 'POINTER_INVALID') && err.message.includes(path),
    );
    writeFileSync(path, '{"run_id": 5}');
    assert.throws(
      () => folders.readLatestPointer(),
      (err) => isBalanceOpsError(err, 'POINTER_INVALID') && err.message.includes(path),
    );
    // a corrupt latest pointer is replaced by the next good one
    folders.writePointers(runId, 'dir', '2026-01-01T00:00:00.000Z');
    assert.equal(folders.readLatestPointer()?.run_id, runId);
  });

  it('refuses run ids that could escape the pointer folder', () => {
    const { folders } = setup();
    for (const bad of ['../x', 'a/b', '..', '', 'a\\b', 'x'.repeat(200)]) {
      assert.throws(
        () => folders.byIdPointerPath(bad),
        (err) => isBalanceOpsError(err, 'RUN_NOT_FOUND'),
      );
    }
  });

  it('finds manifests through the pointer, the named folder or the legacy UUID folder, never outside the root', () => {
    const { dir, settings, folders } = setup();
    const legacy = join(folders.runsRoot, runId);
    mkdirSync(legacy, { recursive: true });
    writeFileSync(join(legacy, 'manifest.json'), '{"run_id":"x"}');
    assert.equal(folders.findManifest(runId, null, null), join(legacy, 'manifest.json'));

    const outside = join(dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'manifest.json'), '{"secret":true}');
    const hostile = {
      run_id: runId,
      run_dir_name: '../../outside',
      manifest_path: join(outside, 'manifest.json'),
      created_at: '2026-01-01T00:00:00.000Z',
    };
    assert.equal(folders.findManifest(runId, hostile, null), join(legacy, 'manifest.json'));
    assert.equal(
      folders.findManifest('33333333-2222-4333-8444-555555555555', hostile, '../../outside'),
      null,
    );
    assert.ok(settings.artifactsDir.startsWith(dir));
  });
});
