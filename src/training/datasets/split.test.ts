import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBalanceOpsError } from '../../errors.js';
import { Rng } from '../../util/random.js';
import { splitRowsInPlace, stratifiedSplit, testCounts } from './split.js';

function labels(n0: number, n1: number, seed = 1): Uint8Array {
  const y = new Uint8Array(n0 + n1).fill(1, 0, n1);
  const order = new Rng(seed).shuffle(Array.from(y));
  return Uint8Array.from(order);
}

describe('stratified split', () => {
  it('keeps each class share in both parts, ceil(test_size * n) test rows in all', () => {
    assert.deepEqual(testCounts([70, 30], 0.2), [14, 6]);
    assert.deepEqual(testCounts([3, 3], 0.33), [1, 1]);
    assert.deepEqual(testCounts([5, 2], 0.5), [3, 1]);
    assert.deepEqual(testCounts([2, 5], 0.5), [1, 3]);
    const y = labels(700, 300);
    const split = stratifiedSplit(y, 0.25, 42);
    assert.deepEqual(split.testCounts, [175, 75]);
    assert.deepEqual(split.trainCounts, [525, 225]);
    assert.equal(split.test.filter((i) => y[i] === 1).length, 75);
  });

  it('partitions the rows: disjoint, complete, ascending', () => {
    const y = labels(40, 23);
    const { train, test } = stratifiedSplit(y, 0.3, 5);
    const all = [...train, ...test].sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 63 }, (_, i) => i),
    );
    for (const part of [train, test])
      for (let i = 1; i < part.length; i++) assert.ok((part[i] as number) > (part[i - 1] as number));
  });

  it('is reproducible by seed, and another seed picks other rows', () => {
    const y = labels(100, 100);
    const a = stratifiedSplit(y, 0.2, 42);
    assert.deepEqual(stratifiedSplit(y, 0.2, 42).test, a.test);
    assert.notDeepEqual(stratifiedSplit(y, 0.2, 43).test, a.test);
  });

  it('refuses a split that leaves a class out of either part', () => {
    const fails = (y: Uint8Array, size: number, pattern: RegExp) =>
      assert.throws(
        () => stratifiedSplit(y, size, 1, 'toy.csv'),
        (err) =>
          isBalanceOpsError(err, 'DATASET_INVALID') &&
          err.message.startsWith('toy.csv') &&
          pattern.test(err.message),
      );
    fails(labels(50, 2), 0.1, /leaves class 1 with no rows in the test split/);
    fails(labels(1, 20), 0.5, /leaves class 0 with no rows in the (test|train) split/);
    fails(labels(20, 1), 0.5, /class 1 .* \(class 1 has 1 of 21 rows\)/);
  });
});

describe('splitRowsInPlace', () => {
  it('moves train rows first and test rows after, without copying the data', () => {
    const n = 50;
    const d = 3;
    const x = Float64Array.from({ length: n * d }, (_, k) => Math.floor(k / d) * 10 + (k % d));
    const y = labels(30, 20, 7);
    const before = { x: Float64Array.from(x), y: Uint8Array.from(y) };
    const split = stratifiedSplit(y, 0.2, 3);
    const parts = splitRowsInPlace(x, y, d, split);
    assert.equal(parts.xTrain.buffer, x.buffer);
    const order = [...split.train, ...split.test];
    order.forEach((from, to) => {
      assert.deepEqual(
        Array.from(x.subarray(to * d, to * d + d)),
        Array.from(before.x.subarray(from * d, from * d + d)),
      );
      assert.equal(y[to], before.y[from]);
    });
    assert.equal(parts.yTest.length, split.test.length);
    assert.deepEqual(
      Array.from(parts.xTest.subarray(0, d)),
      Array.from(before.x.subarray((split.test[0] as number) * d, (split.test[0] as number) * d + d)),
    );
  });
});
