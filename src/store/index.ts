/**
 * Opening the configured store. The gateway calls `openStorage` (or
 * `openStore`) once at start; services only ever see the Store and Bus
 * interfaces.
 *
 * - No database URL: SQLite in the data folder, and a bus for this process.
 * - A `postgres://` URL: PostgreSQL for the data, and LISTEN/NOTIFY on the
 *   same database for the bus, so several instances share both.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InProcessBus, type Bus } from './bus.js';
import { StoreError } from './errors.js';
import { openPostgresBus, type PostgresBusOptions } from './postgres-bus.js';
import { createPostgresStore, isPostgresUrl, openPostgresStore, redactUrl, type PostgresStoreOptions } from './postgres.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { Store } from './store.js';

export type { Store } from './store.js';
export * from './store.js';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';
export { InProcessBus, type Bus, type BusHandler, type InProcessBusOptions } from './bus.js';
export { STORE_LIMITS, POSTGRES_LIMITS } from './limits.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export {
  createPostgresStore,
  openPostgresStore,
  PostgresStore,
  isPostgresUrl,
  redactUrl,
  schemaFromUrl,
  type PostgresStoreOptions,
} from './postgres.js';
export { openPostgresBus, PostgresBus, type PostgresBusOptions, type PostgresBusStatus } from './postgres-bus.js';

/** The database file name inside the data folder. */
export const DEFAULT_DATABASE_FILE = 'teletel.db';

export interface OpenStoreOptions extends SqliteStoreOptions, PostgresStoreOptions {
  /** The data folder (default ./data): the SQLite file is `<dataDir>/teletel.db`. */
  dataDir?: string;
  /** A `postgres://` (or `postgresql://`) URL: the PostgreSQL store instead of SQLite. */
  databaseUrl?: string;
  /** Where the data lives instead of the data folder: a SQLite file path, ':memory:', or a `postgres://` URL. */
  url?: string;
}

/** A URL scheme other than PostgreSQL's: refused rather than taken for a file name. */
const OTHER_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Opens the store: PostgreSQL when `databaseUrl` (or `url`) is a postgres://
 * URL, SQLite otherwise. A PostgreSQL store connects and migrates in the
 * background and its calls wait for that; `openStorage` waits for it and
 * fails early instead.
 */
export function openStore(options: OpenStoreOptions = {}): Store {
  const url = options.databaseUrl ?? options.url;
  if (isPostgresUrl(url)) return createPostgresStore(url, options);
  if (url !== undefined && OTHER_SCHEME.test(url)) {
    throw new StoreError('TELETEL_E_STORE_UNSUPPORTED', `Teletel stores data in SQLite (a file) or PostgreSQL (postgres://…), not ${redactUrl(url).split('://')[0]}://`);
  }
  if (options.databaseUrl !== undefined) {
    throw new StoreError('TELETEL_E_STORE_UNSUPPORTED', 'a database URL starts with postgres:// (without one, the store is SQLite in the data folder)');
  }
  const path = url ?? join(resolve(options.dataDir ?? 'data'), DEFAULT_DATABASE_FILE);
  return openSqliteStore(path, options);
}

export interface OpenStorageOptions extends OpenStoreOptions {
  /** Bus options for PostgreSQL (channel, reconnection, error and status reports). */
  bus?: PostgresBusOptions;
}

/** A store and the bus that goes with it. */
export interface Storage {
  kind: 'sqlite' | 'postgres';
  store: Store;
  bus: Bus;
  /** Where the data is, for logs: the SQLite file, or the URL without its password. */
  location: string;
  /** Closes the store (waiting for writes in flight), then the bus. */
  close(): Promise<void>;
}

/**
 * Opens the store and its bus, and waits until both can be used: SQLite and
 * an InProcessBus, or PostgreSQL (connected, migrated) and a PostgresBus
 * (listening). Throws a StoreError saying why otherwise.
 *
 * With a PostgreSQL schema (option, or `?schema=` in the URL), the bus channel is `teletel.<schema>` unless
 * `bus.channel` says otherwise: channels belong to the whole database, and
 * two sites in two schemas must not hear each other.
 */
export async function openStorage(options: OpenStorageOptions = {}): Promise<Storage> {
  const url = options.databaseUrl ?? options.url;
  if (!isPostgresUrl(url)) {
    const store = openStore(options);
    const bus = new InProcessBus();
    const location = url ?? join(resolve(options.dataDir ?? 'data'), DEFAULT_DATABASE_FILE);
    return { kind: 'sqlite', store, bus, location, close: () => closeBoth(store, bus) };
  }
  const store = await openPostgresStore(url, options);
  let bus: Bus;
  try {
    const channel = options.bus?.channel ?? channelFor(store.schema);
    bus = await openPostgresBus(url, { ...options.bus, channel });
  } catch (error) {
    await store.close();
    throw error;
  }
  return { kind: 'postgres', store, bus, location: store.location, close: () => closeBoth(store, bus) };
}

/** 'teletel', or 'teletel.<schema>' (a digest of the schema when that would pass the 63 bytes of a channel name). */
export function channelFor(schema: string | undefined): string {
  if (schema === undefined) return 'teletel';
  const channel = `teletel.${schema}`;
  return channel.length <= 63 ? channel : `teletel.${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

async function closeBoth(store: Store, bus: Bus): Promise<void> {
  try {
    await store.close();
  } finally {
    await bus.close();
  }
}
