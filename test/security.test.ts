import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../src/config.js';
import { buildApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Tracker } from '../src/tracking/tracker.js';
import { demoRun } from '../src/training/demo.js';
import { sandboxSettings, tempDir } from './helpers.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ARTIFACTS-ROOT';

describe('path traversal never reads outside the artifacts root', () => {
  let settings: Settings;
  let store: SqliteStore;
  let app: FastifyInstance;
  let runId = '';
  let outside = '';

  before(async () => {
    const dir = tempDir();
    settings = sandboxSettings(dir);
    store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
    const tracker = new Tracker(store, settings);
    runId = (await demoRun(tracker)).run_id;
    // a secret JSON "manifest" and a secret file beside the artifacts root
    outside = join(dir, 'secret');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'manifest.json'), JSON.stringify({ run_id: runId, secret: SECRET }));
    writeFileSync(join(outside, 'passwd'), SECRET);
    app = await buildApp({ settings, store, logger: false });
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  const body = async (url: string) => (await app.inject(url)).body;

  it('through run ids in URLs', async () => {
    for (const id of [
      '..%2F..%2Fsecret',
      '%2e%2e',
      '....//....//secret',
      'secret%00',
      encodeURIComponent(join(outside, 'passwd')),
    ]) {
      for (const path of [
        `/runs/${id}`,
        `/runs/${id}/metrics`,
        `/runs/${id}/artifacts/download?path=passwd`,
      ]) {
        const res = await app.inject(path);
        // `%2e%2e` is a `..` segment to any URL parser and lands on another route; the rest reach /runs/:id
        if (!path.startsWith('/runs/%2e%2e'))
          assert.equal(res.statusCode, 404, `${path} -> ${res.statusCode}`);
        assert.ok(res.statusCode < 500);
        assert.ok(!res.body.includes(SECRET), `${path} leaked the secret`);
      }
    }
  });

  it('through tampered pointer files (_by_id and _latest)', async () => {
    const runs = join(settings.artifactsDir, 'runs');
    const hostile = {
      run_id: runId,
      run_dir_name: '../../secret',
      manifest_path: join(outside, 'manifest.json'),
      created_at: '2099-01-01T00:00:00.000Z',
    };
    writeFileSync(join(runs, '_by_id', `${runId}.json`), JSON.stringify(hostile));
    writeFileSync(join(runs, '_latest.json'), JSON.stringify({ ...hostile, run_id: '../../secret' }));
    const detail = await app.inject(`/runs/${runId}`);
    assert.equal(detail.statusCode, 200);
    assert.ok(!detail.body.includes(SECRET), 'a pointer naming a file outside the root is not followed');
    assert.equal(
      detail.json().manifest_data.kind,
      'demo',
      'the real manifest is still found through the run folder',
    );
    const latest = await app.inject('/runs/latest');
    assert.equal(latest.statusCode, 200, 'a corrupt latest pointer falls back to the database');
    assert.equal(latest.json().run_id, runId);
    assert.ok(!(await body('/runs')).includes(SECRET));
  });

  // Windows lets only administrators (or developer mode) create symlinks
  it('through artifact downloads, symlinks included', {
    skip: process.platform === 'win32' ? 'symlinks need privileges on Windows' : false,
  }, async () => {
    const tracker = new Tracker(store, settings);
    const run = await tracker.startRun({ kind: 'links' });
    const link = run.artifactPath('innocent.txt');
    symlinkSync(join(outside, 'passwd'), link);
    await run.logArtifact('report', link);
    await run.finish();
    const detail = (await app.inject(`/runs/${run.runId}`)).json();
    const path = detail.artifacts[0].path as string;
    const res = await app.inject(`/runs/${run.runId}/artifacts/download?path=${encodeURIComponent(path)}`);
    assert.equal(res.statusCode, 403);
    assert.ok(!res.body.includes(SECRET), 'a symlink out of the root is not followed');
    for (const p of ['../../secret/passwd', join(outside, 'passwd'), `${path}/../../../../secret/passwd`]) {
      const r = await app.inject(`/runs/${run.runId}/artifacts/download?path=${encodeURIComponent(p)}`);
      assert.equal(r.statusCode, 404, p);
      assert.ok(!r.body.includes(SECRET));
    }
  });

  it('oversized bodies get 413 on every POST route', async () => {
    const big = `{"x": "${'a'.repeat(2 * 1024 * 1024)}"}`;
    for (const url of ['/predict', '/models/promote', '/models/rollback']) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: big,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 413, url);
      assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
    }
    const batch = `{"instances": [${Array.from({ length: 900_000 }, () => '[1.123456789,2.123456789]').join(',')}]}`;
    const res = await app.inject({
      method: 'POST',
      url: '/predict/batch',
      payload: batch,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 413);
  });
});
