import type { Statement } from 'better-sqlite3';
import { BalanceOpsError } from '../../errors.js';
import {
  EVENT_SELECT,
  type EventRow,
  latestPerKey,
  metricOrderSql,
  RUN_COLUMNS,
  type RunQueryDialect,
  type RunRow,
  runFilterSql,
  runOrderSql,
  toEvent,
  toRun,
  toVersion,
  VERSION_COLUMNS,
  VERSION_FROM,
  type VersionRow,
} from '../shared.js';
import type {
  ArtifactRecord,
  ChangeSignal,
  CurrentModel,
  Decision,
  MetricPoint,
  MetricValue,
  ModelVersion,
  NewArtifact,
  NewModelVersion,
  NewRun,
  PointerChange,
  RegistryEvent,
  RunPage,
  RunQuery,
  RunRecord,
  RunStatus,
  Store,
} from '../types.js';
import { openSqlite, type SqliteDatabase } from './open.js';

const METRIC_CHUNK = 200;

const SQLITE_RUNS: RunQueryDialect = {
  param: (args, value) => {
    args.push(value);
    return '?';
  },
  like: 'LIKE',
  dirty: { yes: 'r.git_dirty = 1', no: 'COALESCE(r.git_dirty, 0) = 0' },
};

/**
 * The SQLite backend of {@link Store}, on better-sqlite3. Calls are synchronous underneath; the async
 * surface is the shared interface. Every write that reads first runs in an IMMEDIATE transaction, so
 * concurrent writers queue on the busy timeout instead of failing with "database is locked".
 */
export class SqliteStore implements Store {
  readonly description: string;
  readonly path: string;
  private readonly db: SqliteDatabase;
  private readonly statements = new Map<string, Statement>();
  private readonly pkCache = new Map<string, number>();

  constructor(path: string, options: { busyTimeoutMs?: number; label?: string } = {}) {
    this.path = path;
    this.description = `sqlite:${options.label ?? path}`;
    this.db = openSqlite(
      path,
      options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
    );
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private runPk(runId: string): number {
    const cached = this.pkCache.get(runId);
    if (cached !== undefined) return cached;
    const pk = this.stmt('SELECT id FROM runs WHERE run_id = ?').pluck().get(runId) as number | undefined;
    if (pk === undefined) throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`);
    if (this.pkCache.size > 10_000) this.pkCache.clear();
    this.pkCache.set(runId, pk);
    return pk;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // ---- tracking: writes -------------------------------------------------------------------------------

  async createRun(run: NewRun): Promise<void> {
    const info = this.stmt(
      `INSERT INTO runs (run_id, created_at, status, kind, note, run_dir_name, git_commit, git_branch, git_dirty)
       VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
    ).run(
      run.runId,
      run.createdAt,
      run.kind,
      run.note,
      run.runDirName,
      run.git.commit,
      run.git.branch,
      run.git.dirty === null ? null : Number(run.git.dirty),
    );
    this.pkCache.set(run.runId, Number(info.lastInsertRowid));
  }

  async finishRun(runId: string, status: Exclude<RunStatus, 'running'>, finishedAt: string): Promise<void> {
    this.stmt('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(
      status,
      finishedAt,
      this.runPk(runId),
    );
  }

  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    const pk = this.runPk(runId);
    const upsert = this.stmt(
      'INSERT INTO params (run_pk, key, value) VALUES (?, ?, ?) ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value',
    );
    this.db
      .transaction(() => {
        for (const [key, value] of Object.entries(params)) upsert.run(pk, key, JSON.stringify(value ?? null));
      })
      .immediate();
  }

  async logMetrics(runId: string, points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const pk = this.runPk(runId);
    const insert = this.stmt('INSERT INTO metrics (run_pk, key, value, step, ts) VALUES (?, ?, ?, ?, ?)');
    // Multi-row INSERTs cut the per-statement overhead that dominates large batches.
    const insertChunk = this.stmt(
      `INSERT INTO metrics (run_pk, key, value, step, ts) VALUES ${Array(METRIC_CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')}`,
    );
    // A later point replaces the latest value unless both carry steps and the stored one is further on.
    const upsertLatest = this.stmt(
      `INSERT INTO metric_latest (run_pk, key, value, step, ts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value, step = excluded.step, ts = excluded.ts
       WHERE excluded.step IS NULL OR metric_latest.step IS NULL OR excluded.step >= metric_latest.step`,
    );
    const fallbackTs = Date.now();
    this.db
      .transaction(() => {
        let i = 0;
        if (points.length >= METRIC_CHUNK) {
          const args: unknown[] = new Array(METRIC_CHUNK * 5);
          for (; i + METRIC_CHUNK <= points.length; i += METRIC_CHUNK) {
            for (let j = 0; j < METRIC_CHUNK; j++) {
              const p = points[i + j] as MetricPoint;
              const o = j * 5;
              args[o] = pk;
              args[o + 1] = p.key;
              args[o + 2] = p.value;
              args[o + 3] = p.step ?? null;
              args[o + 4] = p.timestamp ?? fallbackTs;
            }
            insertChunk.run(args);
          }
        }
        for (; i < points.length; i++) {
          const p = points[i] as MetricPoint;
          insert.run(pk, p.key, p.value, p.step ?? null, p.timestamp ?? fallbackTs);
        }
        for (const p of latestPerKey(points)) {
          upsertLatest.run(pk, p.key, p.value, p.step ?? null, p.timestamp ?? fallbackTs);
        }
      })
      .immediate();
  }

  async logArtifact(runId: string, artifact: NewArtifact): Promise<void> {
    this.stmt(
      `INSERT INTO artifacts (run_pk, kind, path, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_pk, kind, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256,
         created_at = excluded.created_at`,
    ).run(
      this.runPk(runId),
      artifact.kind,
      artifact.path,
      artifact.size,
      artifact.sha256,
      artifact.createdAt,
    );
  }

  // ---- tracking: reads --------------------------------------------------------------------------------

  async getRun(runId: string): Promise<RunRecord | null> {
    const row = this.stmt(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_id = ?`).get(runId) as
      | RunRow
      | undefined;
    return row === undefined ? null : toRun(row);
  }

  async listRuns(query: RunQuery): Promise<RunPage> {
    const args: unknown[] = [];
    const whereSql = runFilterSql(query, SQLITE_RUNS, args);
    const desc = (query.order ?? 'desc') === 'desc';
    const dir = desc ? 'DESC' : 'ASC';
    const sort = query.sort ?? 'created_at';

    let items: RunRecord[];
    if (sort.startsWith('metric:')) {
      const key = sort.slice('metric:'.length);
      items =
        whereSql === ''
          ? this.pageByMetricIndex(key, desc, query.limit, query.offset)
          : (
              this.stmt(
                `SELECT ${RUN_COLUMNS} FROM runs r
                 LEFT JOIN metric_latest m ON m.run_pk = r.id AND m.key = ?
                 ${whereSql}
                 ORDER BY ${metricOrderSql(dir)} LIMIT ? OFFSET ?`,
              ).all(key, ...args, query.limit, query.offset) as RunRow[]
            ).map(toRun);
    } else {
      items = (
        this.stmt(
          `SELECT ${RUN_COLUMNS} FROM runs r ${whereSql} ORDER BY ${runOrderSql(sort, dir)} LIMIT ? OFFSET ?`,
        ).all(...args, query.limit, query.offset) as RunRow[]
      ).map(toRun);
    }
    const total = query.withTotal
      ? (this.stmt(`SELECT count(*) FROM runs r ${whereSql}`)
          .pluck()
          .get(...args) as number)
      : null;
    return { items, total };
  }

  /**
   * Unfiltered pages sorted by a metric walk the (key, value) index instead of joining every run: runs
   * that have the metric first, then, once those are exhausted, the runs without it, newest first.
   */
  private pageByMetricIndex(key: string, desc: boolean, limit: number, offset: number): RunRecord[] {
    const dir = desc ? 'DESC' : 'ASC';
    const rows = this.stmt(
      `SELECT ${RUN_COLUMNS} FROM metric_latest m JOIN runs r ON r.id = m.run_pk
       WHERE m.key = ? ORDER BY m.value ${dir}, m.run_pk ${dir} LIMIT ? OFFSET ?`,
    ).all(key, limit, offset) as RunRow[];
    if (rows.length < limit) {
      const withMetric = this.stmt('SELECT count(*) FROM metric_latest WHERE key = ?')
        .pluck()
        .get(key) as number;
      const rest = this.stmt(
        `SELECT ${RUN_COLUMNS} FROM runs r
         WHERE NOT EXISTS (SELECT 1 FROM metric_latest m WHERE m.run_pk = r.id AND m.key = ?)
         ORDER BY r.id ${dir} LIMIT ? OFFSET ?`,
      ).all(key, limit - rows.length, Math.max(0, offset - withMetric)) as RunRow[];
      rows.push(...rest);
    }
    return rows.map(toRun);
  }

  async getParams(runId: string): Promise<Record<string, unknown>> {
    const rows = this.stmt('SELECT key, value FROM params WHERE run_pk = ? ORDER BY key').all(
      this.runPk(runId),
    ) as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async getLatestMetrics(runIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(runIds.map((id) => [id, {}]));
    if (runIds.length === 0) return out;
    // Rows come per run in key order (the primary-key walk of metric_latest), so no sort is needed.
    const rows = this.stmt(
      `SELECT r.run_id, m.key, m.value FROM runs r JOIN metric_latest m ON m.run_pk = r.id
       WHERE r.run_id IN (SELECT value FROM json_each(?))`,
    )
      .raw()
      .all(JSON.stringify(runIds)) as [string, string, number][];
    for (const [runId, key, value] of rows) {
      const metrics = out.get(runId);
      if (metrics !== undefined) metrics[key] = value;
    }
    return out;
  }

  async getMetricHistory(runId: string, keys?: readonly string[]): Promise<MetricValue[]> {
    const pk = this.runPk(runId);
    const rows = (
      keys === undefined
        ? this.stmt(
            'SELECT key, value, step, ts FROM metrics WHERE run_pk = ? ORDER BY key, step, ts, rowid',
          ).all(pk)
        : this.stmt(
            `SELECT key, value, step, ts FROM metrics WHERE run_pk = ? AND key IN (SELECT value FROM json_each(?))
             ORDER BY key, step, ts, rowid`,
          ).all(pk, JSON.stringify(keys))
    ) as { key: string; value: number; step: number | null; ts: number }[];
    return rows.map((r) => ({ key: r.key, value: r.value, step: r.step, timestamp: r.ts }));
  }

  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    return this.stmt(
      `SELECT kind, path, size, sha256, created_at AS createdAt FROM artifacts WHERE run_pk = ? ORDER BY kind, path`,
    ).all(this.runPk(runId)) as ArtifactRecord[];
  }

  async latestRunId(): Promise<string | null> {
    const id = this.stmt('SELECT run_id FROM runs ORDER BY created_at DESC, id DESC LIMIT 1').pluck().get() as
      | string
      | undefined;
    return id ?? null;
  }

  async listMetricKeys(): Promise<string[]> {
    // Skip-scan over the (key, value) index: one probe per distinct key.
    return this.stmt('SELECT DISTINCT key FROM metric_latest ORDER BY key').pluck().all() as string[];
  }

  async listRunKinds(): Promise<string[]> {
    return this.stmt('SELECT DISTINCT kind FROM runs ORDER BY kind').pluck().all() as string[];
  }

  // ---- registry ---------------------------------------------------------------------------------------

  async registerVersion(version: NewModelVersion): Promise<ModelVersion> {
    const runPk = version.runId === null ? null : this.runPk(version.runId);
    const id = this.db
      .transaction(() => {
        const next = this.stmt('SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?')
          .pluck()
          .get(version.name) as number;
        const info = this.stmt(
          `INSERT INTO model_versions (name, version, run_pk, model_type, path, sha256, metrics_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          version.name,
          next,
          runPk,
          version.modelType,
          version.path,
          version.sha256,
          JSON.stringify(version.metrics),
          version.createdAt,
        );
        return Number(info.lastInsertRowid);
      })
      .immediate();
    const created = await this.getVersionById(id);
    if (created === null)
      throw new BalanceOpsError('INTERNAL_ERROR', `model version ${id} vanished after insert`);
    return created;
  }

  async getVersionById(id: number): Promise<ModelVersion | null> {
    const row = this.stmt(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.id = ?`).get(id) as
      | VersionRow
      | undefined;
    return row === undefined ? null : toVersion(row);
  }

  async getVersion(name: string, version: number): Promise<ModelVersion | null> {
    const row = this.stmt(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = ? AND v.version = ?`,
    ).get(name, version) as VersionRow | undefined;
    return row === undefined ? null : toVersion(row);
  }

  async findVersionByRunId(name: string, runId: string): Promise<ModelVersion | null> {
    const row = this.stmt(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = ? AND r.run_id = ? ORDER BY v.version DESC LIMIT 1`,
    ).get(name, runId) as VersionRow | undefined;
    return row === undefined ? null : toVersion(row);
  }

  async listVersions(name?: string): Promise<ModelVersion[]> {
    const rows = (
      name === undefined
        ? this.stmt(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} ORDER BY v.name, v.version DESC`).all()
        : this.stmt(
            `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = ? ORDER BY v.version DESC`,
          ).all(name)
    ) as VersionRow[];
    return rows.map(toVersion);
  }

  async listModelNames(): Promise<string[]> {
    return this.stmt('SELECT DISTINCT name FROM model_versions ORDER BY name').pluck().all() as string[];
  }

  async getCurrent(name: string): Promise<CurrentModel | null> {
    const row = this.stmt(
      `SELECT ${VERSION_COLUMNS}, c.promoted_at, (SELECT epoch FROM registry_epoch WHERE id = 1) AS epoch
       FROM model_current c JOIN model_versions v ON v.id = c.version_id LEFT JOIN runs r ON r.id = v.run_pk
       WHERE c.name = ?`,
    ).get(name) as (VersionRow & { promoted_at: string; epoch: number }) | undefined;
    return row === undefined
      ? null
      : { version: toVersion(row), promotedAt: row.promoted_at, epoch: row.epoch };
  }

  async setCurrent(change: PointerChange, inTransaction?: () => void): Promise<RegistryEvent | null> {
    const eventId = this.db
      .transaction(() => {
        const now = this.stmt('SELECT version_id FROM model_current WHERE name = ?')
          .pluck()
          .get(change.name) as number | undefined;
        if ((now ?? null) !== change.expectedFromVersionId) return null;
        this.stmt(
          `INSERT INTO model_current (name, version_id, promoted_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET version_id = excluded.version_id, promoted_at = excluded.promoted_at`,
        ).run(change.name, change.toVersionId, change.createdAt);
        this.stmt('UPDATE registry_epoch SET epoch = epoch + 1 WHERE id = 1').run();
        const eventId = this.insertEvent(
          change.name,
          change.action,
          change.expectedFromVersionId,
          change.toVersionId,
          change.reason,
          change.actor,
          change.createdAt,
        );
        inTransaction?.();
        return eventId;
      })
      .immediate();
    return eventId === null ? null : this.getEvent(eventId);
  }

  async whileCurrent(name: string, versionId: number, epoch: number, fn: () => void): Promise<boolean> {
    return this.db
      .transaction(() => {
        const row = this.stmt(
          'SELECT c.version_id, e.epoch FROM model_current c, registry_epoch e WHERE c.name = ? AND e.id = 1',
        ).get(name) as { version_id: number; epoch: number } | undefined;
        if (row === undefined || row.version_id !== versionId || row.epoch !== epoch) return false;
        fn();
        return true;
      })
      .immediate();
  }

  async recordDecision(decision: Decision): Promise<RegistryEvent> {
    const id = this.insertEvent(
      decision.name,
      'decline',
      decision.fromVersionId,
      decision.toVersionId,
      decision.reason,
      decision.actor,
      decision.createdAt,
    );
    return this.getEvent(id);
  }

  private insertEvent(
    name: string,
    action: RegistryEvent['action'],
    fromId: number | null,
    toId: number | null,
    reason: string,
    actor: string,
    createdAt: string,
  ): number {
    const info = this.stmt(
      `INSERT INTO registry_events (name, action, from_version_id, to_version_id, reason, actor, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(name, action, fromId, toId, reason, actor, createdAt);
    return Number(info.lastInsertRowid);
  }

  private getEvent(id: number): RegistryEvent {
    const row = this.stmt(`${EVENT_SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;
    if (row === undefined)
      throw new BalanceOpsError('INTERNAL_ERROR', `registry event ${id} vanished after insert`);
    return toEvent(row);
  }

  async listEvents(name?: string, limit = 1000): Promise<RegistryEvent[]> {
    const rows = (
      name === undefined
        ? this.stmt(`${EVENT_SELECT} ORDER BY e.id DESC LIMIT ?`).all(limit)
        : this.stmt(`${EVENT_SELECT} WHERE e.name = ? ORDER BY e.id DESC LIMIT ?`).all(name, limit)
    ) as EventRow[];
    return rows.map(toEvent);
  }

  async registryEpoch(): Promise<number> {
    return this.stmt('SELECT epoch FROM registry_epoch WHERE id = 1').pluck().get() as number;
  }

  /**
   * SQLite's `PRAGMA data_version` changes whenever another connection commits to the file: polling it on
   * a connection of its own costs a few microseconds and no table read. It moves on any commit, so the
   * caller confirms with {@link registryEpoch} before reloading anything.
   */
  async openChangeSignal(): Promise<ChangeSignal> {
    const db = openSqlite(this.path, { migrate: false });
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    return {
      poll: () => dataVersion.get() as number,
      close: async () => {
        if (db.open) db.close();
      },
    };
  }
}
