import type { ModelDocument, Predictor } from './types.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './types.js';
import { finiteNumber, finiteNumberArray } from './validate.js';

export const DUMMY_TYPE = 'dummy';
const P_MIN = 1e-6;
const P_MAX = 1 - 1e-6;

export interface DummyModelDocument extends ModelDocument {
  type: typeof DUMMY_TYPE;
  seed: number | null;
  weights: number[];
  bias: number;
}

export function dummyDocument(
  weights: readonly number[],
  bias: number,
  seed: number | null,
): DummyModelDocument {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    type: DUMMY_TYPE,
    seed,
    weights: [...weights],
    bias,
  };
}

/**
 * The original DummyBalanceModel: `p = sigmoid(x . w + b)` clipped to [1e-6, 1 - 1e-6]. An input shorter
 * than `w` uses the first weights; a longer one meets zero weights. It expects `len(w)` features.
 */
export class DummyModel implements Predictor {
  readonly type = DUMMY_TYPE;
  readonly nFeatures: number;
  readonly featureNames = null;
  readonly recordColumns = null;
  private readonly w: Float64Array;

  constructor(
    weights: readonly number[],
    private readonly bias: number,
  ) {
    this.w = Float64Array.from(weights);
    this.nFeatures = weights.length;
  }

  predictOne(x: ArrayLike<number>): number {
    const n = Math.min(x.length, this.w.length);
    let z = this.bias;
    for (let i = 0; i < n; i++) z += (x[i] as number) * (this.w[i] as number);
    const p = 1 / (1 + Math.exp(-z));
    return Math.min(P_MAX, Math.max(P_MIN, p));
  }

  predictProba(rows: readonly ArrayLike<number>[]): number[] {
    return rows.map((row) => this.predictOne(row));
  }
}

export function parseDummy(doc: ModelDocument): Predictor {
  const weights = finiteNumberArray(doc.weights, 'weights');
  if (weights.length === 0) throw new Error('weights must not be empty');
  return new DummyModel(weights, finiteNumber(doc.bias, 'bias'));
}
