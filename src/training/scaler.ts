/**
 * Standard scaling as scikit-learn's StandardScaler does it: subtract the mean, divide by the population
 * standard deviation; a feature with (numerically) zero variance keeps scale 1.
 */

export interface ScalerStats {
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * Mean and population standard deviation of each column of a row-major `n x d` matrix (two passes, so the
 * variance does not suffer from cancellation).
 *
 * @example
 *   const stats = fitScaler(Float64Array.of(1, 10, 3, 10), 2, 2);
 *   // stats.mean = [2, 10], stats.scale = [1, 1] (the second column is constant)
 */
export function fitScaler(x: Float64Array, n: number, d: number): ScalerStats {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (n === 0) return { mean, scale };
  for (let i = 0, off = 0; i < n; i++, off += d) {
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x[off + j] as number);
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const sq = new Float64Array(d);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    for (let j = 0; j < d; j++) {
      const c = (x[off + j] as number) - (mean[j] as number);
      sq[j] = (sq[j] as number) + c * c;
    }
  }
  const eps = Number.EPSILON;
  for (let j = 0; j < d; j++) {
    const v = (sq[j] as number) / n;
    const m = mean[j] as number;
    // scikit-learn's test for a constant feature: a variance within the rounding error of its computation
    const bound = n * eps * v + (n * m * eps) ** 2;
    if (v > bound) scale[j] = Math.sqrt(v);
  }
  return { mean, scale };
}

/**
 * Scales the rows of a row-major `n x d` matrix in place: `(x - mean) / scale`.
 *
 * @example
 *   standardizeInPlace(x, n, d, fitScaler(x, n, d));
 */
export function standardizeInPlace(x: Float64Array, n: number, d: number, stats: ScalerStats): void {
  const { mean, scale } = stats;
  for (let i = 0, off = 0; i < n; i++, off += d) {
    for (let j = 0; j < d; j++)
      x[off + j] = ((x[off + j] as number) - (mean[j] as number)) / (scale[j] as number);
  }
}
