import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../store/sqlite.js';
import { SessionCheckpoints } from './checkpoints.js';
import { RESUME_LIMITS } from './limits.js';
import { hashToken, newResumeToken, readResumeToken } from './resume-token.js';

interface State {
  service: string;
  row: number;
}

function isState(value: unknown): State | undefined {
  const v = value as Partial<State> | null;
  return typeof v === 'object' && v !== null && typeof v.service === 'string' && typeof v.row === 'number' ? (v as State) : undefined;
}

describe('resume tokens', () => {
  it('name their session and carry 256 random bits; only the hash is kept', () => {
    const a = newResumeToken('m1x2-3');
    const b = newResumeToken('m1x2-3');
    expect(a.token).toMatch(/^m1x2-3\.[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readResumeToken(a.token)).toEqual({ sessionId: 'm1x2-3', hash: a.hash });
  });

  it('reads nothing from text that is not a token of ours', () => {
    const { token } = newResumeToken('abc-1');
    for (const text of [undefined, 42, '', '.', 'abc-1', `abc-1.${'A'.repeat(42)}`, `ABC.${token.split('.')[1]}`, `x${'.'.repeat(400)}`, `${token}=`]) {
      expect(readResumeToken(text)).toBeNull();
    }
    expect(readResumeToken('a'.repeat(RESUME_LIMITS.tokenMaxLength + 1))).toBeNull();
  });
});

describe('session checkpoints', () => {
  let store: SqliteStore;
  let clock: number;
  let checkpoints: SessionCheckpoints<State>;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    clock = 1_000_000;
    checkpoints = new SessionCheckpoints(store.checkpoints, { version: 2, validate: isState, ttlMs: 60_000, now: () => clock });
  });

  afterEach(async () => {
    await store.close();
  });

  it('resumes the saved state once with its token', async () => {
    const token = await checkpoints.save('s-1', { service: 'CHAT', row: 4 });
    expect(await checkpoints.resume(token)).toEqual({ ok: true, sessionId: 's-1', state: { service: 'CHAT', row: 4 }, savedAt: expect.any(Number) as number });
    expect(await checkpoints.resume(token)).toEqual({ ok: false, reason: 'unknown', sessionId: 's-1' });
  });

  it('refuses the token of an older checkpoint once a newer one is saved', async () => {
    const old = await checkpoints.save('s-1', { service: 'ANNU', row: 1 });
    const current = await checkpoints.save('s-1', { service: 'ANNU', row: 2 });
    expect(await checkpoints.resume(old)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await checkpoints.resume(current)).toMatchObject({ ok: true, state: { row: 2 } });
  });

  it('refuses a token past its expiry', async () => {
    const token = await checkpoints.save('s-1', { service: 'CHAT', row: 1 });
    clock += 60_001;
    expect(await checkpoints.resume(token)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('refuses forged tokens: malformed, or well-formed but never issued', async () => {
    await checkpoints.save('s-1', { service: 'CHAT', row: 1 });
    expect(await checkpoints.resume('s-1.forged')).toEqual({ ok: false, reason: 'malformed' });
    expect(await checkpoints.resume({ token: 'x' })).toEqual({ ok: false, reason: 'malformed' });
    expect(await checkpoints.resume(newResumeToken('s-1').token)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it("never gives a session to another session's token, even from a tampered row", async () => {
    const mine = newResumeToken('s-2');
    await store.checkpoints.save(
      { sessionId: 's-1', version: 2, state: '{"service":"CHAT","row":1}', savedAt: new Date(clock), expiresAt: new Date(clock + 1000) },
      mine.hash,
    );
    expect(await checkpoints.resume(mine.token)).toEqual({ ok: false, reason: 'mismatch', sessionId: 's-2' });
  });

  it('refuses a checkpoint written with another state schema version', async () => {
    const older = new SessionCheckpoints(store.checkpoints, { version: 1, validate: isState, now: () => clock });
    const token = await older.save('s-1', { service: 'CHAT', row: 1 });
    expect(await checkpoints.resume(token)).toMatchObject({ ok: false, reason: 'version' });
  });

  it('refuses a corrupted checkpoint row: not JSON, or not a state', async () => {
    for (const state of ['{"service":"CH', '{"service":3}']) {
      const { token, hash } = newResumeToken('s-1');
      await store.checkpoints.save({ sessionId: 's-1', version: 2, state, savedAt: new Date(clock), expiresAt: new Date(clock + 1000) }, hash);
      expect(await checkpoints.resume(token)).toMatchObject({ ok: false, reason: 'corrupt' });
    }
  });

  it('says the store is unavailable rather than throwing', async () => {
    const token = await checkpoints.save('s-1', { service: 'CHAT', row: 1 });
    await store.close();
    expect(await checkpoints.resume(token)).toMatchObject({ ok: false, reason: 'unavailable' });
    store = openSqliteStore(':memory:');
  });

  it('forgets a session that ended and purges expired ones', async () => {
    const token = await checkpoints.save('s-1', { service: 'CHAT', row: 1 });
    await checkpoints.forget('s-1');
    expect(await checkpoints.resume(token)).toMatchObject({ ok: false, reason: 'unknown' });
    await checkpoints.save('s-2', { service: 'CHAT', row: 1 });
    clock += 60_001;
    expect(await checkpoints.purge()).toBe(1);
  });
});
