import { readFileSync } from 'node:fs';
import { BalanceOpsError, describeError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-file.js';
import { DUMMY_TYPE, parseDummy } from './dummy.js';
import { parseTabular, TABULAR_TYPE } from './tabular.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelDocument,
  type ModelParser,
  type Predictor,
} from './types.js';

/** Every model type BalanceOps can load, by the `type` field of its file. */
const PARSERS = new Map<string, ModelParser>([
  [DUMMY_TYPE, parseDummy],
  [TABULAR_TYPE, parseTabular],
]);

/** Makes a model type loadable; the tabular pipeline and plugins register themselves here. */
export function registerModelType(type: string, parser: ModelParser): void {
  PARSERS.set(type, parser);
}

export function knownModelTypes(): string[] {
  return [...PARSERS.keys()].sort();
}

function invalid(source: string, problem: string): BalanceOpsError {
  return new BalanceOpsError('MODEL_INVALID', `model file ${source}: ${problem}`, {
    hint: 'Promote a model written by BalanceOps (train-dummy, train-tabular).',
  });
}

/** Checks the header and hands the document to its type's parser; errors name `source`. */
export function parseModel(text: string, source: string): { doc: ModelDocument; predictor: Predictor } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(source, `not valid JSON (${describeError(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(source, 'not a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc.format !== MODEL_FORMAT)
    throw invalid(source, `format is ${JSON.stringify(doc.format)}, expected "${MODEL_FORMAT}"`);
  if (doc.version !== MODEL_FORMAT_VERSION) {
    throw invalid(
      source,
      `version ${JSON.stringify(doc.version)} is not supported (this BalanceOps reads version ${MODEL_FORMAT_VERSION})`,
    );
  }
  const parser = typeof doc.type === 'string' ? PARSERS.get(doc.type) : undefined;
  if (parser === undefined) {
    throw invalid(
      source,
      `unknown model type ${JSON.stringify(doc.type)} (known: ${knownModelTypes().join(', ')})`,
    );
  }
  try {
    return { doc: doc as ModelDocument, predictor: parser(doc as ModelDocument) };
  } catch (err) {
    throw invalid(source, describeError(err));
  }
}

/**
 * Loads a model file into a predictor. A missing, unreadable or malformed file, an unknown type or an
 * unsupported version is a `MODEL_INVALID` error that names the file.
 *
 * @example
 *   const model = loadModel('artifacts/models/current.json');
 *   model.nFeatures;              // 8
 *   model.predictProba([[0.1, 0.2]]); // [0.53...]
 */
export function loadModel(path: string): Predictor {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw invalid(path, `cannot be read (${describeError(err)})`);
  }
  return parseModel(text, path).predictor;
}

/** Writes a model document atomically. */
export function saveModel(path: string, doc: ModelDocument): void {
  writeJsonAtomic(path, doc);
}
