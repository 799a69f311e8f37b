/**
 * Turns rows of text cells into a binary classification table, one row at a time, whatever file format
 * they came from: picks the columns, drops rows with empty cells (dropna), finds which columns are numeric,
 * one-hot encodes the others, and maps the target to 0/1. Memory stays in typed arrays throughout.
 */
import { BalanceOpsError } from '../../errors.js';
import { categoryLevel, isMissingCell, parseNumberCell } from '../../util/cells.js';
import type { TabularDataset, TargetMapping } from './dataset.js';

/** A categorical column with more levels than this is almost surely an id: one-hot would explode. */
export const MAX_LEVELS = 1000;
const CHUNK_ROWS = 16_384;

export interface TableOptions {
  /** The data file, for messages. */
  source: string;
  header: readonly string[];
  targetCol: string;
  /** Default: every column but the target. */
  featureCols?: readonly string[] | undefined;
  oneHot: boolean;
  dropna: boolean;
}

/** The table, and what the loader's metadata needs to know about how it was built. */
export interface BuiltTable
  extends Pick<
    TabularDataset,
    'x' | 'y' | 'nRows' | 'nFeatures' | 'featureNames' | 'recordColumns' | 'oneHot'
  > {
  targetMapping: TargetMapping;
  rowsRead: number;
  rowsDropped: number;
  classCounts: [number, number];
}

/** A problem with one data row; the loader turns `record` (0-based data row) into a line of its file. */
export class RowError extends Error {
  constructor(
    readonly record: number,
    readonly column: string,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(`column '${column}' ${problem}`);
    this.name = 'RowError';
  }
}

interface Column {
  name: string;
  /** Position of the column in a row of cells. */
  cell: number;
  categorical: boolean;
  levels: Map<string, number>;
  levelList: string[];
  /** Rows where the cell was empty, and the first such data row (or -1). */
  missing: number;
  firstMissing: number;
}

/** Rows of `width` numbers in fixed-size blocks, so that growing never copies what is already stored. */
class RowStore {
  readonly chunks: (Float64Array | null)[] = [];
  rows = 0;

  constructor(readonly width: number) {}

  push(row: Float64Array): void {
    const at = this.rows % CHUNK_ROWS;
    if (at === 0) this.chunks.push(new Float64Array(CHUNK_ROWS * this.width));
    (this.chunks[this.chunks.length - 1] as Float64Array).set(row, at * this.width);
    this.rows++;
  }

  /** Rewrites one column of every stored row. */
  mapColumn(column: number, fn: (value: number) => number): void {
    let left = this.rows;
    for (const chunk of this.chunks) {
      if (chunk === null) continue;
      const count = Math.min(left, CHUNK_ROWS);
      for (let r = 0; r < count; r++) {
        const at = r * this.width + column;
        chunk[at] = fn(chunk[at] as number);
      }
      left -= count;
    }
  }
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** How a target cell is told apart: numbers and true/false by value, other labels by their text. */
function targetKey(text: string): string {
  const n = parseNumberCell(text);
  if (n !== undefined) return String(n);
  const lower = text.trim().toLowerCase();
  return lower === 'true' || lower === 'false' ? lower : text;
}

/**
 * Accumulates rows into a table.
 *
 * @example
 *   const table = new TableBuilder({ source: 'a.csv', header: ['x', 'y'], targetCol: 'y', oneHot: true, dropna: true });
 *   table.addRow(['1.5', '0'], 0);
 *   table.addRow(['2.5', '1'], 1);
 *   const built = table.finish(); // built.x = [1.5, 2.5], built.y = [0, 1]
 */
export class TableBuilder {
  private readonly columns: Column[];
  private readonly targetCell: number;
  private readonly store: RowStore;
  private readonly row: Float64Array;
  private readonly labels = new Map<string, number>();
  private readonly labelCodes: Uint8Array[] = [];
  private rowsRead = 0;
  private targetMissing = 0;

  constructor(private readonly options: TableOptions) {
    const { header, targetCol } = options;
    const where = new Map<string, number>();
    header.forEach((name, i) => {
      if (!where.has(name)) where.set(name, i);
    });
    const fail = (problem: string, hint?: string) => this.fail(problem, hint);
    const targetCell = where.get(targetCol);
    if (targetCell === undefined)
      throw fail(`target column '${targetCol}' not found (columns: ${quoteList(header)})`);
    const featureCols = options.featureCols ?? header.filter((_name, i) => i !== targetCell);
    const missing = featureCols.filter((c) => !where.has(c));
    if (missing.length > 0)
      throw fail(
        `feature column${missing.length > 1 ? 's' : ''} ${quoteList(missing)} not found (columns: ${quoteList(header)})`,
      );
    if (featureCols.includes(targetCol))
      throw fail(`target column '${targetCol}' is also listed as a feature column`);
    if (featureCols.length === 0) throw fail(`no feature columns besides the target '${targetCol}'`);
    const used = [targetCol, ...featureCols];
    const duplicated = used.filter((c) => header.indexOf(c) !== header.lastIndexOf(c));
    if (duplicated.length > 0)
      throw fail(`column ${quoteList([...new Set(duplicated)])} appears more than once in the header`);
    const unnamed = featureCols.indexOf('');
    if (unnamed >= 0)
      throw fail(
        `column ${header.indexOf('') + 1} has no name in the header`,
        'name it, or list the columns to use in feature_cols (--feature-cols)',
      );
    this.targetCell = targetCell;
    this.columns = featureCols.map((name) => ({
      name,
      cell: where.get(name) as number,
      categorical: false,
      levels: new Map(),
      levelList: [],
      missing: 0,
      firstMissing: -1,
    }));
    this.store = new RowStore(this.columns.length);
    this.row = new Float64Array(this.columns.length);
  }

  private level(column: Column, text: string, record: number): number {
    const key = categoryLevel(text);
    let code = column.levels.get(key);
    if (code === undefined) {
      if (column.levelList.length >= MAX_LEVELS) {
        throw new RowError(
          record,
          column.name,
          `has more than ${MAX_LEVELS} distinct non-numeric values, too many to one-hot encode`,
          'leave it out by listing the columns to use in feature_cols (--feature-cols)',
        );
      }
      code = column.levelList.length;
      column.levels.set(key, code);
      column.levelList.push(key);
    }
    return code;
  }

  /** A column thought numeric meets text: the numbers stored so far become category levels too. */
  private makeCategorical(column: Column, index: number, record: number): void {
    column.categorical = true;
    this.store.mapColumn(index, (v) => (Number.isNaN(v) ? v : this.level(column, String(v), record)));
  }

  /** Adds one data row (`record` = its 0-based position among the data rows, for messages). */
  addRow(cells: readonly string[], record: number): void {
    this.rowsRead++;
    const { dropna, oneHot } = this.options;
    const targetText = cells[this.targetCell] ?? '';
    let drop = false;
    if (isMissingCell(targetText)) {
      this.targetMissing++;
      if (!dropna)
        throw new RowError(
          record,
          this.options.targetCol,
          'is empty',
          'with dropna off every row needs a target',
        );
      drop = true;
    }
    let textInNumeric: Column | null = null;
    let textValue = '';
    const row = this.row;
    for (let k = 0; k < this.columns.length; k++) {
      const column = this.columns[k] as Column;
      const text = cells[column.cell] ?? '';
      const value = parseNumberCell(text);
      if (value !== undefined) {
        row[k] = column.categorical ? this.level(column, String(value), record) : value;
      } else if (isMissingCell(text)) {
        column.missing++;
        if (column.firstMissing < 0) column.firstMissing = record;
        if (dropna) drop = true;
        row[k] = Number.NaN;
      } else if (column.categorical) {
        row[k] = this.level(column, text, record);
      } else if (oneHot) {
        this.makeCategorical(column, k, record);
        row[k] = this.level(column, text, record);
      } else if (textInNumeric === null) {
        textInNumeric = column;
        textValue = text;
      }
    }
    if (drop) return;
    if (textInNumeric !== null) {
      throw new RowError(
        record,
        textInNumeric.name,
        `has the non-numeric value ${JSON.stringify(textValue)}`,
        'one-hot encoding is off (--no-one-hot / "one_hot": false): turn it on, or leave the column out',
      );
    }
    const key = targetKey(targetText);
    let code = this.labels.get(key);
    if (code === undefined) {
      if (this.labels.size === 2) {
        throw new RowError(
          record,
          this.options.targetCol,
          `has a third distinct value ${JSON.stringify(targetText)} (after ${quoteList([...this.labels.keys()])}): only binary targets are supported`,
        );
      }
      code = this.labels.size;
      this.labels.set(key, code);
    }
    const at = this.store.rows % CHUNK_ROWS;
    if (at === 0) this.labelCodes.push(new Uint8Array(CHUNK_ROWS));
    (this.labelCodes[this.labelCodes.length - 1] as Uint8Array)[at] = code;
    this.store.push(row);
  }

  private fail(problem: string, hint?: string): BalanceOpsError {
    return new BalanceOpsError(
      'DATASET_INVALID',
      `${this.options.source}: ${problem}`,
      hint === undefined ? {} : { hint },
    );
  }

  /** `code -> 0 | 1` for the target's labels, and the mapping to record (null for 0/1 numbers). */
  private targetEncoding(): { codeToClass: Uint8Array; mapping: TargetMapping } {
    const target = this.options.targetCol;
    const keys = [...this.labels.keys()];
    if (keys.length < 2) {
      throw this.fail(
        `target column '${target}' has a single class (${quoteList(keys)}) in the ${this.store.rows} rows kept: a binary target needs two`,
      );
    }
    const codeToClass = new Uint8Array(2);
    const numeric = keys.every((k) => parseNumberCell(k) !== undefined);
    if (numeric) {
      if (!keys.every((k) => k === '0' || k === '1')) {
        throw this.fail(
          `target column '${target}' has the numbers ${quoteList(keys)}: a numeric target must be 0/1`,
          'use 0 and 1, or two text labels (mapped to 0/1 in sorted order)',
        );
      }
      for (const [k, code] of this.labels) codeToClass[code] = k === '1' ? 1 : 0;
      return { codeToClass, mapping: null };
    }
    const booleans = keys.every((k) => k === 'true' || k === 'false');
    const sorted = booleans ? ['false', 'true'] : [...keys].sort();
    const mapping: Record<string, 0 | 1> = {};
    sorted.forEach((k, cls) => {
      mapping[k] = cls as 0 | 1;
      codeToClass[this.labels.get(k) as number] = cls;
    });
    return { codeToClass, mapping };
  }

  /** The finished table. The builder's storage is released as it is copied. */
  finish(): BuiltTable {
    const n = this.store.rows;
    if (this.rowsRead === 0) throw this.fail('has no data rows');
    if (n === 0) {
      const worst = [...this.columns].sort((a, b) => b.missing - a.missing)[0] as Column;
      const detail =
        worst.missing >= this.targetMissing
          ? `column '${worst.name}' is empty in ${worst.missing} of them`
          : `the target '${this.options.targetCol}' is empty in ${this.targetMissing} of them`;
      throw this.fail(
        `no rows left after dropping rows with empty cells: all ${this.rowsRead} rows have one (${detail})`,
        'fill the gaps, leave the emptiest columns out (feature_cols), or turn dropna off',
      );
    }
    if (!this.options.dropna) {
      const gap = this.columns.find((c) => !c.categorical && c.firstMissing >= 0);
      if (gap !== undefined) {
        throw new RowError(
          gap.firstMissing,
          gap.name,
          'is empty',
          'dropna is off (--no-dropna / "dropna": false) and a numeric column needs a value in every row',
        );
      }
    }
    const { codeToClass, mapping } = this.targetEncoding();

    // layout as pandas.get_dummies leaves it: numeric columns in file order, then each one-hot block
    const numeric = this.columns.map((c, k) => ({ c, k })).filter(({ c }) => !c.categorical);
    const categorical = this.columns.map((c, k) => ({ c, k })).filter(({ c }) => c.categorical);
    const featureNames = numeric.map(({ c }) => c.name);
    const oneHot: Record<string, string[]> = {};
    const blocks = categorical.map(({ c, k }) => {
      const sorted = [...c.levelList].sort();
      const position = new Map(sorted.map((level, i) => [level, i]));
      const remap = Int32Array.from(c.levelList, (level) => position.get(level) as number);
      const offset = featureNames.length;
      featureNames.push(...sorted.map((level) => `${c.name}_${level}`));
      oneHot[c.name] = sorted;
      return { k, offset, remap };
    });
    const dupes = featureNames.filter((name, i) => featureNames.indexOf(name) !== i);
    if (dupes.length > 0) {
      throw this.fail(
        `feature name ${quoteList([...new Set(dupes)])} would appear twice (a column and a one-hot level share it)`,
        'rename the column',
      );
    }

    const d = featureNames.length;
    const width = this.columns.length;
    const x = new Float64Array(n * d);
    const y = new Uint8Array(n);
    const classCounts: [number, number] = [0, 0];
    let i = 0;
    this.store.chunks.forEach((chunk, ci) => {
      if (chunk === null) return;
      const labels = this.labelCodes[ci] as Uint8Array;
      const count = Math.min(CHUNK_ROWS, n - i);
      for (let r = 0; r < count; r++, i++) {
        const src = r * width;
        const dst = i * d;
        for (let q = 0; q < numeric.length; q++) {
          const { k } = numeric[q] as { k: number };
          x[dst + q] = chunk[src + k] as number;
        }
        for (const { k, offset, remap } of blocks) {
          const code = chunk[src + k] as number;
          // an empty categorical cell (dropna off) leaves its whole block at zero, as get_dummies does
          if (!Number.isNaN(code)) x[dst + offset + (remap[code] as number)] = 1;
        }
        const cls = codeToClass[labels[r] as number] as number;
        y[i] = cls;
        classCounts[cls as 0 | 1]++;
      }
      // release each block once copied: peak memory stays near one copy of the data
      this.store.chunks[ci] = null;
    });
    return {
      x,
      y,
      nRows: n,
      nFeatures: d,
      featureNames,
      recordColumns: this.columns.map((c) => c.name),
      oneHot,
      targetMapping: mapping,
      rowsRead: this.rowsRead,
      rowsDropped: this.rowsRead - n,
      classCounts,
    };
  }
}
