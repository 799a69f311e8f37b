import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sandboxSettings, tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { RunReader } from './readers.js';
import { Tracker } from './tracker.js';

describe('Tracker', () => {
  const dir = tempDir();
  const settings = sandboxSettings(dir);
  const store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
  after(() => store.close());
  const tracker = new Tracker(store, settings);
  const reader = new RunReader(store, settings);

  it('records a run with params, step metrics, an artifact, a manifest and pointers', async () => {
    const file = join(dir, 'model.bin');
    writeFileSync(file, 'weights');
    const { run } = await tracker.withRun({ kind: 'train', note: 'n', params: { lr: 0.1 } }, async (r) => {
      await r.logMetricPoints([
        { key: 'loss', value: 1, step: 0 },
        { key: 'loss', value: 0.5, step: 1 },
      ]);
      await r.logMetric('acc', 0.75);
      await r.logArtifact('model', file);
    });
    assert.equal(run.status, 'success');
    const detail = await reader.getRun(run.runId);
    assert.equal(detail.status, 'success');
    assert.deepEqual(detail.params, { lr: 0.1 });
    assert.deepEqual(detail.metrics, { acc: 0.75, loss: 0.5 });
    assert.equal(detail.artifacts[0]?.sha256, createHash('sha256').update('weights').digest('hex'));
    assert.equal(detail.artifacts[0]?.size, 7);
    assert.equal(detail.artifacts[0]?.exists, true);
    assert.equal(detail.manifest?.run_dir_name, run.runDirName);
    const manifest = JSON.parse(readFileSync(run.manifestPath, 'utf8'));
    assert.equal(manifest.status, 'success');
    assert.deepEqual(manifest.metrics, { acc: 0.75, loss: 0.5 });
    assert.equal(await reader.latestRunId(), run.runId);
    const history = await reader.metricHistory(run.runId, ['loss']);
    assert.deepEqual(
      history.metrics.loss?.map((p) => [p.step, p.value]),
      [
        [0, 1],
        [1, 0.5],
      ],
    );
  });

  it('finishes a run whose work throws as failed and rethrows', async () => {
    let runId = '';
    await assert.rejects(
      tracker.withRun({ kind: 'boom' }, async (r) => {
        runId = r.runId;
        await r.logMetric('acc', 0.5);
        throw new Error('training blew up');
      }),
      /training blew up/,
    );
    const detail = await reader.getRun(runId);
    assert.equal(detail.status, 'failed');
    assert.notEqual(detail.finished_at, null);
    assert.equal(detail.manifest_data?.status, 'failed');
  });

  it('rejects a non-finite metric and stores none of its batch', async () => {
    const run = await tracker.startRun({ kind: 'v' });
    await assert.rejects(
      run.logMetricPoints([
        { key: 'ok', value: 1 },
        { key: 'bad', value: Number.POSITIVE_INFINITY },
      ]),
      (err) => isBalanceOpsError(err, 'VALIDATION_ERROR') && err.message.includes("'bad'"),
    );
    await assert.rejects(run.logMetric('x', 1, 1.5), (err) => isBalanceOpsError(err, 'VALIDATION_ERROR'));
    await assert.rejects(run.logMetric('', 1), (err) => isBalanceOpsError(err, 'VALIDATION_ERROR'));
    assert.deepEqual((await reader.getRun(run.runId)).metrics, {});
    await run.finish();
    await assert.rejects(run.logMetric('late', 1), (err) => isBalanceOpsError(err, 'RUN_NOT_ACTIVE'));
  });

  it('names a missing artifact file', async () => {
    const run = await tracker.startRun({ kind: 'v' });
    const missing = join(dir, 'nope.bin');
    await assert.rejects(
      run.logArtifact('model', missing),
      (err) => isBalanceOpsError(err, 'VALIDATION_ERROR') && err.message.includes(missing),
    );
    await run.finish();
  });

  it('captures git commit, branch and dirty flag inside a checkout, null outside', async () => {
    const repo = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q', '-b', 'exp/branch');
    git('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const inside = await tracker.startRun({ kind: 'g', gitDir: repo });
    await inside.finish();
    const d = await reader.getRun(inside.runId);
    assert.deepEqual(d.git, { commit: head, branch: 'exp/branch', dirty: false });

    const outside = await tracker.startRun({ kind: 'g', gitDir: tempDir() });
    await outside.finish();
    assert.deepEqual((await reader.getRun(outside.runId)).git, { commit: null, branch: null, dirty: null });
  });

  it('reports an unknown run id as RUN_NOT_FOUND', async () => {
    await assert.rejects(reader.getRun('00000000-0000-4000-8000-000000000000'), (err) =>
      isBalanceOpsError(err, 'RUN_NOT_FOUND'),
    );
    await assert.rejects(reader.getRun('../../etc/passwd'), (err) => isBalanceOpsError(err, 'RUN_NOT_FOUND'));
    assert.equal(existsSync(join(dir, 'etc')), false);
  });
});
