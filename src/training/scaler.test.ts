import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitScaler, standardizeInPlace } from './scaler.js';

describe('fitScaler / standardizeInPlace', () => {
  it('uses the mean and the population standard deviation', () => {
    // columns: [1, 2, 3, 4] and [10, 10, 10, 10] and [0, 0, 0, 8]
    const x = Float64Array.of(1, 10, 0, 2, 10, 0, 3, 10, 0, 4, 10, 8);
    const stats = fitScaler(x, 4, 3);
    assert.deepEqual(Array.from(stats.mean), [2.5, 10, 2]);
    assert.equal(stats.scale[0], Math.sqrt(1.25));
    assert.equal(stats.scale[1], 1, 'a constant column keeps scale 1');
    assert.equal(stats.scale[2], Math.sqrt(12));
    standardizeInPlace(x, 4, 3, stats);
    for (let j = 0; j < 3; j++) {
      const col = [0, 1, 2, 3].map((i) => x[i * 3 + j] as number);
      const mean = col.reduce((a, b) => a + b, 0) / 4;
      assert.ok(Math.abs(mean) < 1e-15);
      const variance = col.reduce((a, b) => a + b * b, 0) / 4;
      assert.ok(Math.abs(variance - (j === 1 ? 0 : 1)) < 1e-12, `column ${j} variance ${variance}`);
    }
  });

  it('treats a column constant up to rounding as constant, as scikit-learn does', () => {
    const x = new Float64Array(1000).fill(0.1);
    const stats = fitScaler(x, 1000, 1);
    assert.equal(stats.scale[0], 1);
  });
});
