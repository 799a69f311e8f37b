import { BalanceOpsError, describeError } from '../errors.js';
import type { Predictor } from '../models/types.js';
import { DEFAULT_MODEL_NAME, type ModelRegistry } from '../registry/registry.js';
import type { ChangeSignal, ModelVersion, RegistryStore } from '../store/types.js';
import { isoNow } from '../util/clock.js';

export interface ServedModel {
  predictor: Predictor;
  version: ModelVersion;
  /** The file it was loaded from: the version's own, or the canonical copy when that was gone. */
  path: string;
  loadedAt: string;
}

export interface ModelCacheStats {
  loads: number;
  loadFailures: number;
  lastError: string | null;
}

// After a failed load, look again at most this often even if the registry did not move (a file restored).
const RETRY_AFTER_FAILURE_MS = 2000;

/**
 * The model a server process is serving, kept fresh without a query per request. Each request polls the
 * store's change signal (for SQLite, `PRAGMA data_version` on a connection of its own: a few microseconds);
 * only when it moves does the cache read the registry epoch, and only when that moved does it load the new
 * current model. A new model is loaded and checked before it replaces the served one; if it fails, the
 * previous one keeps serving and the failure is reported through {@link stats}.
 */
export class ModelCache {
  private served: ServedModel | null = null;
  private token = Number.NaN;
  private epoch = -1;
  private inFlight: Promise<void> | null = null;
  private failedAt = 0;
  readonly stats: ModelCacheStats = { loads: 0, loadFailures: 0, lastError: null };
  private onChange: ((model: ServedModel | null) => void) | null = null;

  constructor(
    private readonly store: RegistryStore,
    private readonly registry: ModelRegistry,
    private readonly signal: ChangeSignal,
    private readonly name: string = DEFAULT_MODEL_NAME,
  ) {}

  /** Called after every swap (metrics gauges, logs). */
  onSwap(listener: (model: ServedModel | null) => void): void {
    this.onChange = listener;
  }

  /**
   * The model to serve for this request, fresh as of now. Resolves synchronously in the steady state
   * (returns the cached value); awaits only when the registry changed.
   */
  current(): ServedModel | null | Promise<ServedModel | null> {
    if (this.checkedThisTurn) return this.served;
    const token = this.signal.poll();
    if (
      token === this.token &&
      (this.failedAt === 0 || Date.now() - this.failedAt < RETRY_AFTER_FAILURE_MS)
    ) {
      // Every request handled in this event-loop turn was already waiting in its socket when the turn
      // began, so a promotion that finished before any of them was sent is visible to this poll: one poll
      // per turn is enough, however many requests the turn serves.
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
      return this.served;
    }
    return this.refresh(token).then(() => this.served);
  }

  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };

  /** The model as last loaded, without looking for changes (for `/metrics` and logs). */
  peek(): ServedModel | null {
    return this.served;
  }

  private refresh(token: number): Promise<void> {
    this.inFlight ??= this.reload(token).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async reload(token: number): Promise<void> {
    const epoch = await this.store.registryEpoch();
    if (epoch === this.epoch && this.failedAt === 0) {
      this.token = token;
      return;
    }
    try {
      const loaded = await this.registry.loadCurrent(this.name);
      this.stats.loads++;
      this.served =
        loaded === null
          ? null
          : { predictor: loaded.predictor, version: loaded.version, path: loaded.path, loadedAt: isoNow() };
      this.failedAt = 0;
      this.stats.lastError = null;
      this.onChange?.(this.served);
      // the canonical copy follows the pointer; a crash may have left it behind
      if (loaded !== null) await this.registry.ensureCanonical(this.name).catch(() => undefined);
    } catch (err) {
      this.stats.loadFailures++;
      this.stats.lastError = describeError(err);
      this.failedAt = Date.now();
    }
    this.epoch = epoch;
    this.token = token;
  }

  async close(): Promise<void> {
    await this.signal.close();
  }

  /** The model for `/predict`: throws the contract's errors when there is none to serve. */
  async require(): Promise<ServedModel> {
    const served = await this.current();
    if (served !== null) return served;
    if (this.stats.lastError !== null) {
      throw new BalanceOpsError('CURRENT_MODEL_LOAD_FAILED', 'Failed to load current model.', {
        hint: 'Re-promote a valid model as current.',
        details: { message: this.stats.lastError },
      });
    }
    throw new BalanceOpsError('NO_CURRENT_MODEL', 'No current model promoted yet.', {
      hint: 'Run `npx balanceops train-dummy` (or `npx balanceops promote --latest`) to promote one.',
    });
  }
}
