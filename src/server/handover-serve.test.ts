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
import type { Screen } from '../videotex/screen.js';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { WsMinitel } from './test-support/minitel.js';
import { startServeProcess, stopServeProcess, type ServeProcess } from './test-support/serve-process.js';
import { resumePath } from './test-support/shared-database.js';

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

/** A client on the home page with CHA typed, holding its token, and the screen it shows. */
async function typingCode(server: ServeProcess): Promise<{ m: WsMinitel; before: Screen }> {
  const m = await dial(server, '/ws');
  await m.waitFor(/Tapez le code du service/, SCREEN_MS);
  m.type('CHA');
  await m.waitFor(/Code : +CHA\./, SCREEN_MS);
  await m.waitFor(() => m.resumeToken !== undefined, SCREEN_MS);
  return { m, before: restoreScreen(snapshotScreen(m.terminal.screen)) };
}

/** The client comes back on `server` with its token, finds the screen it had, and goes on to CHAT. */
async function comesBack(server: ServeProcess, m: WsMinitel, before: Screen): Promise<void> {
  const back = await dial(server, resumePath(m.resumeToken!));
  await back.waitFor(() => back.terminal.screen.looksLike(before), SCREEN_MS);
  expect(back.row(0)).not.toContain('introuvable');
  back.type('T');
  back.key('Envoi');
  await back.waitFor(/Bienvenue sur la messagerie/, SCREEN_MS);
}

describe('teletel serve killed with SIGKILL', () => {
  it('loses no session: the restarted process gives the client its session at its last checkpointed step', { timeout: 180_000 }, async () => {
    const config = join(dataDir, 'checkpoints.json');
    writeFileSync(config, JSON.stringify({ limits: { checkpointEveryMs: 200 } }));
    const first = await startServeProcess(dataDir, ['--config', config]);
    servers.push(first);
    const { m, before } = await typingCode(first);
    // Housekeeping looks at every session within a second at this interval; give it two.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    first.child.kill('SIGKILL');
    expect(await first.ended).toEqual({ code: null, signal: 'SIGKILL' });
    servers.splice(0);
    await m.waitForClose(SCREEN_MS);

    const second = await startServeProcess(dataDir, ['--config', config]);
    servers.push(second);
    await comesBack(second, m, before);
  });
});

describe('teletel serve restarted with SIGTERM', () => {
  it('hands the session over: the client comes back to the new process and finds its screen, then goes on', { timeout: 180_000 }, async () => {
    const first = await serve();
    const { m, before } = await typingCode(first);

    first.child.kill('SIGTERM');
    expect(await first.ended).toEqual({ code: 0, signal: null });
    servers.splice(0);
    await m.waitForClose(SCREEN_MS);
    expect(m.closeCode).toBe(1012);
    expect(first.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 1 });

    const second = await serve();
    await comesBack(second, m, before);
  });
});
