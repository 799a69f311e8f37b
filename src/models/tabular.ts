/**
 * The tabular baseline's model file (`type: "tabular_logistic"`): standard scaler + logistic regression over
 * a widened feature vector, plus everything needed to build that vector from a raw record.
 *
 * The widened vector (pandas.get_dummies' layout): the numeric record columns in `record_columns` order, then
 * for each one-hot column (same order) one 0/1 entry per level of `one_hot[column]`, named `column_level`.
 */
import { BalanceOpsError } from '../errors.js';
import { categoryLevel, parseNumberCell } from '../util/cells.js';
import type { ModelDocument, Predictor } from './types.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './types.js';
import { finiteNumber, finiteNumberArray, record, stringArray } from './validate.js';

export const TABULAR_TYPE = 'tabular_logistic';

export interface TabularTarget {
  column: string;
  /** `label -> 0 | 1` when the target was text or true/false; `null` when it was 0/1. */
  mapping: Record<string, 0 | 1> | null;
}

export interface TabularModelDocument extends ModelDocument {
  type: typeof TABULAR_TYPE;
  /** Raw columns a record must carry. */
  record_columns: string[];
  /** Levels of each one-hot encoded column (sorted); numeric columns are absent. */
  one_hot: Record<string, string[]>;
  /** Names of the widened vector's entries (derived from the two fields above; checked on load). */
  feature_names: string[];
  scaler: { mean: number[]; scale: number[] };
  /** Weights on the scaled vector, as scikit-learn's `coef_` of the pipeline's classifier. */
  coef: number[];
  intercept: number;
  target: TabularTarget;
  /** How the model was fitted (solver, C, iterations, dataset fingerprint); informational. */
  training?: Record<string, unknown>;
}

export interface TabularModelParts {
  recordColumns: readonly string[];
  oneHot: Readonly<Record<string, readonly string[]>>;
  mean: ArrayLike<number>;
  scale: ArrayLike<number>;
  coef: ArrayLike<number>;
  intercept: number;
  target: TabularTarget;
  training?: Record<string, unknown>;
}

/**
 * The widened vector's names for these record columns and one-hot levels.
 *
 * @example
 *   widenedNames(['age', 'home'], { home: ['OWN', 'RENT'] }); // ['age', 'home_OWN', 'home_RENT']
 */
export function widenedNames(
  recordColumns: readonly string[],
  oneHot: Readonly<Record<string, readonly string[]>>,
): string[] {
  const names = recordColumns.filter((c) => !Object.hasOwn(oneHot, c));
  for (const c of recordColumns) {
    const levels = Object.hasOwn(oneHot, c) ? oneHot[c] : undefined;
    if (levels !== undefined) names.push(...levels.map((level) => `${c}_${level}`));
  }
  return names;
}

/**
 * The model document for a fitted pipeline.
 *
 * @example
 *   saveModel(path, tabularDocument({ recordColumns, oneHot, mean, scale, coef, intercept, target }));
 */
export function tabularDocument(parts: TabularModelParts): TabularModelDocument {
  const doc: TabularModelDocument = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    type: TABULAR_TYPE,
    record_columns: [...parts.recordColumns],
    one_hot: Object.fromEntries(
      parts.recordColumns
        .filter((c) => Object.hasOwn(parts.oneHot, c))
        .map((c) => [c, [...(parts.oneHot[c] ?? [])]]),
    ),
    feature_names: widenedNames(parts.recordColumns, parts.oneHot),
    scaler: { mean: Array.from(parts.mean), scale: Array.from(parts.scale) },
    coef: Array.from(parts.coef),
    intercept: parts.intercept,
    target: { column: parts.target.column, mapping: parts.target.mapping },
  };
  if (parts.training !== undefined) doc.training = parts.training;
  return doc;
}

function invalidRecord(column: string, problem: string): BalanceOpsError {
  return new BalanceOpsError('VALIDATION_ERROR', `record column '${column}' ${problem}`, {
    details: { column },
  });
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A numeric column's value: a finite number, or text that reads as one (as the CSV loader reads it). */
function numericValue(column: string, value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw invalidRecord(column, `must be a finite number, got ${value}`);
  }
  if (typeof value === 'string') {
    const n = parseNumberCell(value);
    if (n !== undefined) return n;
  }
  throw invalidRecord(column, `must be a number, got ${describe(value)}`);
}

/** A one-hot column's level: text as is (numbers written canonically), numbers and booleans as text. */
function levelOf(column: string, value: unknown): string {
  if (typeof value === 'string') return categoryLevel(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    throw invalidRecord(column, `must be a finite number or a string, got ${value}`);
  }
  if (typeof value === 'boolean') return String(value);
  throw invalidRecord(column, `must be a string or a number, got ${describe(value)}`);
}

/**
 * A loaded tabular model. Every lookup a request needs (column positions, level positions) is built once,
 * here; `encodeRecord` and `predictOne` only fill and score a vector.
 */
export class TabularModel implements Predictor {
  readonly type = TABULAR_TYPE;
  readonly nFeatures: number;
  readonly featureNames: readonly string[];
  readonly recordColumns: readonly string[];
  readonly target: TabularTarget;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly coef: Float64Array;
  private readonly intercept: number;
  private readonly numeric: { column: string; at: number }[] = [];
  private readonly categorical: { column: string; at: Map<string, number> }[] = [];

  constructor(parts: TabularModelParts) {
    this.recordColumns = Object.freeze([...parts.recordColumns]);
    this.featureNames = Object.freeze(widenedNames(parts.recordColumns, parts.oneHot));
    this.nFeatures = this.featureNames.length;
    this.mean = Float64Array.from(parts.mean);
    this.scale = Float64Array.from(parts.scale);
    this.coef = Float64Array.from(parts.coef);
    this.intercept = parts.intercept;
    this.target = parts.target;
    const at = new Map(this.featureNames.map((name, i) => [name, i]));
    let next = 0;
    for (const c of this.recordColumns)
      if (!Object.hasOwn(parts.oneHot, c)) this.numeric.push({ column: c, at: next++ });
    for (const c of this.recordColumns) {
      const levels = Object.hasOwn(parts.oneHot, c) ? parts.oneHot[c] : undefined;
      if (levels === undefined) continue;
      this.categorical.push({ column: c, at: new Map(levels.map((level) => [level, next++])) });
    }
    if (next !== this.nFeatures || at.size !== this.nFeatures)
      throw new Error('feature_names must be distinct (a column and a one-hot level share a name)');
  }

  /**
   * P(class 1) for an unscaled widened vector (raw numbers, 0/1 one-hot entries, in `featureNames` order).
   *
   * @example
   *   model.predictOne([42, 0.13, 1, 0, 0]); // 0.27...
   */
  predictOne(x: ArrayLike<number>): number {
    if (x.length !== this.nFeatures) {
      throw new BalanceOpsError(
        'FEATURE_SIZE_MISMATCH',
        `expected ${this.nFeatures} features, got ${x.length}`,
        { details: { expected_n_features: this.nFeatures, got_n_features: x.length } },
      );
    }
    let z = this.intercept;
    for (let j = 0; j < this.nFeatures; j++) {
      const v = x[j] as number;
      if (!Number.isFinite(v))
        throw new BalanceOpsError(
          'VALIDATION_ERROR',
          `feature ${j} (${this.featureNames[j]}) must be a finite number`,
        );
      z += ((v - (this.mean[j] as number)) / (this.scale[j] as number)) * (this.coef[j] as number);
    }
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  predictProba(rows: readonly ArrayLike<number>[]): number[] {
    return rows.map((row) => this.predictOne(row));
  }

  /**
   * The widened vector of a raw record `{"column": value, ...}`: numbers for numeric columns (a number, or
   * text that reads as one), a level for one-hot columns (an unseen level leaves its block at zero). Missing
   * columns, `null`, NaN, infinities and non-numbers in numeric columns are `VALIDATION_ERROR`s; extra
   * columns are ignored.
   *
   * @example
   *   model.encodeRecord({ age: 42, home_ownership: 'RENT' }); // [42, 0, 0, 1]
   */
  encodeRecord(input: Record<string, unknown>): number[] {
    const missing = this.recordColumns.filter((c) => !Object.hasOwn(input, c) || input[c] === undefined);
    if (missing.length > 0) {
      throw new BalanceOpsError('VALIDATION_ERROR', `record is missing columns: ${missing.join(', ')}`, {
        details: { missing },
      });
    }
    const x = new Array<number>(this.nFeatures).fill(0);
    for (const { column, at } of this.numeric) x[at] = numericValue(column, input[column]);
    for (const { column, at } of this.categorical) {
      const index = at.get(levelOf(column, input[column]));
      if (index !== undefined) x[index] = 1;
    }
    return x;
  }
}

function checkTarget(value: unknown): TabularTarget {
  const target = record(value, 'target');
  if (typeof target.column !== 'string' || target.column === '')
    throw new Error('target.column must be a non-empty string');
  if (target.mapping === null) return { column: target.column, mapping: null };
  const mapping = record(target.mapping, 'target.mapping');
  const classes = Object.values(mapping).sort();
  if (Object.keys(mapping).length !== 2 || classes[0] !== 0 || classes[1] !== 1)
    throw new Error('target.mapping must map two labels to 0 and 1 (or be null)');
  return { column: target.column, mapping: mapping as Record<string, 0 | 1> };
}

/**
 * Reads a `tabular_logistic` document; every error names the field. Registered in `load.ts`, so
 * `loadModel` reads these files.
 *
 * @example
 *   const model = parseTabular(tabularDocument(parts));
 *   model.predictOne(model.encodeRecord?.({ age: 42, home: 'RENT' }) ?? []);
 */
export function parseTabular(doc: ModelDocument): Predictor {
  const recordColumns = stringArray(doc.record_columns, 'record_columns');
  if (recordColumns.length === 0) throw new Error('record_columns must not be empty');
  if (new Set(recordColumns).size !== recordColumns.length)
    throw new Error('record_columns must be distinct');
  const oneHotDoc = record(doc.one_hot, 'one_hot');
  const oneHot: Record<string, string[]> = {};
  for (const [column, levels] of Object.entries(oneHotDoc)) {
    if (!recordColumns.includes(column)) throw new Error(`one_hot.${column} is not one of record_columns`);
    const list = stringArray(levels, `one_hot.${column}`);
    if (list.length === 0 || new Set(list).size !== list.length)
      throw new Error(`one_hot.${column} must be a non-empty list of distinct levels`);
    oneHot[column] = list;
  }
  const names = stringArray(doc.feature_names, 'feature_names');
  const expected = widenedNames(recordColumns, oneHot);
  if (names.length !== expected.length)
    throw new Error(
      `feature_names has ${names.length} names, record_columns and one_hot make ${expected.length}`,
    );
  expected.forEach((name, i) => {
    if (names[i] !== name)
      throw new Error(`feature_names[${i}] is ${JSON.stringify(names[i])}, expected ${JSON.stringify(name)}`);
  });
  const d = expected.length;
  const sized = (value: unknown, field: string) => {
    const arr = finiteNumberArray(value, field);
    if (arr.length !== d)
      throw new Error(`${field} must have ${d} numbers (one per feature), got ${arr.length}`);
    return arr;
  };
  const scaler = record(doc.scaler, 'scaler');
  const mean = sized(scaler.mean, 'scaler.mean');
  const scale = sized(scaler.scale, 'scaler.scale');
  scale.forEach((s, i) => {
    if (!(s > 0)) throw new Error(`scaler.scale[${i}] must be positive`);
  });
  return new TabularModel({
    recordColumns,
    oneHot,
    mean,
    scale,
    coef: sized(doc.coef, 'coef'),
    intercept: finiteNumber(doc.intercept, 'intercept'),
    target: checkTarget(doc.target),
  });
}
