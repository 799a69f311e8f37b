import { BalanceOpsError } from '../errors.js';
import type {
  MetricPoint,
  ModelVersion,
  RegistryEvent,
  RunQuery,
  RunRecord,
  RunSortField,
  RunStatus,
} from './types.js';

/** Run fields a page can be sorted by, and the column behind each (shared by every SQL backend). */
export const RUN_SORT_COLUMNS: Record<RunSortField, string> = {
  created_at: 'created_at',
  kind: 'kind',
  status: 'status',
  run_dir_name: 'run_dir_name',
  note: 'note',
  branch: 'git_branch',
};

/** A LIKE pattern matching `term` anywhere, with `%`, `_` and `\` in the term taken literally. */
export function searchPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What differs between the SQL backends when a runs page is queried. */
export interface RunQueryDialect {
  /** Adds `value` to `args` and returns its placeholder (`?` in SQLite, `$n` in PostgreSQL). */
  param(args: unknown[], value: unknown): string;
  /** Case-insensitive LIKE (SQLite's LIKE already is for ASCII; PostgreSQL needs ILIKE). */
  like: 'LIKE' | 'ILIKE';
  /** Conditions for "made from a dirty checkout" and "not" (unknown counts as clean). */
  dirty: { yes: string; no: string };
}

const SEARCHED_COLUMNS = ['r.run_dir_name', 'r.run_id', 'r.note', 'r.kind', 'r.git_branch', 'r.git_commit'];

/**
 * The WHERE clause of a runs page (`''` without filters), its arguments appended to `args`: one place
 * decides what the kind, status, dirty and search filters mean, for every backend.
 */
export function runFilterSql(query: RunQuery, dialect: RunQueryDialect, args: unknown[]): string {
  const where: string[] = [];
  if (query.kind !== undefined) where.push(`r.kind = ${dialect.param(args, query.kind)}`);
  if (query.status !== undefined) where.push(`r.status = ${dialect.param(args, query.status)}`);
  if (query.dirty !== undefined) where.push(query.dirty ? dialect.dirty.yes : dialect.dirty.no);
  if (query.search !== undefined && query.search !== '') {
    const pattern = searchPattern(query.search);
    const matches = SEARCHED_COLUMNS.map(
      (c) => `${c} ${dialect.like} ${dialect.param(args, pattern)} ESCAPE '\\'`,
    );
    where.push(`(${matches.join(' OR ')})`);
  }
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

/** ORDER BY of a runs page sorted by a run field: missing values last, newest first among equals. */
export function runOrderSql(sort: string, dir: 'ASC' | 'DESC'): string {
  const column = RUN_SORT_COLUMNS[sort as RunSortField];
  if (column === undefined) throw new BalanceOpsError('VALIDATION_ERROR', `unknown sort field: ${sort}`);
  return column === 'created_at'
    ? `r.created_at ${dir}, r.id ${dir}`
    : `r.${column} IS NULL, r.${column} ${dir}, r.created_at DESC, r.id DESC`;
}

/** ORDER BY of a runs page sorted by a metric joined as `m`: runs without it last. */
export function metricOrderSql(dir: 'ASC' | 'DESC'): string {
  return `m.value IS NULL, m.value ${dir}, r.id ${dir}`;
}

/**
 * The point of each key that becomes its latest value after a batch: a later point wins unless both
 * carry steps and the later one's step is smaller (a late, out-of-order log of an earlier step).
 */
export function latestPerKey(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const seen = latest.get(p.key);
    if (seen === undefined || p.step == null || seen.step == null || p.step >= seen.step)
      latest.set(p.key, p);
  }
  return [...latest.values()];
}

// ---- rows and columns shared by the SQL backends ---------------------------------------------------

export interface RunRow {
  id: number;
  run_id: string;
  created_at: string;
  finished_at: string | null;
  status: RunStatus;
  kind: string;
  note: string | null;
  run_dir_name: string | null;
  git_commit: string | null;
  git_branch: string | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  git_dirty: number | boolean | null;
}

export interface VersionRow {
  id: number;
  name: string;
  version: number;
  run_id: string | null;
  model_type: string;
  path: string;
  sha256: string;
  metrics_json: string;
  created_at: string;
}

export interface EventRow {
  id: number;
  name: string;
  action: RegistryEvent['action'];
  from_version: number | null;
  to_version: number | null;
  run_id: string | null;
  reason: string;
  actor: string;
  created_at: string;
}

export const RUN_COLUMNS =
  'r.id, r.run_id, r.created_at, r.finished_at, r.status, r.kind, r.note, r.run_dir_name, r.git_commit, r.git_branch, r.git_dirty';
export const VERSION_COLUMNS =
  'v.id, v.name, v.version, r.run_id, v.model_type, v.path, v.sha256, v.metrics_json, v.created_at';
export const VERSION_FROM = 'model_versions v LEFT JOIN runs r ON r.id = v.run_pk';
export const EVENT_SELECT = `
  SELECT e.id, e.name, e.action, fv.version AS from_version, tv.version AS to_version, tr.run_id,
         e.reason, e.actor, e.created_at
  FROM registry_events e
  LEFT JOIN model_versions fv ON fv.id = e.from_version_id
  LEFT JOIN model_versions tv ON tv.id = e.to_version_id
  LEFT JOIN runs tr ON tr.id = tv.run_pk`;

export function toRun(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    status: row.status,
    kind: row.kind,
    note: row.note,
    runDirName: row.run_dir_name,
    git: {
      commit: row.git_commit,
      branch: row.git_branch,
      dirty: row.git_dirty === null ? null : Boolean(row.git_dirty),
    },
  };
}

export function toVersion(row: VersionRow): ModelVersion {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    runId: row.run_id,
    modelType: row.model_type,
    path: row.path,
    sha256: row.sha256,
    metrics: JSON.parse(row.metrics_json) as Record<string, number>,
    createdAt: row.created_at,
  };
}

export function toEvent(row: EventRow): RegistryEvent {
  return {
    id: row.id,
    name: row.name,
    action: row.action,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    runId: row.run_id,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
  };
}
