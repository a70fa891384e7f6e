/**
 * Running sessions are checkpointed as they go (checkpointEveryMs), so their
 * clients find them again in the store when their instance cannot hand them
 * over; a session that ends for good takes its checkpoint with it, and a
 * link reattached on the instance supersedes the stored one at once. Real
 * sockets, two gateways on one SQLite file, our Terminal as the Minitel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import type { TestGateway } from './test-support/gateway.js';
import type { WsMinitel } from './test-support/minitel.js';
import { checkpointIs, resumePath, SharedDatabaseGateways } from './test-support/shared-database.js';

// Housekeeping runs every 50 ms with these limits (a quarter of the slow-reader timeout), checkpoints every 100 ms.
const shared = new SharedDatabaseGateways({ limits: { checkpointEveryMs: 100, slowReaderTimeoutMs: 200 } });
afterEach(() => shared.cleanup());

const sessionOf = (token: string): string => token.split('.')[0];

/** Two instances on one new database, a client on A's home page whose session is in the store: its token. */
async function storedOnA(): Promise<{ a: TestGateway; b: TestGateway; m: WsMinitel; token: string }> {
  const file = shared.database();
  const a = await shared.instance(file);
  const b = await shared.instance(file);
  const m = await shared.dial(a);
  await m.waitFor(/Code :/);
  await m.waitFor(() => m.resumeToken !== undefined);
  const token = m.resumeToken!;
  await checkpointIs(a, sessionOf(token), true);
  return { a, b, m, token };
}

describe('checkpoints of running sessions', () => {
  it('are written as the session goes: another instance gives the client its session at its last step without any hand-over', async () => {
    const { a, b, m, token } = await storedOnA();
    m.type('EC');
    await m.waitFor(/Code : +EC\./);
    // The step typed last is in the store: the code as typed so far.
    await checkpointIs(a, sessionOf(token), true, (state) => state.includes('"typed":"EC"'));
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    // Instance A is never stopped (as after a SIGKILL it could not be); the client goes to B.
    m.close();
    const back = await shared.dial(b, resumePath(token));
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    expect(back.row(0)).not.toContain('introuvable');
    // And it goes on from there: the rest of the code, Envoi, the service.
    back.type('HO');
    back.key('Envoi');
    await back.waitFor(/Service ECHO/);
  });

  it('go with a session that ends for good: its token then gets a new session', async () => {
    const { a, b, m, token } = await storedOnA();
    // A normal close (1000): the user left.
    m.socket.close(1000);
    await checkpointIs(a, sessionOf(token), false);
    const late = await shared.dial(b, resumePath(token));
    await late.waitFor(() => /introuvable/.test(late.row(0)));
  });

  it('are superseded at once by a link reattached on the instance: the token used to reattach is refused elsewhere', async () => {
    const { a, b, m, token: first } = await storedOnA();
    m.close();
    const again = await shared.dial(a, resumePath(first));
    await again.waitFor(() => again.resumeToken !== undefined);
    await checkpointIs(a, sessionOf(first), true);
    // The stolen or replayed first token finds nothing on B, although B reads the same database.
    const replay = await shared.dial(b, resumePath(first));
    await replay.waitFor(() => /introuvable/.test(replay.row(0)));
    // The session itself goes on where it is, and its new token is the one stored.
    again.type('EC');
    await again.waitFor(/Code : +EC\./);
  });
});
