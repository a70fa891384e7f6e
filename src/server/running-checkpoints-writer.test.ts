/**
 * The running-checkpoint writer on its own: which sessions it saves on a
 * tick, how it spreads them, what it does when the store refuses, and what
 * an ending session leaves behind. A recording checkpoint store stands in
 * for SessionCheckpoints under OwnedCheckpoints (the integration tests use
 * the real one).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../store/errors.js';
import type { SessionCheckpoints } from './checkpoints.js';
import { OwnedCheckpoints } from './owned-checkpoints.js';
import { RUNNING_CHECKPOINT_LIMITS, RunningCheckpoints, type CheckpointedSession } from './running-checkpoints.js';

class FakeSession implements CheckpointedSession<{ id: string; changes: number }> {
  ended = false;
  detached = false;
  changes = 0;
  keepsCheckpoint = false;
  constructor(readonly id: string) {}
  state() {
    return { id: this.id, changes: this.changes };
  }
}

interface Written {
  sessionId: string;
  state: unknown;
  tokenHash: string;
  replaces?: string | null;
}

/**
 * Records every write; `refuse` makes batches fail (for their content, or as
 * a store that is down) and singles of the ids it names; `taken` names
 * sessions whose rows another instance claimed (their conditional writes refused).
 */
function recordingStore(refuse: { batches?: 'content' | 'down'; ids?: string[]; taken?: string[] } = {}) {
  const batches: Written[][] = [];
  const singles: Written[] = [];
  const attempts: string[] = [];
  const deleted: string[] = [];
  const store = {
    saveManyUnder: async (entries: readonly Written[]) => {
      if (refuse.batches === 'content') throw new StoreError('TELETEL_E_STORE_LIMIT', 'a state over the limit');
      if (refuse.batches === 'down') throw new StoreError('TELETEL_E_STORE_UNAVAILABLE', 'no database');
      const taken = entries.filter((e) => refuse.taken?.includes(e.sessionId));
      batches.push(entries.filter((e) => !taken.includes(e)));
      return taken.map((e) => e.sessionId);
    },
    saveUnder: async (sessionId: string, state: unknown, tokenHash: string) => {
      attempts.push(sessionId);
      if (refuse.ids?.includes(sessionId)) throw new Error(`refused ${sessionId}`);
      singles.push({ sessionId, state, tokenHash });
      return true;
    },
    forget: async (sessionId: string) => {
      deleted.push(sessionId);
      return true;
    },
  };
  const owned = new OwnedCheckpoints<{ id: string; changes: number }, FakeSession>(store as unknown as SessionCheckpoints<{ id: string; changes: number }>);
  return { batches, singles, attempts, deleted, checkpoints: owned };
}

/** A refresh interval long enough never to matter, where a test is not about it. */
const DAY = 86_400_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function writer(store: ReturnType<typeof recordingStore>, withToken: (s: FakeSession) => boolean = () => true, taken: (s: FakeSession) => void = () => {}) {
  return new RunningCheckpoints<{ id: string; changes: number }, FakeSession>(
    store.checkpoints,
    (s) => (withToken(s) ? `hash-${s.id}` : undefined),
    pino({ level: 'silent' }),
    taken,
  );
}

describe('the running-checkpoint writer', () => {
  it('saves a session that changes all the time about once per interval, not once per two', async () => {
    const store = recordingStore();
    const sessions = new Set(Array.from({ length: 1000 }, (_, i) => new FakeSession(`s${i}`)));
    const w = writer(store);
    // 30 s of one-second ticks, every session typing all the time; the interval is 3 s. Timers
    // are not exact: every other tick comes 2 ms early.
    for (let k = 1; k <= 30; k++) {
      for (const s of sessions) s.changes++;
      w.tick(sessions, k * 1000 - (k % 2) * 2, 1000, 3000, DAY);
      await settle();
    }
    const saves = store.batches.flat().length;
    // About 10 per session (30 s / 3 s); before, a round a hair shorter than the interval made it 5.
    expect(saves).toBeGreaterThan(9 * sessions.size);
    expect(saves).toBeLessThanOrEqual(11 * sessions.size);
  });

  it("reads each session's state when its write goes, so a tick's many snapshots are spread with the writes", async () => {
    const store = recordingStore();
    let reads = 0;
    class Counted extends FakeSession {
      override state() {
        reads++;
        return super.state();
      }
    }
    const count = RUNNING_CHECKPOINT_LIMITS.perWrite * 2 + 1;
    const sessions = new Set(Array.from({ length: count }, (_, i) => new Counted(`s${i}`)));
    const w = writer(store);
    w.tick(sessions, 1000, 1000, 1000, DAY);
    // The first write's states only; the others on the next turns of the event loop.
    expect(reads).toBe(RUNNING_CHECKPOINT_LIMITS.perWrite);
    await settle();
    expect(reads).toBe(count);
    expect(store.batches.map((batch) => batch.length)).toEqual([RUNNING_CHECKPOINT_LIMITS.perWrite, RUNNING_CHECKPOINT_LIMITS.perWrite, 1]);
  });

  it('saves each session that holds a token once, then again only after it changed and the interval passed', async () => {
    const store = recordingStore();
    const sessions = new Set([new FakeSession('a'), new FakeSession('b'), new FakeSession('c')]);
    const w = writer(store, (s) => s.id !== 'c');
    // Interval = tick: every session is looked at on every tick.
    w.tick(sessions, 1000, 1000, 1000, DAY);
    await settle();
    expect(store.batches.flat().map((e) => e.sessionId)).toEqual(['a', 'b']);
    expect(store.batches.flat()[0].tokenHash).toBe('hash-a');
    const [a] = sessions;
    a.changes++;
    w.tick(sessions, 1200, 1000, 1000, DAY); // changed, but the interval has not passed (give or take half a tick)
    w.tick(sessions, 1300, 1000, 1000, DAY);
    await settle();
    expect(store.batches.flat()).toHaveLength(2);
    w.tick(sessions, 2100, 1000, 1000, DAY);
    w.tick(sessions, 2200, 1000, 1000, DAY);
    await settle();
    expect(store.batches.flat().slice(2).map((e) => [e.sessionId, e.state])).toEqual([['a', { id: 'a', changes: 1 }]]);
  });

  it('looks at a share of the sessions per tick, so a wave of sessions is saved over the interval', async () => {
    const store = recordingStore();
    const sessions = new Set(Array.from({ length: 100 }, (_, i) => new FakeSession(`s${i}`)));
    const w = writer(store);
    // Ticks of 100 ms, interval 1 s: about a tenth per tick.
    w.tick(sessions, 10_000, 100, 1000, DAY);
    await settle();
    expect(store.batches.flat().length).toBeGreaterThanOrEqual(10);
    expect(store.batches.flat().length).toBeLessThanOrEqual(12);
    for (let t = 1; t < 10; t++) w.tick(sessions, 10_000 + t * 100, 100, 1000, DAY);
    await settle();
    expect(new Set(store.batches.flat().map((e) => e.sessionId)).size).toBe(100);
  });

  it('writes at most perWrite checkpoints at a time, the rest in later turns of the event loop', async () => {
    const store = recordingStore();
    const n = RUNNING_CHECKPOINT_LIMITS.perWrite * 2 + 50;
    const sessions = new Set(Array.from({ length: n }, (_, i) => new FakeSession(`s${i}`)));
    writer(store).tick(sessions, 1000, 1000, 1000, DAY);
    expect(store.batches).toHaveLength(1);
    await settle();
    expect(store.batches.map((b) => b.length)).toEqual([RUNNING_CHECKPOINT_LIMITS.perWrite, RUNNING_CHECKPOINT_LIMITS.perWrite, 50]);
  });

  it('tries each checkpoint alone when a batch fails, so one refused state does not keep the others out', async () => {
    const store = recordingStore({ batches: 'content', ids: ['b'] });
    const sessions = new Set([new FakeSession('a'), new FakeSession('b'), new FakeSession('c')]);
    const w = writer(store);
    w.tick(sessions, 1000, 1000, 1000, DAY);
    await settle();
    expect(store.singles.map((e) => e.sessionId)).toEqual(['a', 'c']);
    // The refused one is tried again on a later tick, though it did not change.
    w.tick(sessions, 2000, 1000, 1000, DAY);
    w.tick(sessions, 2100, 1000, 1000, DAY);
    await settle();
    expect(store.attempts.filter((id) => id === 'b')).toHaveLength(2);
    expect(store.singles.map((e) => e.sessionId)).toEqual(['a', 'c']);
  });

  it('deletes the checkpoint of a session that ended for good, keeps one handed over, and forgets an ended one at once', async () => {
    const store = recordingStore();
    const gone = new FakeSession('gone');
    const handed = new FakeSession('handed');
    const sessions = new Set([gone, handed]);
    const w = writer(store);
    w.tick(sessions, 1000, 1000, 1000, DAY);
    await settle();
    gone.ended = true;
    w.ended(gone);
    handed.ended = true;
    handed.keepsCheckpoint = true;
    w.ended(handed);
    await settle();
    expect(store.deleted).toEqual(['gone']);
    // A session that never had a checkpoint has nothing to delete.
    const fresh = new FakeSession('fresh');
    fresh.ended = true;
    w.ended(fresh);
    expect(store.deleted).toEqual(['gone']);
  });

  it('deletes the stored checkpoint at once when a link is reattached, and saves the session again at the next tick', async () => {
    const store = recordingStore();
    const s = new FakeSession('s');
    const sessions = new Set([s]);
    const w = writer(store);
    w.tick(sessions, 1000, 1000, 60_000, DAY);
    await settle();
    w.reattached(s);
    expect(store.deleted).toEqual(['s']);
    s.changes++;
    w.tick(sessions, 1100, 1000, 60_000, DAY);
    w.tick(sessions, 1200, 1000, 60_000, DAY);
    await settle();
    expect(store.batches.flat().map((e) => e.sessionId)).toEqual(['s', 's']);
  });

  it('writes nothing one by one when the store is down, and tries the batch again later', async () => {
    const store = recordingStore({ batches: 'down' });
    const sessions = new Set([new FakeSession('a'), new FakeSession('b')]);
    const w = writer(store);
    w.tick(sessions, 1000, 1000, 1000, DAY);
    await settle();
    expect(store.attempts).toEqual([]);
    w.tick(sessions, 1100, 1000, 1000, DAY);
    await settle();
    expect(store.batches).toEqual([]);
  });

  it('saves an unchanged session again once its checkpoint is half way to expiring, so a reader keeps it', async () => {
    const store = recordingStore();
    const sessions = new Set([new FakeSession('reader')]);
    const w = writer(store);
    w.tick(sessions, 0, 1000, 1000, 60_000);
    w.tick(sessions, 30_000, 1000, 1000, 60_000);
    w.tick(sessions, 30_100, 1000, 1000, 60_000);
    await settle();
    expect(store.batches.flat()).toHaveLength(1);
    w.tick(sessions, 60_000, 1000, 1000, 60_000);
    w.tick(sessions, 60_100, 1000, 1000, 60_000);
    await settle();
    expect(store.batches.flat()).toHaveLength(2);
  });

  it('does not write a detached session (its client may have taken its checkpoint elsewhere)', async () => {
    const store = recordingStore();
    const s = new FakeSession('away');
    s.detached = true;
    writer(store).tick(new Set([s]), 1000, 1000, 1000, DAY);
    await settle();
    expect(store.batches).toEqual([]);
  });

  it('drops from a pending write a session that ended or whose token changed, and writes nothing once stopped', async () => {
    const store = recordingStore();
    const n = RUNNING_CHECKPOINT_LIMITS.perWrite + 2;
    const list = Array.from({ length: n }, (_, i) => new FakeSession(`s${i}`));
    const hashes = new Map(list.map((s) => [s, `hash-${s.id}`]));
    const w = new RunningCheckpoints<{ id: string; changes: number }, FakeSession>(store.checkpoints, (s) => hashes.get(s), pino({ level: 'silent' }));
    w.tick(new Set(list), 1000, 1000, 1000, DAY);
    // The first write went; the last two wait for the next turn of the loop.
    list[n - 2].ended = true;
    hashes.set(list[n - 1], 'hash-new');
    await settle();
    expect(store.batches.map((b) => b.length)).toEqual([RUNNING_CHECKPOINT_LIMITS.perWrite]);
    // Stopped: a tick writes nothing, and stop() waited for what was being written.
    await w.stop();
    w.tick(new Set(list), 5000, 1000, 1000, DAY);
    await settle();
    expect(store.batches).toHaveLength(1);
  });

  it('deletes a row written under a token that changed while the store wrote, and writes the session again', async () => {
    const store = recordingStore();
    const s = new FakeSession('s');
    let hash = 'hash-old';
    const w = new RunningCheckpoints<{ id: string; changes: number }, FakeSession>(store.checkpoints, () => hash, pino({ level: 'silent' }));
    w.tick(new Set([s]), 1000, 1000, 60_000, DAY);
    hash = 'hash-new'; // the write is on its way
    await settle();
    expect(store.deleted).toEqual(['s']);
    w.tick(new Set([s]), 1100, 1000, 60_000, DAY);
    await settle();
    expect(store.batches.flat().map((e) => e.tokenHash)).toEqual(['hash-old', 'hash-new']);
  });

  it('writes over the row it wrote last, and reports a session whose row another instance took', async () => {
    const store = recordingStore({ taken: ['b'] });
    const [a, b] = [new FakeSession('a'), new FakeSession('b')];
    const reported: string[] = [];
    const w = writer(store, () => true, (s) => reported.push(s.id));
    w.tick(new Set([a, b]), 1000, 1000, 1000, DAY);
    await settle();
    expect(reported).toEqual(['b']);
    // First write: no row expected. The next one of `a`: its own row, under the hash it wrote.
    expect(store.batches.flat()).toEqual([expect.objectContaining({ sessionId: 'a', replaces: null })]);
    a.changes++;
    w.tick(new Set([a]), 2000, 1000, 1000, DAY);
    await settle();
    expect(store.batches.flat().at(-1)).toMatchObject({ sessionId: 'a', replaces: 'hash-a' });
  });
});
