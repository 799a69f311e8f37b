import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { displayPath, resolveStoredPath, type Settings } from '../config.js';
import type { CurrentModelJson, ModelVersionJson, PromotionJson, RegistryEventJson } from '../contract.js';
import { BalanceOpsError, describeError, isBalanceOpsError } from '../errors.js';
import { parseModel } from '../models/load.js';
import type { ModelDocument, Predictor } from '../models/types.js';
import type { CurrentModel, ModelVersion, RegistryEvent, Store } from '../store/types.js';
import { commitStaged, stageFile, sweepStaleTemps } from '../util/atomic-file.js';
import { isoNow } from '../util/clock.js';
import { DEFAULT_POLICY, decide, type PromotionPolicy } from './policy.js';

export const DEFAULT_MODEL_NAME = 'balance_model';

/** Attempts when another process moves the pointer between our read and our write. */
const CONFLICT_RETRIES = 20;

export function defaultActor(via = 'cli'): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep 'unknown'
  }
  return `${via}:${user}@${hostname()}`;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** A model version's file, read once, checked against its registered digest, parsed. */
export interface VerifiedModel {
  version: ModelVersion;
  path: string;
  bytes: Buffer;
  doc: ModelDocument;
  predictor: Predictor;
}

export function eventJson(e: RegistryEvent): RegistryEventJson {
  return {
    id: e.id,
    name: e.name,
    action: e.action,
    from_version: e.fromVersion,
    to_version: e.toVersion,
    run_id: e.runId,
    reason: e.reason,
    actor: e.actor,
    created_at: e.createdAt,
  };
}

export function versionJson(v: ModelVersion, currentId: number | null): ModelVersionJson {
  return {
    name: v.name,
    version: v.version,
    run_id: v.runId,
    model_type: v.modelType,
    path: v.path,
    sha256: v.sha256,
    metrics: v.metrics,
    created_at: v.createdAt,
    current: v.id === currentId,
  };
}

/**
 * The model registry: every candidate is a numbered version; `current` is a pointer per model name in the
 * store; the canonical file (`BALANCEOPS_CURRENT_MODEL`) is a byte copy of the current version's file.
 *
 * Crash safety: a promotion first writes the new canonical bytes to a flushed temporary file, then, in one
 * store transaction, checks the pointer has not moved, moves it, records the event and renames the
 * temporary file over the canonical one. Dying at any instant leaves the old or the new pointer, the event
 * with it, and a complete canonical file. The one window (rename done, commit not) leaves the old pointer
 * with the new bytes; {@link ensureCanonical}, which every registry command and the server run, puts the
 * pointer's bytes back. The pointer is the truth, the canonical file its copy.
 */
export class ModelRegistry {
  readonly actor: string;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    options: { actor?: string } = {},
  ) {
    this.actor = options.actor ?? defaultActor();
  }

  /** Where the canonical copy of `name`'s current model lives. */
  canonicalPath(name: string = DEFAULT_MODEL_NAME): string {
    if (name === DEFAULT_MODEL_NAME) return this.settings.currentModelPath;
    return join(
      dirname(this.settings.currentModelPath),
      `current_${name.replace(/[^0-9A-Za-z_-]/g, '_')}.json`,
    );
  }

  /** Absolute path of a stored model path, found from any working directory (see `resolveStoredPath`). */
  resolveModelPath(path: string): string {
    return resolveStoredPath(this.settings, path);
  }

  /** Registers a model file as the next version of `name`; the file must load as a BalanceOps model. */
  async registerCandidate(input: {
    name?: string;
    runId: string | null;
    path: string;
    metrics: Record<string, number>;
  }): Promise<ModelVersion> {
    const abs = resolve(this.settings.cwd, input.path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      throw new BalanceOpsError('MODEL_INVALID', `model file ${abs} cannot be read: ${describeError(err)}`);
    }
    const { doc } = parseModel(bytes.toString('utf8'), abs);
    return this.store.registerVersion({
      name: input.name ?? DEFAULT_MODEL_NAME,
      runId: input.runId,
      modelType: doc.type,
      path: displayPath(this.settings, abs),
      sha256: sha256(bytes),
      metrics: input.metrics,
      createdAt: isoNow(),
    });
  }

  /** Reads a version's own file and checks it is the file that was registered. */
  readVersion(version: ModelVersion): VerifiedModel {
    const path = this.resolveModelPath(version.path);
    const bytes = readIfExists(path);
    if (bytes === null) {
      throw new BalanceOpsError(
        'MODEL_INVALID',
        `model file ${path} of ${version.name} v${version.version} is missing`,
      );
    }
    if (sha256(bytes) !== version.sha256) {
      throw new BalanceOpsError(
        'MODEL_INVALID',
        `model file ${path} of ${version.name} v${version.version} changed since it was registered (sha256 differs)`,
      );
    }
    const { doc, predictor } = parseModel(bytes.toString('utf8'), path);
    return { version, path, bytes, doc, predictor };
  }

  /**
   * Loads the current model to serve: its own file, or, when that is gone or altered, the canonical copy
   * (accepted only if its bytes are the registered ones). `null` when the name has no current model.
   */
  async loadCurrent(
    name: string = DEFAULT_MODEL_NAME,
  ): Promise<(VerifiedModel & { current: CurrentModel }) | null> {
    const current = await this.store.getCurrent(name);
    if (current === null) return null;
    try {
      return { ...this.readVersion(current.version), current };
    } catch (ownFileError) {
      const canonical = this.canonicalPath(name);
      const bytes = readIfExists(canonical);
      if (bytes === null || sha256(bytes) !== current.version.sha256) throw ownFileError;
      const { doc, predictor } = parseModel(bytes.toString('utf8'), canonical);
      return { version: current.version, path: canonical, bytes, doc, predictor, current };
    }
  }

  async current(name: string = DEFAULT_MODEL_NAME): Promise<CurrentModel | null> {
    return this.store.getCurrent(name);
  }

  /** The `GET /model` body: `null` when there is no current model. */
  async currentJson(name: string = DEFAULT_MODEL_NAME): Promise<CurrentModelJson | null> {
    const current = await this.store.getCurrent(name);
    if (current === null) return null;
    const v = current.version;
    return {
      name: v.name,
      stage: 'current',
      run_id: v.runId,
      path: displayPath(this.settings, this.canonicalPath(name)),
      created_at: current.promotedAt,
      metrics_json: JSON.stringify(v.metrics),
      metrics: v.metrics,
      version: v.version,
      model_type: v.modelType,
      candidate_path: v.path,
      sha256: v.sha256,
    };
  }

  /**
   * Makes `target` current. Checks its file first (a broken model is never promoted), then moves pointer,
   * event and canonical file together (see the class comment). Another process promoting at the same time
   * makes this retry against the new current. Already current: nothing changes, `promoted: false`.
   */
  async promote(
    target: ModelVersion,
    options: { reason: string; action?: 'promote' | 'rollback' },
  ): Promise<PromotionJson> {
    const verified = this.readVersion(target);
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await this.store.getCurrent(target.name);
      if (current?.version.id === target.id) {
        await this.ensureCanonical(target.name);
        return this.promotionJson(
          target,
          false,
          `${target.name} v${target.version} is already current`,
          null,
          target.id,
        );
      }
      const event = await this.movePointer(verified, current, options.reason, options.action ?? 'promote');
      if (event !== null) return this.promotionJson(target, true, options.reason, event, target.id);
    }
    throw new BalanceOpsError('INTERNAL_ERROR', `gave up promoting ${target.name}: the pointer kept moving`);
  }

  /**
   * Lets the policy decide whether `candidate` replaces the current model, and records the decision
   * either way (a promotion event, or a `decline` event with the reason). If another process changes the
   * current model meanwhile, the policy judges again against the new one.
   */
  async promoteIfBetter(
    candidate: ModelVersion,
    policy: PromotionPolicy = DEFAULT_POLICY,
  ): Promise<PromotionJson> {
    const verified = this.readVersion(candidate);
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await this.store.getCurrent(candidate.name);
      const decision = decide(policy, candidate.metrics, current === null ? null : current.version.metrics);
      if (!decision.promote) {
        const event = await this.store.recordDecision({
          name: candidate.name,
          fromVersionId: current?.version.id ?? null,
          toVersionId: candidate.id,
          reason: decision.reason,
          actor: this.actor,
          createdAt: isoNow(),
        });
        return this.promotionJson(candidate, false, decision.reason, event, current?.version.id ?? null);
      }
      const event = await this.movePointer(verified, current, decision.reason, 'promote');
      if (event !== null) return this.promotionJson(candidate, true, decision.reason, event, candidate.id);
    }
    throw new BalanceOpsError(
      'INTERNAL_ERROR',
      `gave up promoting ${candidate.name}: the pointer kept moving`,
    );
  }

  /** One compare-and-swap of the pointer, with the canonical file renamed inside the same transaction. */
  private async movePointer(
    model: VerifiedModel,
    expected: CurrentModel | null,
    reason: string,
    action: 'promote' | 'rollback',
  ): Promise<RegistryEvent | null> {
    const canonical = this.canonicalPath(model.version.name);
    const staged = stageFile(canonical, model.bytes);
    try {
      return await this.store.setCurrent(
        {
          name: model.version.name,
          action,
          toVersionId: model.version.id,
          expectedFromVersionId: expected?.version.id ?? null,
          reason,
          actor: this.actor,
          createdAt: isoNow(),
        },
        () => commitStaged(staged, canonical),
      );
    } finally {
      rmSync(staged, { force: true });
    }
  }

  /** The version that was current before the current one was promoted, or `null`. */
  async previousVersion(name: string = DEFAULT_MODEL_NAME): Promise<ModelVersion | null> {
    const current = await this.store.getCurrent(name);
    if (current === null) return null;
    const events = await this.store.listEvents(name, 100_000);
    const madeCurrent = events.find((e) => e.action === 'promote' && e.toVersion === current.version.version);
    if (madeCurrent === undefined || madeCurrent.fromVersion === null) return null;
    return this.store.getVersion(name, madeCurrent.fromVersion);
  }

  /** Puts back the model that was current before the current one; `NO_PREVIOUS_MODEL` when none. */
  async rollback(name: string = DEFAULT_MODEL_NAME): Promise<PromotionJson> {
    const current = await this.store.getCurrent(name);
    const previous = await this.previousVersion(name);
    if (current === null || previous === null) {
      throw new BalanceOpsError(
        'NO_PREVIOUS_MODEL',
        current === null
          ? `${name} has no current model, so there is nothing to roll back`
          : `${name} v${current.version.version} is the first model promoted; there is no earlier one to roll back to`,
        { hint: 'Nothing was changed.' },
      );
    }
    return this.promote(previous, {
      action: 'rollback',
      reason: `rollback to v${previous.version} (from v${current.version.version})`,
    });
  }

  /**
   * Makes the canonical file a byte copy of the current version again if a crash (or a hand edit) left it
   * stale, missing or partial. Safe to race with promotions: the copy is only put in place if the pointer
   * has not moved since it was read. Returns what it found.
   */
  async ensureCanonical(
    name: string = DEFAULT_MODEL_NAME,
  ): Promise<'ok' | 'repaired' | 'no-current' | 'unrepairable'> {
    const current = await this.store.getCurrent(name);
    if (current === null) return 'no-current';
    const canonical = this.canonicalPath(name);
    sweepStaleTemps(canonical);
    const bytes = readIfExists(canonical);
    if (bytes !== null && sha256(bytes) === current.version.sha256) return 'ok';
    let source: Buffer;
    try {
      source = this.readVersion(current.version).bytes;
    } catch (err) {
      if (isBalanceOpsError(err)) return 'unrepairable';
      throw err;
    }
    const staged = stageFile(canonical, source);
    try {
      const ran = await this.store.whileCurrent(name, current.version.id, current.epoch, () =>
        commitStaged(staged, canonical),
      );
      return ran ? 'repaired' : 'ok';
    } finally {
      rmSync(staged, { force: true });
    }
  }

  async listVersions(name: string = DEFAULT_MODEL_NAME): Promise<ModelVersionJson[]> {
    const current = await this.store.getCurrent(name);
    return (await this.store.listVersions(name)).map((v) => versionJson(v, current?.version.id ?? null));
  }

  async history(name: string = DEFAULT_MODEL_NAME, limit = 200): Promise<RegistryEventJson[]> {
    return (await this.store.listEvents(name, limit)).map(eventJson);
  }

  private promotionJson(
    version: ModelVersion,
    promoted: boolean,
    reason: string,
    event: RegistryEvent | null,
    currentId: number | null,
  ): PromotionJson {
    return {
      name: version.name,
      promoted,
      reason,
      version: versionJson(version, currentId),
      event: event === null ? null : eventJson(event),
      current_path: displayPath(this.settings, this.canonicalPath(version.name)),
    };
  }
}
