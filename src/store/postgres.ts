/**
 * The Store on PostgreSQL (node-postgres), for several Teletel instances on
 * one database. Same interface, limits, errors and answers as the SQLite
 * store (sqlite.ts); the shared contract tests (test-support/contract.ts)
 * hold both to that.
 *
 * - A Pool of connections; every query is parameterised. The only names
 *   put into SQL text are the schema in CREATE SCHEMA, checked against a
 *   strict pattern and quoted, because identifiers cannot be parameters.
 * - Every write is one autocommitted statement or one transaction, and
 *   resolves once PostgreSQL has committed it. `synchronous_commit` is set
 *   on for our connections, so a server configured with it off does not
 *   quietly break the durability contract in store.ts.
 * - Migrations (postgres-migrations.ts) run at open in one transaction under
 *   a transaction-scoped advisory lock, so instances starting together apply
 *   them once; DDL is transactional in PostgreSQL, so a failed migration
 *   leaves nothing half-made.
 * - Opening is asynchronous (connect, migrate); the store can be used at
 *   once and every call waits for that. `ready()` says when it is done or why
 *   it failed: `openPostgresStore` waits for it.
 * - PostgreSQL text cannot hold U+0000 and SQLite's can: see toText
 *   (postgres-text.ts). The tables are in postgres-tables.ts.
 */
import pg from 'pg';
import type { AccountStore, CheckpointStore, KeyValueStore, MailStore, SessionLog, Store } from './store.js';
import { StoreError } from './errors.js';
import { LATEST_VERSION } from './migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { POSTGRES_LIMITS, STORE_LIMITS } from './limits.js';
import { checkLength, messageOf } from './validate.js';
import { PostgresCheckpoints } from './postgres-checkpoints.js';
import { PostgresAccounts, PostgresKeyValue, PostgresMail, PostgresSessionLog } from './postgres-tables.js';
import { fromText, toText, type Queries, type Queryable } from './postgres-text.js';

export interface PostgresStoreOptions {
  /**
   * The schema holding Teletel's tables, created if missing (default: the
   * first schema of the connection's search_path, usually `public`). Lets
   * several Teletel sites, or parallel test runs, share one database. The
   * URL may give it too, as `?schema=name`.
   */
  schema?: string;
  /** application_name of the store's connections, as pg_stat_activity shows them (default 'teletel'). */
  applicationName?: string;
  /** Connections in the pool (default POSTGRES_LIMITS.poolSize). */
  poolSize?: number;
  /** How long connecting may take, in ms (default POSTGRES_LIMITS.connectTimeoutMs). */
  connectTimeoutMs?: number;
  /** How long a call may wait for a busy pool's next free connection, in ms (default POSTGRES_LIMITS.poolWaitMs). */
  poolWaitMs?: number;
  /** How long a query may take before it fails, in ms (default POSTGRES_LIMITS.queryTimeoutMs). */
  queryTimeoutMs?: number;
  /**
   * An idle pooled connection failed (server restart, network cut); the
   * pool replaces it on the next call. For logs: nothing is lost.
   */
  onError?: (error: StoreError) => void;
}

/** `postgres://` or `postgresql://`, as libpq and node-postgres accept them. */
export function isPostgresUrl(url: unknown): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The URL without its password, for messages and logs (any scheme: a mistyped one may carry a real password).
 * The password runs to the last @ before the host, as node-postgres reads it: an @ in it need not be encoded.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/?#]*:)[^/?#]*@/, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** Schema names we create: a plain lower-case SQL identifier, so it needs no case folding rules to be understood. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new StoreError('TELETEL_E_VALUE', 'a schema name has 1 to 63 lower-case letters, digits or _, not starting with a digit');
  }
}

/**
 * Teletel's own `schema` parameter of a database URL, and the URL without
 * it (node-postgres would ignore it, and libpq tools refuse it). Lets one
 * setting, `--database` or TELETEL_DATABASE_URL, say where the tables are.
 */
export function schemaFromUrl(url: string): { url: string; schema: string | undefined } {
  const match = /^([^?#]*)\?([^#]*)(#.*)?$/.exec(url);
  if (match === null) return { url, schema: undefined };
  let schema: string | undefined;
  // The other parameters are kept byte for byte: re-encoding them could change how the driver reads them.
  const kept = match[2].split('&').filter((part) => {
    const equals = part.indexOf('=');
    if ((equals < 0 ? part : part.slice(0, equals)) !== 'schema') return true;
    schema = new URLSearchParams(`v=${equals < 0 ? '' : part.slice(equals + 1)}`).get('v') ?? '';
    return false;
  });
  if (schema === undefined) return { url, schema };
  return { url: `${match[1]}${kept.length === 0 ? '' : `?${kept.join('&')}`}${match[3] ?? ''}`, schema };
}

/** Key of the advisory lock taken while migrating: "TELE", then the schema, so two schemas migrate independently. */
const MIGRATION_LOCK = 0x54454c45;

/**
 * Creates the store and starts opening it (connect, migrate) in the
 * background; calls wait for that. Use `openPostgresStore` to wait for it
 * and fail early when the database cannot be reached.
 */
export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  return new PostgresStore(url, options);
}

/** Opens the store and waits until it is connected and migrated; throws TELETEL_E_STORE_OPEN or TELETEL_E_STORE_VERSION. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = new PostgresStore(url, options);
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}


/** A pg Client class whose connecting fails after `ms` (a firewall that drops packets would otherwise hang it). */
function clientConnectingWithin(ms: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: ms });
    }
  };
}

export class PostgresStore implements Store, Queries {
  readonly sessions: SessionLog;
  readonly accounts: AccountStore;
  readonly mail: MailStore;
  readonly checkpoints: CheckpointStore;
  /** The database, without its password, for messages. */
  readonly location: string;
  readonly schema: string | undefined;
  private readonly pool: pg.Pool;
  private readonly opening: Promise<void>;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly spaces = new Map<string, KeyValueStore>();

  constructor(given: string, options: PostgresStoreOptions = {}) {
    if (!isPostgresUrl(given)) throw new StoreError('TELETEL_E_STORE_OPEN', 'a PostgreSQL database is given as a postgres:// URL');
    const { url, schema: inUrl } = schemaFromUrl(given);
    if (inUrl !== undefined && options.schema !== undefined && inUrl !== options.schema) {
      throw new StoreError('TELETEL_E_VALUE', `the URL says schema=${inUrl} and the options say ${options.schema}: give one`);
    }
    const schema = options.schema ?? inUrl;
    if (schema !== undefined) checkSchemaName(schema);
    this.location = redactUrl(given);
    this.schema = schema;
    const connectTimeoutMs = positive(options.connectTimeoutMs, POSTGRES_LIMITS.connectTimeoutMs);
    this.pool = new pg.Pool({
      connectionString: url,
      max: positive(options.poolSize, POSTGRES_LIMITS.poolSize),
      // pg-pool uses one timeout for two waits: a busy pool's queue and a new connection.
      // The pool's is the queue wait; each client bounds its own connecting (pg's Client honours the same option).
      connectionTimeoutMillis: Math.max(connectTimeoutMs, positive(options.poolWaitMs, POSTGRES_LIMITS.poolWaitMs)),
      Client: clientConnectingWithin(connectTimeoutMs),
      query_timeout: positive(options.queryTimeoutMs, POSTGRES_LIMITS.queryTimeoutMs),
      application_name: options.applicationName ?? 'teletel',
      keepAlive: true,
      // Each new connection: our schema first, and commits that are on disk when they return.
      // pg-pool awaits the promise onConnect returns (pg-pool/index.js); @types/pg still says void.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      onConnect: async (client) => {
        await client.query("SELECT set_config('synchronous_commit', 'on', false)");
        if (schema !== undefined) await client.query("SELECT set_config('search_path', $1, false)", [client.escapeIdentifier(schema)]);
      },
    });
    // Without a listener, an idle connection's error would be thrown as an uncaught exception.
    this.pool.on('error', (error) => options.onError?.(this.unavailable(error)));
    this.sessions = new PostgresSessionLog(this);
    this.accounts = new PostgresAccounts(this);
    this.mail = new PostgresMail(this);
    this.checkpoints = new PostgresCheckpoints(this);
    this.opening = this.open();
    // Failures are reported through ready() and every call; this keeps an unobserved one from crashing the process.
    this.opening.catch(() => {});
  }

  /** Resolves once connected and migrated; rejects with why the database cannot be used. */
  ready(): Promise<void> {
    return this.opening;
  }

  /** Schema versions applied to this database, oldest first. */
  migrations(): Promise<number[]> {
    return this.run(async (db) => {
      const result = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      return result.rows.map((r) => Number(r.version));
    });
  }

  /** Applies the migrations the database lacks (already done at open); returns the versions applied now. */
  migrate(): Promise<number[]> {
    return this.run(() => this.applyMigrations());
  }

  keyValue(namespace: string): KeyValueStore {
    checkLength('namespace', namespace, 1, STORE_LIMITS.namespaceMax);
    let space = this.spaces.get(namespace);
    if (space === undefined) {
      space = new PostgresKeyValue(this, namespace);
      this.spaces.set(namespace, space);
    }
    return space;
  }

  /** Waits for calls in flight, then closes the pool's connections. Calls made afterwards throw TELETEL_E_STORE_CLOSED. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.opening.catch(() => {});
    // Calls in flight may start more work of their own (a transaction after a hash): wait until none is left.
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.pool.end().catch(() => {});
  }

  /**
   * Runs an operation on the pool: refused once close() was called, after
   * the opening otherwise; close() waits for it. Connection failures become
   * TELETEL_E_STORE_UNAVAILABLE.
   */
  run<T>(operation: (db: Queryable) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('TELETEL_E_STORE_CLOSED', 'the store is closed'));
    const done = this.opening.then(() => operation(this.pool)).catch((error: unknown) => {
      throw this.translate(error);
    });
    this.pending.add(done);
    const forget = (): void => {
      this.pending.delete(done);
    };
    done.then(forget, forget);
    return done;
  }

  /** Runs `operation` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(operation: (db: Queryable) => Promise<T>): Promise<T> {
    return this.run(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await operation(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool rather than reused mid-transaction.
        await client.query('ROLLBACK').catch((rollback: unknown) => {
          broken = rollback instanceof Error ? rollback : new Error(String(rollback));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  private async open(): Promise<void> {
    try {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        const encoding = await client.query<{ server_encoding: string }>('SHOW server_encoding');
        if (encoding.rows[0]?.server_encoding !== 'UTF8') {
          throw new StoreError(
            'TELETEL_E_STORE_OPEN',
            `the database ${this.location} uses the ${encoding.rows[0]?.server_encoding ?? 'unknown'} encoding; Teletel needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')`,
          );
        }
        await this.applyMigrations(client);
      } catch (error) {
        if (!(error instanceof StoreError)) broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('TELETEL_E_STORE_OPEN', `cannot open the PostgreSQL database ${this.location}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  private async applyMigrations(given?: pg.PoolClient): Promise<number[]> {
    const client = given ?? (await this.pool.connect());
    const applied: number[] = [];
    try {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, this.schema ?? '']);
        if (this.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(this.schema)}`);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_ms BIGINT NOT NULL
        )`);
        const row = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
        const current = Number(row.rows[0]?.version ?? 0);
        if (current > LATEST_VERSION) {
          throw new StoreError(
            'TELETEL_E_STORE_VERSION',
            `the database is at schema version ${current}, newer than this Teletel knows (${LATEST_VERSION}); upgrade Teletel or use another database`,
          );
        }
        for (const migration of POSTGRES_MIGRATIONS) {
          if (migration.version <= current) continue;
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            Date.now(),
          ]);
          applied.push(migration.version);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    } finally {
      if (given === undefined) client.release();
    }
    return applied;
  }

  private translate(error: unknown): unknown {
    if (error instanceof StoreError) return error;
    if (isConnectionError(error)) return this.unavailable(error);
    return error;
  }

  private unavailable(error: unknown): StoreError {
    return new StoreError('TELETEL_E_STORE_UNAVAILABLE', `the PostgreSQL database ${this.location} is not answering: ${describe(error)}`, {
      cause: error,
    });
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** An error message that names the cause even when node-postgres leaves it empty (AggregateError of several addresses). */
function describe(error: unknown): string {
  const message = messageOf(error);
  if (message !== '') return message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * The connection failed, rather than the statement: refused, reset, timed
 * out, server shutting down (SQLSTATE class 08, 57P01–57P03, 53300).
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return /^E[A-Z]+$/.test(code) || /^(08|57P0[1-3]|53300)/.test(code);
  return /connection terminated|timeout exceeded when trying to connect|query read timeout|not queryable|connection timeout/i.test(error.message);
}

// Kept importable from here: the tests and the bus read them with the store.
export { fromText, toText };
