import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../util/random.js';
import { f1Score, heldOutMetrics, logLoss, rocAuc } from './heldout-metrics.js';

/** AUC by its definition: over every (positive, negative) pair, 1 when ranked right, 1/2 on a tie. */
function pairwiseAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((li, i) => {
    if (li !== 1) return;
    labels.forEach((lj, j) => {
      if (lj !== 0) return;
      pairs++;
      const si = scores[i] as number;
      const sj = scores[j] as number;
      wins += si > sj ? 1 : si === sj ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('held-out metrics', () => {
  it('computes ROC AUC as the pairwise ranking probability, ties included', () => {
    const rng = new Rng(4);
    for (let round = 0; round < 20; round++) {
      const n = 5 + rng.int(60);
      const labels = Array.from({ length: n }, () => rng.bernoulli(0.4));
      labels[0] = 0;
      labels[1] = 1;
      // coarse scores so that ties are common
      const scores = labels.map((l) => Math.round((rng.uniform() + 0.3 * l) * 8) / 8);
      assert.ok(Math.abs(rocAuc(labels, scores) - pairwiseAuc(labels, scores)) < 1e-12);
    }
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    assert.equal(rocAuc([1, 1], [0.2, 0.3]), 0.5, 'undefined with one class: 0.5');
  });

  it('computes F1 of class 1, and 0 without true positives', () => {
    assert.equal(f1Score([1, 1, 0], [0.9, 0.2, 0.7]), 0.5);
    assert.equal(f1Score([1, 0], [0.1, 0.2]), 0);
    assert.equal(f1Score([1, 0], [0.5, 0.49]), 1, 'p >= 0.5 is positive');
  });

  it('computes the mean log loss, clipping certainty', () => {
    assert.ok(Math.abs(logLoss([1, 0], [0.8, 0.1]) - (-Math.log(0.8) - Math.log(0.9)) / 2) < 1e-15);
    const worst = logLoss([1], [0]);
    assert.ok(Number.isFinite(worst) && Math.abs(worst + Math.log(Number.EPSILON)) < 1e-12);
  });

  it('reports all six, reusing acc, bal_acc and recall_1', () => {
    const m = heldOutMetrics([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.6]);
    assert.deepEqual(Object.keys(m), ['acc', 'bal_acc', 'recall_1', 'roc_auc', 'f1', 'log_loss']);
    assert.equal(m.acc, 0.5);
    assert.equal(m.recall_1, 0.5);
    assert.equal(m.roc_auc, 0.75);
  });
});
