import { displayDatabase, type Settings } from '../config.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export type * from './types.js';

/** Splits BalanceOps' own `schema` query parameter off a PostgreSQL URL. */
export function postgresTarget(url: string): { url: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

/**
 * Opens the store named by `BALANCEOPS_DB`, creating and migrating it when needed: a SQLite file path,
 * or a `postgres://user:password@host:5432/db` URL (add `?schema=name` to keep the tables in a schema).
 *
 * @example
 *   const store = await openStore(loadSettings());
 *   try { await store.listRuns({ limit: 20, offset: 0 }); } finally { await store.close(); }
 */
export async function openStore(settings: Settings): Promise<Store> {
  if (settings.db.kind === 'sqlite')
    return new SqliteStore(settings.db.path, { label: displayDatabase(settings) });
  const { url, schema } = postgresTarget(settings.db.url);
  return PostgresStore.open(url, { label: displayDatabase(settings), ...(schema ? { schema } : {}) });
}
