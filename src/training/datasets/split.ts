/**
 * Stratified, seeded train/test split: each class keeps its share in both parts, and the same seed picks
 * the same rows on every machine (the generator is {@link Rng}).
 */
import { BalanceOpsError } from '../../errors.js';
import { Rng } from '../../util/random.js';

export interface SplitIndices {
  /** Row numbers, ascending. */
  train: Uint32Array;
  test: Uint32Array;
  trainCounts: [number, number];
  testCounts: [number, number];
}

export interface TrainTestSplit {
  xTrain: Float64Array;
  yTrain: Uint8Array;
  xTest: Float64Array;
  yTest: Uint8Array;
  indices: SplitIndices;
}

/** A stream of the generator of its own, so the split never shifts when other draws are added. */
const SPLIT_STREAM = 7;

/**
 * How many test rows each class gets: `ceil(testSize * n)` in all (as scikit-learn), shared in proportion to
 * the class sizes, a leftover row to the larger remainder.
 *
 * @example
 *   testCounts([70, 30], 0.2); // [14, 6]
 */
export function testCounts(classCounts: readonly [number, number], testSize: number): [number, number] {
  const [n0, n1] = classCounts;
  const nTest = Math.ceil(testSize * (n0 + n1) - 1e-9);
  const exact0 = (nTest * n0) / (n0 + n1);
  const exact1 = nTest - exact0;
  const counts: [number, number] = [Math.floor(exact0), Math.floor(exact1)];
  // the two fractional parts sum to 0 or 1: at most one row is left to place
  if (counts[0] + counts[1] < nTest) {
    const r0 = exact0 - counts[0];
    const r1 = exact1 - counts[1];
    const to = r0 > r1 || (r0 === r1 && n0 >= n1) ? 0 : 1;
    counts[to]++;
  }
  return counts;
}

function shuffle(items: Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as number;
    items[i] = items[j] as number;
    items[j] = tmp;
  }
}

/**
 * Picks test rows per class at random (seeded); throws `DATASET_INVALID` when a class would be missing
 * from either part.
 *
 * @example
 *   const { train, test } = stratifiedSplit(y, 0.2, 42);
 */
export function stratifiedSplit(
  y: Uint8Array,
  testSize: number,
  seed: number,
  source = 'dataset',
): SplitIndices {
  if (!(testSize > 0 && testSize < 1))
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `test size must be between 0 and 1 (exclusive), got ${testSize}`,
    );
  const classCounts: [number, number] = [0, 0];
  for (let i = 0; i < y.length; i++) classCounts[y[i] as 0 | 1]++;
  const members = classCounts.map((c) => new Uint32Array(c));
  const fill = [0, 0];
  for (let i = 0; i < y.length; i++) {
    const c = y[i] as 0 | 1;
    (members[c] as Uint32Array)[fill[c] as number] = i;
    fill[c] = (fill[c] as number) + 1;
  }
  const nTest = testCounts(classCounts, testSize);
  for (const c of [0, 1] as const) {
    const inTest = nTest[c];
    const inTrain = classCounts[c] - inTest;
    if (inTest === 0 || inTrain === 0) {
      throw new BalanceOpsError(
        'DATASET_INVALID',
        `${source}: a test size of ${testSize} leaves class ${c} with no rows in the ${inTest === 0 ? 'test' : 'train'} split (class ${c} has ${classCounts[c]} of ${y.length} rows)`,
        { hint: 'use more data or a different --test-size (split.test_size)' },
      );
    }
  }
  const rng = new Rng(seed, SPLIT_STREAM);
  const train = new Uint32Array(y.length - nTest[0] - nTest[1]);
  const test = new Uint32Array(nTest[0] + nTest[1]);
  let trainAt = 0;
  let testAt = 0;
  for (const c of [0, 1] as const) {
    const rows = members[c] as Uint32Array;
    shuffle(rows, rng);
    test.set(rows.subarray(0, nTest[c]), testAt);
    testAt += nTest[c];
    train.set(rows.subarray(nTest[c]), trainAt);
    trainAt += rows.length - nTest[c];
  }
  train.sort();
  test.sort();
  return {
    train,
    test,
    trainCounts: [classCounts[0] - nTest[0], classCounts[1] - nTest[1]],
    testCounts: nTest,
  };
}

/**
 * Reorders the rows of `x` (row-major, `d` wide) and `y` in place, train rows first, and returns views of
 * the two parts: no copy of the data is made. The dataset's arrays hold the new order afterwards.
 *
 * @example
 *   const parts = splitRowsInPlace(data.x, data.y, data.nFeatures, stratifiedSplit(data.y, 0.2, 42));
 */
export function splitRowsInPlace(
  x: Float64Array,
  y: Uint8Array,
  d: number,
  indices: SplitIndices,
): TrainTestSplit {
  const n = y.length;
  const order = new Uint32Array(n);
  order.set(indices.train, 0);
  order.set(indices.test, indices.train.length);
  // cycle-following permutation: row i takes old row order[i], one row of scratch space
  const done = new Uint8Array(n);
  const scratch = new Float64Array(d);
  for (let start = 0; start < n; start++) {
    if (done[start] === 1) continue;
    scratch.set(x.subarray(start * d, start * d + d));
    const firstLabel = y[start] as number;
    let at = start;
    for (;;) {
      done[at] = 1;
      const from = order[at] as number;
      if (from === start) {
        x.set(scratch, at * d);
        y[at] = firstLabel;
        break;
      }
      x.copyWithin(at * d, from * d, from * d + d);
      y[at] = y[from] as number;
      at = from;
    }
  }
  const cut = indices.train.length;
  return {
    xTrain: x.subarray(0, cut * d),
    yTrain: y.subarray(0, cut),
    xTest: x.subarray(cut * d),
    yTest: y.subarray(cut),
    indices,
  };
}
