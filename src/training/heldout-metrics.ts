/**
 * Scores of a binary classifier on held-out rows: the original's `acc`, `bal_acc`, `recall_1` (see
 * `metrics.ts`) plus `roc_auc`, `f1` and `log_loss`, defined as scikit-learn defines them.
 */
import { type BinaryMetrics, binaryMetrics } from './metrics.js';

export interface HeldOutMetrics extends BinaryMetrics {
  roc_auc: number;
  f1: number;
  log_loss: number;
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative, ties
 * counting half (the Mann-Whitney statistic with average ranks). 0.5 when a class is absent.
 *
 * @example
 *   rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end] as number] === scores[order[start] as number]) end++;
    // ranks start..end-1 (0-based) tie: each gets their average, 1-based
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * F1 of class 1 with `p >= threshold` predicted positive; 0 when there are no true positives.
 *
 * @example
 *   f1Score([1, 1, 0], [0.9, 0.2, 0.7]); // 0.5
 */
export function f1Score(labels: ArrayLike<number>, probs: ArrayLike<number>, threshold = 0.5): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const positive = (probs[i] as number) >= threshold;
    if (labels[i] === 1) positive ? tp++ : fn++;
    else if (positive) fp++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * Mean negative log-likelihood, probabilities clipped to `[eps, 1 - eps]` (double precision epsilon, as
 * scikit-learn does) so that a confident mistake costs a large, finite amount.
 *
 * @example
 *   logLoss([1, 0], [0.8, 0.1]); // (-(ln 0.8) - ln 0.9) / 2
 */
export function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  const eps = Number.EPSILON;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i] as number));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return labels.length === 0 ? 0 : sum / labels.length;
}

/**
 * Every held-out score at once.
 *
 * @example
 *   heldOutMetrics(yTest, probs); // { acc, bal_acc, recall_1, roc_auc, f1, log_loss }
 */
export function heldOutMetrics(labels: ArrayLike<number>, probs: ArrayLike<number>): HeldOutMetrics {
  return {
    ...binaryMetrics(labels, probs),
    roc_auc: rocAuc(labels, probs),
    f1: f1Score(labels, probs),
    log_loss: logLoss(labels, probs),
  };
}
