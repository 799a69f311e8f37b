/** Binary classification metrics as the original computed them (a class with no rows scores 0, not NaN). */
export interface BinaryMetrics {
  acc: number;
  bal_acc: number;
  recall_1: number;
}

/** Accuracy, balanced accuracy and recall of class 1, with `p >= threshold` predicted positive. */
export function binaryMetrics(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold = 0.5,
): BinaryMetrics {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const positive = (probs[i] as number) >= threshold;
    if (labels[i] === 1) positive ? tp++ : fn++;
    else positive ? fp++ : tn++;
  }
  const recall1 = tp / Math.max(1, tp + fn);
  const recall0 = tn / Math.max(1, tn + fp);
  return {
    acc: (tp + tn) / Math.max(1, tp + tn + fp + fn),
    bal_acc: 0.5 * (recall1 + recall0),
    recall_1: recall1,
  };
}
