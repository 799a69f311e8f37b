/**
 * The `csv` dataset kind: streams a CSV file through `csv-parse` into a {@link TableBuilder}, hashing the
 * bytes on the way (the dataset's fingerprint), so a file of any size is read once and never held whole.
 *
 * Spec params (as the original): `path` (required), `target_col` (required), `feature_cols` (default: all
 * other columns), `one_hot` (true), `dropna` (true), `sep` (","), `encoding` ("utf8").
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Options as CsvOptions, parse } from 'csv-parse';
import { BalanceOpsError, describeError, isBalanceOpsError } from '../../errors.js';
import type { TabularDataset } from './dataset.js';
import type { DatasetLoader, LoadOptions } from './registry.js';
import { type DatasetSpec, FieldReader, resolveDataPath, specError, specSource } from './spec.js';
import { type BuiltTable, RowError, TableBuilder } from './table-builder.js';

export interface CsvParams {
  /** As written in the spec. */
  path: string;
  /** Where the file was found (see `resolveDataPath`). */
  file: string;
  targetCol: string;
  featureCols: string[] | undefined;
  oneHot: boolean;
  dropna: boolean;
  sep: string;
  encoding: BufferEncoding;
}

const PARAMS = ['path', 'target_col', 'feature_cols', 'one_hot', 'dropna', 'sep', 'encoding'];
const ENCODINGS = new Map<string, BufferEncoding>([
  ['utf8', 'utf8'],
  ['utf-8', 'utf8'],
  ['utf16le', 'utf16le'],
  ['utf-16le', 'utf16le'],
  ['latin1', 'latin1'],
  ['iso-8859-1', 'latin1'],
  ['ascii', 'ascii'],
]);
const READ_CHUNK = 1 << 20;

function parseParams(spec: DatasetSpec, cwd: string): CsvParams {
  const f: FieldReader = new FieldReader(spec.params, specSource(spec), 'params');
  f.rejectUnknown(PARAMS);
  const path = f.string('path', { required: true });
  const targetCol = f.string('target_col', { required: true });
  const sep = f.string('sep') ?? ',';
  if (/["\r\n]/.test(sep)) f.fail('sep', 'a separator without quotes or line breaks');
  const encodingName = f.string('encoding') ?? 'utf8';
  const encoding = ENCODINGS.get(encodingName.toLowerCase());
  if (encoding === undefined) f.fail('encoding', `one of ${[...ENCODINGS.keys()].join(', ')}`);
  return {
    path,
    file: resolveDataPath(spec, path, cwd),
    targetCol,
    featureCols: f.stringList('feature_cols'),
    oneHot: f.boolean('one_hot', true),
    dropna: f.boolean('dropna', true),
    sep,
    encoding,
  };
}

function csvOptions(params: CsvParams): CsvOptions {
  return { delimiter: params.sep, encoding: params.encoding, bom: true, skip_empty_lines: true };
}

/** The line a data record ends on, found by parsing again up to it (only ever done to word an error). */
async function lineOfRecord(params: CsvParams, record: number): Promise<number | null> {
  let line: number | null = null;
  const parser = parse({
    ...csvOptions(params),
    to: record + 2,
    on_record: (_cells: string[], info: { lines: number; records: number }) => {
      if (info.records === record + 2) line = info.lines;
      return null;
    },
  });
  parser.resume();
  try {
    await pipeline(createReadStream(params.file), parser);
  } catch {
    // the line is only a courtesy for the message
  }
  return line;
}

async function rowError(params: CsvParams, err: RowError): Promise<BalanceOpsError> {
  const line = await lineOfRecord(params, err.record);
  const where = line === null ? `data row ${err.record + 1}` : `line ${line}`;
  return new BalanceOpsError(
    'DATASET_INVALID',
    `${params.file}: column '${err.column}' ${err.problem} at ${where}`,
    err.hint === undefined ? {} : { hint: err.hint },
  );
}

function sizeOf(spec: DatasetSpec, params: CsvParams): number {
  try {
    const st = statSync(params.file);
    if (!st.isFile()) throw specError(specSource(spec), `data file ${params.file} is not a file`);
    return st.size;
  } catch (err) {
    if (isBalanceOpsError(err)) throw err;
    throw specError(specSource(spec), `data file ${params.file} cannot be read (${describeError(err)})`);
  }
}

async function load(params: CsvParams, spec: DatasetSpec, options: LoadOptions): Promise<TabularDataset> {
  const totalBytes = sizeOf(spec, params);
  const hash = createHash('sha256');
  let bytes = 0;
  let record = 0;
  // filled by the stream callback below; an object so that the type checker does not narrow it to null
  const state: { table: TableBuilder | null } = { table: null };
  const parser = parse(csvOptions(params));
  parser.on('readable', () => {
    let cells: string[] | null;
    // biome-ignore lint/suspicious/noAssignInExpressions: the stream idiom for draining what is buffered
    while ((cells = parser.read()) !== null) {
      try {
        if (state.table === null) {
          state.table = new TableBuilder({
            source: params.file,
            header: cells,
            targetCol: params.targetCol,
            featureCols: params.featureCols,
            oneHot: params.oneHot,
            dropna: params.dropna,
          });
        } else {
          state.table.addRow(cells, record++);
        }
      } catch (err) {
        // stops the read: the pipeline below rejects with this error
        parser.destroy(err as Error);
        return;
      }
    }
  });
  const fingerprint = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ bytes, totalBytes, rows: record });
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(params.file, { highWaterMark: READ_CHUNK }), fingerprint, parser);
  } catch (err) {
    if (err instanceof RowError) throw await rowError(params, err);
    if (isBalanceOpsError(err)) throw err;
    // csv-parse's own messages name the line (unbalanced quotes, a row with the wrong number of fields)
    throw new BalanceOpsError(
      'DATASET_INVALID',
      `${params.file}: not a readable CSV file (${describeError(err)})`,
    );
  }
  if (state.table === null)
    throw new BalanceOpsError('DATASET_INVALID', `${params.file}: the file is empty (no header)`);
  let built: BuiltTable;
  try {
    built = state.table.finish();
  } catch (err) {
    if (err instanceof RowError) throw await rowError(params, err);
    throw err;
  }
  const { targetMapping, rowsRead, rowsDropped, classCounts, ...table } = built;
  return {
    ...table,
    meta: {
      kind: 'csv',
      name: spec.name ?? basename(params.file, extname(params.file)),
      source: { type: 'csv', path: params.file },
      fingerprint: { sha256: hash.digest('hex'), bytes },
      target_col: params.targetCol,
      target_mapping: targetMapping,
      rows_read: rowsRead,
      rows_dropped: rowsDropped,
      class_counts: classCounts,
      options: { one_hot: params.oneHot, dropna: params.dropna, sep: params.sep, encoding: params.encoding },
    },
  };
}

/** The built-in `csv` loader. */
export const csvLoader: DatasetLoader<CsvParams> = { kind: 'csv', parseParams, load };
