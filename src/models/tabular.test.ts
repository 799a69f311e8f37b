import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { loadModel, saveModel } from './load.js';
import { TABULAR_TYPE, tabularDocument, widenedNames } from './tabular.js';

const parts = {
  recordColumns: ['age', 'home', 'income', 'purpose'],
  oneHot: { home: ['OWN', 'RENT'], purpose: ['1.5', 'car'] },
  mean: [40, 50_000, 0.4, 0.6, 0.3, 0.7],
  scale: [10, 20_000, 0.5, 0.5, 0.4, 0.4],
  coef: [0.5, -0.8, 0.2, -0.2, 0.1, 0.3],
  intercept: -0.4,
  target: { column: 'default', mapping: { no: 0, yes: 1 } as Record<string, 0 | 1> },
};

/** The pipeline by hand: scale each entry, weigh, add the intercept, squash. */
function byHand(x: number[]): number {
  let z = parts.intercept;
  x.forEach((v, j) => {
    z += ((v - (parts.mean[j] as number)) / (parts.scale[j] as number)) * (parts.coef[j] as number);
  });
  return 1 / (1 + Math.exp(-z));
}

describe('tabular model', () => {
  const dir = tempDir();
  const path = join(dir, 'tabular.json');
  saveModel(path, tabularDocument(parts));
  const model = loadModel(path);

  it('lays out numeric columns first, then one-hot blocks', () => {
    assert.deepEqual(widenedNames(parts.recordColumns, parts.oneHot), [
      'age',
      'income',
      'home_OWN',
      'home_RENT',
      'purpose_1.5',
      'purpose_car',
    ]);
    assert.equal(model.type, TABULAR_TYPE);
    assert.equal(model.nFeatures, 6);
    assert.deepEqual(model.recordColumns, parts.recordColumns);
  });

  it('scores an unscaled vector through the scaler', () => {
    const x = [52, 31_000, 0, 1, 0, 1];
    assert.ok(Math.abs(model.predictOne(x) - byHand(x)) < 1e-15);
    assert.deepEqual(model.predictProba([x, x]), [model.predictOne(x), model.predictOne(x)]);
    assert.throws(
      () => model.predictOne([1, 2]),
      (err) =>
        isBalanceOpsError(err, 'FEATURE_SIZE_MISMATCH') &&
        JSON.stringify(err.details) === '{"expected_n_features":6,"got_n_features":2}',
    );
    assert.throws(
      () => model.predictOne([1, 2, 0, 1, 0, Number.NaN]),
      (err) => isBalanceOpsError(err, 'VALIDATION_ERROR'),
    );
  });

  it('encodes a raw record into the vector, and predicts exactly what the vector predicts', () => {
    const encode = model.encodeRecord?.bind(model);
    assert.ok(encode);
    const x = encode({ age: 52, income: '31000', home: 'RENT', purpose: 'car', extra: 'ignored' });
    assert.deepEqual(x, [52, 31_000, 0, 1, 0, 1]);
    assert.equal(model.predictOne(x), model.predictOne([52, 31_000, 0, 1, 0, 1]));
    assert.deepEqual(
      encode({ age: 1, income: 2, home: 'CASTLE', purpose: 1.5 }),
      [1, 2, 0, 0, 1, 0],
      'unseen level: zeros',
    );
    assert.deepEqual(encode({ age: 1, income: 2, home: 'OWN', purpose: '1.50' }), [1, 2, 1, 0, 1, 0]);
  });

  it('refuses records it cannot encode, naming the columns', () => {
    const encode = (r: Record<string, unknown>) => model.encodeRecord?.(r);
    assert.throws(
      () => encode({ age: 1, purpose: 'car' }),
      (err) =>
        isBalanceOpsError(err, 'VALIDATION_ERROR') &&
        err.message === 'record is missing columns: home, income' &&
        JSON.stringify(err.details) === '{"missing":["home","income"]}',
    );
    const base = { age: 1, income: 2, home: 'OWN', purpose: 'car' };
    for (const [column, value, pattern] of [
      ['age', 'abc', /record column 'age' must be a number, got "abc"/],
      ['age', null, /'age' must be a number, got null/],
      ['income', Number.NaN, /'income' must be a finite number/],
      ['income', Number.POSITIVE_INFINITY, /'income' must be a finite number/],
      ['age', true, /'age' must be a number, got a boolean/],
      ['home', null, /'home' must be a string or a number, got null/],
      ['home', { a: 1 }, /'home' must be a string or a number, got an object/],
      ['purpose', Number.NaN, /'purpose' must be a finite number or a string/],
    ] as const) {
      assert.throws(
        () => encode({ ...base, [column]: value }),
        (err) => isBalanceOpsError(err, 'VALIDATION_ERROR') && pattern.test(err.message),
        `${column}: ${String(value)}`,
      );
    }
  });

  it('rejects documents with inconsistent fields, naming the field', () => {
    const good = tabularDocument(parts);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'names',
        { feature_names: [...good.feature_names].reverse() },
        /feature_names\[0\] is "purpose_car", expected "age"/,
      ],
      [
        'count',
        { feature_names: good.feature_names.slice(1) },
        /feature_names has 5 names, record_columns and one_hot make 6/,
      ],
      ['mean', { scaler: { mean: [1], scale: parts.scale } }, /scaler\.mean must have 6 numbers/],
      [
        'scale',
        { scaler: { mean: parts.mean, scale: [1, 1, 1, 1, 0, 1] } },
        /scaler\.scale\[4\] must be positive/,
      ],
      ['coef', { coef: [1, 2, 3, 4, 5, 'x'] }, /coef\[5\] must be a finite number/],
      ['intercept', { intercept: null }, /intercept must be a finite number/],
      ['onehot', { one_hot: { color: ['a'] } }, /one_hot\.color is not one of record_columns/],
      ['levels', { one_hot: { home: [] } }, /one_hot\.home must be a non-empty list/],
      [
        'target',
        { target: { column: 'default', mapping: { a: 0, b: 0 } } },
        /target\.mapping must map two labels/,
      ],
      ['columns', { record_columns: [] }, /record_columns must not be empty/],
    ];
    for (const [name, patch, pattern] of cases) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...good, ...patch }));
      assert.throws(
        () => loadModel(file),
        (err) =>
          isBalanceOpsError(err, 'MODEL_INVALID') && err.message.includes(file) && pattern.test(err.message),
        name,
      );
    }
  });
});
