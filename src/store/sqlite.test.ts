import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, migrate, type SqliteStore } from './sqlite.js';
import { openStore } from './index.js';
import { LATEST_VERSION } from './migrations.js';
import { STORE_LIMITS } from './limits.js';
import { isStoreError } from './errors.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function runChild(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(FIXTURES, script), ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${script} failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => isStoreError(error) && error.code === code);
}

let dir: string;
let store: SqliteStore;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'teletel-store-'));
  path = join(dir, 'data', 'teletel.db');
  store = openSqliteStore(path);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates the data folder and one database file in WAL mode', () => {
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('openStore puts teletel.db in the data folder', async () => {
    const other = openStore({ dataDir: join(dir, 'elsewhere') });
    expect(existsSync(join(dir, 'elsewhere', 'teletel.db'))).toBe(true);
    await other.close();
  });

  it('refuses a postgres URL with a clear message until that store exists', () => {
    expect(() => openStore({ url: 'postgres://localhost/teletel' })).toThrow(/PostgreSQL store is not available/);
  });

  it('applies every migration once and records it', () => {
    expect(store.migrations()).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
  });

  it('re-running migrations on an up-to-date database changes nothing', async () => {
    await store.close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([]);
    expect(migrate(db)).toEqual([]);
    db.close();
    store = openSqliteStore(path);
    expect(store.migrations()).toHaveLength(LATEST_VERSION);
  });

  it('keeps data across reopen', async () => {
    await store.mail.send({ mailbox: 'CHAT:ana', from: 'bob', body: 'salut' });
    await store.close();
    store = openSqliteStore(path);
    expect((await store.mail.list('CHAT:ana')).map((m) => m.body)).toEqual(['salut']);
  });

  it('two processes opening a fresh file at once migrate it once', async () => {
    const fresh = join(dir, 'fresh.db');
    const outputs = await Promise.all([runChild('migrator.ts', [fresh]), runChild('migrator.ts', [fresh])]);
    for (const output of outputs) expect(JSON.parse(output)).toHaveLength(LATEST_VERSION);
  });

  it('refuses a database written by a newer version, naming the versions', async () => {
    await store.close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)').run(LATEST_VERSION + 1, 'future', 0);
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/schema version 5, newer than this Teletel knows \(4\)/);
    store = openSqliteStore(':memory:');
  });

  it('calls after close fail with TELETEL_E_STORE_CLOSED', async () => {
    await store.close();
    await rejectsWith(store.mail.count('x'), 'TELETEL_E_STORE_CLOSED');
  });

  it('close waits for an account being created', async () => {
    const creating = store.accounts.create('lena', 'secret');
    await store.close();
    await expect(creating).resolves.toMatchObject({ name: 'lena' });
    store = openSqliteStore(path);
    expect(await store.accounts.get('lena')).not.toBeNull();
  });
});

describe('accounts', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    await store.accounts.create('Ana', 'mot de passe');
    expect(await store.accounts.verify('Ana', 'mot de passe')).toMatchObject({ name: 'Ana', role: 'user' });
    expect(await store.accounts.verify('Ana', 'mot de pass')).toBeNull();
    expect(await store.accounts.verify('Nobody', 'x')).toBeNull();
  });

  it('treats names without regard to case and keeps the first spelling', async () => {
    await store.accounts.create('Ana', 'pw');
    await rejectsWith(store.accounts.create('ANA', 'other'), 'TELETEL_E_ACCOUNT_EXISTS');
    expect((await store.accounts.verify('ana', 'pw'))?.name).toBe('Ana');
  });

  it('stores an scrypt hash, never the password', async () => {
    await store.accounts.create('Ana', 'hunter2');
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT password_hash FROM accounts').get() as { password_hash: string };
    db.close();
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.password_hash).not.toContain('hunter2');
  });

  it('records the last successful login', async () => {
    await store.accounts.create('Ana', 'pw');
    expect((await store.accounts.get('Ana'))?.lastSeenAt).toBeNull();
    await store.accounts.verify('Ana', 'pw');
    expect((await store.accounts.get('Ana'))?.lastSeenAt).toBeInstanceOf(Date);
  });

  it('refuses invalid names and over-long passwords', async () => {
    for (const name of ['', 'a', 'x'.repeat(17), 'é', 'a b', '-dash', 'a\u0000b', '😀😀']) {
      await rejectsWith(store.accounts.create(name, 'pw'), 'TELETEL_E_ACCOUNT_NAME');
    }
    await rejectsWith(store.accounts.create('Ana', 'x'.repeat(STORE_LIMITS.passwordMax + 1)), 'TELETEL_E_STORE_LIMIT');
    await rejectsWith(store.accounts.create('Ana', ''), 'TELETEL_E_VALUE');
  });

  it('changes password and role, lists and deletes', async () => {
    await store.accounts.create('Bob', 'one');
    await store.accounts.create('ana', 'two', { role: 'operator' });
    await store.accounts.setPassword('bob', 'three');
    expect(await store.accounts.verify('Bob', 'one')).toBeNull();
    expect(await store.accounts.verify('Bob', 'three')).not.toBeNull();
    await store.accounts.setRole('Bob', 'operator');
    expect((await store.accounts.list()).map((a) => [a.name, a.role])).toEqual([
      ['ana', 'operator'],
      ['Bob', 'operator'],
    ]);
    expect(await store.accounts.delete('BOB')).toBe(true);
    expect(await store.accounts.get('Bob')).toBeNull();
    await rejectsWith(store.accounts.setRole('Bob', 'user'), 'TELETEL_E_ACCOUNT_UNKNOWN');
  });
});

describe('mail', () => {
  it('lists a mailbox newest first, counts unread, marks read, deletes', async () => {
    const first = await store.mail.send({ mailbox: 'CHAT:ana', from: 'bob', subject: 'coucou', body: 'un' });
    await store.mail.send({ mailbox: 'CHAT:ana', from: 'eve', body: 'deux' });
    await store.mail.send({ mailbox: 'CHAT:bob', from: 'ana', body: 'ailleurs' });
    expect((await store.mail.list('CHAT:ana')).map((m) => m.body)).toEqual(['deux', 'un']);
    expect(await store.mail.count('CHAT:ana')).toEqual({ total: 2, unread: 2 });
    await store.mail.markRead('CHAT:ana', first.id);
    expect(await store.mail.count('CHAT:ana')).toEqual({ total: 2, unread: 1 });
    expect((await store.mail.list('CHAT:ana', { unreadOnly: true })).map((m) => m.body)).toEqual(['deux']);
    expect((await store.mail.get('CHAT:ana', first.id))?.readAt).toBeInstanceOf(Date);
    expect(await store.mail.delete('CHAT:bob', first.id)).toBe(false); // not that mailbox's message
    expect(await store.mail.delete('CHAT:ana', first.id)).toBe(true);
    expect(await store.mail.get('CHAT:ana', first.id)).toBeNull();
    expect(await store.mail.get('CHAT:ana', 'not-an-id')).toBeNull();
  });

  it('refuses an over-long body before storing anything', async () => {
    await rejectsWith(
      store.mail.send({ mailbox: 'm', from: 'a', body: 'x'.repeat(STORE_LIMITS.bodyMax + 1) }),
      'TELETEL_E_STORE_LIMIT',
    );
    expect(await store.mail.count('m')).toEqual({ total: 0, unread: 0 });
  });

  it('keeps any Unicode text as given', async () => {
    const body = 'émoji 😀, RTL שלום, combining e\u0301, NUL \u0000';
    const sent = await store.mail.send({ mailbox: 'm', from: 'a', body });
    expect((await store.mail.get('m', sent.id))?.body).toBe(body);
  });
});

describe('key-value', () => {
  it('stores JSON values per namespace', async () => {
    const a = store.keyValue('A');
    const b = store.keyValue('B');
    await a.set('config', { rooms: ['Accueil'], max: 3 });
    expect(await a.get('config')).toEqual({ rooms: ['Accueil'], max: 3 });
    expect(await b.get('config')).toBeUndefined();
    expect(await a.delete('config')).toBe(true);
    expect(await a.delete('config')).toBe(false);
  });

  it('lists by prefix, taking % and _ literally', async () => {
    const kv = store.keyValue('K');
    for (const key of ['ban:ana', 'ban:bob', 'ban_x', 'ban%', 'ignore:ana']) await kv.set(key, key.length);
    expect((await kv.list({ prefix: 'ban:' })).map((e) => e.key)).toEqual(['ban:ana', 'ban:bob']);
    expect((await kv.list({ prefix: 'ban%' })).map((e) => e.key)).toEqual(['ban%']);
    expect(await kv.list({ limit: 2 })).toHaveLength(2);
  });

  it('increments atomically and refuses to increment text', async () => {
    const kv = store.keyValue('K');
    expect(await kv.increment('n')).toBe(1);
    expect(await kv.increment('n', 5)).toBe(6);
    await kv.set('s', 'text');
    await rejectsWith(kv.increment('s'), 'TELETEL_E_VALUE');
  });

  it('refuses values that are not JSON or too big', async () => {
    const kv = store.keyValue('K');
    await rejectsWith(kv.set('f', () => 1), 'TELETEL_E_VALUE');
    await rejectsWith(kv.set('big', 'x'.repeat(STORE_LIMITS.valueBytesMax)), 'TELETEL_E_STORE_LIMIT');
    expect(() => store.keyValue('')).toThrow(/at least 1 character/);
  });
});

describe('sessions', () => {
  it('records kiosque sessions and returns the newest first', async () => {
    const base = { transport: 'tcp', address: '127.0.0.1', bytesIn: 10, bytesOut: 2000, cost: 1.29, currency: 'FRF' };
    await store.sessions.record({ ...base, id: 's1', service: 'CHAT', start: new Date(1000), end: new Date(61_000) });
    await store.sessions.record({ ...base, id: 's2', service: null, start: new Date(2000), end: new Date(3000) });
    const recent = await store.sessions.recent(10);
    expect(recent.map((r) => r.id)).toEqual(['s2', 's1']);
    expect(recent[1]).toMatchObject({ service: 'CHAT', start: new Date(1000), end: new Date(61_000), cost: 1.29 });
  });
});

describe('concurrent writes', () => {
  it('many writes in flight at once from one process are all kept', async () => {
    const kv = store.keyValue('C');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        Promise.all([store.mail.send({ mailbox: 'box', from: 'x', body: String(i) }), kv.increment('n')]),
      ),
    );
    expect(await store.mail.count('box')).toEqual({ total: 200, unread: 200 });
    expect(await kv.get('n')).toBe(200);
  });

  it('two processes writing the same file at once lose nothing', async () => {
    const outputs = await Promise.all([runChild('concurrent-writer.ts', [path, '150', 'A']), runChild('concurrent-writer.ts', [path, '150', 'B'])]);
    expect(outputs).toEqual(['done\n', 'done\n']);
    expect(await store.mail.count('shared')).toEqual({ total: 300, unread: 300 });
    expect(await store.keyValue('TEST').get('hits')).toBe(300);
  });
});
