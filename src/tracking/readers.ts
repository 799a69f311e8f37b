import { existsSync } from 'node:fs';
import { displayPath, resolveStoredPath, type Settings } from '../config.js';
import type {
  MetricHistoryJson,
  MetricPointJson,
  RunDetailJson,
  RunSummaryJson,
  RunsPageJson,
} from '../contract.js';
import { BalanceOpsError, isBalanceOpsError } from '../errors.js';
import type { RunQuery, RunRecord, Store } from '../store/types.js';
import { isPlausibleRunId } from '../util/ids.js';
import { RunFolders, type RunPointer } from './run-folders.js';

export const MAX_PAGE_SIZE = 200;

export interface RunsSummaryQuery extends Omit<RunQuery, 'limit' | 'offset'> {
  limit?: number;
  offset?: number;
  includeMetrics?: boolean;
}

function summary(run: RunRecord): RunSummaryJson {
  return {
    run_id: run.runId,
    run_dir_name: run.runDirName,
    created_at: run.createdAt,
    finished_at: run.finishedAt,
    status: run.status,
    kind: run.kind,
    note: run.note,
    git: run.git,
  };
}

/**
 * Read side of tracking, as the API, the CLI and the dashboard show it: database rows joined with what the
 * run folders say. Broken files never fail a read; they are reported through `warn` and skipped.
 */
export class RunReader {
  readonly folders: RunFolders;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.folders = new RunFolders(settings);
  }

  /** A page of runs, newest first unless sorted otherwise; `limit` 1..200, `offset` >= 0. */
  async listRuns(query: RunsSummaryQuery = {}): Promise<RunsPageJson> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new BalanceOpsError(
        'VALIDATION_ERROR',
        `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`,
      );
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new BalanceOpsError('VALIDATION_ERROR', `offset must be a non-negative integer, got ${offset}`);
    }
    const page = await this.store.listRuns({ ...query, limit, offset });
    const items = page.items.map(summary);
    for (const item of items) {
      if (item.run_dir_name === null) item.run_dir_name = this.pointerFor(item.run_id)?.run_dir_name ?? null;
    }
    if (query.includeMetrics ?? true) {
      const metrics = await this.store.getLatestMetrics(items.map((i) => i.run_id));
      for (const item of items) item.metrics = metrics.get(item.run_id) ?? {};
    }
    const out: RunsPageJson = { items, limit, offset, count: items.length };
    if (page.total !== null) out.total = page.total;
    return out;
  }

  /** Everything known of one run; `RUN_NOT_FOUND` when the database has no such run. */
  async getRun(runId: string): Promise<RunDetailJson> {
    const run = isPlausibleRunId(runId) ? await this.store.getRun(runId) : null;
    if (run === null) {
      throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`, {
        hint: 'List runs with `npx balanceops runs list`.',
      });
    }
    const warnings: string[] = [];
    const pointer = this.pointerFor(runId, warnings);
    const [params, metrics, artifacts] = await Promise.all([
      this.store.getParams(runId),
      this.store.getLatestMetrics([runId]),
      this.store.listArtifacts(runId),
    ]);
    const manifestPath = this.folders.findManifest(runId, pointer, run.runDirName);
    let manifestData: Record<string, unknown> | null = null;
    if (manifestPath !== null) {
      try {
        manifestData = this.folders.readManifest(manifestPath);
      } catch (err) {
        if (!isBalanceOpsError(err)) throw err;
        warnings.push(err.message);
        this.warn(err.message);
      }
    }
    return {
      ...summary(run),
      run_dir_name: run.runDirName ?? pointer?.run_dir_name ?? null,
      params,
      metrics: metrics.get(runId) ?? {},
      artifacts: artifacts.map((a) => ({
        kind: a.kind,
        path: a.path,
        size: a.size,
        sha256: a.sha256,
        created_at: a.createdAt,
        exists: existsSync(resolveStoredPath(this.settings, a.path)),
      })),
      manifest: pointer,
      manifest_path: manifestPath === null ? null : displayPath(this.settings, manifestPath),
      manifest_data: manifestData,
      warnings,
    };
  }

  /** The newest run: the `_latest.json` pointer first (when it names a known run), the database second. */
  async latestRunId(): Promise<string | null> {
    try {
      const pointer = this.folders.readLatestPointer();
      if (pointer !== null && (await this.store.getRun(pointer.run_id)) !== null) return pointer.run_id;
    } catch (err) {
      if (!isBalanceOpsError(err)) throw err;
      this.warn(err.message);
    }
    return this.store.latestRunId();
  }

  /** Every logged point of a run's metrics (all keys, or those named), grouped by key in step order. */
  async metricHistory(runId: string, keys?: readonly string[]): Promise<MetricHistoryJson> {
    // the store answers RUN_NOT_FOUND itself for an id it does not know
    if (!isPlausibleRunId(runId)) throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`);
    const metrics: Record<string, MetricPointJson[]> = {};
    for (const p of await this.store.getMetricHistory(runId, keys)) {
      let series = metrics[p.key];
      if (series === undefined) {
        series = [];
        metrics[p.key] = series;
      }
      series.push({ step: p.step, value: p.value, timestamp: p.timestamp });
    }
    return { run_id: runId, metrics };
  }

  private pointerFor(runId: string, warnings?: string[]): RunPointer | null {
    try {
      return this.folders.readByIdPointer(runId);
    } catch (err) {
      if (!isBalanceOpsError(err)) throw err;
      warnings?.push(err.message);
      this.warn(err.message);
      return null;
    }
  }
}
