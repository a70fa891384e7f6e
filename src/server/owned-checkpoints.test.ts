/**
 * Each copy of a session writes and deletes only its own checkpoint row:
 * two copies of one session (the one its client left, the one it resumed)
 * on a real SQLite store.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { SessionCheckpoints } from './checkpoints.js';
import { OwnedCheckpoints } from './owned-checkpoints.js';

const hashOf = (label: string): string => createHash('sha256').update(label).digest('hex');
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function setUp() {
  const store = openSqliteStore(':memory:');
  stores.push(store);
  const checkpoints = new SessionCheckpoints<string>(store.checkpoints, { version: 1, validate: (v) => (typeof v === 'string' ? v : undefined) });
  return { store, owned: new OwnedCheckpoints<string, { id: string }>(checkpoints) };
}

describe('checkpoints owned by a copy of a session', () => {
  it('a copy whose row was claimed writes and deletes nothing more, even once the row of the copy that took it is gone', async () => {
    const { store, owned } = setUp();
    const left = { id: 's' };
    expect(await owned.save(left, 'on A', hashOf('a1'))).toBe(true);
    expect(await owned.save(left, 'on A, later', hashOf('a2'))).toBe(true);
    // The client takes it elsewhere: the claim deletes the row; the new copy writes its own.
    expect((await store.checkpoints.claim(hashOf('a2')))?.state).toBe('"on A, later"');
    const resumed = { id: 's' };
    expect(await owned.save(resumed, 'on B', hashOf('b1'))).toBe(true);
    expect(await owned.save(left, 'stale', hashOf('a2'))).toBe(false);
    expect(await owned.forget(left)).toBe('taken');
    expect((await store.checkpoints.get('s'))?.state).toBe('"on B"');
    // The session ends on B: its row goes, and the stale copy cannot bring its own back.
    expect(await owned.forget(resumed)).toBe('deleted');
    expect(await owned.save(left, 'stale', hashOf('a2'))).toBe(false);
    expect(await store.checkpoints.get('s')).toBeNull();
  });

  it('a delete asked while the copy writes waits for the write, and deletes the row it left', async () => {
    const { store, owned } = setUp();
    const copy = { id: 's' };
    const [saved, forgotten] = await Promise.all([owned.save(copy, 'x', hashOf('x')), owned.forget(copy)]);
    expect([saved, forgotten]).toEqual([true, 'deleted']);
    expect(await store.checkpoints.get('s')).toBeNull();
    expect(await owned.forget(copy)).toBe('none');
  });
});
