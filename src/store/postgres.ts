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
 * - PostgreSQL text cannot hold U+0000 and SQLite's can: see toText.
 */
import pg from 'pg';
import type {
  Account,
  AccountRole,
  AccountStore,
  KeyValueEntry,
  KeyValueStore,
  MailMessage,
  MailStore,
  NewMailMessage,
  SessionLog,
  SessionRecord,
  Store,
} from './store.js';
import { StoreError } from './errors.js';
import { LATEST_VERSION } from './migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { POSTGRES_LIMITS, STORE_LIMITS } from './limits.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import {
  accountExists,
  accountUnknown,
  checkAccountName,
  checkLength,
  checkListOptions,
  checkNewMail,
  checkPassword,
  checkRole,
  checkSessionRecord,
  clampLimit,
  isMessageId,
  messageOf,
  nameKey,
  serialise,
} from './validate.js';

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

/** What queries run on: the pool, or one client inside a transaction. */
interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export class PostgresStore implements Store {
  readonly sessions: SessionLog;
  readonly accounts: AccountStore;
  readonly mail: MailStore;
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
    this.pool = new pg.Pool({
      connectionString: url,
      max: positive(options.poolSize, POSTGRES_LIMITS.poolSize),
      connectionTimeoutMillis: positive(options.connectTimeoutMs, POSTGRES_LIMITS.connectTimeoutMs),
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

// ---- text -----------------------------------------------------------------------

/**
 * PostgreSQL text cannot hold U+0000, SQLite's can, and a mail body or a
 * key may contain anything. We store U+0000 as U+0001 U+0001 and U+0001 as
 * U+0001 U+0002: a prefix-free code whose words sort in the order of the
 * characters they replace, so equality, ORDER BY and prefix ranges give the
 * same answers as SQLite on the original text. Any other text is stored as
 * is, readable in psql.
 */
export function toText(text: string): string {
  return /[\u0000\u0001]/.test(text) ? text.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002')) : text;
}

export function fromText(text: string): string {
  return text.includes('\u0001') ? text.replace(/\u0001([\u0001\u0002])/g, (_, c: string) => (c === '\u0001' ? '\u0000' : '\u0001')) : text;
}

/** A parameter compared with a text column: encoded when it is text; anything else is bound as given and matches nothing. */
function param(value: unknown): unknown {
  return typeof value === 'string' ? toText(value) : value;
}

/** BIGINT and COUNT come back as decimal strings (they may exceed 2^53); ours are milliseconds and counts, well inside. */
function int(value: string | number): number {
  return Number(value);
}

function intOrNull(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

// ---- sessions -------------------------------------------------------------------

interface SessionRow {
  id: string;
  transport: string;
  address: string;
  service: string | null;
  start_ms: string;
  end_ms: string;
  bytes_in: string;
  bytes_out: string;
  cost: number;
  currency: string;
}

class PostgresSessionLog implements SessionLog {
  constructor(private readonly store: PostgresStore) {}

  async record(record: SessionRecord): Promise<void> {
    checkSessionRecord(record);
    await this.store.run((db) =>
      db.query(
        `INSERT INTO sessions (id, transport, address, service, start_ms, end_ms, bytes_in, bytes_out, cost, currency)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          toText(record.id),
          toText(record.transport),
          toText(record.address),
          record.service === null ? null : toText(record.service),
          record.start.getTime(),
          record.end.getTime(),
          record.bytesIn,
          record.bytesOut,
          record.cost,
          toText(record.currency),
        ],
      ),
    );
  }

  async recent(limit: number): Promise<SessionRecord[]> {
    const result = await this.store.run((db) => db.query<SessionRow>('SELECT * FROM sessions ORDER BY seq DESC LIMIT $1', [clampLimit(limit)]));
    return result.rows.map((r) => ({
      id: fromText(r.id),
      transport: fromText(r.transport),
      address: fromText(r.address),
      service: r.service === null ? null : fromText(r.service),
      start: new Date(int(r.start_ms)),
      end: new Date(int(r.end_ms)),
      bytesIn: int(r.bytes_in),
      bytesOut: int(r.bytes_out),
      cost: Number(r.cost),
      currency: fromText(r.currency),
    }));
  }
}

// ---- accounts -------------------------------------------------------------------

interface AccountRow {
  name_key: string;
  name: string;
  password_hash: string;
  role: AccountRole;
  created_ms: string;
  last_seen_ms: string | null;
}

function toAccount(row: AccountRow): Account {
  const lastSeen = intOrNull(row.last_seen_ms);
  return {
    name: row.name,
    role: row.role,
    createdAt: new Date(int(row.created_ms)),
    lastSeenAt: lastSeen === null ? null : new Date(lastSeen),
  };
}

class PostgresAccounts implements AccountStore {
  constructor(private readonly store: PostgresStore) {}

  async create(name: string, password: string, options: { role?: AccountRole } = {}): Promise<Account> {
    const role = options.role ?? 'user';
    checkAccountName(name);
    checkPassword(password);
    checkRole(role);
    const key = nameKey(name);
    return this.store.run(async (db) => {
      if ((await this.row(db, key)) !== undefined) throw accountExists(name);
      const hash = await hashPassword(password);
      const now = Date.now();
      const result = await db.query(
        `INSERT INTO accounts (name_key, name, password_hash, role, created_ms, last_seen_ms)
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (name_key) DO NOTHING`,
        [key, name, hash, role, now],
      );
      // Someone else, maybe on another instance, registered the name while we were hashing.
      if (result.rowCount === 0) throw accountExists(name);
      return { name, role, createdAt: new Date(now), lastSeenAt: null };
    });
  }

  async get(name: string): Promise<Account | null> {
    const row = await this.store.run((db) => this.row(db, nameKey(name)));
    return row === undefined ? null : toAccount(row);
  }

  async verify(name: string, password: string): Promise<Account | null> {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > STORE_LIMITS.passwordMax) return null;
    return this.store.run(async (db) => {
      const row = await this.row(db, nameKey(name));
      if (row === undefined) {
        await verifyPassword(password, await decoyHash());
        return null;
      }
      if (!(await verifyPassword(password, row.password_hash))) return null;
      const now = Date.now();
      await db.query('UPDATE accounts SET last_seen_ms = $1 WHERE name_key = $2', [now, row.name_key]);
      return toAccount({ ...row, last_seen_ms: String(now) });
    });
  }

  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    const key = nameKey(name);
    await this.store.run(async (db) => {
      if ((await this.row(db, key)) === undefined) throw accountUnknown(name);
      const hash = await hashPassword(password);
      const result = await db.query('UPDATE accounts SET password_hash = $1 WHERE name_key = $2', [hash, key]);
      if (result.rowCount === 0) throw accountUnknown(name);
    });
  }

  async setRole(name: string, role: AccountRole): Promise<void> {
    checkRole(role);
    const result = await this.store.run((db) => db.query('UPDATE accounts SET role = $1 WHERE name_key = $2', [role, param(nameKey(name))]));
    if (result.rowCount === 0) throw accountUnknown(name);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.store.run((db) => db.query('DELETE FROM accounts WHERE name_key = $1', [param(nameKey(name))]));
    return (result.rowCount ?? 0) > 0;
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<Account[]> {
    const { limit, offset } = checkListOptions(options);
    const result = await this.store.run((db) => db.query<AccountRow>('SELECT * FROM accounts ORDER BY name_key LIMIT $1 OFFSET $2', [limit, offset]));
    return result.rows.map(toAccount);
  }

  private async row(db: Queryable, key: string): Promise<AccountRow | undefined> {
    return (await db.query<AccountRow>('SELECT * FROM accounts WHERE name_key = $1', [param(key)])).rows[0];
  }
}

// ---- mail -----------------------------------------------------------------------

interface MailRow {
  id: string;
  mailbox: string;
  sender: string;
  subject: string;
  body: string;
  sent_ms: string;
  read_ms: string | null;
}

function toMessage(row: MailRow): MailMessage {
  const read = intOrNull(row.read_ms);
  return {
    id: String(row.id),
    mailbox: fromText(row.mailbox),
    from: fromText(row.sender),
    subject: fromText(row.subject),
    body: fromText(row.body),
    sentAt: new Date(int(row.sent_ms)),
    readAt: read === null ? null : new Date(read),
  };
}

/** A message id as a BIGINT parameter; anything that is not one becomes -1, which no row has. */
function messageId(id: string): string {
  return isMessageId(id) ? id : '-1';
}

class PostgresMail implements MailStore {
  constructor(private readonly store: PostgresStore) {}

  async send(message: NewMailMessage): Promise<MailMessage> {
    const subject = checkNewMail(message);
    const now = Date.now();
    const result = await this.store.run((db) =>
      db.query<{ id: string }>('INSERT INTO mail (mailbox, sender, subject, body, sent_ms, read_ms) VALUES ($1, $2, $3, $4, $5, NULL) RETURNING id', [
        toText(message.mailbox),
        toText(message.from),
        toText(subject),
        toText(message.body),
        now,
      ]),
    );
    return {
      id: String(result.rows[0].id),
      mailbox: message.mailbox,
      from: message.from,
      subject,
      body: message.body,
      sentAt: new Date(now),
      readAt: null,
    };
  }

  async list(mailbox: string, options: { unreadOnly?: boolean; limit?: number; offset?: number } = {}): Promise<MailMessage[]> {
    const { limit, offset } = checkListOptions(options);
    const unread = options.unreadOnly ? 'AND read_ms IS NULL' : '';
    const result = await this.store.run((db) =>
      db.query<MailRow>(`SELECT * FROM mail WHERE mailbox = $1 ${unread} ORDER BY id DESC LIMIT $2 OFFSET $3`, [param(mailbox), limit, offset]),
    );
    return result.rows.map(toMessage);
  }

  async get(mailbox: string, id: string): Promise<MailMessage | null> {
    const result = await this.store.run((db) => db.query<MailRow>('SELECT * FROM mail WHERE mailbox = $1 AND id = $2', [param(mailbox), messageId(id)]));
    return result.rows.length === 0 ? null : toMessage(result.rows[0]);
  }

  async count(mailbox: string): Promise<{ total: number; unread: number }> {
    const result = await this.store.run((db) =>
      db.query<{ total: string; unread: string }>('SELECT COUNT(*) AS total, COUNT(*) - COUNT(read_ms) AS unread FROM mail WHERE mailbox = $1', [
        param(mailbox),
      ]),
    );
    return { total: int(result.rows[0].total), unread: int(result.rows[0].unread) };
  }

  async markRead(mailbox: string, id: string): Promise<void> {
    await this.store.run((db) =>
      db.query('UPDATE mail SET read_ms = $1 WHERE mailbox = $2 AND id = $3 AND read_ms IS NULL', [Date.now(), param(mailbox), messageId(id)]),
    );
  }

  async delete(mailbox: string, id: string): Promise<boolean> {
    const result = await this.store.run((db) => db.query('DELETE FROM mail WHERE mailbox = $1 AND id = $2', [param(mailbox), messageId(id)]));
    return (result.rowCount ?? 0) > 0;
  }
}

// ---- key-value ------------------------------------------------------------------

const UPSERT_KV = `INSERT INTO kv (namespace, key, value, updated_ms) VALUES ($1, $2, $3, $4)
  ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`;

class PostgresKeyValue implements KeyValueStore {
  private readonly stored: string;

  constructor(
    private readonly store: PostgresStore,
    readonly namespace: string,
  ) {
    this.stored = toText(namespace);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    const result = await this.store.run((db) => db.query<{ value: string }>('SELECT value FROM kv WHERE namespace = $1 AND key = $2', [this.stored, toText(key)]));
    return result.rows.length === 0 ? undefined : (JSON.parse(result.rows[0].value) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    const json = serialise(value);
    await this.store.run((db) => db.query(UPSERT_KV, [this.stored, toText(key), json, Date.now()]));
  }

  async delete(key: string): Promise<boolean> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    const result = await this.store.run((db) => db.query('DELETE FROM kv WHERE namespace = $1 AND key = $2', [this.stored, toText(key)]));
    return (result.rowCount ?? 0) > 0;
  }

  async list<T = unknown>(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<KeyValueEntry<T>[]> {
    const { limit, offset } = checkListOptions(options);
    const prefix = options.prefix ?? '';
    checkLength('prefix', prefix, 0, STORE_LIMITS.keyMax);
    // A range on the primary key rather than LIKE, which would treat % and _ in the prefix as wildcards (as in sqlite.ts).
    const result = await this.store.run((db) =>
      prefix === ''
        ? db.query<{ key: string; value: string }>('SELECT key, value FROM kv WHERE namespace = $1 ORDER BY key LIMIT $2 OFFSET $3', [this.stored, limit, offset])
        : db.query<{ key: string; value: string }>(
            'SELECT key, value FROM kv WHERE namespace = $1 AND key >= $2 AND key < $3 ORDER BY key LIMIT $4 OFFSET $5',
            [this.stored, toText(prefix), toText(prefix) + '\u{10FFFF}', limit, offset],
          ),
    );
    return result.rows.map((r) => ({ key: fromText(r.key), value: JSON.parse(r.value) as T }));
  }

  async increment(key: string, by = 1): Promise<number> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    if (!Number.isFinite(by)) throw new StoreError('TELETEL_E_VALUE', `increment needs a finite number, not ${String(by)}`);
    const stored = toText(key);
    return this.store.transaction(async (db) => {
      // Make sure the row exists, then lock it: two instances incrementing at once queue on the lock instead of both reading the old value.
      await db.query(`INSERT INTO kv (namespace, key, value, updated_ms) VALUES ($1, $2, '0', $3) ON CONFLICT (namespace, key) DO NOTHING`, [
        this.stored,
        stored,
        Date.now(),
      ]);
      const row = await db.query<{ value: string }>('SELECT value FROM kv WHERE namespace = $1 AND key = $2 FOR UPDATE', [this.stored, stored]);
      const current = JSON.parse(row.rows[0].value) as unknown;
      if (typeof current !== 'number') {
        throw new StoreError('TELETEL_E_VALUE', `the value at '${key}' in '${this.namespace}' is not a number`);
      }
      const next = current + by;
      await db.query(UPSERT_KV, [this.stored, stored, JSON.stringify(next), Date.now()]);
      return next;
    });
  }
}
