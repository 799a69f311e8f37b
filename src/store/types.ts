/**
 * The storage interfaces of BalanceOps. The tracking library, the registry, the server and the CLI only
 * ever talk to these; each backend (`sqlite`, `postgres`) is one implementation checked by one shared
 * conformance suite. Every method is async so that a networked backend fits behind the same shape.
 */

export type RunStatus = 'running' | 'success' | 'failed';

export interface GitInfo {
  commit: string | null;
  branch: string | null;
  /** `null` when the run was not made inside a git checkout. */
  dirty: boolean | null;
}

export interface NewRun {
  runId: string;
  createdAt: string;
  kind: string;
  note: string | null;
  runDirName: string | null;
  git: GitInfo;
}

export interface RunRecord {
  runId: string;
  createdAt: string;
  finishedAt: string | null;
  status: RunStatus;
  kind: string;
  note: string | null;
  /** `null` for legacy runs whose folder is named by the bare run id. */
  runDirName: string | null;
  git: GitInfo;
}

export interface MetricPoint {
  key: string;
  value: number;
  /** Training step or epoch; absent for a one-off value. */
  step?: number | null;
  /** Milliseconds since the epoch; defaults to the time of logging. */
  timestamp?: number;
}

export interface MetricValue {
  key: string;
  value: number;
  step: number | null;
  timestamp: number;
}

export interface NewArtifact {
  kind: string;
  path: string;
  size: number | null;
  sha256: string | null;
  createdAt: string;
}

export type ArtifactRecord = NewArtifact;

export type RunSortField = 'created_at' | 'kind' | 'status' | 'run_dir_name' | 'note' | 'branch';

export interface RunQuery {
  limit: number;
  offset: number;
  /** Case-insensitive substring over run_dir_name, run_id, note, kind, git branch and commit. */
  search?: string | undefined;
  kind?: string | undefined;
  status?: RunStatus | undefined;
  /** `true`: only runs made from a dirty checkout; `false`: only clean ones. */
  dirty?: boolean | undefined;
  /** A run field, or `metric:<key>` to order by that metric's latest value (runs without it last). */
  sort?: RunSortField | `metric:${string}` | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** Also count every run that matches the filters (costs a scan when filters are set). */
  withTotal?: boolean | undefined;
}

export interface RunPage {
  items: RunRecord[];
  /** Every run matching the filters, when `withTotal` was asked for. */
  total: number | null;
}

export interface TrackingStore {
  createRun(run: NewRun): Promise<void>;
  finishRun(runId: string, status: Exclude<RunStatus, 'running'>, finishedAt: string): Promise<void>;
  logParams(runId: string, params: Record<string, unknown>): Promise<void>;
  /** Appends metric points in one transaction and updates each key's latest value. */
  logMetrics(runId: string, points: readonly MetricPoint[]): Promise<void>;
  logArtifact(runId: string, artifact: NewArtifact): Promise<void>;

  getRun(runId: string): Promise<RunRecord | null>;
  listRuns(query: RunQuery): Promise<RunPage>;
  getParams(runId: string): Promise<Record<string, unknown>>;
  /** Latest value of every metric of each run (a run with none maps to `{}`). */
  getLatestMetrics(runIds: readonly string[]): Promise<Map<string, Record<string, number>>>;
  /** Every logged point of a run, ordered by key, then step, then time. */
  getMetricHistory(runId: string, keys?: readonly string[]): Promise<MetricValue[]>;
  listArtifacts(runId: string): Promise<ArtifactRecord[]>;
  /** The newest run by creation time. */
  latestRunId(): Promise<string | null>;
  /** Every metric key that any run has logged, sorted. */
  listMetricKeys(): Promise<string[]>;
  /** Run kinds present, sorted. */
  listRunKinds(): Promise<string[]>;
}

export type RegistryAction = 'promote' | 'rollback' | 'decline';

export interface NewModelVersion {
  name: string;
  runId: string | null;
  modelType: string;
  /** Where the immutable candidate file of this version lives. */
  path: string;
  sha256: string;
  metrics: Record<string, number>;
  createdAt: string;
}

export interface ModelVersion extends NewModelVersion {
  id: number;
  /** 1, 2, 3... per model name, in registration order. */
  version: number;
}

export interface CurrentModel {
  version: ModelVersion;
  promotedAt: string;
  /** Bumped on every change of any current pointer; lets caches tell whether they are stale. */
  epoch: number;
}

export interface RegistryEvent {
  id: number;
  name: string;
  action: RegistryAction;
  fromVersion: number | null;
  toVersion: number | null;
  runId: string | null;
  reason: string;
  actor: string;
  createdAt: string;
}

export interface PointerChange {
  name: string;
  action: Exclude<RegistryAction, 'decline'>;
  toVersionId: number;
  /** The version id the caller saw as current; the change fails if another writer moved it meanwhile. */
  expectedFromVersionId: number | null;
  reason: string;
  actor: string;
  createdAt: string;
}

export interface Decision {
  name: string;
  fromVersionId: number | null;
  toVersionId: number;
  reason: string;
  actor: string;
  createdAt: string;
}

/** A cheap, synchronous way to learn that the registry may have changed, polled on every request. */
export interface ChangeSignal {
  /** A token that differs from the previous one whenever another writer may have changed the registry. */
  poll(): number;
  close(): Promise<void>;
}

export interface RegistryStore {
  /** Registers a model version, numbering it after the name's newest one. */
  registerVersion(version: NewModelVersion): Promise<ModelVersion>;
  getVersionById(id: number): Promise<ModelVersion | null>;
  getVersion(name: string, version: number): Promise<ModelVersion | null>;
  findVersionByRunId(name: string, runId: string): Promise<ModelVersion | null>;
  listVersions(name?: string): Promise<ModelVersion[]>;
  listModelNames(): Promise<string[]>;
  getCurrent(name: string): Promise<CurrentModel | null>;
  /**
   * Moves the current pointer, bumps the epoch and records the event in one transaction. Returns `null`
   * and changes nothing when the pointer is no longer at `expectedFromVersionId` (another writer won).
   * `inTransaction` runs after that check, before the commit, under the registry's write lock: the
   * registry renames the canonical model file there, so file and pointer move in the same order for
   * every writer. If it throws, nothing is committed.
   */
  setCurrent(change: PointerChange, inTransaction?: () => void): Promise<RegistryEvent | null>;
  /**
   * Runs `fn` under the registry's write lock if `name`'s pointer is still at `versionId` and the epoch
   * is still `epoch`; returns whether it ran. Used to repair the canonical file without racing a promotion.
   */
  whileCurrent(name: string, versionId: number, epoch: number, fn: () => void): Promise<boolean>;
  /** Records a promotion the policy declined. */
  recordDecision(decision: Decision): Promise<RegistryEvent>;
  listEvents(name?: string, limit?: number): Promise<RegistryEvent[]>;
  /** The registry epoch: bumped by every `setCurrent`. */
  registryEpoch(): Promise<number>;
  openChangeSignal(): Promise<ChangeSignal>;
}

export interface Store extends TrackingStore, RegistryStore {
  /** A short description for messages: `sqlite:data/balanceops.db`. */
  readonly description: string;
  close(): Promise<void>;
}
