import { join } from 'node:path';
import { displayPath } from '../config.js';
import type { TrainResultJson } from '../contract.js';
import { BalanceOpsError } from '../errors.js';
import { DummyModel, dummyDocument } from '../models/dummy.js';
import { saveModel } from '../models/load.js';
import { DEFAULT_POLICY, type PromotionPolicy } from '../registry/policy.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Tracker } from '../tracking/tracker.js';
import { Rng } from '../util/random.js';
import { binaryMetrics } from './metrics.js';

export interface TrainDummyOptions {
  seed?: number;
  nSamples?: number;
  nFeatures?: number;
  autoPromote?: boolean;
  policy?: PromotionPolicy;
}

const DATA_STREAM = 1;

/** The dummy model for `seed`: weights and bias drawn from the seeded generator. */
export function dummyWeights(seed: number, nFeatures: number): { weights: number[]; bias: number } {
  const rng = new Rng(seed);
  const weights = Array.from({ length: nFeatures }, () => rng.normal());
  return { weights, bias: rng.normal() };
}

/**
 * Scores a model on seeded synthetic rows whose labels are drawn from the model's own probabilities
 * (Bernoulli(p)), so the metrics measure how decisive the model is, reproducibly.
 */
export function syntheticMetrics(model: DummyModel, seed: number, nSamples: number, nFeatures: number) {
  const rng = new Rng(seed, DATA_STREAM);
  const x = new Float64Array(nFeatures);
  const labels = new Uint8Array(nSamples);
  const probs = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    for (let j = 0; j < nFeatures; j++) x[j] = rng.normal();
    const p = model.predictOne(x);
    probs[i] = p;
    labels[i] = rng.bernoulli(p);
  }
  return binaryMetrics(labels, probs);
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
}

/**
 * `train-dummy`: a deterministic end-to-end check of the whole loop. Same seed, same model and metrics on
 * every machine. Records a `train_dummy` run, saves the candidate, registers it as a model version, and
 * lets the policy decide on promotion.
 */
export async function trainDummy(
  tracker: Tracker,
  registry: ModelRegistry,
  options: TrainDummyOptions = {},
): Promise<TrainResultJson> {
  const seed = options.seed ?? 42;
  const nSamples = options.nSamples ?? 300;
  const nFeatures = options.nFeatures ?? 8;
  checkRange('seed', seed, 0, 2 ** 32 - 1);
  checkRange('n-samples', nSamples, 1, 10_000_000);
  checkRange('n-features', nFeatures, 1, 100_000);
  const { weights, bias } = dummyWeights(seed, nFeatures);
  const model = new DummyModel(weights, bias);
  const metrics = { ...syntheticMetrics(model, seed, nSamples, nFeatures) };

  const { value, run } = await tracker.withRun(
    {
      kind: 'train_dummy',
      note: 'dummy model training for E2E check',
      params: { seed, n_samples: nSamples, n_features: nFeatures, auto_promote: options.autoPromote ?? true },
    },
    async (active) => {
      await active.logMetrics(metrics);
      const candidatePath = join(
        tracker.settings.artifactsDir,
        'models',
        'candidates',
        `${active.runId}_dummy.json`,
      );
      saveModel(candidatePath, dummyDocument(weights, bias, seed));
      await active.logArtifact('model_candidate', candidatePath);
      const version = await registry.registerCandidate({ runId: active.runId, path: candidatePath, metrics });
      let promoted = false;
      let reason = 'auto-promote disabled';
      if (options.autoPromote ?? true) {
        const decision = await registry.promoteIfBetter(version, options.policy ?? DEFAULT_POLICY);
        promoted = decision.promoted;
        reason = decision.reason;
        if (promoted) await active.logArtifact('model_current', registry.canonicalPath());
      }
      return { candidatePath, promoted, reason, modelVersion: version.version };
    },
  );
  return {
    run_id: run.runId,
    candidate_path: displayPath(tracker.settings, value.candidatePath),
    manifest_path: displayPath(tracker.settings, run.manifestPath),
    metrics,
    promoted: value.promoted,
    reason: value.reason,
    model_version: value.modelVersion,
  };
}
