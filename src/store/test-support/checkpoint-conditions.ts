/**
 * The store contract (contract.ts) on conditional checkpoint writes: a copy
 * of a session writes over, or deletes, only the row it wrote itself, and
 * inserts one only where the session has none. That is what keeps the copy
 * an instance kept of a session (detached, waiting for its client) from
 * putting its older state over the checkpoint of the instance the client
 * went to instead.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { isStoreError } from '../errors.js';
import type { SessionCheckpoint, Store } from '../store.js';

const hashOf = (label: string): string => createHash('sha256').update(label).digest('hex');

const checkpoint = (sessionId: string, state: string): SessionCheckpoint => ({
  sessionId,
  version: 1,
  state,
  savedAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
});

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => isStoreError(error) && error.code === code);
}

/** The tests, inside the contract's `describe('checkpoints')`; `current` is the store open for the test. */
export function checkpointConditionTests(current: () => Store): void {
  it('a conditional save inserts only where the session has no row, and replaces only the row under the hash it names', async () => {
    const checkpoints = current().checkpoints;
    expect(await checkpoints.save(checkpoint('s-1', '"a1"'), hashOf('a1'), null)).toBe(true);
    // Another writer that believes there is no row: refused, the row stays.
    expect(await checkpoints.save(checkpoint('s-1', '"other"'), hashOf('other'), null)).toBe(false);
    expect(await checkpoints.save(checkpoint('s-1', '"other"'), hashOf('other'), hashOf('elsewhere'))).toBe(false);
    expect((await checkpoints.get('s-1'))?.state).toBe('"a1"');
    // Its own writer goes on, under a new token: the old one stops working.
    expect(await checkpoints.save(checkpoint('s-1', '"a2"'), hashOf('a2'), hashOf('a1'))).toBe(true);
    expect(await checkpoints.claim(hashOf('a1'))).toBeNull();
    expect((await checkpoints.get('s-1'))?.state).toBe('"a2"');
  });

  it('a row claimed is not put back by the copy that wrote it, before or after the claimer writes its own', async () => {
    const checkpoints = current().checkpoints;
    await checkpoints.save(checkpoint('s-1', '"on A"'), hashOf('a'), null);
    expect((await checkpoints.claim(hashOf('a')))?.state).toBe('"on A"');
    // Claimed, not yet written again: A's stale copy finds no row of its own.
    expect(await checkpoints.save(checkpoint('s-1', '"stale"'), hashOf('a'), hashOf('a'))).toBe(false);
    expect(await checkpoints.get('s-1')).toBeNull();
    // B, which claimed it, writes its own; A's copy still cannot overwrite nor delete it.
    expect(await checkpoints.save(checkpoint('s-1', '"on B"'), hashOf('b'), null)).toBe(true);
    expect(await checkpoints.save(checkpoint('s-1', '"stale"'), hashOf('a'), hashOf('a'))).toBe(false);
    expect(await checkpoints.delete('s-1', hashOf('a'))).toBe(false);
    expect((await checkpoints.claim(hashOf('b')))?.state).toBe('"on B"');
  });

  it('a conditional delete deletes only the row under its hash', async () => {
    const checkpoints = current().checkpoints;
    await checkpoints.save(checkpoint('s-1', '{}'), hashOf('b'));
    expect(await checkpoints.delete('s-1', hashOf('a'))).toBe(false);
    expect(await checkpoints.get('s-1')).not.toBeNull();
    expect(await checkpoints.delete('s-1', hashOf('b'))).toBe(true);
    expect(await checkpoints.get('s-1')).toBeNull();
    await rejectsWith(checkpoints.delete('s-1', 'not-a-hash'), 'TELETEL_E_VALUE');
  });

  it('saves many with conditions: writes those whose condition holds, over several statements, and names the others', async () => {
    const checkpoints = current().checkpoints;
    const n = 600;
    await checkpoints.saveMany(Array.from({ length: n }, (_, i) => ({ checkpoint: checkpoint(`c-${i}`, '"old"'), tokenHash: hashOf(`c${i}`) })));
    const entries = Array.from({ length: n }, (_, i) => ({
      checkpoint: checkpoint(`c-${i}`, '"new"'),
      tokenHash: hashOf(`c${i}'`),
      // Its own row; someone else's hash; no row expected where there is one.
      replaces: i % 3 === 0 ? hashOf(`c${i}`) : i % 3 === 1 ? hashOf('someone else') : null,
    }));
    entries.push(...Array.from({ length: n }, (_, i) => ({ checkpoint: checkpoint(`n-${i}`, '"new"'), tokenHash: hashOf(`n${i}`), replaces: null })));
    const refused = await checkpoints.saveMany(entries);
    expect(refused.sort()).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `c-${i}`).sort());
    expect((await checkpoints.claim(hashOf("c0'")))?.state).toBe('"new"');
    expect((await checkpoints.claim(hashOf('c1')))?.state).toBe('"old"');
    expect((await checkpoints.claim(hashOf('c2')))?.state).toBe('"old"');
    expect((await checkpoints.claim(hashOf(`n${n - 1}`)))?.state).toBe('"new"');
    expect(await checkpoints.saveMany([])).toEqual([]);
  });

  it('refuses a session given twice with a condition, and a condition that is not a hash, before writing anything', async () => {
    const checkpoints = current().checkpoints;
    const twice = [
      { checkpoint: checkpoint('t-0', '{}'), tokenHash: hashOf('t0') },
      { checkpoint: checkpoint('t-1', '{}'), tokenHash: hashOf('t1'), replaces: null },
      { checkpoint: checkpoint('t-1', '{}'), tokenHash: hashOf('t1b') },
    ];
    await rejectsWith(checkpoints.saveMany(twice), 'TELETEL_E_VALUE');
    await rejectsWith(checkpoints.save(checkpoint('t-0', '{}'), hashOf('t0'), 'not-a-hash'), 'TELETEL_E_VALUE');
    expect(await checkpoints.get('t-0')).toBeNull();
  });

  it('of a claim and a conditional save of the same row at once, exactly one succeeds', async () => {
    const checkpoints = current().checkpoints;
    for (let round = 0; round < 20; round++) {
      const id = `r-${round}`;
      await checkpoints.save(checkpoint(id, '"first"'), hashOf(`${id}a`), null);
      const [claimed, saved] = await Promise.all([
        checkpoints.claim(hashOf(`${id}a`)),
        checkpoints.save(checkpoint(id, '"second"'), hashOf(`${id}b`), hashOf(`${id}a`)),
      ]);
      expect(claimed === null).toBe(saved);
      expect(await checkpoints.get(id)).toEqual(saved ? expect.objectContaining({ state: '"second"' }) : null);
    }
  });
}
