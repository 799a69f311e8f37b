import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath, type Settings } from '../config.js';
import { BalanceOpsError, describeError } from '../errors.js';
import type { GitInfo, MetricPoint, RunStatus, Store } from '../store/types.js';
import { isoNow } from '../util/clock.js';
import { newRunId } from '../util/ids.js';
import { getGitInfo } from './git.js';
import { RunFolders, runDirName } from './run-folders.js';

export interface StartRunOptions {
  /** What made the run: `demo`, `train_dummy`, `train_tabular`, or any label of yours. */
  kind: string;
  note?: string | null;
  params?: Record<string, unknown>;
  /** Folder whose git checkout is recorded; the working directory by default. */
  gitDir?: string;
}

export interface FinishedRun {
  runId: string;
  runDirName: string;
  status: Exclude<RunStatus, 'running'>;
  manifestPath: string;
  metrics: Record<string, number>;
}

const MAX_KEY_LENGTH = 250;
const active = new Set<ActiveRun>();

function checkKey(what: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `${what} name must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${JSON.stringify(key)}`,
    );
  }
  return key;
}

function checkPoint(p: MetricPoint): MetricPoint {
  checkKey('metric', p.key);
  if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `metric '${p.key}' must be a finite number, got ${String(p.value)}`,
    );
  }
  if (p.step != null && !Number.isSafeInteger(p.step)) {
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `metric '${p.key}' step must be an integer, got ${String(p.step)}`,
    );
  }
  if (p.timestamp !== undefined && !Number.isFinite(p.timestamp)) {
    throw new BalanceOpsError('VALIDATION_ERROR', `metric '${p.key}' timestamp must be a finite number`);
  }
  return p;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A run being recorded. Obtain one from {@link Tracker.startRun} (or better, {@link Tracker.withRun},
 * which finishes it as `failed` when the work throws).
 */
export class ActiveRun {
  readonly runId: string;
  readonly kind: string;
  readonly createdAt: string;
  readonly runDirName: string;
  /** Absolute path of the run's folder: files written here belong to the run. */
  readonly dir: string;
  private readonly note: string | null;
  private readonly git: GitInfo;
  private finished: FinishedRun | null = null;

  constructor(
    private readonly store: Store,
    private readonly folders: RunFolders,
    private readonly settings: Settings,
    init: { runId: string; kind: string; createdAt: string; note: string | null; git: GitInfo },
  ) {
    this.runId = init.runId;
    this.kind = init.kind;
    this.createdAt = init.createdAt;
    this.runDirName = runDirName(init.createdAt, init.kind, init.runId);
    this.dir = folders.runDir(this.runDirName);
    this.note = init.note;
    this.git = init.git;
  }

  get isFinished(): boolean {
    return this.finished !== null;
  }

  private ensureActive(): void {
    if (this.finished !== null) {
      throw new BalanceOpsError(
        'RUN_NOT_ACTIVE',
        `run ${this.runId} is already finished (${this.finished.status})`,
      );
    }
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    this.ensureActive();
    for (const [key, value] of Object.entries(params)) {
      checkKey('param', key);
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
        throw new BalanceOpsError('VALIDATION_ERROR', `param '${key}' has no JSON value`);
      }
    }
    await this.store.logParams(this.runId, params);
  }

  async logParam(key: string, value: unknown): Promise<void> {
    await this.logParams({ [key]: value });
  }

  /** Logs one metric value, optionally at a training step. */
  async logMetric(key: string, value: number, step?: number): Promise<void> {
    await this.logMetricPoints([{ key, value, step: step ?? null }]);
  }

  /** Logs several metrics at once, all at the same step when one is given. */
  async logMetrics(values: Record<string, number>, step?: number): Promise<void> {
    await this.logMetricPoints(
      Object.entries(values).map(([key, value]) => ({ key, value, step: step ?? null })),
    );
  }

  /** Logs a batch of points in one transaction: the fast way to record long histories. */
  async logMetricPoints(points: readonly MetricPoint[]): Promise<void> {
    this.ensureActive();
    for (const p of points) checkPoint(p);
    await this.store.logMetrics(this.runId, points);
  }

  /** Records a file (or folder) produced by the run, with its size and SHA-256. */
  async logArtifact(kind: string, path: string): Promise<void> {
    this.ensureActive();
    checkKey('artifact kind', kind);
    const abs = resolve(this.settings.cwd, path);
    let size: number | null = null;
    let sha256: string | null = null;
    try {
      const st = statSync(abs);
      if (st.isFile()) {
        size = st.size;
        sha256 = await sha256File(abs);
      }
    } catch (err) {
      throw new BalanceOpsError('VALIDATION_ERROR', `artifact ${abs} cannot be read: ${describeError(err)}`);
    }
    await this.store.logArtifact(this.runId, {
      kind,
      path: displayPath(this.settings, abs),
      size,
      sha256,
      createdAt: isoNow(),
    });
  }

  /** Path of a file inside the run's folder (the folder is created with the run). */
  artifactPath(...segments: string[]): string {
    return join(this.dir, ...segments);
  }

  /** Marks the run finished, rewrites its manifest with the final status and metric snapshot. */
  async finish(status: Exclude<RunStatus, 'running'> = 'success'): Promise<FinishedRun> {
    if (this.finished !== null) return this.finished;
    const finishedAt = isoNow();
    await this.store.finishRun(this.runId, status, finishedAt);
    const metrics = (await this.store.getLatestMetrics([this.runId])).get(this.runId) ?? {};
    const manifestPath = this.folders.writeManifest({
      run_id: this.runId,
      run_dir_name: this.runDirName,
      created_at: this.createdAt,
      kind: this.kind,
      status,
      metrics,
      finished_at: finishedAt,
      note: this.note,
      git: this.git,
    });
    this.finished = { runId: this.runId, runDirName: this.runDirName, status, manifestPath, metrics };
    active.delete(this);
    return this.finished;
  }
}

/**
 * Records runs: a row in the store and a folder on disk with its manifest and pointers.
 *
 * @example
 *   const tracker = new Tracker(store, settings);
 *   const result = await tracker.withRun({ kind: 'demo' }, async (run) => {
 *     await run.logMetrics({ acc: 0.9 });
 *   });
 */
export class Tracker {
  readonly folders: RunFolders;

  constructor(
    readonly store: Store,
    readonly settings: Settings,
  ) {
    this.folders = new RunFolders(settings);
  }

  async startRun(options: StartRunOptions): Promise<ActiveRun> {
    checkKey('run kind', options.kind);
    const note = options.note ?? null;
    const git = getGitInfo(options.gitDir ?? this.settings.cwd);
    const run = new ActiveRun(this.store, this.folders, this.settings, {
      runId: newRunId(),
      kind: options.kind,
      createdAt: isoNow(),
      note,
      git,
    });
    await this.store.createRun({
      runId: run.runId,
      createdAt: run.createdAt,
      kind: run.kind,
      note,
      runDirName: run.runDirName,
      git,
    });
    active.add(run);
    try {
      this.folders.writeManifest({
        run_id: run.runId,
        run_dir_name: run.runDirName,
        created_at: run.createdAt,
        kind: run.kind,
        status: 'running',
        metrics: {},
        finished_at: null,
        note,
        git,
      });
      this.folders.writePointers(run.runId, run.runDirName, run.createdAt);
      if (options.params !== undefined) await run.logParams(options.params);
    } catch (err) {
      await run.finish('failed').catch(() => undefined);
      throw err;
    }
    return run;
  }

  /** Runs `work` inside a new run: finished `success` when it resolves, `failed` (and rethrown) when not. */
  async withRun<T>(
    options: StartRunOptions,
    work: (run: ActiveRun) => Promise<T>,
  ): Promise<{ value: T; run: FinishedRun }> {
    const run = await this.startRun(options);
    let value: T;
    try {
      value = await work(run);
    } catch (err) {
      await run.finish('failed').catch(() => undefined);
      throw err;
    }
    return { value, run: await run.finish('success') };
  }
}

/**
 * Finishes every run of this process still open as `failed`. The CLI calls it when the process is about
 * to die (an uncaught error, SIGINT, SIGTERM), so no run is left looking like it is still going.
 */
export async function failActiveRuns(): Promise<void> {
  await Promise.allSettled([...active].map((run) => run.finish('failed')));
}
