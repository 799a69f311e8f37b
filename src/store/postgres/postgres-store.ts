import pg from 'pg';
import { BalanceOpsError, describeError } from '../../errors.js';
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
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './migrations.js';

const { Pool, Client } = pg;
type PoolClient = pg.PoolClient;
type Queryable = Pick<pg.Pool, 'query'> | PoolClient;

// Advisory lock keys: one for migrations, one serialising registry writes (pointer moves and numbering).
const MIGRATION_LOCK = 0x42_4f_01;
const REGISTRY_LOCK = 0x42_4f_02;
export const REGISTRY_CHANNEL = 'balanceops_registry';

// BIGINT and COUNT(*) arrive as strings by default; every value BalanceOps stores fits in a double.
const INT8_OID = 20;
const typeParser = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const POSTGRES_RUNS: RunQueryDialect = {
  param: (args, value) => {
    args.push(value);
    return `$${args.length}`;
  },
  like: 'ILIKE',
  dirty: { yes: 'r.git_dirty IS TRUE', no: 'r.git_dirty IS NOT TRUE' },
};

export interface PostgresStoreOptions {
  /** Schema to keep the tables in (created when missing); default `public`. */
  schema?: string;
  /** Connections in the pool; default 10. */
  maxConnections?: number;
  /** A label for messages, e.g. the URL without its password. */
  label?: string;
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new BalanceOpsError('CONFIG_INVALID', `invalid PostgreSQL schema name: ${name}`);
  }
  return `"${name}"`;
}

/**
 * The PostgreSQL backend of {@link Store}: many training jobs and several `serve` processes on different
 * machines share one database. Registry writes serialise on an advisory lock; the change signal is
 * LISTEN/NOTIFY, so servers learn of a promotion without a query per request.
 */
export class PostgresStore implements Store {
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly pkCache = new Map<string, number>();
  private readonly searchPath: string;

  private constructor(
    private readonly url: string,
    options: PostgresStoreOptions,
  ) {
    this.description = `postgres:${options.label ?? 'database'}`;
    this.searchPath = quoteIdent(options.schema ?? 'public');
    this.pool = new Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      types: typeParser,
      options: `-c search_path=${this.searchPath}`,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Connects, creates the schema when missing and applies pending migrations under an advisory lock. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      await store.migrate();
    } catch (err) {
      await store.pool.end().catch(() => undefined);
      if (err instanceof BalanceOpsError) throw err;
      throw new BalanceOpsError(
        'STORE_OPEN_FAILED',
        `cannot open PostgreSQL database ${options.label ?? ''}: ${describeError(err)}`,
        {
          hint: 'Check BALANCEOPS_DB (postgres://user:password@host:5432/db) and that the server is up.',
          cause: err,
        },
      );
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.searchPath}`);
      await c.query(
        'CREATE TABLE IF NOT EXISTS balanceops_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const seen = Number(
        (await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM balanceops_schema')).rows[0]?.v ?? 0,
      );
      if (seen > PG_LATEST_SCHEMA_VERSION) {
        throw new BalanceOpsError(
          'STORE_SCHEMA_TOO_NEW',
          `the database has schema version ${seen}, this BalanceOps knows up to ${PG_LATEST_SCHEMA_VERSION}`,
          { hint: 'Upgrade BalanceOps to use this database.' },
        );
      }
      for (const m of PG_MIGRATIONS) {
        if (m.version <= seen) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO balanceops_schema (version, description) VALUES ($1, $2)', [
          m.version,
          m.description,
        ]);
      }
    });
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async rows<T>(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<T[]> {
    return (await on.query(sql, params)).rows as T[];
  }

  private async runPk(runId: string, on: Queryable = this.pool): Promise<number> {
    const cached = this.pkCache.get(runId);
    if (cached !== undefined) return cached;
    const [row] = await this.rows<{ id: number }>('SELECT id FROM runs WHERE run_id = $1', [runId], on);
    if (row === undefined) throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`);
    if (this.pkCache.size > 10_000) this.pkCache.clear();
    this.pkCache.set(runId, row.id);
    return row.id;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // ---- tracking: writes -------------------------------------------------------------------------------

  async createRun(run: NewRun): Promise<void> {
    const [row] = await this.rows<{ id: number }>(
      `INSERT INTO runs (run_id, created_at, status, kind, note, run_dir_name, git_commit, git_branch, git_dirty)
       VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        run.runId,
        run.createdAt,
        run.kind,
        run.note,
        run.runDirName,
        run.git.commit,
        run.git.branch,
        run.git.dirty,
      ],
    );
    if (row !== undefined) this.pkCache.set(run.runId, row.id);
  }

  async finishRun(runId: string, status: Exclude<RunStatus, 'running'>, finishedAt: string): Promise<void> {
    await this.pool.query('UPDATE runs SET status = $1, finished_at = $2 WHERE id = $3', [
      status,
      finishedAt,
      await this.runPk(runId),
    ]);
  }

  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(params);
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO params (run_pk, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t(k, v)
       ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value`,
      [await this.runPk(runId), entries.map(([k]) => k), entries.map(([, v]) => JSON.stringify(v ?? null))],
    );
  }

  async logMetrics(runId: string, points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const pk = await this.runPk(runId);
    const now = Date.now();
    const latest = latestPerKey(points);
    // One round trip per array: the whole batch goes in as parallel arrays through unnest().
    const column = (list: readonly MetricPoint[]) => [
      list.map((p) => p.key),
      list.map((p) => p.value),
      list.map((p) => p.step ?? null),
      list.map((p) => p.timestamp ?? now),
    ];
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO metrics (run_pk, key, value, step, ts)
         SELECT $1, k, v, s, t FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::bigint[]) AS u(k, v, s, t)`,
        [pk, ...column(points)],
      );
      await c.query(
        `INSERT INTO metric_latest (run_pk, key, value, step, ts)
         SELECT $1, k, v, s, t FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::bigint[]) AS u(k, v, s, t)
         ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value, step = excluded.step, ts = excluded.ts
         WHERE excluded.step IS NULL OR metric_latest.step IS NULL OR excluded.step >= metric_latest.step`,
        [pk, ...column(latest)],
      );
    });
  }

  async logArtifact(runId: string, artifact: NewArtifact): Promise<void> {
    await this.pool.query(
      `INSERT INTO artifacts (run_pk, kind, path, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (run_pk, kind, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256,
         created_at = excluded.created_at`,
      [
        await this.runPk(runId),
        artifact.kind,
        artifact.path,
        artifact.size,
        artifact.sha256,
        artifact.createdAt,
      ],
    );
  }

  // ---- tracking: reads --------------------------------------------------------------------------------

  async getRun(runId: string): Promise<RunRecord | null> {
    const [row] = await this.rows<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_id = $1`, [runId]);
    return row === undefined ? null : toRun(row);
  }

  async listRuns(query: RunQuery): Promise<RunPage> {
    const args: unknown[] = [];
    const whereSql = runFilterSql(query, POSTGRES_RUNS, args);
    const filterArgs = [...args];
    const dir = (query.order ?? 'desc') === 'desc' ? 'DESC' : 'ASC';
    const sort = query.sort ?? 'created_at';
    const param = (value: unknown) => POSTGRES_RUNS.param(args, value);
    const sql = sort.startsWith('metric:')
      ? `SELECT ${RUN_COLUMNS} FROM runs r
         LEFT JOIN metric_latest m ON m.run_pk = r.id AND m.key = ${param(sort.slice('metric:'.length))}
         ${whereSql}
         ORDER BY ${metricOrderSql(dir)}`
      : `SELECT ${RUN_COLUMNS} FROM runs r ${whereSql} ORDER BY ${runOrderSql(sort, dir)}`;
    const items = (
      await this.rows<RunRow>(`${sql} LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`, args)
    ).map(toRun);
    let total: number | null = null;
    if (query.withTotal) {
      total =
        (await this.rows<{ n: number }>(`SELECT count(*) AS n FROM runs r ${whereSql}`, filterArgs))[0]?.n ??
        0;
    }
    return { items, total };
  }

  async getParams(runId: string): Promise<Record<string, unknown>> {
    const rows = await this.rows<{ key: string; value: string }>(
      'SELECT key, value FROM params WHERE run_pk = $1 ORDER BY key',
      [await this.runPk(runId)],
    );
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async getLatestMetrics(runIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(runIds.map((id) => [id, {}]));
    if (runIds.length === 0) return out;
    const rows = await this.rows<{ run_id: string; key: string; value: number }>(
      `SELECT r.run_id, m.key, m.value FROM runs r JOIN metric_latest m ON m.run_pk = r.id
       WHERE r.run_id = ANY($1::text[]) ORDER BY m.run_pk, m.key`,
      [runIds],
    );
    for (const row of rows) {
      const metrics = out.get(row.run_id);
      if (metrics !== undefined) metrics[row.key] = row.value;
    }
    return out;
  }

  async getMetricHistory(runId: string, keys?: readonly string[]): Promise<MetricValue[]> {
    const pk = await this.runPk(runId);
    const rows =
      keys === undefined
        ? await this.rows<{ key: string; value: number; step: number | null; ts: number }>(
            'SELECT key, value, step, ts FROM metrics WHERE run_pk = $1 ORDER BY key, step NULLS FIRST, ts, id',
            [pk],
          )
        : await this.rows<{ key: string; value: number; step: number | null; ts: number }>(
            'SELECT key, value, step, ts FROM metrics WHERE run_pk = $1 AND key = ANY($2::text[]) ORDER BY key, step NULLS FIRST, ts, id',
            [pk, keys],
          );
    return rows.map((r) => ({ key: r.key, value: r.value, step: r.step, timestamp: r.ts }));
  }

  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    return this.rows<ArtifactRecord>(
      `SELECT kind, path, size, sha256, created_at AS "createdAt" FROM artifacts WHERE run_pk = $1 ORDER BY kind, path`,
      [await this.runPk(runId)],
    );
  }

  async latestRunId(): Promise<string | null> {
    const [row] = await this.rows<{ run_id: string }>(
      'SELECT run_id FROM runs ORDER BY created_at DESC, id DESC LIMIT 1',
    );
    return row?.run_id ?? null;
  }

  async listMetricKeys(): Promise<string[]> {
    return (await this.rows<{ key: string }>('SELECT DISTINCT key FROM metric_latest ORDER BY key')).map(
      (r) => r.key,
    );
  }

  async listRunKinds(): Promise<string[]> {
    return (await this.rows<{ kind: string }>('SELECT DISTINCT kind FROM runs ORDER BY kind')).map(
      (r) => r.kind,
    );
  }

  // ---- registry ---------------------------------------------------------------------------------------

  async registerVersion(version: NewModelVersion): Promise<ModelVersion> {
    const runPk = version.runId === null ? null : await this.runPk(version.runId);
    const id = await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK]);
      const [row] = await this.rows<{ id: number }>(
        `INSERT INTO model_versions (name, version, run_pk, model_type, path, sha256, metrics_json, created_at)
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM model_versions WHERE name = $1
         RETURNING id`,
        [
          version.name,
          runPk,
          version.modelType,
          version.path,
          version.sha256,
          JSON.stringify(version.metrics),
          version.createdAt,
        ],
        c,
      );
      return row?.id;
    });
    const created = id === undefined ? null : await this.getVersionById(id);
    if (created === null) throw new BalanceOpsError('INTERNAL_ERROR', 'model version vanished after insert');
    return created;
  }

  async getVersionById(id: number): Promise<ModelVersion | null> {
    const [row] = await this.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.id = $1`,
      [id],
    );
    return row === undefined ? null : toVersion(row);
  }

  async getVersion(name: string, version: number): Promise<ModelVersion | null> {
    const [row] = await this.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = $1 AND v.version = $2`,
      [name, version],
    );
    return row === undefined ? null : toVersion(row);
  }

  async findVersionByRunId(name: string, runId: string): Promise<ModelVersion | null> {
    const [row] = await this.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = $1 AND r.run_id = $2 ORDER BY v.version DESC LIMIT 1`,
      [name, runId],
    );
    return row === undefined ? null : toVersion(row);
  }

  async listVersions(name?: string): Promise<ModelVersion[]> {
    const rows =
      name === undefined
        ? await this.rows<VersionRow>(
            `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} ORDER BY v.name, v.version DESC`,
          )
        : await this.rows<VersionRow>(
            `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.name = $1 ORDER BY v.version DESC`,
            [name],
          );
    return rows.map(toVersion);
  }

  async listModelNames(): Promise<string[]> {
    return (await this.rows<{ name: string }>('SELECT DISTINCT name FROM model_versions ORDER BY name')).map(
      (r) => r.name,
    );
  }

  async getCurrent(name: string): Promise<CurrentModel | null> {
    const [row] = await this.rows<VersionRow & { promoted_at: string; epoch: number }>(
      `SELECT ${VERSION_COLUMNS}, c.promoted_at, (SELECT epoch FROM registry_epoch WHERE id = 1) AS epoch
       FROM model_current c JOIN model_versions v ON v.id = c.version_id LEFT JOIN runs r ON r.id = v.run_pk
       WHERE c.name = $1`,
      [name],
    );
    return row === undefined
      ? null
      : { version: toVersion(row), promotedAt: row.promoted_at, epoch: row.epoch };
  }

  async setCurrent(change: PointerChange, inTransaction?: () => void): Promise<RegistryEvent | null> {
    const eventId = await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK]);
      const [now] = await this.rows<{ version_id: number }>(
        'SELECT version_id FROM model_current WHERE name = $1',
        [change.name],
        c,
      );
      if ((now?.version_id ?? null) !== change.expectedFromVersionId) return null;
      await c.query(
        `INSERT INTO model_current (name, version_id, promoted_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET version_id = excluded.version_id, promoted_at = excluded.promoted_at`,
        [change.name, change.toVersionId, change.createdAt],
      );
      const [epoch] = await this.rows<{ epoch: number }>(
        'UPDATE registry_epoch SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch',
        [],
        c,
      );
      // Delivered to every listening server when (and only if) this transaction commits.
      await c.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, String(epoch?.epoch ?? '')]);
      const id = await this.insertEvent(
        c,
        change.name,
        change.action,
        change.expectedFromVersionId,
        change.toVersionId,
        change.reason,
        change.actor,
        change.createdAt,
      );
      inTransaction?.();
      return id;
    });
    return eventId === null ? null : this.getEvent(eventId);
  }

  async whileCurrent(name: string, versionId: number, epoch: number, fn: () => void): Promise<boolean> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK]);
      const [row] = await this.rows<{ version_id: number; epoch: number }>(
        'SELECT c.version_id, e.epoch FROM model_current c, registry_epoch e WHERE c.name = $1 AND e.id = 1',
        [name],
        c,
      );
      if (row === undefined || row.version_id !== versionId || row.epoch !== epoch) return false;
      fn();
      return true;
    });
  }

  async recordDecision(decision: Decision): Promise<RegistryEvent> {
    const id = await this.insertEvent(
      this.pool,
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

  private async insertEvent(
    on: Queryable,
    name: string,
    action: RegistryEvent['action'],
    fromId: number | null,
    toId: number | null,
    reason: string,
    actor: string,
    createdAt: string,
  ): Promise<number> {
    const [row] = await this.rows<{ id: number }>(
      `INSERT INTO registry_events (name, action, from_version_id, to_version_id, reason, actor, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [name, action, fromId, toId, reason, actor, createdAt],
      on,
    );
    if (row === undefined)
      throw new BalanceOpsError('INTERNAL_ERROR', 'registry event vanished after insert');
    return row.id;
  }

  private async getEvent(id: number): Promise<RegistryEvent> {
    const [row] = await this.rows<EventRow>(`${EVENT_SELECT} WHERE e.id = $1`, [id]);
    if (row === undefined)
      throw new BalanceOpsError('INTERNAL_ERROR', `registry event ${id} vanished after insert`);
    return toEvent(row);
  }

  async listEvents(name?: string, limit = 1000): Promise<RegistryEvent[]> {
    const rows =
      name === undefined
        ? await this.rows<EventRow>(`${EVENT_SELECT} ORDER BY e.id DESC LIMIT $1`, [limit])
        : await this.rows<EventRow>(`${EVENT_SELECT} WHERE e.name = $1 ORDER BY e.id DESC LIMIT $2`, [
            name,
            limit,
          ]);
    return rows.map(toEvent);
  }

  async registryEpoch(): Promise<number> {
    return (
      (await this.rows<{ epoch: number }>('SELECT epoch FROM registry_epoch WHERE id = 1'))[0]?.epoch ?? 0
    );
  }

  /**
   * LISTEN on a connection of its own: the token moves when a promotion commits anywhere. While that
   * connection is down (until it reconnects), every poll returns a new token, so callers fall back to
   * reading the epoch each time rather than serving a stale model.
   */
  async openChangeSignal(): Promise<ChangeSignal> {
    let token = 0;
    let connected = false;
    let closed = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = async () => {
      const c = new Client({ connectionString: this.url, options: `-c search_path=${this.searchPath}` });
      c.on('notification', () => {
        token++;
      });
      c.on('error', () => {
        connected = false;
        if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 1000);
      });
      await c.connect();
      await c.query(`LISTEN ${REGISTRY_CHANNEL}`);
      client = c;
      connected = true;
      token++; // changes may have been missed while disconnected
    };
    await connect();
    return {
      poll: () => (connected ? token : ++token),
      close: async () => {
        closed = true;
        if (retry !== null) clearTimeout(retry);
        await client?.end().catch(() => undefined);
      },
    };
  }
}
