/**
 * Opening the configured store. The gateway calls `openStore` once at start;
 * services only ever see the Store interface.
 */
import { join, resolve } from 'node:path';
import { StoreError } from './errors.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { Store } from './store.js';

export type { Store } from './store.js';
export * from './store.js';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';
export { InProcessBus, type Bus, type BusHandler } from './bus.js';
export { STORE_LIMITS } from './limits.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite.js';

/** The database file name inside the data folder. */
export const DEFAULT_DATABASE_FILE = 'teletel.db';

export interface OpenStoreOptions extends SqliteStoreOptions {
  /** The data folder (default ./data): the SQLite file is `<dataDir>/teletel.db`. */
  dataDir?: string;
  /**
   * Where the data lives instead: a file path, ':memory:', or a
   * `postgres://` URL once the PostgreSQL store exists.
   */
  url?: string;
}

export function openStore(options: OpenStoreOptions = {}): Store {
  const url = options.url;
  if (url !== undefined && /^postgres(ql)?:\/\//i.test(url)) {
    throw new StoreError('TELETEL_E_STORE_UNSUPPORTED', 'the PostgreSQL store is not available yet; use a SQLite file (the default)');
  }
  const path = url ?? join(resolve(options.dataDir ?? 'data'), DEFAULT_DATABASE_FILE);
  return openSqliteStore(path, options);
}
