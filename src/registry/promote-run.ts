import type { PromotionJson } from '../contract.js';
import { BalanceOpsError } from '../errors.js';
import type { Store } from '../store/types.js';
import { isPlausibleRunId } from '../util/ids.js';
import { DEFAULT_MODEL_NAME, type ModelRegistry } from './registry.js';

/** Artifact kinds that hold a run's model, most specific first (as the original picked them). */
const MODEL_ARTIFACT_KINDS = ['model_candidate', 'model'];

export interface PromoteRunOptions {
  runId: string;
  /** A model file to promote for this run instead of the one it recorded. */
  modelPath?: string | undefined;
  name?: string | undefined;
  reason?: string | undefined;
}

/**
 * Manual promotion of a run's model, whatever the policy says: the run's registered version, else the
 * model file it recorded as an artifact (registered now), else `--model-path`. An unknown run is
 * `RUN_NOT_FOUND`; a run with no model is `NO_MODEL_ARTIFACT`; both name the run and change nothing.
 */
export async function promoteRun(
  store: Store,
  registry: ModelRegistry,
  options: PromoteRunOptions,
): Promise<PromotionJson> {
  const name = options.name ?? DEFAULT_MODEL_NAME;
  const run = isPlausibleRunId(options.runId) ? await store.getRun(options.runId) : null;
  if (run === null) {
    throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${options.runId}`, {
      hint: 'List runs with `npx balanceops runs list`.',
    });
  }
  const metrics = (await store.getLatestMetrics([run.runId])).get(run.runId) ?? {};
  let version = options.modelPath === undefined ? await store.findVersionByRunId(name, run.runId) : null;
  if (version === null) {
    let path = options.modelPath;
    if (path === undefined) {
      const artifacts = await store.listArtifacts(run.runId);
      path = MODEL_ARTIFACT_KINDS.map((kind) => artifacts.find((a) => a.kind === kind)).find((a) => a)?.path;
    }
    if (path === undefined) {
      throw new BalanceOpsError(
        'NO_MODEL_ARTIFACT',
        `run ${run.runId} (${run.kind}) has no model artifact to promote`,
        {
          hint: 'Train one with `npx balanceops train-dummy`, or pass --model-path.',
        },
      );
    }
    version = await registry.registerCandidate({ name, runId: run.runId, path, metrics });
  }
  return registry.promote(version, { reason: options.reason ?? `manual promote of run ${run.runId}` });
}
