/**
 * The PostgreSQL store: the shared contract (test-support/contract.ts),
 * each test in a schema of its own, then what is particular to PostgreSQL.
 * Skipped, with a message, when no server answers (test-support/postgres.ts).
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreError } from './errors.js';
import { openStorage, openStore } from './index.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresBus } from './postgres-bus.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { createPostgresStore, fromText, openPostgresStore, PostgresStore, redactUrl, schemaFromUrl, toText } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import { describeStoreContract, type Backend, type Location } from './test-support/contract.js';
import { probePostgres, skippedMessage, TEST_DATABASE_URL, TestSchemas } from './test-support/postgres.js';

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));

const schemas = new TestSchemas();
afterAll(async () => {
  if (unreachable === null) await schemas.dropAll();
});

function postgresBackend(): Backend {
  return {
    async location(): Promise<Location> {
      const schema = schemas.name();
      return {
        spec: JSON.stringify({ kind: 'postgres', url: TEST_DATABASE_URL, schema }),
        open: () => openPostgresStore(TEST_DATABASE_URL, { schema }),
        migrations: (store) => (store as PostgresStore).migrations(),
        async migrateAgain() {
          const other = createPostgresStore(TEST_DATABASE_URL, { schema });
          try {
            return await other.migrate();
          } finally {
            await other.close();
          }
        },
        async recordFutureVersion(version) {
          await schemas.query(schema, 'INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [version, 'future', 0]);
        },
        async passwordHash(nameKey) {
          const rows = await schemas.query<{ password_hash: string }>(schema, 'SELECT password_hash FROM accounts WHERE name_key = $1', [nameKey]);
          return rows[0].password_hash;
        },
      };
    },
    async dispose() {},
  };
}

describe('PostgreSQL store, without a server', () => {
  it('has the same migrations as SQLite, version for version', () => {
    expect(POSTGRES_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it('stores NUL and SOH so that text round-trips and sorts as the original', () => {
    const text = fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'é', '😀', '\uffff') });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(fromText(toText(a))).toBe(a);
        expect(toText(a).includes('\u0000')).toBe(false);
        const original = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(Buffer.compare(Buffer.from(toText(a)), Buffer.from(toText(b))))).toBe(original);
        expect(toText(a + b).startsWith(toText(a))).toBe(true);
      }),
    );
    expect(toText('plain text')).toBe('plain text');
  });

  it('never shows the password of a URL', () => {
    expect(redactUrl('postgres://teletel:s3cret@db.example:5432/teletel')).toBe('postgres://teletel:***@db.example:5432/teletel');
    expect(redactUrl('postgresql://u@h/d?sslmode=require&password=s3cret')).toBe('postgresql://u@h/d?sslmode=require&password=***');
    expect(redactUrl('mysql://root:s3cret@db/x')).toBe('mysql://root:***@db/x');
    expect(redactUrl('postgres://nobody@h/d')).toBe('postgres://nobody@h/d');
    // An unencoded @ in the password or the user name: node-postgres takes the last @ as the end of them.
    expect(redactUrl('postgres://teletel:p@ss@db.example/teletel')).toBe('postgres://teletel:***@db.example/teletel');
    expect(redactUrl('postgres://tele@tel:s3cret@db.example/teletel')).toBe('postgres://tele@tel:***@db.example/teletel');
    expect(redactUrl('postgres://nobody@h:5432/d')).toBe('postgres://nobody@h:5432/d');
  });

  it('reads ?schema= from the URL and leaves the other parameters as they were', async () => {
    expect(schemaFromUrl('postgres://h/db?schema=site_a')).toEqual({ url: 'postgres://h/db', schema: 'site_a' });
    expect(schemaFromUrl('postgres://h/db?sslmode=require&schema=site_a&options=-c%20x%3Dy')).toEqual({
      url: 'postgres://h/db?sslmode=require&options=-c%20x%3Dy',
      schema: 'site_a',
    });
    expect(schemaFromUrl('postgres://h/db')).toEqual({ url: 'postgres://h/db', schema: undefined });
    const store = createPostgresStore('postgres://127.0.0.1:1/db?schema=site_b', { connectTimeoutMs: 500 });
    expect(store.schema).toBe('site_b');
    await store.close();
    expect(() => createPostgresStore('postgres://h/db?schema=Bad-Name')).toThrow(/schema name/);
    expect(() => createPostgresStore('postgres://h/db?schema=a', { schema: 'b' })).toThrow(/give one/);
  });

  it('refuses schema names that would need quoting', () => {
    for (const schema of ['', 'Public', 'a-b', 'a"; DROP TABLE x; --', '1abc', 'x'.repeat(64)]) {
      expect(() => createPostgresStore('postgres://localhost/x', { schema })).toThrow(/schema name/);
    }
  });

  it('a server that is not there: opening fails at once with TELETEL_E_STORE_OPEN, and calls say why', async () => {
    const url = 'postgres://teletel:s3cret@127.0.0.1:1/teletel';
    const started = Date.now();
    const error = await openPostgresStore(url, { connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(isStoreError(error, 'TELETEL_E_STORE_OPEN')).toBe(true);
    expect((error as Error).message).toMatch(/cannot open the PostgreSQL database postgres:\/\/teletel:\*\*\*@127\.0\.0\.1:1\/teletel/);
    expect((error as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(3000);
    const lazy = openStore({ databaseUrl: url, connectTimeoutMs: 1000 });
    await expect(lazy.mail.count('x')).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_OPEN'));
    await lazy.close();
    await expect(openStorage({ databaseUrl: url, connectTimeoutMs: 1000 })).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_OPEN'));
  });
});

describe('PostgreSQL store, a server that accepts and never answers', () => {
  it('opening fails after the connect timeout, not after the longer pool wait', async () => {
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const started = Date.now();
    const error = await openPostgresStore(`postgres://teletel@127.0.0.1:${port}/teletel`, { connectTimeoutMs: 300, poolWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(isStoreError(error, 'TELETEL_E_STORE_OPEN')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
});

describe.skipIf(unreachable !== null)('PostgreSQL store', () => {
  describeStoreContract(postgresBackend);
});

describe.skipIf(unreachable !== null)('PostgreSQL store: its own', () => {
  it('openStore and openStorage choose PostgreSQL for a postgres:// URL, with its bus', async () => {
    const schema = schemas.name();
    const store = openStore({ databaseUrl: TEST_DATABASE_URL, schema });
    expect(store).toBeInstanceOf(PostgresStore);
    await store.mail.send({ mailbox: 'm', from: 'a', body: 'b' });
    await store.close();
    const storage = await openStorage({ databaseUrl: `${TEST_DATABASE_URL}?schema=${schema}` });
    expect(storage.kind).toBe('postgres');
    expect(storage.bus).toBeInstanceOf(PostgresBus);
    expect((storage.bus as PostgresBus).channel).toBe(`teletel.${schema}`);
    expect(await storage.store.mail.count('m')).toEqual({ total: 1, unread: 1 });
    await storage.close();
  });

  it('keeps each schema to itself', async () => {
    const [one, two] = await Promise.all([
      openPostgresStore(TEST_DATABASE_URL, { schema: schemas.name() }),
      openPostgresStore(TEST_DATABASE_URL, { schema: schemas.name() }),
    ]);
    await one.keyValue('K').set('k', 'one');
    expect(await two.keyValue('K').get('k')).toBeUndefined();
    await Promise.all([one.close(), two.close()]);
  });

  it('when the server drops its connections, a call fails with TELETEL_E_STORE_UNAVAILABLE at worst, and the next ones work', async () => {
    const applicationName = `teletel-test-${process.pid}-${Date.now()}`;
    const store = await openPostgresStore(TEST_DATABASE_URL, { schema: schemas.name(), applicationName });
    await Promise.all([store.mail.count('m'), store.mail.count('m'), store.mail.count('m')]);
    await schemas.query(null, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    // Each of the three pooled connections that were dropped may fail one call (the pool learns of
    // a dropped idle connection only when it is used or its error event is read), and no more.
    for (let attempt = 0; attempt <= 3; attempt++) {
      const result = await store.mail.send({ mailbox: 'm', from: 'a', body: 'après' }).catch((e: unknown) => e);
      if (!(result instanceof Error)) break;
      expect(isStoreError(result, 'TELETEL_E_STORE_UNAVAILABLE')).toBe(true);
      expect(attempt).toBeLessThan(3);
    }
    await store.mail.send({ mailbox: 'm', from: 'a', body: 'encore' });
    expect((await store.mail.list('m')).map((m) => m.body)).toContain('encore');
    await store.close();
  });

  it('a busy pool: a call waits for the next free connection past the connect timeout, up to the pool wait', async () => {
    const schema = schemas.name();
    const patient = await openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 1, connectTimeoutMs: 200, poolWaitMs: 10_000 });
    const holding = patient.run((db) => db.query('SELECT pg_sleep(0.6)'));
    // Before the pool wait was its own, this call failed after 200 ms with "timeout exceeded when trying to connect".
    const waited = await patient.run((db) => db.query<{ one: number }>('SELECT 1 AS one'));
    expect(waited.rows[0].one).toBe(1);
    await holding;
    await patient.close();
    const hurried = await openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 1, connectTimeoutMs: 200, poolWaitMs: 200 });
    const busy = hurried.run((db) => db.query('SELECT pg_sleep(0.6)'));
    await expect(hurried.mail.count('m')).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_UNAVAILABLE'));
    await busy;
    await hurried.close();
  });

  it('turns synchronous_commit on for its connections, whatever the server default', async () => {
    const store = await openPostgresStore(TEST_DATABASE_URL, { schema: schemas.name() });
    const setting = await store.run((db) => db.query<{ synchronous_commit: string }>('SHOW synchronous_commit'));
    expect(setting.rows[0].synchronous_commit).toBe('on');
    await store.close();
  });

  it('two instances on one database: counters, names and mail stay consistent', async () => {
    const schema = schemas.name();
    const [a, b] = await Promise.all([openPostgresStore(TEST_DATABASE_URL, { schema }), openPostgresStore(TEST_DATABASE_URL, { schema })]);
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).keyValue('C').increment('n')));
    expect(await a.keyValue('C').get('n')).toBe(100);
    const names = await Promise.allSettled([a.accounts.create('Ana', 'x'), b.accounts.create('ana', 'y')]);
    expect(names.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const sent = await a.mail.send({ mailbox: 'CHAT:zoe', from: 'ana', body: 'bonjour' });
    expect(await b.mail.get('CHAT:zoe', sent.id)).toEqual(sent);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers as SQLite does for random keys, values and mailboxes', async () => {
    const sqlite = openSqliteStore(':memory:');
    const schema = schemas.name();
    const postgres = await openPostgresStore(TEST_DATABASE_URL, { schema });
    const key = fc.string({ unit: fc.constantFrom('a', 'B', '_', '%', '\u0000', '\u0001', 'é', '😀', ':'), minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, fc.jsonValue({ maxDepth: 2 })), { maxLength: 12 }), key, async (entries, prefix) => {
        const namespace = `P${Math.random()}`;
        for (const [k, v] of entries) {
          await sqlite.keyValue(namespace).set(k, v);
          await postgres.keyValue(namespace).set(k, v);
          await sqlite.mail.send({ mailbox: k, from: prefix, body: JSON.stringify(v) });
          await postgres.mail.send({ mailbox: k, from: prefix, body: JSON.stringify(v) });
        }
        const strip = (list: { key: string; value: unknown }[]) => JSON.stringify(list);
        expect(strip(await postgres.keyValue(namespace).list())).toBe(strip(await sqlite.keyValue(namespace).list()));
        expect(strip(await postgres.keyValue(namespace).list({ prefix }))).toBe(strip(await sqlite.keyValue(namespace).list({ prefix })));
        const box = entries[0]?.[0] ?? prefix;
        const bodies = async (store: typeof sqlite | typeof postgres) => (await store.mail.list(box)).map((m) => [m.from, m.body]);
        expect(await bodies(postgres)).toEqual(await bodies(sqlite));
      }),
      { numRuns: 25 },
    );
    await sqlite.close();
    await postgres.close();
  });
});
