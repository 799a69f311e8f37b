import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers.js';
import { isBalanceOpsError } from '../../errors.js';
import type { TabularDataset } from './dataset.js';
import { loadDataset } from './registry.js';
import { parseDatasetSpec } from './spec.js';
import { MAX_LEVELS } from './table-builder.js';

const dir = tempDir();
let files = 0;

/** Writes `text` to a fresh CSV file and loads it with the given params. */
async function load(text: string | Buffer, params: Record<string, unknown> = {}): Promise<TabularDataset> {
  const path = join(dir, `data-${files++}.csv`);
  writeFileSync(path, text);
  return loadDataset(parseDatasetSpec({ kind: 'csv', params: { path, target_col: 'y', ...params } }, null), {
    cwd: dir,
  });
}

async function rejects(text: string, params: Record<string, unknown>, ...parts: (string | RegExp)[]) {
  await assert.rejects(load(text, params), (err) => {
    assert.ok(isBalanceOpsError(err, 'DATASET_INVALID'), String(err));
    assert.ok(err.message.includes(`data-${files - 1}.csv`), `no file name in "${err.message}"`);
    for (const p of parts) {
      if (typeof p === 'string') assert.ok(err.message.includes(p), `"${err.message}" lacks "${p}"`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

const rows = (t: TabularDataset) =>
  Array.from({ length: t.nRows }, (_, i) => Array.from(t.x.subarray(i * t.nFeatures, (i + 1) * t.nFeatures)));

describe('csv loader', () => {
  it('loads numeric columns into a row-major matrix, with the fingerprint of the bytes', async () => {
    const text = 'a,b,y\n1,10,0\n2.5,-3,1\n4,1e2,0\n';
    const t = await load(text);
    assert.deepEqual(t.featureNames, ['a', 'b']);
    assert.deepEqual(t.recordColumns, ['a', 'b']);
    assert.deepEqual(rows(t), [
      [1, 10],
      [2.5, -3],
      [4, 100],
    ]);
    assert.deepEqual(Array.from(t.y), [0, 1, 0]);
    assert.ok(t.x instanceof Float64Array && t.y instanceof Uint8Array);
    assert.equal(t.meta.fingerprint.sha256, createHash('sha256').update(text).digest('hex'));
    assert.equal(t.meta.fingerprint.bytes, text.length);
    assert.deepEqual([t.meta.rows_read, t.meta.rows_dropped, t.meta.class_counts], [3, 0, [2, 1]]);
    assert.equal(t.meta.target_mapping, null);
  });

  it("one-hot encodes text columns after the numeric ones, levels sorted, as pandas' get_dummies", async () => {
    const t = await load('color,size,y\nred,1,0\nblue,2,1\nred,3,1\ngreen,4,0\n');
    assert.deepEqual(t.featureNames, ['size', 'color_blue', 'color_green', 'color_red']);
    assert.deepEqual(t.recordColumns, ['color', 'size']);
    assert.deepEqual(t.oneHot, { color: ['blue', 'green', 'red'] });
    assert.deepEqual(rows(t), [
      [1, 0, 0, 1],
      [2, 1, 0, 0],
      [3, 0, 0, 1],
      [4, 0, 1, 0],
    ]);
  });

  it('turns a column that meets text late into levels, numbers written canonically', async () => {
    const t = await load('code,y\n1.50,0\n2,1\nx,0\n1.5,1\n');
    assert.deepEqual(t.oneHot, { code: ['1.5', '2', 'x'] });
    assert.deepEqual(rows(t), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('maps binary targets: 0/1 numbers as they are, true/false, two labels in sorted order', async () => {
    assert.deepEqual(Array.from((await load('x,y\n1,1.0\n2,0\n')).y), [1, 0]);
    const bools = await load('x,y\n1,True\n2,false\n3,TRUE\n');
    assert.deepEqual(Array.from(bools.y), [1, 0, 1]);
    assert.deepEqual(bools.meta.target_mapping, { false: 0, true: 1 });
    const labels = await load('x,y\n1,yes\n2,no\n3,yes\n');
    assert.deepEqual(Array.from(labels.y), [1, 0, 1]);
    assert.deepEqual(labels.meta.target_mapping, { no: 0, yes: 1 });
    const reversed = await load('x,y\n1,good\n2,bad\n');
    assert.deepEqual(reversed.meta.target_mapping, { bad: 0, good: 1 });
    assert.deepEqual(Array.from(reversed.y), [1, 0]);
  });

  it('drops rows with an empty cell in a used column (dropna) and counts them', async () => {
    const text = 'a,b,unused,y\n1,2,,0\n,3,z,1\n4,NA,z,0\n5,6,z,\n7,8,z,1\n9,10,z,0\n';
    const chosen = await load(text, { feature_cols: ['a', 'b'] });
    assert.deepEqual(rows(chosen), [
      [1, 2],
      [7, 8],
      [9, 10],
    ]);
    assert.deepEqual([chosen.meta.rows_read, chosen.meta.rows_dropped], [6, 3]);
    const all = await load(text);
    assert.deepEqual(all.featureNames, ['a', 'b', 'unused_z']);
    assert.deepEqual(
      [all.meta.rows_read, all.meta.rows_dropped],
      [6, 4],
      'the empty cell of `unused` counts now',
    );
  });

  it('keeps rows without dropna: an empty category is an all-zero block', async () => {
    const t = await load('c,n,y\nu,1,0\n,2,1\nv,3,0\n', { dropna: false });
    assert.deepEqual(rows(t), [
      [1, 1, 0],
      [2, 0, 0],
      [3, 0, 1],
    ]);
  });

  it('reads quoted fields, other separators, a byte order mark and latin1', async () => {
    const quoted = await load('name,n,y\n"Smith, J.",1,0\n"multi\nline",2,1\n"Smith, J.",3,1\n');
    assert.deepEqual(quoted.oneHot, { name: ['Smith, J.', 'multi\nline'] });
    const semi = await load('\ufeffa;y\n1;0\n2;1\n', { sep: ';' });
    assert.deepEqual(semi.featureNames, ['a']);
    const latin = await load(Buffer.from('ville,y\nMontr\xe9al,0\nQu\xe9bec,1\n', 'latin1'), {
      encoding: 'latin1',
    });
    assert.deepEqual(latin.oneHot, { ville: ['Montréal', 'Québec'] });
  });

  it('names the file, the column and the line of bad data', async () => {
    await rejects('a,y\n1,0\n2,1\nabc,0\n', { one_hot: false }, "column 'a'", '"abc"', 'line 4');
    await rejects('a,y\n1,0\n\n"x\ny",1\n3,2\n', {}, "column 'y'", 'third distinct value "2"', 'line 6');
    await rejects('a,y\n1,0\n,1\n', { dropna: false }, "column 'a' is empty", 'line 3');
    await rejects('a,y\n1,0\n2,\n', { dropna: false }, "column 'y' is empty", 'line 3');
    await rejects('a,y\n1,1\n2,2\n', {}, "target column 'y' has the numbers '1', '2'");
    await rejects('a,y\n1,1\n2,1\n', {}, "target column 'y' has a single class ('1')");
    await rejects(
      'a,b,y\n,1,0\n2,,1\n,,0\n',
      {},
      'no rows left after dropping rows with empty cells',
      'all 3 rows',
    );
  });

  it('names missing columns and files', async () => {
    await rejects('a,b\n1,0\n', {}, "target column 'y' not found", "'a', 'b'");
    await rejects('a,y\n1,0\n', { feature_cols: ['a', 'zz', 'q'] }, "feature columns 'zz', 'q' not found");
    await rejects(
      'a,y\n1,0\n',
      { feature_cols: ['y'] },
      "target column 'y' is also listed as a feature column",
    );
    await rejects('y\n1\n0\n', {}, 'no feature columns');
    await rejects('a,a,y\n1,2,0\n', {}, "column 'a' appears more than once");
    await rejects('', {}, 'the file is empty');
    await rejects('a,y\n', {}, 'has no data rows');
    await rejects('a,y\n1,0\n1,2,3\n', {}, 'not a readable CSV file', 'line 3');
    await assert.rejects(
      loadDataset(parseDatasetSpec({ kind: 'csv', params: { path: 'nowhere.csv', target_col: 'y' } }, null), {
        cwd: dir,
      }),
      (err) =>
        isBalanceOpsError(err, 'DATASET_INVALID') && /data file nowhere\.csv not found/.test(err.message),
    );
  });

  it('refuses to one-hot encode an id-like column', async () => {
    const lines = ['id,y', ...Array.from({ length: MAX_LEVELS + 1 }, (_, i) => `id${i},${i % 2}`)];
    await rejects(
      `${lines.join('\n')}\n`,
      {},
      "column 'id'",
      `more than ${MAX_LEVELS} distinct`,
      `line ${MAX_LEVELS + 2}`,
    );
  });

  it('reports progress by bytes and rows', async () => {
    const path = join(dir, 'progress.csv');
    const text = `a,y\n${Array.from({ length: 5000 }, (_, i) => `${i},${i % 2}`).join('\n')}\n`;
    writeFileSync(path, text);
    const seen: number[] = [];
    await loadDataset(parseDatasetSpec({ kind: 'csv', params: { path, target_col: 'y' } }, null), {
      cwd: dir,
      onProgress: (p) => {
        assert.equal(p.totalBytes, text.length);
        seen.push(p.bytes);
      },
    });
    assert.equal(seen.at(-1), text.length);
  });
});
