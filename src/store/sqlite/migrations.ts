/**
 * Versioned schema of the SQLite backend. `PRAGMA user_version` records how many migrations a database has;
 * each entry is applied once, in order, inside the same immediate transaction that bumps the version, so a
 * crash or a second process racing on a fresh file never sees half a schema.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tracking (runs, params, metrics, artifacts) and registry (versions, current, events)',
    sql: `
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        run_id        TEXT NOT NULL UNIQUE,
        created_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed')),
        kind          TEXT NOT NULL,
        note          TEXT,
        run_dir_name  TEXT,
        git_commit    TEXT,
        git_branch    TEXT,
        git_dirty     INTEGER CHECK (git_dirty IN (0, 1))
      );
      CREATE INDEX runs_by_created ON runs (created_at, id);
      CREATE INDEX runs_by_kind ON runs (kind, created_at, id);

      CREATE TABLE params (
        run_pk  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        PRIMARY KEY (run_pk, key)
      ) WITHOUT ROWID;

      CREATE TABLE metrics (
        run_pk  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   REAL NOT NULL,
        step    INTEGER,
        ts      INTEGER NOT NULL
      );
      CREATE INDEX metrics_by_run_key ON metrics (run_pk, key, step);

      CREATE TABLE metric_latest (
        run_pk  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        value   REAL NOT NULL,
        step    INTEGER,
        ts      INTEGER NOT NULL,
        PRIMARY KEY (run_pk, key)
      ) WITHOUT ROWID;
      CREATE INDEX metric_latest_by_value ON metric_latest (key, value, run_pk);

      CREATE TABLE artifacts (
        id          INTEGER PRIMARY KEY,
        run_pk      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        path        TEXT NOT NULL,
        size        INTEGER,
        sha256      TEXT,
        created_at  TEXT NOT NULL,
        UNIQUE (run_pk, kind, path)
      );

      CREATE TABLE model_versions (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        version       INTEGER NOT NULL,
        run_pk        INTEGER REFERENCES runs (id),
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
        version_id   INTEGER NOT NULL REFERENCES model_versions (id),
        promoted_at  TEXT NOT NULL
      );

      CREATE TABLE registry_events (
        id               INTEGER PRIMARY KEY,
        name             TEXT NOT NULL,
        action           TEXT NOT NULL CHECK (action IN ('promote', 'rollback', 'decline')),
        from_version_id  INTEGER REFERENCES model_versions (id),
        to_version_id    INTEGER REFERENCES model_versions (id),
        reason           TEXT NOT NULL,
        actor            TEXT NOT NULL,
        created_at       TEXT NOT NULL
      );
      CREATE INDEX registry_events_by_name ON registry_events (name, id);

      -- One row; bumped by every change of a current pointer so servers can tell their model is stale.
      CREATE TABLE registry_epoch (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        epoch  INTEGER NOT NULL
      );
      INSERT INTO registry_epoch (id, epoch) VALUES (1, 0);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
