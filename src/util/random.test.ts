import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './random.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream, another for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 100 }, () => a.normal());
    assert.deepEqual(
      Array.from({ length: 100 }, () => b.normal()),
      seqA,
    );
    const c = new Rng(43);
    assert.notDeepEqual(
      Array.from({ length: 100 }, () => c.normal()),
      seqA,
    );
    const d = new Rng(42, 1);
    assert.notDeepEqual(
      Array.from({ length: 100 }, () => d.normal()),
      seqA,
    );
  });

  it('keeps producing the sequence it produced when train-dummy was written (cross-machine reproducibility)', () => {
    // Pinned once: a change here means every user's `train-dummy --seed 42` model would change.
    const rng = new Rng(42);
    assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], PINNED_UINT32_SEED_42);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const rng = new Rng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    assert.ok(min >= 0 && max < 1);
    assert.ok(Math.abs(sum / n) < 0.01, `mean ${sum / n}`);
    assert.ok(Math.abs(sumSq / n - 1) < 0.02, `variance ${sumSq / n}`);
  });

  it('draws Bernoulli(p) with frequency p and shuffles into a permutation', () => {
    const rng = new Rng(3);
    let ones = 0;
    for (let i = 0; i < 100_000; i++) ones += rng.bernoulli(0.3);
    assert.ok(Math.abs(ones / 100_000 - 0.3) < 0.01);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual(
      [...shuffled].sort((x, y) => x - y),
      items,
    );
  });
});

const PINNED_UINT32_SEED_42 = [3704290710, 166753127, 957952423];
