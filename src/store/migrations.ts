/**
 * The SQLite schema, as an ordered list of migrations. Each runs once, in a
 * transaction, and is recorded in `schema_migrations`; opening a database
 * that is already up to date changes nothing. Never edit a released
 * migration: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    sql: `
      CREATE TABLE sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        transport TEXT NOT NULL,
        address TEXT NOT NULL,
        service TEXT,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        bytes_in INTEGER NOT NULL,
        bytes_out INTEGER NOT NULL,
        cost REAL NOT NULL,
        currency TEXT NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'accounts',
    sql: `
      CREATE TABLE accounts (
        name_key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'operator')),
        created_ms INTEGER NOT NULL,
        last_seen_ms INTEGER
      ) WITHOUT ROWID;`,
  },
  {
    version: 3,
    name: 'mail',
    sql: `
      CREATE TABLE mail (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mailbox TEXT NOT NULL,
        sender TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_ms INTEGER NOT NULL,
        read_ms INTEGER
      );
      CREATE INDEX mail_by_mailbox ON mail (mailbox, id);`,
  },
  {
    version: 4,
    name: 'key-value',
    sql: `
      CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (namespace, key)
      ) WITHOUT ROWID;`,
  },
  {
    version: 5,
    name: 'checkpoints',
    sql: `
      CREATE TABLE checkpoints (
        session_id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        saved_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX checkpoints_by_expiry ON checkpoints (expires_ms);`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
