/**
 * Versioned schema of the PostgreSQL backend: the same tables as the SQLite one, in PostgreSQL's types.
 * Applied under a transaction-scoped advisory lock, so any number of processes may start on a fresh
 * database at once; `balanceops_schema` records what was applied.
 */
export interface PgMigration {
  version: number;
  description: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'tracking (runs, params, metrics, artifacts) and registry (versions, current, events)',
    sql: `
      CREATE TABLE runs (
        id            BIGSERIAL PRIMARY KEY,
        run_id        TEXT NOT NULL UNIQUE,
        created_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed')),
        kind          TEXT NOT NULL,
        note          TEXT,
        run_dir_name  TEXT,
        git_commit    TEXT,
        git_branch    TEXT,
        git_dirty     BOOLEAN
      );
      CREATE INDEX runs_by_created ON runs (created_at, id);
      CREATE INDEX runs_by_kind ON runs (kind, created_at, id);

      CREATE TABLE params (
        run_pk  BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        PRIMARY KEY (run_pk, key)
      );

      CREATE TABLE metrics (
        id      BIGSERIAL PRIMARY KEY,
        run_pk  BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   DOUBLE PRECISION NOT NULL,
        step    BIGINT,
        ts      BIGINT NOT NULL
      );
      CREATE INDEX metrics_by_run_key ON metrics (run_pk, key, step);

      CREATE TABLE metric_latest (
        run_pk  BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   DOUBLE PRECISION NOT NULL,
        step    BIGINT,
        ts      BIGINT NOT NULL,
        PRIMARY KEY (run_pk, key)
      );
      CREATE INDEX metric_latest_by_value ON metric_latest (key, value, run_pk);

      CREATE TABLE artifacts (
        id          BIGSERIAL PRIMARY KEY,
        run_pk      BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        path        TEXT NOT NULL,
        size        BIGINT,
        sha256      TEXT,
        created_at  TEXT NOT NULL,
        UNIQUE (run_pk, kind, path)
      );

      CREATE TABLE model_versions (
        id            BIGSERIAL PRIMARY KEY,
        name          TEXT NOT NULL,
        version       INTEGER NOT NULL,
        run_pk        BIGINT REFERENCES runs (id),
        model_type    TEXT NOT NULL,
        path          TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        metrics_json  TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        UNIQUE (name, version)
      );
      CREATE INDEX model_versions_by_run ON model_versions (run_pk);

      CREATE TABLE model_current (
        name         TEXT PRIMARY KEY,
        version_id   BIGINT NOT NULL REFERENCES model_versions (id),
        promoted_at  TEXT NOT NULL
      );

      CREATE TABLE registry_events (
        id               BIGSERIAL PRIMARY KEY,
        name             TEXT NOT NULL,
        action           TEXT NOT NULL CHECK (action IN ('promote', 'rollback', 'decline')),
        from_version_id  BIGINT REFERENCES model_versions (id),
        to_version_id    BIGINT REFERENCES model_versions (id),
        reason           TEXT NOT NULL,
        actor            TEXT NOT NULL,
        created_at       TEXT NOT NULL
      );
      CREATE INDEX registry_events_by_name ON registry_events (name, id);

      CREATE TABLE registry_epoch (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        epoch  BIGINT NOT NULL
      );
      INSERT INTO registry_epoch (id, epoch) VALUES (1, 0);
    `,
  },
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS.at(-1)?.version ?? 0;
