/**
 * Dataset loaders by kind. A spec's `kind` picks the loader; the loader checks the spec's `params` and
 * loads the table. `csv` is built in; register more with {@link registerDatasetLoader}.
 */
import { csvLoader } from './csv.js';
import type { TabularDataset } from './dataset.js';
import { type DatasetSpec, specError, specSource } from './spec.js';

export interface LoadProgress {
  /** Bytes of the source read so far, and its size (0 when unknown). */
  bytes: number;
  totalBytes: number;
  /** Data rows parsed so far. */
  rows: number;
}

export interface LoadOptions {
  /** Relative paths in command-line specs (and the fallback for spec files) resolve against this. */
  cwd: string;
  onProgress?: (progress: LoadProgress) => void;
}

export interface DatasetLoader<P> {
  /** Lower case, as written in specs. */
  readonly kind: string;
  /** Checks `spec.params` (errors name the spec and the field) and resolves paths; reads no data. */
  parseParams(spec: DatasetSpec, cwd: string): P;
  load(params: P, spec: DatasetSpec, options: LoadOptions): Promise<TabularDataset>;
}

/** A spec whose params were checked: loading it is all that is left. */
export interface CheckedDataset {
  spec: DatasetSpec;
  load(options: LoadOptions): Promise<TabularDataset>;
}

type Opener = (spec: DatasetSpec, cwd: string) => CheckedDataset;

function opener<P>(loader: DatasetLoader<P>): Opener {
  return (spec, cwd) => {
    const params = loader.parseParams(spec, cwd);
    return { spec, load: (options) => loader.load(params, spec, options) };
  };
}

const LOADERS = new Map<string, Opener>([[csvLoader.kind, opener(csvLoader)]]);

/**
 * Makes a dataset kind loadable (a later registration of the same kind replaces the earlier one).
 *
 * @example
 *   registerDatasetLoader({ kind: 'parquet', parseParams: (spec) => ..., load: async (params) => ... });
 */
export function registerDatasetLoader<P>(loader: DatasetLoader<P>): void {
  LOADERS.set(loader.kind.trim().toLowerCase(), opener(loader));
}

/**
 * Kinds a spec may name, sorted.
 *
 * @example
 *   knownDatasetKinds(); // ['csv']
 */
export function knownDatasetKinds(): string[] {
  return [...LOADERS.keys()].sort();
}

/**
 * Checks a spec against its loader without reading any data: unknown kinds and bad params fail here.
 *
 * @example
 *   const checked = checkDataset(readDatasetSpec('data.json'), process.cwd());
 *   const table = await checked.load({ cwd: process.cwd() });
 */
export function checkDataset(spec: DatasetSpec, cwd: string): CheckedDataset {
  const open = LOADERS.get(spec.kind);
  if (open === undefined) {
    throw specError(
      specSource(spec),
      `unknown dataset kind ${JSON.stringify(spec.kind)} (known: ${knownDatasetKinds().join(', ')})`,
    );
  }
  return open(spec, cwd);
}

/**
 * Checks a spec and loads its table.
 *
 * @example
 *   const table = await loadDataset(readDatasetSpec('data.json'), { cwd: process.cwd() });
 *   table.nRows; table.featureNames;
 */
export async function loadDataset(spec: DatasetSpec, options: LoadOptions): Promise<TabularDataset> {
  return checkDataset(spec, options.cwd).load(options);
}
