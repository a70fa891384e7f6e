/**
 * The default Store: one SQLite file (better-sqlite3) under the data folder.
 *
 * - WAL journal, so readers never wait for the writer; `synchronous = FULL`
 *   so a commit is on disk before the call resolves (durability contract in
 *   store.ts); `busy_timeout` so several processes may share the file.
 * - better-sqlite3 is synchronous: each method runs its statement and
 *   resolves with the committed result. The async interface is what lets a
 *   PostgreSQL store replace this one without touching services.
 * - Migrations run at open, under `BEGIN IMMEDIATE`, so two processes
 *   opening a fresh file at once apply them once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  Account,
  AccountRole,
  AccountStore,
  CheckpointStore,
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
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import { STORE_LIMITS } from './limits.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { SqliteCheckpoints } from './sqlite-checkpoints.js';
import {
  accountExists as exists,
  accountUnknown as unknown,
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

type DB = Database.Database;

export interface SqliteStoreOptions {
  /** 'FULL' (default): each commit is flushed to disk. 'NORMAL' is faster and survives a process crash but not a power cut. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process holding the lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) the SQLite store at `path`; ':memory:' for a private in-memory one. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const synchronous = options.synchronous ?? 'FULL';
  // It goes into a PRAGMA, and OFF would break the durability contract: only the two documented values.
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new StoreError('TELETEL_E_VALUE', `synchronous is 'FULL' or 'NORMAL', not ${JSON.stringify(synchronous)}`);
  }
  let db: DB;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new StoreError('TELETEL_E_STORE_OPEN', `cannot open the database ${path}: ${messageOf(error)}`, { cause: error });
  }
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Two processes opening a fresh file at once (two instances started together): switching it
    // to WAL answers SQLITE_BUSY at once to one of them, without waiting in the busy handler.
    whileBusy(busyTimeoutMs, () => {
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      migrate(db);
    });
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError('TELETEL_E_STORE_OPEN', `cannot prepare the database ${path}: ${messageOf(error)}`, { cause: error });
  }
  return new SqliteStore(db, path);
}

/** Runs `prepare` again while SQLite says the database is busy, for at most `timeoutMs` (startup only: it blocks the thread between tries). */
function whileBusy(timeoutMs: number, prepare: () => void): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      prepare();
      return;
    } catch (error) {
      const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

/** Applies the migrations this file lacks. Safe to call on an up-to-date database, and from several processes. */
export function migrate(db: DB): number[] {
  const applied: number[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_ms INTEGER NOT NULL
    )`);
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > LATEST_VERSION) {
      throw new StoreError(
        'TELETEL_E_STORE_VERSION',
        `the database is at schema version ${current}, newer than this Teletel knows (${LATEST_VERSION}); upgrade Teletel or use another data folder`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      applied.push(migration.version);
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return applied;
}

export class SqliteStore implements Store {
  readonly sessions: SessionLog;
  readonly accounts: AccountStore;
  readonly mail: MailStore;
  readonly checkpoints: CheckpointStore;
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly spaces = new Map<string, KeyValueStore>();

  constructor(
    private readonly db: DB,
    /** The file, for messages. */
    readonly path: string,
  ) {
    this.sessions = new SqliteSessionLog(this);
    this.accounts = new SqliteAccounts(this);
    this.mail = new SqliteMail(this);
    this.checkpoints = new SqliteCheckpoints(this);
  }

  /** Schema versions applied to this database, oldest first. */
  migrations(): number[] {
    return (this.database().prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map(
      (r) => r.version,
    );
  }

  keyValue(namespace: string): KeyValueStore {
    checkLength('namespace', namespace, 1, STORE_LIMITS.namespaceMax);
    let space = this.spaces.get(namespace);
    if (space === undefined) {
      space = new SqliteKeyValue(this, namespace);
      this.spaces.set(namespace, space);
    }
    return space;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    this.db.close();
  }

  /** The connection for a new operation, or TELETEL_E_STORE_CLOSED once close() was called. */
  database(): DB {
    if (this.closed) throw new StoreError('TELETEL_E_STORE_CLOSED', 'the store is closed');
    return this.db;
  }

  /** The connection for an operation started before close() (see track), until it is really closed. */
  inFlight(): DB {
    if (!this.db.open) throw new StoreError('TELETEL_E_STORE_CLOSED', 'the store is closed');
    return this.db;
  }

  /** Runs an operation that awaits before it writes (password hashing), so close() waits for it. */
  track<T>(operation: Promise<T>): Promise<T> {
    this.pending.add(operation);
    const done = (): void => {
      this.pending.delete(operation);
    };
    operation.then(done, done);
    return operation;
  }
}

// ---- sessions -----------------------------------------------------------------

interface SessionRow {
  id: string;
  transport: string;
  address: string;
  service: string | null;
  start_ms: number;
  end_ms: number;
  bytes_in: number;
  bytes_out: number;
  cost: number;
  currency: string;
}

class SqliteSessionLog implements SessionLog {
  constructor(private readonly store: SqliteStore) {}

  async record(record: SessionRecord): Promise<void> {
    checkSessionRecord(record);
    this.store
      .database()
      .prepare(
        `INSERT INTO sessions (id, transport, address, service, start_ms, end_ms, bytes_in, bytes_out, cost, currency)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.transport,
        record.address,
        record.service,
        record.start.getTime(),
        record.end.getTime(),
        record.bytesIn,
        record.bytesOut,
        record.cost,
        record.currency,
      );
  }

  async recent(limit: number): Promise<SessionRecord[]> {
    const rows = this.store
      .database()
      .prepare('SELECT * FROM sessions ORDER BY seq DESC LIMIT ?')
      .all(clampLimit(limit)) as SessionRow[];
    return rows.map((r) => ({
      id: r.id,
      transport: r.transport,
      address: r.address,
      service: r.service,
      start: new Date(r.start_ms),
      end: new Date(r.end_ms),
      bytesIn: r.bytes_in,
      bytesOut: r.bytes_out,
      cost: r.cost,
      currency: r.currency,
    }));
  }
}

// ---- accounts -----------------------------------------------------------------

interface AccountRow {
  name_key: string;
  name: string;
  password_hash: string;
  role: AccountRole;
  created_ms: number;
  last_seen_ms: number | null;
}

function toAccount(row: AccountRow): Account {
  return {
    name: row.name,
    role: row.role,
    createdAt: new Date(row.created_ms),
    lastSeenAt: row.last_seen_ms === null ? null : new Date(row.last_seen_ms),
  };
}

class SqliteAccounts implements AccountStore {
  constructor(private readonly store: SqliteStore) {}

  create(name: string, password: string, options: { role?: AccountRole } = {}): Promise<Account> {
    return this.store.track(this.createNow(name, password, options.role ?? 'user'));
  }

  private async createNow(name: string, password: string, role: AccountRole): Promise<Account> {
    checkAccountName(name);
    checkPassword(password);
    checkRole(role);
    const key = nameKey(name);
    if (this.row(key) !== undefined) throw exists(name);
    const hash = await hashPassword(password);
    const now = Date.now();
    const result = this.store
      .inFlight()
      .prepare(
        `INSERT INTO accounts (name_key, name, password_hash, role, created_ms, last_seen_ms)
         VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (name_key) DO NOTHING`,
      )
      .run(key, name, hash, role, now);
    // Someone else registered the name while we were hashing.
    if (result.changes === 0) throw exists(name);
    return { name, role, createdAt: new Date(now), lastSeenAt: null };
  }

  async get(name: string): Promise<Account | null> {
    const row = this.row(nameKey(name));
    return row === undefined ? null : toAccount(row);
  }

  verify(name: string, password: string): Promise<Account | null> {
    return this.store.track(this.verifyNow(name, password));
  }

  private async verifyNow(name: string, password: string): Promise<Account | null> {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > STORE_LIMITS.passwordMax) return null;
    const row = this.row(nameKey(name));
    if (row === undefined) {
      await verifyPassword(password, await decoyHash());
      return null;
    }
    if (!(await verifyPassword(password, row.password_hash))) return null;
    const now = Date.now();
    this.store.inFlight().prepare('UPDATE accounts SET last_seen_ms = ? WHERE name_key = ?').run(now, row.name_key);
    return toAccount({ ...row, last_seen_ms: now });
  }

  setPassword(name: string, password: string): Promise<void> {
    return this.store.track(
      (async () => {
        checkPassword(password);
        const key = nameKey(name);
        if (this.row(key) === undefined) throw unknown(name);
        const hash = await hashPassword(password);
        const result = this.store.inFlight().prepare('UPDATE accounts SET password_hash = ? WHERE name_key = ?').run(hash, key);
        if (result.changes === 0) throw unknown(name);
      })(),
    );
  }

  async setRole(name: string, role: AccountRole): Promise<void> {
    checkRole(role);
    const result = this.store.database().prepare('UPDATE accounts SET role = ? WHERE name_key = ?').run(role, nameKey(name));
    if (result.changes === 0) throw unknown(name);
  }

  async delete(name: string): Promise<boolean> {
    return this.store.database().prepare('DELETE FROM accounts WHERE name_key = ?').run(nameKey(name)).changes > 0;
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<Account[]> {
    const { limit, offset } = checkListOptions(options);
    const rows = this.store
      .database()
      .prepare('SELECT * FROM accounts ORDER BY name_key LIMIT ? OFFSET ?')
      .all(limit, offset) as AccountRow[];
    return rows.map(toAccount);
  }

  private row(key: string): AccountRow | undefined {
    return this.store.database().prepare('SELECT * FROM accounts WHERE name_key = ?').get(key) as AccountRow | undefined;
  }
}

// ---- mail ---------------------------------------------------------------------

interface MailRow {
  id: number;
  mailbox: string;
  sender: string;
  subject: string;
  body: string;
  sent_ms: number;
  read_ms: number | null;
}

function toMessage(row: MailRow): MailMessage {
  return {
    id: String(row.id),
    mailbox: row.mailbox,
    from: row.sender,
    subject: row.subject,
    body: row.body,
    sentAt: new Date(row.sent_ms),
    readAt: row.read_ms === null ? null : new Date(row.read_ms),
  };
}

/** Message ids are decimal row ids; anything else matches no message. */
function rowId(id: string): number {
  return isMessageId(id) ? Number(id) : -1;
}

class SqliteMail implements MailStore {
  constructor(private readonly store: SqliteStore) {}

  async send(message: NewMailMessage): Promise<MailMessage> {
    const subject = checkNewMail(message);
    const now = Date.now();
    const result = this.store
      .database()
      .prepare('INSERT INTO mail (mailbox, sender, subject, body, sent_ms, read_ms) VALUES (?, ?, ?, ?, ?, NULL)')
      .run(message.mailbox, message.from, subject, message.body, now);
    return {
      id: String(result.lastInsertRowid),
      mailbox: message.mailbox,
      from: message.from,
      subject,
      body: message.body,
      sentAt: new Date(now),
      readAt: null,
    };
  }

  async list(
    mailbox: string,
    options: { unreadOnly?: boolean; limit?: number; offset?: number } = {},
  ): Promise<MailMessage[]> {
    const { limit, offset } = checkListOptions(options);
    const unread = options.unreadOnly ? 'AND read_ms IS NULL' : '';
    const rows = this.store
      .database()
      .prepare(`SELECT * FROM mail WHERE mailbox = ? ${unread} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(mailbox, limit, offset) as MailRow[];
    return rows.map(toMessage);
  }

  async get(mailbox: string, id: string): Promise<MailMessage | null> {
    const row = this.store.database().prepare('SELECT * FROM mail WHERE mailbox = ? AND id = ?').get(mailbox, rowId(id)) as
      | MailRow
      | undefined;
    return row === undefined ? null : toMessage(row);
  }

  async count(mailbox: string): Promise<{ total: number; unread: number }> {
    const row = this.store
      .database()
      .prepare('SELECT COUNT(*) AS total, COUNT(*) - COUNT(read_ms) AS unread FROM mail WHERE mailbox = ?')
      .get(mailbox) as { total: number; unread: number };
    return { total: row.total, unread: row.unread };
  }

  async markRead(mailbox: string, id: string): Promise<void> {
    this.store
      .database()
      .prepare('UPDATE mail SET read_ms = ? WHERE mailbox = ? AND id = ? AND read_ms IS NULL')
      .run(Date.now(), mailbox, rowId(id));
  }

  async delete(mailbox: string, id: string): Promise<boolean> {
    return this.store.database().prepare('DELETE FROM mail WHERE mailbox = ? AND id = ?').run(mailbox, rowId(id)).changes > 0;
  }
}

// ---- key-value ----------------------------------------------------------------

class SqliteKeyValue implements KeyValueStore {
  constructor(
    private readonly store: SqliteStore,
    readonly namespace: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    const row = this.store.database().prepare('SELECT value FROM kv WHERE namespace = ? AND key = ?').get(this.namespace, key) as
      | { value: string }
      | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    const json = serialise(value);
    this.store
      .database()
      .prepare(
        `INSERT INTO kv (namespace, key, value, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`,
      )
      .run(this.namespace, key, json, Date.now());
  }

  async delete(key: string): Promise<boolean> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    return this.store.database().prepare('DELETE FROM kv WHERE namespace = ? AND key = ?').run(this.namespace, key).changes > 0;
  }

  async list<T = unknown>(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<KeyValueEntry<T>[]> {
    const { limit, offset } = checkListOptions(options);
    const prefix = options.prefix ?? '';
    checkLength('prefix', prefix, 0, STORE_LIMITS.keyMax);
    // A range on the primary key rather than LIKE, which would treat % and _ in the prefix as wildcards.
    const rows = (
      prefix === ''
        ? this.store
            .database()
            .prepare('SELECT key, value FROM kv WHERE namespace = ? ORDER BY key LIMIT ? OFFSET ?')
            .all(this.namespace, limit, offset)
        : this.store
            .database()
            .prepare('SELECT key, value FROM kv WHERE namespace = ? AND key >= ? AND key < ? ORDER BY key LIMIT ? OFFSET ?')
            .all(this.namespace, prefix, prefix + '\u{10FFFF}', limit, offset)
    ) as { key: string; value: string }[];
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
  }

  async increment(key: string, by = 1): Promise<number> {
    checkLength('key', key, 1, STORE_LIMITS.keyMax);
    if (!Number.isFinite(by)) throw new StoreError('TELETEL_E_VALUE', `increment needs a finite number, not ${String(by)}`);
    const db = this.store.database();
    const run = db.transaction((): number => {
      const row = db.prepare('SELECT value FROM kv WHERE namespace = ? AND key = ?').get(this.namespace, key) as
        | { value: string }
        | undefined;
      const current = row === undefined ? 0 : (JSON.parse(row.value) as unknown);
      if (typeof current !== 'number') {
        throw new StoreError('TELETEL_E_VALUE', `the value at '${key}' in '${this.namespace}' is not a number`);
      }
      const next = current + by;
      db.prepare(
        `INSERT INTO kv (namespace, key, value, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`,
      ).run(this.namespace, key, JSON.stringify(next), Date.now());
      return next;
    });
    // IMMEDIATE: take the write lock before reading, so two processes cannot both read the old value.
    return run.immediate();
  }
}
