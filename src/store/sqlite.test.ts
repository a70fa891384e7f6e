/** The SQLite store: the shared contract (test-support/contract.ts), then what is particular to SQLite. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreError } from './errors.js';
import { openStore, openStorage } from './index.js';
import { InProcessBus } from './bus.js';
import { migrate, openSqliteStore, SqliteStore } from './sqlite.js';
import { describeStoreContract, type Backend, type Location } from './test-support/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'teletel-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let made = 0;

/** Each location a fresh data folder in one temporary folder. */
function sqliteBackend(): Backend {
  return {
    async location(): Promise<Location> {
      const path = join(dir, `db${++made}`, 'data', 'teletel.db');
      return {
        spec: JSON.stringify({ kind: 'sqlite', path }),
        open: async () => openSqliteStore(path),
        migrations: async (store) => (store as SqliteStore).migrations(),
        async migrateAgain() {
          const db = new Database(path);
          try {
            return migrate(db);
          } finally {
            db.close();
          }
        },
        async recordFutureVersion(version) {
          const db = new Database(path);
          db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)').run(version, 'future', 0);
          db.close();
        },
        async passwordHash(nameKey) {
          const db = new Database(path, { readonly: true });
          const row = db.prepare('SELECT password_hash FROM accounts WHERE name_key = ?').get(nameKey) as { password_hash: string };
          db.close();
          return row.password_hash;
        },
      };
    },
    async dispose() {},
  };
}

describe('SQLite store', () => {
  describeStoreContract(sqliteBackend);
});

describe('SQLite store: its own', () => {
  it('creates the data folder and one database file in WAL mode', async () => {
    const path = join(dir, 'wal', 'data', 'teletel.db');
    const store = openSqliteStore(path);
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });

  it('refuses a synchronous setting other than FULL or NORMAL, rather than put it in a PRAGMA', async () => {
    // From JavaScript or a config file, nothing stops 'OFF', which would quietly break the durability contract.
    for (const synchronous of ['OFF', 'FULL; PRAGMA journal_mode = DELETE', 2]) {
      let error: unknown;
      try {
        openSqliteStore(':memory:', { synchronous } as never);
      } catch (caught) {
        error = caught;
      }
      expect(isStoreError(error, 'TELETEL_E_VALUE'), String(synchronous)).toBe(true);
    }
    const normal = openSqliteStore(join(dir, 'normal', 'teletel.db'), { synchronous: 'NORMAL' });
    await normal.close();
  });

  it('openStore puts teletel.db in the data folder', async () => {
    const other = openStore({ dataDir: join(dir, 'elsewhere') });
    expect(other).toBeInstanceOf(SqliteStore);
    expect(existsSync(join(dir, 'elsewhere', 'teletel.db'))).toBe(true);
    await other.close();
  });

  it('openStore refuses URLs of databases it does not support, and a database URL that is not one', () => {
    for (const url of ['mysql://localhost/teletel', 'redis://x']) {
      expect(() => openStore({ url })).toThrow(/SQLite \(a file\) or PostgreSQL/);
    }
    expect(() => openStore({ databaseUrl: '/tmp/file.db' })).toThrow(/starts with postgres:\/\//);
    try {
      openStore({ url: 'mysql://root:secret@db/teletel' });
    } catch (error) {
      expect(isStoreError(error, 'TELETEL_E_STORE_UNSUPPORTED')).toBe(true);
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('openStorage without a database URL gives SQLite in the data folder and a bus for this process', async () => {
    const storage = await openStorage({ dataDir: join(dir, 'storage') });
    expect(storage.kind).toBe('sqlite');
    expect(storage.store).toBeInstanceOf(SqliteStore);
    expect(storage.bus).toBeInstanceOf(InProcessBus);
    expect(storage.location).toBe(join(dir, 'storage', 'teletel.db'));
    await storage.close();
    await expect(storage.bus.publish('t', 1)).rejects.toThrow(/closed/);
  });
});
