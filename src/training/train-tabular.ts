/**
 * `train-tabular`: the tabular baseline. Loads a dataset spec's table, splits it (stratified, seeded), fits
 * a standard scaler + L2 logistic regression (scikit-learn's objective, C = 1), scores the held-out rows,
 * then records a `train_tabular` run, saves and registers the candidate and lets the policy decide.
 *
 * Everything that can fail on bad input (the spec, the file, the columns, the split) happens before the run
 * is started, so a bad dataset leaves nothing in the database.
 */
import { join } from 'node:path';
import { displayPath } from '../config.js';
import type { TrainResultJson } from '../contract.js';
import { BalanceOpsError } from '../errors.js';
import { saveModel } from '../models/load.js';
import { parseTabular, type TabularModelDocument, tabularDocument } from '../models/tabular.js';
import { DEFAULT_POLICY, type PromotionPolicy } from '../registry/policy.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Tracker } from '../tracking/tracker.js';
import { writeJsonAtomic } from '../util/atomic-file.js';
import type { TabularDataset } from './datasets/dataset.js';
import { checkDataset, type LoadProgress } from './datasets/registry.js';
import { type DatasetSpec, MAX_SEED, specSource } from './datasets/spec.js';
import { type SplitIndices, splitRowsInPlace, stratifiedSplit } from './datasets/split.js';
import { type HeldOutMetrics, heldOutMetrics } from './heldout-metrics.js';
import { DEFAULT_C, fitLogistic, type LogisticFit, type Solver } from './logistic.js';
import { fitScaler, type ScalerStats, standardizeInPlace } from './scaler.js';

export const DEFAULT_SEED = 42;
export const DEFAULT_TEST_SIZE = 0.2;

export type TrainProgress =
  | ({ phase: 'load' } & LoadProgress)
  | { phase: 'fit'; iteration: number; gradNorm: number }
  | { phase: 'done' };

export interface TrainTabularOptions {
  /** Override the spec's `split.seed` (default 42). */
  seed?: number | undefined;
  /** Override the spec's `split.test_size` (default 0.2). */
  testSize?: number | undefined;
  C?: number;
  solver?: Solver | 'auto';
  autoPromote?: boolean;
  policy?: PromotionPolicy;
  onProgress?: (progress: TrainProgress) => void;
}

/** What `train-tabular --json` prints: the training result of the contract, plus the dataset and fit. */
export interface TabularTrainResultJson extends TrainResultJson {
  dataset_meta_path: string;
  dataset: {
    name: string;
    rows: number;
    n_train: number;
    n_test: number;
    n_features: number;
    sha256: string;
  };
  fit: { solver: Solver; iterations: number; converged: boolean };
}

/** A fitted baseline, before anything is recorded. */
export interface FittedTabular {
  spec: DatasetSpec;
  seed: number;
  testSize: number;
  dataset: TabularDataset;
  split: SplitIndices;
  scaler: ScalerStats;
  fit: LogisticFit;
  C: number;
  document: TabularModelDocument;
  metrics: HeldOutMetrics;
}

function resolveSplit(spec: DatasetSpec, options: TrainTabularOptions): { seed: number; testSize: number } {
  const seed = options.seed ?? spec.split.seed ?? DEFAULT_SEED;
  const testSize = options.testSize ?? spec.split.test_size ?? DEFAULT_TEST_SIZE;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`,
    );
  if (!(testSize > 0 && testSize < 1))
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `test size must be between 0 and 1 (exclusive), got ${testSize}`,
    );
  return { seed, testSize };
}

/**
 * Loads, splits, fits and scores: everything but recording. Throws on any bad input (`DATASET_INVALID`
 * naming the file and column). The dataset's arrays are reordered (train rows first) and the train rows
 * are standardised in place; `split` tells which original rows went where.
 *
 * @example
 *   const fitted = await fitTabular(readDatasetSpec('examples/credit-risk/dataset.json'), {}, process.cwd());
 *   fitted.metrics.bal_acc; fitted.fit.converged;
 */
export async function fitTabular(
  spec: DatasetSpec,
  options: TrainTabularOptions,
  cwd: string,
): Promise<FittedTabular> {
  const { seed, testSize } = resolveSplit(spec, options);
  const checked = checkDataset(spec, cwd);
  const progress = options.onProgress;
  const dataset = await checked.load({
    cwd,
    ...(progress === undefined ? {} : { onProgress: (p: LoadProgress) => progress({ phase: 'load', ...p }) }),
  });
  const split = stratifiedSplit(
    dataset.y,
    testSize,
    seed,
    `${dataset.meta.source.path} (${specSource(spec)})`,
  );
  const d = dataset.nFeatures;
  const parts = splitRowsInPlace(dataset.x, dataset.y, d, split);
  const nTrain = parts.yTrain.length;
  const scaler = fitScaler(parts.xTrain, nTrain, d);
  standardizeInPlace(parts.xTrain, nTrain, d, scaler);
  const C = options.C ?? DEFAULT_C;
  const fit = fitLogistic(parts.xTrain, parts.yTrain, d, {
    C,
    solver: options.solver ?? 'auto',
    ...(progress === undefined
      ? {}
      : { onIteration: (it) => progress({ phase: 'fit', iteration: it.iteration, gradNorm: it.gradNorm }) }),
  });
  const document = tabularDocument({
    recordColumns: dataset.recordColumns,
    oneHot: dataset.oneHot,
    mean: scaler.mean,
    scale: scaler.scale,
    coef: fit.coef,
    intercept: fit.intercept,
    target: { column: dataset.meta.target_col, mapping: dataset.meta.target_mapping },
    training: {
      C,
      solver: fit.solver,
      iterations: fit.iterations,
      converged: fit.converged,
      grad_norm: fit.gradNorm,
      warm_start: fit.warmStart,
      dataset: { name: dataset.meta.name, sha256: dataset.meta.fingerprint.sha256 },
      seed,
      test_size: testSize,
      n_train: nTrain,
    },
  });
  // scored by the very predictor the server will load, on the raw held-out rows
  const model = parseTabular(document);
  const nTest = parts.yTest.length;
  const probs = new Float64Array(nTest);
  for (let i = 0; i < nTest; i++) probs[i] = model.predictOne(parts.xTest.subarray(i * d, i * d + d));
  const metrics = heldOutMetrics(parts.yTest, probs);
  progress?.({ phase: 'done' });
  return { spec, seed, testSize, dataset, split, scaler, fit, C, document, metrics };
}

/** What `dataset.json` in the run folder holds. */
function datasetRecord(fitted: FittedTabular, dataPath: string) {
  const { spec, dataset, split } = fitted;
  return {
    dataset_spec: {
      kind: spec.kind,
      name: spec.name,
      params: spec.params,
      split: spec.split,
      note: spec.note,
      file: spec.file,
    },
    feature_names: dataset.featureNames,
    record_columns: dataset.recordColumns,
    one_hot: dataset.oneHot,
    meta: { ...dataset.meta, source: { ...dataset.meta.source, path: dataPath } },
    shape: { n_samples: dataset.nRows, n_features: dataset.nFeatures },
    split: {
      seed: fitted.seed,
      test_size: fitted.testSize,
      n_train: split.train.length,
      n_test: split.test.length,
      train_class_counts: split.trainCounts,
      test_class_counts: split.testCounts,
    },
  };
}

/**
 * Records a fitted baseline: run `train_tabular` with params and held-out metrics, `dataset.json` (artifact
 * `dataset`), the candidate `<artifacts>/models/candidates/<run_id>_tabular.json` (artifact
 * `model_candidate`), a registered model version, and the policy's decision.
 *
 * @example
 *   const fitted = await fitTabular(spec, {}, settings.cwd);   // bad input fails here, nothing recorded
 *   const result = await recordTabular(tracker, registry, fitted, { policy });
 */
export async function recordTabular(
  tracker: Tracker,
  registry: ModelRegistry,
  fitted: FittedTabular,
  options: Pick<TrainTabularOptions, 'autoPromote' | 'policy'> = {},
): Promise<TabularTrainResultJson> {
  const settings = tracker.settings;
  const { dataset, fit, split } = fitted;
  const dataPath = displayPath(settings, dataset.meta.source.path);
  const autoPromote = options.autoPromote ?? true;
  const metrics: Record<string, number> = { ...fitted.metrics };

  const { value, run } = await tracker.withRun(
    {
      kind: 'train_tabular',
      note: 'tabular baseline training',
      params: {
        dataset_name: dataset.meta.name,
        dataset_kind: dataset.meta.kind,
        dataset_path: dataPath,
        dataset_sha256: dataset.meta.fingerprint.sha256,
        target_col: dataset.meta.target_col,
        feature_cols: dataset.recordColumns,
        n_features: dataset.nFeatures,
        ...dataset.meta.options,
        seed: fitted.seed,
        test_size: fitted.testSize,
        C: fitted.C,
        solver: fit.solver,
        iterations: fit.iterations,
        converged: fit.converged,
        warm_start_rows: fit.warmStart?.rows ?? null,
        n_train: split.train.length,
        n_test: split.test.length,
        auto_promote: autoPromote,
      },
    },
    async (active) => {
      await active.logMetrics(metrics);
      const datasetPath = active.artifactPath('dataset.json');
      writeJsonAtomic(datasetPath, datasetRecord(fitted, dataPath));
      await active.logArtifact('dataset', datasetPath);
      const candidatePath = join(
        settings.artifactsDir,
        'models',
        'candidates',
        `${active.runId}_tabular.json`,
      );
      saveModel(candidatePath, fitted.document);
      await active.logArtifact('model_candidate', candidatePath);
      const version = await registry.registerCandidate({ runId: active.runId, path: candidatePath, metrics });
      let promoted = false;
      let reason = 'auto-promote disabled';
      if (autoPromote) {
        const decision = await registry.promoteIfBetter(version, options.policy ?? DEFAULT_POLICY);
        promoted = decision.promoted;
        reason = decision.reason;
        if (promoted) await active.logArtifact('model_current', registry.canonicalPath());
      }
      return { candidatePath, datasetPath, promoted, reason, modelVersion: version.version };
    },
  );
  return {
    run_id: run.runId,
    candidate_path: displayPath(settings, value.candidatePath),
    manifest_path: displayPath(settings, run.manifestPath),
    metrics,
    promoted: value.promoted,
    reason: value.reason,
    model_version: value.modelVersion,
    dataset_meta_path: displayPath(settings, value.datasetPath),
    dataset: {
      name: dataset.meta.name,
      rows: dataset.nRows,
      n_train: split.train.length,
      n_test: split.test.length,
      n_features: dataset.nFeatures,
      sha256: dataset.meta.fingerprint.sha256,
    },
    fit: { solver: fit.solver, iterations: fit.iterations, converged: fit.converged },
  };
}

/**
 * {@link fitTabular} then {@link recordTabular}: trains the tabular baseline and records it.
 *
 * @example
 *   const result = await trainTabular(tracker, registry, readDatasetSpec('data.json'), { seed: 7 });
 *   result.metrics.bal_acc; result.promoted;
 */
export async function trainTabular(
  tracker: Tracker,
  registry: ModelRegistry,
  spec: DatasetSpec,
  options: TrainTabularOptions = {},
): Promise<TabularTrainResultJson> {
  const fitted = await fitTabular(spec, options, tracker.settings.cwd);
  return recordTabular(tracker, registry, fitted, options);
}
