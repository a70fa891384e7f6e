/**
 * The store contract: the tests every Store implementation must pass,
 * written once and run by sqlite.test.ts and postgres.test.ts, so the two
 * stores are held to the same answers, errors and guarantees. What is
 * particular to one implementation (a WAL file, a schema) stays in its own
 * test file; what goes through a backend's own means (a child process, the
 * raw hash column) goes through a `Location`.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../errors.js';
import { STORE_LIMITS } from '../limits.js';
import { LATEST_VERSION } from '../migrations.js';
import type { SessionCheckpoint, Store } from '../store.js';
import { checkpointConditionTests } from './checkpoint-conditions.js';

/** One place a store lives: a SQLite file, or a PostgreSQL schema. */
export interface Location {
  /** Opens (and so migrates) the store here; rejects as opening fails. */
  open(): Promise<Store>;
  /** Schema versions recorded here, oldest first. */
  migrations(store: Store): Promise<number[]>;
  /** Runs the migrations again here, beside the open store; the versions applied. */
  migrateAgain(): Promise<number[]>;
  /** Records a schema version newer than this Teletel knows (the store here is closed). */
  recordFutureVersion(version: number): Promise<void>;
  /** The stored password hash of an account, read directly. */
  passwordHash(nameKey: string): Promise<string>;
  /** The argument with which a fixture process opens this location (fixtures/target.ts). */
  spec: string;
}

export interface Backend {
  /** A new, empty location (nothing is created until a store opens it). */
  location(): Promise<Location>;
  /** Removes every location made. */
  dispose(): Promise<void>;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

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

/** The contract tests, against the backend `make` returns (called once, before the first test). */
export function describeStoreContract(make: () => Backend): void {
  let backend: Backend;
  let location: Location;
  let store: Store;

  beforeEach(async () => {
    backend ??= make();
    location = await backend.location();
    store = await location.open();
  });

  afterEach(async () => {
    await store.close();
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  describe('opening', () => {
    it('applies every migration once and records it', async () => {
      expect(await location.migrations(store)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
    });

    it('re-running migrations on an up-to-date database changes nothing', async () => {
      expect(await location.migrateAgain()).toEqual([]);
      expect(await location.migrateAgain()).toEqual([]);
      await store.close();
      store = await location.open();
      expect(await location.migrations(store)).toHaveLength(LATEST_VERSION);
    });

    it('keeps data across reopen', async () => {
      await store.mail.send({ mailbox: 'CHAT:ana', from: 'bob', body: 'salut' });
      await store.close();
      store = await location.open();
      expect((await store.mail.list('CHAT:ana')).map((m) => m.body)).toEqual(['salut']);
    });

    it('two processes opening a fresh database at once migrate it once', async () => {
      const fresh = await backend.location();
      const outputs = await Promise.all([runChild('migrator.ts', [fresh.spec]), runChild('migrator.ts', [fresh.spec])]);
      for (const output of outputs) expect(JSON.parse(output)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
    });

    it('refuses a database written by a newer version, naming the versions', async () => {
      await store.close();
      await location.recordFutureVersion(LATEST_VERSION + 1);
      await expect(location.open()).rejects.toThrow(
        new RegExp(`schema version ${LATEST_VERSION + 1}, newer than this Teletel knows \\(${LATEST_VERSION}\\)`),
      );
      await expect(location.open()).rejects.toSatisfy((error: unknown) => isStoreError(error, 'TELETEL_E_STORE_VERSION'));
      store = await (await backend.location()).open();
    });

    it('calls after close fail with TELETEL_E_STORE_CLOSED', async () => {
      await store.close();
      await rejectsWith(store.mail.count('x'), 'TELETEL_E_STORE_CLOSED');
      await rejectsWith(store.keyValue('K').set('k', 1), 'TELETEL_E_STORE_CLOSED');
      await store.close(); // twice is fine
    });

    it('close waits for an account being created', async () => {
      const creating = store.accounts.create('lena', 'secret');
      await store.close();
      await expect(creating).resolves.toMatchObject({ name: 'lena' });
      store = await location.open();
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
      expect((await store.accounts.get('aNA'))?.name).toBe('Ana');
    });

    it('two registrations of one name at once: one wins, the other is told the name is taken', async () => {
      const results = await Promise.allSettled([store.accounts.create('Zoe', 'one'), store.accounts.create('ZOE', 'two')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(isStoreError(refused?.reason, 'TELETEL_E_ACCOUNT_EXISTS')).toBe(true);
      expect(await store.accounts.list()).toHaveLength(1);
    });

    it('stores an scrypt hash, never the password', async () => {
      await store.accounts.create('Ana', 'hunter2');
      const hash = await location.passwordHash('ana');
      expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(hash).not.toContain('hunter2');
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

    it('answers lookups of names no account can have, NUL included, with nothing', async () => {
      for (const name of ['a\u0000b', '\u0000', '', 'é😀', 'x'.repeat(300)]) {
        expect(await store.accounts.get(name)).toBeNull();
        expect(await store.accounts.verify(name, 'pw')).toBeNull();
        expect(await store.accounts.delete(name)).toBe(false);
        await rejectsWith(store.accounts.setRole(name, 'user'), 'TELETEL_E_ACCOUNT_UNKNOWN');
      }
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
      await rejectsWith(store.accounts.setPassword('Bob', 'x'), 'TELETEL_E_ACCOUNT_UNKNOWN');
      await rejectsWith(store.accounts.setRole('ana', 'root' as 'user'), 'TELETEL_E_VALUE');
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

    it('returns what was sent, with an id that finds it', async () => {
      const sent = await store.mail.send({ mailbox: 'm', from: 'a', subject: 's', body: 'b' });
      expect(sent).toMatchObject({ mailbox: 'm', from: 'a', subject: 's', body: 'b', readAt: null });
      expect(await store.mail.get('m', sent.id)).toEqual(sent);
    });

    it('matches no message for ids that are not ids', async () => {
      const sent = await store.mail.send({ mailbox: 'm', from: 'a', body: 'b' });
      for (const id of ['', '0', '-1', `${sent.id} `, '1e3', '99999999999999999999', "1' OR '1'='1", '\u0000']) {
        expect(await store.mail.get('m', id)).toBeNull();
        expect(await store.mail.delete('m', id)).toBe(false);
        await store.mail.markRead('m', id);
      }
      expect(await store.mail.count('m')).toEqual({ total: 1, unread: 1 });
    });

    it('refuses an over-long body before storing anything', async () => {
      await rejectsWith(store.mail.send({ mailbox: 'm', from: 'a', body: 'x'.repeat(STORE_LIMITS.bodyMax + 1) }), 'TELETEL_E_STORE_LIMIT');
      await rejectsWith(store.mail.send({ mailbox: '', from: 'a', body: 'x' }), 'TELETEL_E_VALUE');
      expect(await store.mail.count('m')).toEqual({ total: 0, unread: 0 });
    });

    it('keeps any Unicode text as given', async () => {
      const body = 'émoji 😀, RTL שלום, combining e\u0301, NUL \u0000, SOH \u0001\u0001\u0002, DEL \u007f';
      const sent = await store.mail.send({ mailbox: 'm\u0000x', from: 'a\u0001', subject: '\u0000', body });
      const got = await store.mail.get('m\u0000x', sent.id);
      expect(got).toMatchObject({ body, from: 'a\u0001', subject: '\u0000', mailbox: 'm\u0000x' });
      expect(await store.mail.count('m')).toEqual({ total: 0, unread: 0 });
      expect(await store.mail.count('m\u0000x')).toEqual({ total: 1, unread: 1 });
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

    it('keeps JSON as given: key order, numbers, nested values', async () => {
      const kv = store.keyValue('J');
      const value = { z: 1, a: [1.5, -0.25, 1e21, null, true, 'x'], nested: { b: { c: '\u0000' } } };
      await kv.set('v', value);
      expect(JSON.stringify(await kv.get('v'))).toBe(JSON.stringify(value));
      await kv.set('v', 'replaced');
      expect(await kv.get('v')).toBe('replaced');
    });

    it('lists by prefix, taking % and _ literally', async () => {
      const kv = store.keyValue('K');
      for (const key of ['ban:ana', 'ban:bob', 'ban_x', 'ban%', 'ignore:ana']) await kv.set(key, key.length);
      expect((await kv.list({ prefix: 'ban:' })).map((e) => e.key)).toEqual(['ban:ana', 'ban:bob']);
      expect((await kv.list({ prefix: 'ban%' })).map((e) => e.key)).toEqual(['ban%']);
      expect(await kv.list({ limit: 2 })).toHaveLength(2);
    });

    it('orders keys by code point, whatever the database collation', async () => {
      const kv = store.keyValue('O');
      const keys = ['b', 'B', 'a', 'é', 'e', 'Z', '_', '%', ' x', 'a\u0000', 'a\u0001', 'a\u0002', 'a', '😀', '\uffff', 'ab', 'a b'];
      for (const key of keys) await kv.set(key, 1);
      const expected = [...new Set(keys)].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect((await kv.list()).map((e) => e.key)).toEqual(expected);
      expect((await kv.list({ prefix: 'a' })).map((e) => e.key)).toEqual(expected.filter((k) => k.startsWith('a')));
      expect((await kv.list({ prefix: 'a\u0000' })).map((e) => e.key)).toEqual(['a\u0000']);
      expect((await kv.list({ offset: 2, limit: 3 })).map((e) => e.key)).toEqual(expected.slice(2, 5));
    });

    it('increments atomically and refuses to increment text', async () => {
      const kv = store.keyValue('K');
      expect(await kv.increment('n')).toBe(1);
      expect(await kv.increment('n', 5)).toBe(6);
      expect(await kv.increment('n', -0.5)).toBe(5.5);
      await kv.set('s', 'text');
      await rejectsWith(kv.increment('s'), 'TELETEL_E_VALUE');
      expect(await kv.get('s')).toBe('text');
      await rejectsWith(kv.increment('n', Number.NaN), 'TELETEL_E_VALUE');
    });

    it('refuses values that are not JSON or too big', async () => {
      const kv = store.keyValue('K');
      await rejectsWith(kv.set('f', () => 1), 'TELETEL_E_VALUE');
      await rejectsWith(kv.set('b', 1n), 'TELETEL_E_VALUE');
      await rejectsWith(kv.set('big', 'x'.repeat(STORE_LIMITS.valueBytesMax)), 'TELETEL_E_STORE_LIMIT');
      await rejectsWith(kv.set('', 1), 'TELETEL_E_VALUE');
      await rejectsWith(kv.set('k'.repeat(STORE_LIMITS.keyMax + 1), 1), 'TELETEL_E_STORE_LIMIT');
      expect(() => store.keyValue('')).toThrow(/at least 1 character/);
      expect(await kv.list()).toEqual([]);
    });
  });

  describe('sessions', () => {
    const base = { transport: 'tcp', address: '127.0.0.1', bytesIn: 10, bytesOut: 2000, cost: 1.29, currency: 'FRF' };

    it('records kiosque sessions and returns the newest first', async () => {
      await store.sessions.record({ ...base, id: 's1', service: 'CHAT', start: new Date(1000), end: new Date(61_000) });
      await store.sessions.record({ ...base, id: 's2', service: null, start: new Date(2000), end: new Date(3000) });
      const recent = await store.sessions.recent(10);
      expect(recent.map((r) => r.id)).toEqual(['s2', 's1']);
      expect(recent[1]).toEqual({ ...base, id: 's1', service: 'CHAT', start: new Date(1000), end: new Date(61_000) });
      expect(await store.sessions.recent(1)).toHaveLength(1);
    });

    it('refuses a record it could not give back as it was given', async () => {
      const good = { ...base, id: 's', service: null, start: new Date(0), end: new Date(1) };
      for (const bad of [
        { ...good, start: new Date(Number.NaN) },
        { ...good, bytesIn: -1 },
        { ...good, bytesOut: 1.5 },
        { ...good, cost: Number.POSITIVE_INFINITY },
        { ...good, id: '' },
        { ...good, transport: 7 as unknown as string },
      ]) {
        await rejectsWith(store.sessions.record(bad), 'TELETEL_E_VALUE');
      }
      expect(await store.sessions.recent(10)).toEqual([]);
    });
  });

  describe('checkpoints', () => {
    const hash = (digit: string): string => digit.repeat(64);
    /** A token hash for any label (many tokens). */
    const hashOf = (label: string): string => createHash('sha256').update(label).digest('hex');
    const checkpoint = (sessionId: string, state: string, expiresAt = new Date(Date.now() + 60_000)): SessionCheckpoint => ({
      sessionId,
      version: 1,
      state,
      savedAt: new Date(),
      expiresAt,
    });

    it('gives a checkpoint back once for its token, then never again', async () => {
      await store.checkpoints.save(checkpoint('s-1', '{"screen":"AQID\\u0000"}'), hash('a'));
      const claimed = await store.checkpoints.claim(hash('a'));
      expect(claimed).toMatchObject({ sessionId: 's-1', version: 1, state: '{"screen":"AQID\\u0000"}' });
      expect(claimed?.expiresAt).toBeInstanceOf(Date);
      expect(await store.checkpoints.claim(hash('a'))).toBeNull();
      expect(await store.checkpoints.get('s-1')).toBeNull();
    });

    it('a newer save replaces the state and makes the older token useless', async () => {
      await store.checkpoints.save(checkpoint('s-1', '"first"'), hash('a'));
      await store.checkpoints.save(checkpoint('s-1', '"second"'), hash('b'));
      expect(await store.checkpoints.claim(hash('a'))).toBeNull();
      expect((await store.checkpoints.claim(hash('b')))?.state).toBe('"second"');
    });

    it('an expired checkpoint is not resumed, and is gone after the attempt', async () => {
      const expiresAt = new Date(Date.now() + 1000);
      await store.checkpoints.save(checkpoint('s-1', '{}', expiresAt), hash('a'));
      expect(await store.checkpoints.claim(hash('a'), new Date(expiresAt.getTime() + 1))).toBeNull();
      expect(await store.checkpoints.get('s-1')).toBeNull();
    });

    it('purges expired checkpoints and keeps the others', async () => {
      const soon = new Date(Date.now() + 1000);
      await store.checkpoints.save(checkpoint('old', '{}', soon), hash('a'));
      await store.checkpoints.save(checkpoint('new', '{}'), hash('b'));
      expect(await store.checkpoints.purgeExpired(new Date(soon.getTime() + 1))).toBe(1);
      expect(await store.checkpoints.get('old')).toBeNull();
      expect((await store.checkpoints.get('new'))?.sessionId).toBe('new');
    });

    it('delete forgets a session ended normally', async () => {
      await store.checkpoints.save(checkpoint('s-1', '{}'), hash('a'));
      expect(await store.checkpoints.delete('s-1')).toBe(true);
      expect(await store.checkpoints.delete('s-1')).toBe(false);
      expect(await store.checkpoints.claim(hash('a'))).toBeNull();
    });

    it('two claims of one token at once: exactly one gets the session', async () => {
      await store.checkpoints.save(checkpoint('s-1', '{}'), hash('c'));
      const results = await Promise.all([store.checkpoints.claim(hash('c')), store.checkpoints.claim(hash('c'))]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('refuses an oversized state, a malformed token hash and a bad version before writing', async () => {
      await rejectsWith(store.checkpoints.save(checkpoint('s-1', 'x'.repeat(STORE_LIMITS.checkpointBytesMax + 1)), hash('a')), 'TELETEL_E_STORE_LIMIT');
      await rejectsWith(store.checkpoints.save(checkpoint('s-1', '{}'), 'not-a-hash'), 'TELETEL_E_VALUE');
      await rejectsWith(store.checkpoints.save({ ...checkpoint('s-1', '{}'), version: -1 }, hash('a')), 'TELETEL_E_VALUE');
      await rejectsWith(store.checkpoints.claim('A'.repeat(64)), 'TELETEL_E_VALUE');
      expect(await store.checkpoints.get('s-1')).toBeNull();
    });

    it('saves many checkpoints in one call, each claimable by its own token, a session given twice keeping the last', async () => {
      const entries = Array.from({ length: 1200 }, (_, i) => ({ checkpoint: checkpoint(`m-${i}`, `{"n":${i}}`), tokenHash: hashOf(`m${i}`) }));
      entries.push({ checkpoint: checkpoint('m-7', '{"n":"again"}'), tokenHash: hashOf('again') });
      await store.checkpoints.saveMany(entries);
      expect((await store.checkpoints.claim(hashOf('m1199')))?.state).toBe('{"n":1199}');
      expect((await store.checkpoints.claim(hashOf('m0')))?.state).toBe('{"n":0}');
      expect(await store.checkpoints.claim(hashOf('m7'))).toBeNull();
      expect((await store.checkpoints.claim(hashOf('again')))?.state).toBe('{"n":"again"}');
      await store.checkpoints.saveMany([]);
    });

    it('saves none of many checkpoints when one of them is invalid', async () => {
      const good = { checkpoint: checkpoint('g-1', '{}'), tokenHash: hashOf('g') };
      const bad = { checkpoint: checkpoint('g-2', 'x'.repeat(STORE_LIMITS.checkpointBytesMax + 1)), tokenHash: hashOf('h') };
      await rejectsWith(store.checkpoints.saveMany([good, bad]), 'TELETEL_E_STORE_LIMIT');
      expect(await store.checkpoints.get('g-1')).toBeNull();
    });

    it('survives a reopen (another instance resumes from the same database)', async () => {
      await store.checkpoints.save(checkpoint('s-1', '{"row":3}'), hash('d'));
      await store.close();
      store = await location.open();
      expect((await store.checkpoints.claim(hash('d')))?.state).toBe('{"row":3}');
    });

    checkpointConditionTests(() => store);
  });

  describe('concurrent writes', () => {
    it('many writes in flight at once from one process are all kept', async () => {
      const kv = store.keyValue('C');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => Promise.all([store.mail.send({ mailbox: 'box', from: 'x', body: String(i) }), kv.increment('n')])),
      );
      expect(await store.mail.count('box')).toEqual({ total: 200, unread: 200 });
      expect(await kv.get('n')).toBe(200);
    });

    it('two processes writing the same database at once lose nothing', async () => {
      const outputs = await Promise.all([
        runChild('concurrent-writer.ts', [location.spec, '150', 'A']),
        runChild('concurrent-writer.ts', [location.spec, '150', 'B']),
      ]);
      expect(outputs).toEqual(['done\n', 'done\n']);
      expect(await store.mail.count('shared')).toEqual({ total: 300, unread: 300 });
      expect(await store.keyValue('TEST').get('hits')).toBe(300);
    });
  });
}
