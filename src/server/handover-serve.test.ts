/**
 * A restart of `teletel serve` (real processes, SIGTERM, the built-in
 * services on SQLite) keeps a WebSocket user's session: the stopping process
 * hands it over through the database, the client comes back with its token
 * to the restarted process and finds its screen as it left it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { WsMinitel } from './test-support/minitel.js';
import { startServeProcess, stopServeProcess, type ServeProcess } from './test-support/serve-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'teletel-handover-serve-'));
const SCREEN_MS = 30_000;
const servers: ServeProcess[] = [];
const minitels: WsMinitel[] = [];

afterEach(async () => {
  for (const m of minitels.splice(0)) m.close();
  for (const server of servers.splice(0)) await stopServeProcess(server);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function serve(): Promise<ServeProcess> {
  const server = await startServeProcess(dataDir);
  servers.push(server);
  return server;
}

async function dial(server: ServeProcess, path: string): Promise<WsMinitel> {
  const m = await WsMinitel.resumable(`ws://127.0.0.1:${server.port}${path}`);
  minitels.push(m);
  return m;
}

describe('teletel serve killed with SIGKILL', () => {
  it('loses no session: the restarted process gives the client its session at its last checkpointed step', { timeout: 180_000 }, async () => {
    const config = join(dataDir, 'checkpoints.json');
    writeFileSync(config, JSON.stringify({ limits: { checkpointEveryMs: 200 } }));
    const first = await startServeProcess(dataDir, ['--config', config]);
    servers.push(first);
    const m = await dial(first, '/ws');
    await m.waitFor(/Tapez le code du service/, SCREEN_MS);
    m.type('CHA');
    await m.waitFor(/Code : +CHA\./, SCREEN_MS);
    await m.waitFor(() => m.resumeToken !== undefined, SCREEN_MS);
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    // Housekeeping looks at every session within a second at this interval; give it two.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    first.child.kill('SIGKILL');
    expect(await first.ended).toEqual({ code: null, signal: 'SIGKILL' });
    servers.splice(0);
    await m.waitForClose(SCREEN_MS);

    const second = await startServeProcess(dataDir, ['--config', config]);
    servers.push(second);
    const back = await dial(second, `/ws?resume=${encodeURIComponent(m.resumeToken!)}`);
    await back.waitFor(() => back.terminal.screen.looksLike(before), SCREEN_MS);
    expect(back.row(0)).not.toContain('introuvable');
    back.type('T');
    back.key('Envoi');
    await back.waitFor(/Bienvenue sur la messagerie/, SCREEN_MS);
  });
});

describe('teletel serve restarted with SIGTERM', () => {
  it('hands the session over: the client comes back to the new process and finds its screen, then goes on', { timeout: 180_000 }, async () => {
    const first = await serve();
    const m = await dial(first, '/ws');
    await m.waitFor(/Tapez le code du service/, SCREEN_MS);
    m.type('CHA');
    await m.waitFor(/Code : +CHA\./, SCREEN_MS);
    await m.waitFor(() => m.resumeToken !== undefined, SCREEN_MS);
    const before = restoreScreen(snapshotScreen(m.terminal.screen));

    first.child.kill('SIGTERM');
    expect(await first.ended).toEqual({ code: 0, signal: null });
    servers.splice(0);
    await m.waitForClose(SCREEN_MS);
    expect(m.closeCode).toBe(1012);
    expect(first.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 1 });

    const second = await serve();
    const back = await dial(second, `/ws?resume=${encodeURIComponent(m.resumeToken!)}`);
    await back.waitFor(() => back.terminal.screen.looksLike(before), SCREEN_MS);
    back.type('T');
    back.key('Envoi');
    await back.waitFor(/Bienvenue sur la messagerie/, SCREEN_MS);
  });
});
