import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers.js';
import { isBalanceOpsError } from '../../errors.js';
import { checkDataset, knownDatasetKinds, registerDatasetLoader } from './registry.js';
import { parseDatasetSpec, readDatasetSpec, resolveDataPath } from './spec.js';

function rejects(fn: () => unknown, ...patterns: (RegExp | string)[]): void {
  assert.throws(fn, (err) => {
    assert.ok(isBalanceOpsError(err, 'DATASET_INVALID'), String(err));
    for (const p of patterns) {
      if (typeof p === 'string') assert.ok(err.message.includes(p), `"${err.message}" lacks "${p}"`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

describe('dataset specs', () => {
  const dir = tempDir();
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("reads the original's format", () => {
    const path = write(
      'ok.json',
      JSON.stringify({
        kind: 'CSV',
        name: 'toy',
        params: { path: 'toy.csv', target_col: 'y', one_hot: false },
        split: { seed: 7, test_size: 0.25 },
        note: 'hello',
      }),
    );
    const spec = readDatasetSpec(path);
    assert.deepEqual(spec, {
      kind: 'csv',
      name: 'toy',
      params: { path: 'toy.csv', target_col: 'y', one_hot: false },
      split: { seed: 7, test_size: 0.25 },
      note: 'hello',
      file: path,
    });
  });

  it('names the file and the field of every problem', () => {
    rejects(() => readDatasetSpec(join(dir, 'absent.json')), 'absent.json', 'cannot be read');
    rejects(() => readDatasetSpec(write('bad.json', '{"kind": "csv",')), 'bad.json', 'not valid JSON');
    rejects(() => readDatasetSpec(write('array.json', '[]')), 'array.json', 'must be a JSON object');
    rejects(() => readDatasetSpec(write('nokind.json', '{"params": {}}')), 'nokind.json', 'kind is missing');
    rejects(
      () => readDatasetSpec(write('kind.json', '{"kind": 3}')),
      'kind.json',
      'kind must be a non-empty string',
    );
    rejects(
      () => readDatasetSpec(write('extra.json', '{"kind": "csv", "parms": {}}')),
      'extra.json',
      'unknown field parms',
    );
    rejects(
      () => readDatasetSpec(write('seed.json', '{"kind": "csv", "split": {"seed": -1}}')),
      'seed.json',
      'split.seed must be an integer',
    );
    rejects(
      () => readDatasetSpec(write('size.json', '{"kind": "csv", "split": {"test_size": 1}}')),
      'size.json',
      'split.test_size must be a number between 0 and 1',
    );
    rejects(
      () => readDatasetSpec(write('params.json', '{"kind": "csv", "params": [1]}')),
      'params.json',
      'params must be an object',
    );
  });

  it("leaves params to the kind's loader, which names the field", () => {
    const spec = (params: Record<string, unknown>) =>
      parseDatasetSpec({ kind: 'csv', params }, write('p.json', '{}'));
    writeFileSync(join(dir, 'toy.csv'), 'x,y\n1,0\n');
    rejects(() => checkDataset(spec({ target_col: 'y' }), dir), 'p.json', 'params.path is missing');
    rejects(() => checkDataset(spec({ path: 'toy.csv' }), dir), 'params.target_col is missing');
    rejects(
      () => checkDataset(spec({ path: 'toy.csv', target_col: 'y', one_hot: 'yes' }), dir),
      'params.one_hot must be true or false',
    );
    rejects(
      () => checkDataset(spec({ path: 'toy.csv', target_col: 'y', feature_cols: [] }), dir),
      'params.feature_cols',
    );
    rejects(
      () => checkDataset(spec({ path: 'toy.csv', target_col: 'y', sepp: ';' }), dir),
      'unknown field params.sepp',
    );
    rejects(
      () => checkDataset(spec({ path: 'toy.csv', target_col: 'y', encoding: 'ebcdic' }), dir),
      'params.encoding',
    );
    rejects(
      () => checkDataset(parseDatasetSpec({ kind: 'parquet', params: {} }, null), dir),
      'unknown dataset kind "parquet" (known: csv',
    );
  });

  it('takes other kinds through the loader registry', async () => {
    registerDatasetLoader({
      kind: 'Constant',
      parseParams: (spec) => ({ rows: Number(spec.params.rows) }),
      load: async (params) => ({
        x: new Float64Array(params.rows),
        y: Uint8Array.from({ length: params.rows }, (_, i) => i % 2),
        nRows: params.rows,
        nFeatures: 1,
        featureNames: ['zero'],
        recordColumns: ['zero'],
        oneHot: {},
        meta: {
          kind: 'constant',
          name: 'constant',
          source: { type: 'memory', path: '-' },
          fingerprint: { sha256: '', bytes: 0 },
          target_col: 'y',
          target_mapping: null,
          rows_read: params.rows,
          rows_dropped: 0,
          class_counts: [0, 0],
          options: {},
        },
      }),
    });
    assert.ok(knownDatasetKinds().includes('constant'));
    const table = await checkDataset(
      parseDatasetSpec({ kind: 'constant', params: { rows: 4 } }, null),
      dir,
    ).load({
      cwd: dir,
    });
    assert.deepEqual(Array.from(table.y), [0, 1, 0, 1]);
  });

  it('resolves a relative data path next to the spec first, then in the working directory', () => {
    const specDir = join(dir, 'specs');
    const cwd = join(dir, 'cwd');
    mkdirSync(specDir, { recursive: true });
    mkdirSync(join(cwd, 'data'), { recursive: true });
    writeFileSync(join(specDir, 'near.csv'), 'x\n');
    writeFileSync(join(cwd, 'near.csv'), 'x\n');
    writeFileSync(join(cwd, 'data', 'far.csv'), 'x\n');
    const spec = { file: join(specDir, 'spec.json') };
    assert.equal(resolveDataPath(spec, 'near.csv', cwd), join(specDir, 'near.csv'));
    assert.equal(resolveDataPath(spec, 'data/far.csv', cwd), join(cwd, 'data', 'far.csv'));
    assert.equal(resolveDataPath({ file: null }, 'near.csv', cwd), join(cwd, 'near.csv'));
    assert.equal(resolveDataPath(spec, join(cwd, 'near.csv'), '/elsewhere'), join(cwd, 'near.csv'));
    rejects(
      () => resolveDataPath(spec, 'gone.csv', cwd),
      'spec.json',
      'data file gone.csv not found',
      join(specDir, 'gone.csv'),
      join(cwd, 'gone.csv'),
    );
  });
});
