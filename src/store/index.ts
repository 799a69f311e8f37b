import { displayDatabase, type Settings } from '../config.js';
import { BalanceOpsError } from '../errors.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export type * from './types.js';

/**
 * Opens the store named by `BALANCEOPS_DB`, creating and migrating it when needed.
 *
 * @example
 *   const store = await openStore(loadSettings());
 *   try { await store.listRuns({ limit: 20, offset: 0 }); } finally { await store.close(); }
 */
export async function openStore(settings: Settings): Promise<Store> {
  if (settings.db.kind === 'sqlite')
    return new SqliteStore(settings.db.path, { label: displayDatabase(settings) });
  throw new BalanceOpsError('CONFIG_INVALID', 'the PostgreSQL backend is not available in this build', {
    hint: 'Use a SQLite file path in BALANCEOPS_DB.',
  });
}
