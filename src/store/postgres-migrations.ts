/**
 * The PostgreSQL schema, step for step the SQLite one (migrations.ts): the
 * same versions, names, tables and columns, so a database of either kind is
 * at the same version for the same Teletel and the stores behave alike.
 * A test holds the two lists to the same versions and names.
 *
 * Choices that keep the behaviour identical to SQLite:
 * - Text compared, ordered and range-scanned with COLLATE "C" (UTF-8 byte
 *   order = code point order), as SQLite's default BINARY collation does;
 *   the database's own collation (en_US…) would order keys differently.
 * - Times as BIGINT milliseconds, as in SQLite, not timestamptz: no time
 *   zone or precision conversion between the two.
 * - Key-value values as the JSON text given, not jsonb, which would reorder
 *   object keys and drop duplicates.
 *
 * Never edit a released migration: add a new one, to both lists.
 */
import type { Migration } from './migrations.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    sql: `
      CREATE TABLE sessions (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL,
        transport TEXT COLLATE "C" NOT NULL,
        address TEXT COLLATE "C" NOT NULL,
        service TEXT COLLATE "C",
        start_ms BIGINT NOT NULL,
        end_ms BIGINT NOT NULL,
        bytes_in BIGINT NOT NULL,
        bytes_out BIGINT NOT NULL,
        cost DOUBLE PRECISION NOT NULL,
        currency TEXT COLLATE "C" NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'accounts',
    sql: `
      CREATE TABLE accounts (
        name_key TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'operator')),
        created_ms BIGINT NOT NULL,
        last_seen_ms BIGINT
      );`,
  },
  {
    version: 3,
    name: 'mail',
    sql: `
      CREATE TABLE mail (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        mailbox TEXT COLLATE "C" NOT NULL,
        sender TEXT COLLATE "C" NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_ms BIGINT NOT NULL,
        read_ms BIGINT
      );
      CREATE INDEX mail_by_mailbox ON mail (mailbox, id);`,
  },
  {
    version: 4,
    name: 'key-value',
    sql: `
      CREATE TABLE kv (
        namespace TEXT COLLATE "C" NOT NULL,
        key TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL,
        updated_ms BIGINT NOT NULL,
        PRIMARY KEY (namespace, key)
      );`,
  },
  {
    version: 5,
    name: 'checkpoints',
    sql: `
      CREATE TABLE checkpoints (
        session_id TEXT COLLATE "C" PRIMARY KEY,
        token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        saved_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL
      );
      CREATE INDEX checkpoints_by_expiry ON checkpoints (expires_ms);`,
  },
];
