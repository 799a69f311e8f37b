/** What a dataset loader hands to training: a numeric matrix, binary labels, and how raw records map to it. */

/** `label -> 0 | 1` for a target that was not already 0/1 numbers; `null` when it was. */
export type TargetMapping = Record<string, 0 | 1> | null;

export interface DatasetMeta {
  kind: string;
  name: string;
  source: { type: string; path: string };
  fingerprint: { sha256: string; bytes: number };
  target_col: string;
  target_mapping: TargetMapping;
  /** Data rows in the source (the header not counted). */
  rows_read: number;
  /** Rows left out because a used column was empty (dropna). */
  rows_dropped: number;
  /** Rows kept, by class: `[class 0, class 1]`. */
  class_counts: [number, number];
  /** The loader's reading options, as recorded with a run (csv: one_hot, dropna, sep, encoding). */
  options: Record<string, string | number | boolean>;
}

/**
 * A binary classification table, held in typed arrays: `x` is row-major `nRows x nFeatures` (the widened
 * vector: numeric columns as they are, categorical columns one-hot), `y` holds 0/1.
 */
export interface TabularDataset {
  x: Float64Array;
  y: Uint8Array;
  nRows: number;
  nFeatures: number;
  /** Names of the widened vector's entries (`age`, `home_ownership_RENT`, ...). */
  featureNames: string[];
  /** The raw columns a record must carry, in file order. */
  recordColumns: string[];
  /** Levels of each one-hot encoded column, sorted; numeric columns are absent. */
  oneHot: Record<string, string[]>;
  meta: DatasetMeta;
}
