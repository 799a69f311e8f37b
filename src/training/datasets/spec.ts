/**
 * Dataset specs, the JSON files that say what to train on (the original's format):
 * `{"kind": "csv", "name": "...", "params": {...}, "split": {"seed": 42, "test_size": 0.2}, "note": "..."}`.
 * `params` belong to the loader of `kind`, which checks them with a {@link FieldReader}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BalanceOpsError, describeError } from '../../errors.js';

export interface SplitSpec {
  seed?: number;
  test_size?: number;
}

export interface DatasetSpec {
  kind: string;
  name: string | null;
  params: Record<string, unknown>;
  split: SplitSpec;
  note: string | null;
  /** Absolute path of the spec file; `null` for a spec built from command-line options. */
  file: string | null;
}

const SPEC_FIELDS = ['kind', 'name', 'params', 'split', 'note'];
const SPLIT_FIELDS = ['seed', 'test_size'];
export const MAX_SEED = 2 ** 32 - 1;

/**
 * Where a spec came from, for messages: its file, or the command line.
 *
 * @example
 *   specSource({ file: '/data/spec.json' }); // 'dataset spec /data/spec.json'
 */
export function specSource(spec: Pick<DatasetSpec, 'file'>): string {
  return spec.file === null ? 'dataset spec (command-line options)' : `dataset spec ${spec.file}`;
}

/**
 * A `DATASET_INVALID` error about a spec or its data.
 *
 * @example
 *   throw specError(specSource(spec), 'params.path is missing');
 */
export function specError(source: string, problem: string, hint?: string): BalanceOpsError {
  return new BalanceOpsError('DATASET_INVALID', `${source}: ${problem}`, hint === undefined ? {} : { hint });
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  return `${JSON.stringify(value)}`;
}

/**
 * Reads the fields of one JSON object of a spec; every error names the spec and the field's path.
 *
 * @example
 *   const f = new FieldReader(params, 'dataset spec data.json', 'params');
 *   f.string('path', { required: true }); // or DATASET_INVALID "...: params.path is missing, ..."
 *   f.rejectUnknown(['path', 'target_col']);
 */
export class FieldReader {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly source: string,
    private readonly prefix: string,
  ) {}

  private field(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}.${key}`;
  }

  fail(key: string, expected: string): never {
    throw specError(
      this.source,
      `${this.field(key)} must be ${expected}, got ${describeValue(this.obj[key])}`,
    );
  }

  string(key: string, options: { required: true }): string;
  string(key: string, options?: { required?: false }): string | undefined;
  string(key: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.obj[key];
    if (value === undefined || (value === null && !options.required)) {
      if (options.required) throw specError(this.source, `${this.field(key)} is missing`);
      return undefined;
    }
    if (typeof value !== 'string' || value === '') this.fail(key, 'a non-empty string');
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.obj[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(key, 'true or false');
    return value;
  }

  /** A non-empty list of distinct non-empty strings. */
  stringList(key: string): string[] | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.some((v) => typeof v !== 'string' || v === '') ||
      new Set(value).size !== value.length
    ) {
      this.fail(key, 'a non-empty list of distinct column names');
    }
    return value as string[];
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      this.fail(key, `an integer from ${min} to ${max}`);
    return value;
  }

  /** A number strictly between `min` and `max`. */
  openInterval(key: string, min: number, max: number): number | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !(value > min && value < max))
      this.fail(key, `a number between ${min} and ${max} (exclusive)`);
    return value;
  }

  object(key: string): Record<string, unknown> | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(key, 'an object');
    return value as Record<string, unknown>;
  }

  /** A typo in a field name would otherwise be silently ignored. */
  rejectUnknown(known: readonly string[]): void {
    const unknown = Object.keys(this.obj).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      throw specError(
        this.source,
        `unknown field ${unknown.map((k) => this.field(k)).join(', ')} (known: ${known.map((k) => this.field(k)).join(', ')})`,
      );
    }
  }
}

/**
 * Checks the loader-independent part of a spec object (`file`: where it was read from, for messages and
 * relative paths; `null` for a spec built in code or from command-line options).
 *
 * @example
 *   parseDatasetSpec({ kind: 'csv', params: { path: 'a.csv', target_col: 'y' } }, null);
 */
export function parseDatasetSpec(value: unknown, file: string | null): DatasetSpec {
  const source = specSource({ file });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw specError(source, 'must be a JSON object');
  const top = new FieldReader(value as Record<string, unknown>, source, '');
  top.rejectUnknown(SPEC_FIELDS);
  const kind = top.string('kind', { required: true }).trim().toLowerCase();
  const splitObj = top.object('split') ?? {};
  const split = new FieldReader(splitObj, source, 'split');
  split.rejectUnknown(SPLIT_FIELDS);
  const seed = split.integer('seed', 0, MAX_SEED);
  const testSize = split.openInterval('test_size', 0, 1);
  return {
    kind,
    name: top.string('name') ?? null,
    params: top.object('params') ?? {},
    split: {
      ...(seed === undefined ? {} : { seed }),
      ...(testSize === undefined ? {} : { test_size: testSize }),
    },
    note: top.string('note') ?? null,
    file,
  };
}

/**
 * Reads and checks a dataset spec file (its `params` are checked by the loader of its kind).
 *
 * @example
 *   const spec = readDatasetSpec('examples/credit-risk/dataset.json');
 *   spec.kind; // 'csv'
 */
export function readDatasetSpec(path: string, cwd: string = process.cwd()): DatasetSpec {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw specError(`dataset spec ${file}`, `cannot be read (${describeError(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw specError(`dataset spec ${file}`, `is not valid JSON (${describeError(err)})`);
  }
  return parseDatasetSpec(value, file);
}

/**
 * Where a data file named in a spec is. An absolute path is used as is. A relative path is looked up
 * next to the spec file first (so a spec and its data can move together), then in the working directory
 * (so specs written for the original, with paths from the repository root, keep working). A spec from the
 * command line resolves against the working directory only.
 *
 * @example
 *   resolveDataPath({ file: '/data/specs/credit.json' }, 'credit.csv', '/work'); // '/data/specs/credit.csv'
 */
export function resolveDataPath(spec: Pick<DatasetSpec, 'file'>, path: string, cwd: string): string {
  if (isAbsolute(path)) return path;
  const candidates =
    spec.file === null ? [resolve(cwd, path)] : [resolve(dirname(spec.file), path), resolve(cwd, path)];
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return found;
  throw specError(
    specSource(spec),
    `data file ${path} not found (looked for ${[...new Set(candidates)].join(' and ')})`,
  );
}
