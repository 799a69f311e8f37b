/** Header every BalanceOps model file starts with. */
export const MODEL_FORMAT = 'balanceops.model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelDocument {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  type: string;
  [field: string]: unknown;
}

/** A loaded model, ready to score. Everything a request needs was decided when it was loaded. */
export interface Predictor {
  readonly type: string;
  /** Length of the feature vector the model expects. */
  readonly nFeatures: number;
  /** Names of the vector's features, when the model knows them. */
  readonly featureNames: readonly string[] | null;
  /** Raw input columns `encodeRecord` takes (tabular models); `null` when the model takes vectors only. */
  readonly recordColumns: readonly string[] | null;
  /** P(class 1) for one feature vector. */
  predictOne(features: ArrayLike<number>): number;
  /** P(class 1) for each row. */
  predictProba(rows: readonly ArrayLike<number>[]): number[];
  /** Turns a raw record into the model's feature vector; absent when the model has no record form. */
  encodeRecord?(record: Record<string, unknown>): number[];
}

/** Reads one model type's document into a predictor; throws a plain Error naming the bad field. */
export type ModelParser = (doc: ModelDocument) => Predictor;
