/**
 * A session whose client came back on another instance belongs to that
 * instance: the copy its first instance kept for a reattach (detached) must
 * never overwrite nor delete the checkpoint the new one writes, not even when
 * the first instance stops and hands its sessions over. Real sockets, three
 * gateways on one SQLite file, our Terminal as the Minitel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../store/bus.js';
import { checkpointIs, resumePath, SharedDatabaseGateways } from './test-support/shared-database.js';

// Housekeeping runs every 50 ms with these limits (a quarter of the slow-reader timeout), checkpoints every 100 ms.
const shared = new SharedDatabaseGateways({ limits: { checkpointEveryMs: 100, slowReaderTimeoutMs: 200 } });
afterEach(() => shared.cleanup());

const sessionOf = (token: string): string => token.split('.')[0];

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a session taken over by another instance', () => {
  it('is not handed over by the instance it left: the token the new instance gave still resumes it, as the new instance left it', async () => {
    const file = shared.database();
    const a = await shared.instance(file);
    const b = await shared.instance(file);
    const m = await shared.dial(a);
    await m.waitFor(/Code :/);
    await m.waitFor(() => m.resumeToken !== undefined);
    const first = m.resumeToken!;
    const id = sessionOf(first);
    await checkpointIs(a, id);

    // The link drops on A, which keeps a detached copy; the client comes back on B.
    m.close();
    await until('A to detach the session', () => a.logs.some((l) => l.msg === 'link lost: session kept for its client to resume'));
    const back = await shared.dial(b, resumePath(first));
    await back.waitFor(/Code :/);
    await back.waitFor(() => back.resumeToken !== undefined);
    const second = back.resumeToken!;
    back.type('EC');
    await back.waitFor(/Code : +EC\./);
    await checkpointIs(b, id, true, (state) => state.includes('"typed":"EC"'));

    // A stops: its copy of the session is older, and its token spent.
    await shared.stop(a);
    await checkpointIs(b, id, true, (state) => state.includes('"typed":"EC"'));
    // Its copy found its row taken, wrote nothing and ended.
    expect(a.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 0 });
    expect(a.logs.some((l) => l.msg === 'session taken over elsewhere: this copy ends' && l.session === id)).toBe(true);

    // The client's link drops on B too; its token from B takes it to a third instance, with what it typed on B.
    back.close();
    const c = await shared.instance(file);
    const again = await shared.dial(c, resumePath(second));
    await again.waitFor(/Code : +EC\./);
    expect(again.row(0)).not.toContain('introuvable');
  });

  it('on a shared bus, the instance it left ends its copy as soon as the new instance announces it took the session', async () => {
    const file = shared.database();
    const bus = new InProcessBus();
    const a = await shared.instance(file, { bus });
    const b = await shared.instance(file, { bus });
    const m = await shared.dial(a);
    await m.waitFor(/Code :/);
    await m.waitFor(() => m.resumeToken !== undefined);
    const id = sessionOf(m.resumeToken!);
    await checkpointIs(a, id);
    m.close();
    await until('A to detach the session', () => a.logs.some((l) => l.msg === 'link lost: session kept for its client to resume'));
    expect(a.gateway.sessionCount).toBe(1);

    const back = await shared.dial(b, resumePath(m.resumeToken!));
    await back.waitFor(/Code :/);
    // Not when its window closes (two minutes): now.
    await until('A to end its copy', () => a.gateway.sessionCount === 0);
    expect(a.logs.some((l) => l.msg === 'session taken over elsewhere: this copy ends' && l.session === id)).toBe(true);
    // B's own notice is not for B.
    expect(b.gateway.sessionCount).toBe(1);
    expect(b.logs.some((l) => l.msg === 'session taken over elsewhere: this copy ends')).toBe(false);
    // And A has nothing to hand over when it stops.
    await shared.stop(a);
    expect(a.logs.some((l) => l.msg === 'sessions handed over for their clients to resume')).toBe(false);
    // A notice that is not one changes nothing.
    await bus.publish('teletel.session.taken', { id: 'NOT A SESSION ID!', by: 'x' });
    await bus.publish('teletel.session.taken', 'junk');
    expect(b.gateway.sessionCount).toBe(1);
  });
});
