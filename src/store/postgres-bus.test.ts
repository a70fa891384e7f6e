/**
 * The PostgreSQL bus: delivery between instances, limits, hostile payloads,
 * reconnection. Each test on a channel of its own, so parallel runs on one
 * server do not hear each other. Skipped, with a message, without a server.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreError } from './errors.js';
import { POSTGRES_LIMITS } from './limits.js';
import { openPostgresBus, parseEnvelope, PostgresBus, type PostgresBusOptions } from './postgres-bus.js';
import { probePostgres, skippedMessage, TEST_DATABASE_URL } from './test-support/postgres.js';

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));

const opened: PostgresBus[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});

function channelName(): string {
  return `teletel_test.${process.pid}.${randomBytes(4).toString('hex')}`;
}

async function bus(channel: string, options: PostgresBusOptions = {}): Promise<PostgresBus> {
  const b = await openPostgresBus(TEST_DATABASE_URL, { channel, ...options });
  opened.push(b);
  return b;
}

/** Sends a raw NOTIFY, as any session of the database could. */
async function notify(channel: string, payload: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
  } finally {
    await client.end();
  }
}

function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (test()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('PostgreSQL bus envelopes', () => {
  it('parseEnvelope never throws and accepts only what publish sends', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(undefined)), (payload) => {
        const result = parseEnvelope(payload);
        expect(typeof result === 'string' || typeof result === 'object').toBe(true);
      }),
    );
    expect(parseEnvelope('{"v":1,"from":"abc","seq":1,"topic":"t","message":null}')).toEqual({ from: 'abc', seq: 1, topic: 't', message: null });
    for (const bad of [
      '',
      'null',
      '[]',
      '{"v":2,"from":"abc","seq":1,"topic":"t","message":1}',
      '{"v":1,"from":"a b","seq":1,"topic":"t","message":1}',
      '{"v":1,"from":"abc","seq":0,"topic":"t","message":1}',
      '{"v":1,"from":"abc","seq":1.5,"topic":"t","message":1}',
      '{"v":1,"from":"abc","seq":1,"topic":"","message":1}',
      `{"v":1,"from":"abc","seq":1,"topic":"${'t'.repeat(200)}","message":1}`,
      '{"v":1,"from":"abc","seq":1,"topic":"t"}',
      `{"v":1,"from":"abc","seq":1,"topic":"t","message":"${'x'.repeat(9000)}"}`,
    ]) {
      expect(typeof parseEnvelope(bad)).toBe('string');
    }
  });
});

describe.skipIf(unreachable !== null)('PostgreSQL bus', () => {
  it('delivers every message to every instance on the channel, its own included, in publish order', async () => {
    const channel = channelName();
    const a = await bus(channel);
    const b = await bus(channel);
    const got = { a: [] as unknown[], b: [] as unknown[] };
    a.subscribe('room', (m) => got.a.push(m));
    b.subscribe('room', (m) => got.b.push(m));
    b.subscribe('other', () => got.b.push('wrong topic'));
    for (let i = 0; i < 20; i++) await a.publish('room', { n: i, text: 'é😀\u0000' });
    // publish resolves once this instance's subscribers have the message, as with InProcessBus.
    expect(got.a).toHaveLength(20);
    await until(() => got.b.length === 20);
    expect(got.b).toEqual(got.a);
    expect(got.a.map((m) => (m as { n: number }).n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('takes a burst of publishes at once (a busy CHAT instance): none fails waiting for the connection, all arrive in order', { timeout: 30_000 }, async () => {
    // Found by the soak: 500 CHAT users on one instance queued one NOTIFY each behind the publisher's single
    // connection, and those that waited past connectTimeoutMs failed with "timeout exceeded when trying to connect".
    const channel = channelName();
    const a = await bus(channel, { connectTimeoutMs: 200 });
    const b = await bus(channel);
    const got: number[] = [];
    b.subscribe('room', (m) => got.push((m as { n: number }).n));
    const burst = Array.from({ length: 3000 }, (_, n) => a.publish('room', { n, text: `ligne ${n} l'apostrophe \\ et 'guillemets'` }));
    const results = await Promise.allSettled(burst);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([]);
    await until(() => got.length === 3000, 15_000);
    expect(got).toEqual(Array.from({ length: 3000 }, (_, n) => n));
  });

  it('every instance sees messages of several publishers in the same order', async () => {
    const channel = channelName();
    const buses = await Promise.all([bus(channel), bus(channel), bus(channel)]);
    const seen = buses.map(() => [] as string[]);
    buses.forEach((b, i) => b.subscribe('t', (m) => seen[i].push(String(m))));
    await Promise.all(buses.flatMap((b, i) => Array.from({ length: 10 }, (_, n) => b.publish('t', `${i}:${n}`))));
    await until(() => seen.every((s) => s.length === 30));
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it('gives each subscriber its own copy and carries on past a handler that throws', async () => {
    const errors: unknown[] = [];
    const a = await bus(channelName(), { onError: (error, topic) => errors.push([topic, error]) });
    const seen: unknown[] = [];
    a.subscribe('t', () => {
      throw new Error('boom');
    });
    a.subscribe('t', (m) => {
      (m as { n: number }).n++;
      seen.push(m);
    });
    a.subscribe('t', (m) => seen.push(m));
    await a.publish('t', { n: 1 });
    expect(seen).toEqual([{ n: 2 }, { n: 1 }]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as unknown[])[0]).toBe('t');
  });

  it('keeps channels apart', async () => {
    const a = await bus(channelName());
    const b = await bus(channelName());
    const got: unknown[] = [];
    b.subscribe('t', (m) => got.push(m));
    await a.publish('t', 'hello');
    await b.publish('t', 'mine');
    await until(() => got.length === 1);
    expect(got).toEqual(['mine']);
  });

  it('refuses a message NOTIFY cannot carry, a bad topic and non-JSON, before sending anything', async () => {
    const channel = channelName();
    const a = await bus(channel);
    const got: unknown[] = [];
    a.subscribe('t', (m) => got.push(m));
    const big = 'x'.repeat(POSTGRES_LIMITS.notifyPayloadBytesMax);
    const error = await a.publish('t', big).catch((e: unknown) => e);
    expect(isStoreError(error, 'TELETEL_E_STORE_LIMIT')).toBe(true);
    expect((error as Error).message).toMatch(/PostgreSQL NOTIFY carries at most 7999: keep large content in the store/);
    await expect(a.publish('t', 'é'.repeat(4000))).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_LIMIT'));
    await expect(a.publish('', 1)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_VALUE'));
    await expect(a.publish('t', undefined)).rejects.toThrow(/JSON value/);
    await expect(a.publish('t', 1n)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_VALUE'));
    await a.publish('t', 'x'.repeat(7000));
    expect(got).toEqual(['x'.repeat(7000)]);
  });

  it('drops whatever else arrives on the channel, reports it, and carries on', async () => {
    const channel = channelName();
    const dropped: unknown[] = [];
    const a = await bus(channel, { onError: (error) => dropped.push(error) });
    const got: unknown[] = [];
    a.subscribe('t', (m) => got.push(m));
    const hostile = [
      '',
      'not json',
      '{"v":1',
      '1',
      '"text"',
      '{"v":99,"from":"x","seq":1,"topic":"t","message":1}',
      '{"v":1,"from":"\\u001b[2J","seq":1,"topic":"t","message":1}',
      '{"v":1,"from":"x","seq":"1","topic":"t","message":1}',
      '{"v":1,"from":"x","seq":1,"topic":{"toString":1},"message":1}',
      '{"v":1,"from":"x","seq":1,"topic":"t"}',
      '{"__proto__":{"v":1},"from":"x","seq":1,"topic":"t","message":1}',
    ];
    for (const payload of hostile) await notify(channel, payload);
    // Valid envelopes with strange messages reach subscribers, which check them (as CHAT's hub does).
    await notify(channel, `{"v":1,"from":"other","seq":1,"topic":"t","message":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    await notify(channel, '{"v":1,"from":"other","seq":2,"topic":"t","message":"fine"}');
    await until(() => got.includes('fine'));
    expect(got).toHaveLength(2);
    expect(dropped).toHaveLength(hostile.length);
    expect(dropped.every((e) => isStoreError(e, 'TELETEL_E_BUS_MESSAGE'))).toBe(true);
    expect(a.status).toBe('listening');
  });

  it('reconnects with backoff when its connection is killed, delivering locally meanwhile', async () => {
    const channel = channelName();
    const name = `teletel-test-${randomBytes(4).toString('hex')}`;
    const statuses: string[] = [];
    const errors: unknown[] = [];
    const a = await bus(channel, {
      applicationName: name,
      reconnect: { firstMs: 1000, maxMs: 1000 },
      onStatus: (s) => statuses.push(s),
      onError: (e) => errors.push(e),
    });
    const b = await bus(channel);
    const got: unknown[] = [];
    a.subscribe('t', (m) => got.push(m));
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [name]);
    } finally {
      await admin.end();
    }
    await until(() => statuses.includes('reconnecting'));
    expect(errors.some((e) => isStoreError(e, 'TELETEL_E_STORE_UNAVAILABLE'))).toBe(true);
    // Not listening for at least 500 ms (backoff with jitter): its own subscribers get the message directly.
    expect(a.status).toBe('reconnecting');
    // The publishing connection was killed too: the next publish may fail once, then the pool reconnects.
    await a.publish('t', 'while away').catch(() => a.publish('t', 'while away'));
    expect(got).toContain('while away');
    await until(() => a.status === 'listening');
    expect(statuses.at(-1)).toBe('listening');
    await b.publish('t', 'after');
    await until(() => got.includes('after'));
    expect(got.filter((m) => m === 'while away')).toHaveLength(1);
  });

  it('local subscribers have an own message when publish resolves, even when its echo comes late', async () => {
    const a = await bus(channelName(), { echoTimeoutMs: 100 });
    const got: unknown[] = [];
    a.subscribe('t', (m) => got.push(m));
    // A backend busy with a query holds its notifications until it is idle: the echo comes after the timeout.
    const listener = (a as unknown as { listener: pg.Client }).listener;
    const busy = listener.query('SELECT pg_sleep(0.5)');
    await a.publish('t', 'late');
    expect(got).toEqual(['late']);
    await busy;
    await a.publish('t', 'after');
    // The late echo is not delivered a second time.
    expect(got).toEqual(['late', 'after']);
  });

  it('local subscribers have an own message when publish resolves, even when the listener is lost before its echo', async () => {
    const errors: unknown[] = [];
    const a = await bus(channelName(), { reconnect: { firstMs: 60_000, maxMs: 60_000 }, onError: (e) => errors.push(e) });
    const got: unknown[] = [];
    a.subscribe('t', (m) => got.push(m));
    const publishing = a.publish('t', 'cut off');
    // The listener's connection fails while the NOTIFY is on its way.
    (a as unknown as { listener: pg.Client }).listener.emit('error', new Error('connection reset'));
    await publishing;
    expect(a.status).toBe('reconnecting');
    expect(got).toEqual(['cut off']);
    expect(errors.some((e) => isStoreError(e, 'TELETEL_E_STORE_UNAVAILABLE'))).toBe(true);
  });

  it('refuses to publish once closed, and closes twice without harm', async () => {
    const a = await bus(channelName());
    await a.close();
    await a.close();
    expect(a.status).toBe('closed');
    await expect(a.publish('t', 1)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_CLOSED'));
  });
});

describe('PostgreSQL bus without a server', () => {
  it('fails to open quickly with TELETEL_E_STORE_OPEN, without the password', async () => {
    const error = await openPostgresBus('postgres://u:s3cret@127.0.0.1:1/x', { connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(isStoreError(error, 'TELETEL_E_STORE_OPEN')).toBe(true);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses channel names LISTEN could not take as they are', () => {
    for (const channel of ['', 'a b', 'x'.repeat(64), 'a"b']) {
      expect(() => new PostgresBus('postgres://localhost/x', { channel })).toThrow(/bus channel/);
    }
  });
});
