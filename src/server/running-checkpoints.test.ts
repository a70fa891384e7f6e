/**
 * Running sessions are checkpointed as they go (checkpointEveryMs), so their
 * clients find them again in the store when their instance cannot hand them
 * over; a session that ends for good takes its checkpoint with it, and a
 * link reattached on the instance supersedes the stored one at once. Real
 * sockets, two gateways on one SQLite file, our Terminal as the Minitel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';

const folders: string[] = [];
const gateways: TestGateway[] = [];
const clients: WsMinitel[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const g of gateways.splice(0)) await g.stop();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function database(): string {
  const folder = mkdtempSync(join(tmpdir(), 'teletel-running-checkpoints-'));
  folders.push(folder);
  return join(folder, 'teletel.db');
}

/** Housekeeping runs every 50 ms with these limits (a quarter of the slow-reader timeout), checkpoints every 100 ms. */
async function instance(file: string): Promise<TestGateway> {
  const g = await startTestGateway({ store: openSqliteStore(file), limits: { checkpointEveryMs: 100, slowReaderTimeoutMs: 200 } });
  gateways.push(g);
  return g;
}

async function dial(g: TestGateway, path = '/ws'): Promise<WsMinitel> {
  const m = await WsMinitel.resumable(g.wsUrl(path));
  clients.push(m);
  return m;
}

const resumePath = (token: string): string => `/ws?resume=${encodeURIComponent(token)}`;
const sessionOf = (token: string): string => token.split('.')[0];

/** Resolves once the stored checkpoint of the session is there (or gone), as `present` says. */
async function checkpointIs(g: TestGateway, sessionId: string, present: boolean, test: (state: string) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const row = await g.store.checkpoints.get(sessionId);
    if (present ? row !== null && test(row.state) : row === null) return;
    if (Date.now() > deadline) throw new Error(`checkpoint of ${sessionId} still ${present ? 'missing' : 'there'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('checkpoints of running sessions', () => {
  it('are written as the session goes: another instance gives the client its session at its last step without any hand-over', async () => {
    const file = database();
    const a = await instance(file);
    const b = await instance(file);
    const m = await dial(a);
    await m.waitFor(/Code :/);
    m.type('EC');
    await m.waitFor(/Code : +EC\./);
    await m.waitFor(() => m.resumeToken !== undefined);
    const token = m.resumeToken!;
    // The step typed last is in the store: the code as typed so far.
    await checkpointIs(a, sessionOf(token), true, (state) => state.includes('"typed":"EC"'));
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    // Instance A is never stopped (as after a SIGKILL it could not be); the client goes to B.
    m.close();
    const back = await dial(b, resumePath(token));
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    expect(back.row(0)).not.toContain('introuvable');
    // And it goes on from there: the rest of the code, Envoi, the service.
    back.type('HO');
    back.key('Envoi');
    await back.waitFor(/Service ECHO/);
  });

  it('go with a session that ends for good: its token then gets a new session', async () => {
    const file = database();
    const a = await instance(file);
    const b = await instance(file);
    const m = await dial(a);
    await m.waitFor(/Code :/);
    await m.waitFor(() => m.resumeToken !== undefined);
    const token = m.resumeToken!;
    await checkpointIs(a, sessionOf(token), true);
    // A normal close (1000): the user left.
    m.socket.close(1000);
    await checkpointIs(a, sessionOf(token), false);
    const late = await dial(b, resumePath(token));
    await late.waitFor(() => /introuvable/.test(late.row(0)));
  });

  it('are superseded at once by a link reattached on the instance: the token used to reattach is refused elsewhere', async () => {
    const file = database();
    const a = await instance(file);
    const b = await instance(file);
    const m = await dial(a);
    await m.waitFor(/Code :/);
    await m.waitFor(() => m.resumeToken !== undefined);
    const first = m.resumeToken!;
    await checkpointIs(a, sessionOf(first), true);
    m.close();
    const again = await dial(a, resumePath(first));
    await again.waitFor(() => again.resumeToken !== undefined);
    await checkpointIs(a, sessionOf(first), true);
    // The stolen or replayed first token finds nothing on B, although B reads the same database.
    const replay = await dial(b, resumePath(first));
    await replay.waitFor(() => /introuvable/.test(replay.row(0)));
    // The session itself goes on where it is, and its new token is the one stored.
    again.type('EC');
    await again.waitFor(/Code : +EC\./);
  });
});
