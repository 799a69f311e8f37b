import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sandboxSettings, tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { loadModel } from '../models/load.js';
import { ModelRegistry } from '../registry/registry.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { RunReader } from '../tracking/readers.js';
import { Tracker } from '../tracking/tracker.js';
import { Rng } from '../util/random.js';
import { parseDatasetSpec } from './datasets/spec.js';
import { trainTabular } from './train-tabular.js';

/** Loan-like rows: two numeric columns, one categorical, a yes/no target that depends on all three. */
function loansCsv(n: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['income,score,home,approved'];
  for (let i = 0; i < n; i++) {
    const income = Math.round(30_000 + 20_000 * rng.normal());
    const score = Math.round(650 + 60 * rng.normal());
    const home = ['RENT', 'OWN', 'MORTGAGE'][rng.int(3)] as string;
    const z = (income - 30_000) / 20_000 + (score - 650) / 40 + (home === 'OWN' ? 1 : 0);
    const approved = rng.bernoulli(1 / (1 + Math.exp(-z))) ? 'yes' : 'no';
    lines.push(`${i % 50 === 7 ? '' : income},${score},${home},${approved}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('trainTabular', () => {
  const dir = tempDir();
  const settings = sandboxSettings(dir);
  const store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
  after(() => store.close());
  const tracker = new Tracker(store, settings);
  const registry = new ModelRegistry(store, settings);
  const reader = new RunReader(store, settings);
  const csv = join(dir, 'loans.csv');
  writeFileSync(csv, loansCsv(1000, 3));
  const spec = parseDatasetSpec(
    { kind: 'csv', name: 'loans', params: { path: csv, target_col: 'approved' } },
    null,
  );

  it('records a train_tabular run: params, six held-out metrics, dataset.json, the candidate, the decision', async () => {
    const result = await trainTabular(tracker, registry, spec);
    assert.equal(result.promoted, true);
    assert.equal(result.reason, 'no current model yet');
    assert.deepEqual(Object.keys(result.metrics), [
      'acc',
      'bal_acc',
      'recall_1',
      'roc_auc',
      'f1',
      'log_loss',
    ]);
    assert.ok((result.metrics.roc_auc as number) > 0.8, `roc_auc ${result.metrics.roc_auc}`);
    assert.match(result.candidate_path, new RegExp(`models/candidates/${result.run_id}_tabular\\.json$`));
    assert.deepEqual(result.dataset, {
      name: 'loans',
      rows: 980,
      n_train: 784,
      n_test: 196,
      n_features: 5,
      sha256: result.dataset.sha256,
    });
    assert.equal(result.fit.converged, true);

    const run = await reader.getRun(result.run_id);
    assert.equal(run.kind, 'train_tabular');
    assert.equal(run.status, 'success');
    assert.deepEqual(run.metrics, result.metrics);
    const p = run.params;
    assert.deepEqual(
      [p.dataset_name, p.target_col, p.feature_cols, p.one_hot, p.dropna, p.sep, p.seed, p.test_size, p.C],
      ['loans', 'approved', ['income', 'score', 'home'], true, true, ',', 42, 0.2, 1],
    );
    assert.deepEqual([p.n_train, p.n_test, p.solver, p.converged], [784, 196, 'newton', true]);
    assert.ok(Number.isInteger(p.iterations) && (p.iterations as number) > 0);
    assert.deepEqual(run.artifacts.map((a) => a.kind).sort(), [
      'dataset',
      'model_candidate',
      'model_current',
    ]);

    const meta = JSON.parse(readFileSync(join(dir, result.dataset_meta_path), 'utf8'));
    assert.deepEqual(meta.feature_names, ['income', 'score', 'home_MORTGAGE', 'home_OWN', 'home_RENT']);
    assert.deepEqual(meta.meta.target_mapping, { no: 0, yes: 1 });
    assert.deepEqual([meta.meta.rows_read, meta.meta.rows_dropped], [1000, 20]);
    assert.equal(meta.meta.fingerprint.sha256, result.dataset.sha256);
    assert.deepEqual(meta.shape, { n_samples: 980, n_features: 5 });
    assert.equal(meta.split.n_test, 196);
    assert.equal(
      meta.split.train_class_counts[0] + meta.split.test_class_counts[0],
      meta.meta.class_counts[0],
    );

    // the promoted file serves raw records exactly as it scores vectors
    const model = loadModel(settings.currentModelPath);
    const record = { income: 41_000, score: 700, home: 'OWN' };
    const vector = model.encodeRecord?.(record) as number[];
    assert.deepEqual(vector, [41_000, 700, 0, 1, 0]);
    assert.equal(model.predictOne(vector), model.predictProba([[41_000, 700, 0, 1, 0]])[0]);
  });

  it('is reproducible: the same seed gives the same model bytes and metrics', async () => {
    const a = await trainTabular(tracker, registry, spec, { seed: 11, autoPromote: false });
    const b = await trainTabular(tracker, registry, spec, { seed: 11 });
    assert.equal(a.reason, 'auto-promote disabled');
    assert.deepEqual(b.metrics, a.metrics);
    assert.equal(
      readFileSync(join(dir, b.candidate_path), 'utf8'),
      readFileSync(join(dir, a.candidate_path), 'utf8'),
    );
    const c = await trainTabular(tracker, registry, spec, { seed: 12, autoPromote: false });
    assert.notDeepEqual(c.metrics, a.metrics, 'another seed, another split');
  });

  it("trains the original's six-row toy (test size 0.33, one row of each class held out)", async () => {
    const toy = join(dir, 'toy.csv');
    writeFileSync(toy, 'f1,f2,y\n1.0,10.0,0\n2.0,9.0,0\n3.0,8.0,0\n4.0,7.0,1\n5.0,6.0,1\n6.0,5.0,1\n');
    const result = await trainTabular(
      tracker,
      registry,
      parseDatasetSpec({ kind: 'csv', params: { path: toy, target_col: 'y', one_hot: false } }, null),
      { testSize: 0.33, autoPromote: false },
    );
    assert.deepEqual([result.dataset.n_train, result.dataset.n_test], [4, 2]);
    assert.equal(result.metrics.acc, 1);
  });

  it('records nothing when the input is bad', async () => {
    const before = (await store.listRuns({ limit: 200, offset: 0, withTotal: true })).total;
    const bad = join(dir, 'bad.csv');
    const cases: [string, Record<string, unknown>, { seed?: number; testSize?: number }][] = [
      ['a,y\n1,0\n2,1\n3,2\n', {}, {}],
      ['a,y\n1,0\nx,1\n', { one_hot: false }, {}],
      ['a,y\n,0\n,1\n', {}, {}],
      [`a,y\n${'1,0\n'.repeat(30)}2,1\n`, {}, { testSize: 0.2 }],
      ['a,y\n1,0\n2,1\n', { target_col: 'nope' }, {}],
    ];
    for (const [text, params, options] of cases) {
      writeFileSync(bad, text);
      await assert.rejects(
        trainTabular(
          tracker,
          registry,
          parseDatasetSpec({ kind: 'csv', params: { path: bad, target_col: 'y', ...params } }, null),
          options,
        ),
        (err) => isBalanceOpsError(err, 'DATASET_INVALID') && err.message.includes(bad),
        text,
      );
    }
    await assert.rejects(trainTabular(tracker, registry, spec, { testSize: 1 }), (err) =>
      isBalanceOpsError(err, 'VALIDATION_ERROR'),
    );
    assert.equal((await store.listRuns({ limit: 200, offset: 0, withTotal: true })).total, before);
  });
});
