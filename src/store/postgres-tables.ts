/**
 * The PostgreSQL store's tables, one class per part of the Store interface
 * (sessions, accounts, mail, key-value; checkpoints have their own file,
 * postgres-checkpoints.ts). PostgresStore (postgres.ts) owns the pool and
 * hands each its `Queries`; every SQL statement is parameterised.
 */
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
} from './store.js';
import { StoreError } from './errors.js';
import { STORE_LIMITS } from './limits.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { fromText, int, intOrNull, param, toText, type Queries, type Queryable } from './postgres-text.js';
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
  nameKey,
  serialise,
} from './validate.js';

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

export class PostgresSessionLog implements SessionLog {
  constructor(private readonly store: Queries) {}

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

export class PostgresAccounts implements AccountStore {
  constructor(private readonly store: Queries) {}

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

export class PostgresMail implements MailStore {
  constructor(private readonly store: Queries) {}

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

export class PostgresKeyValue implements KeyValueStore {
  private readonly stored: string;

  constructor(
    private readonly store: Queries,
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
