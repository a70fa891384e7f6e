/**
 * CHAT durability through the real gateway: `teletel serve` as a child
 * process, Minitels over WebSocket. A private message the sender has seen as
 * "envoyé" must survive kill -9 of the server: the user was told it is
 * stored, so a crash right after may not lose it. durability.test.ts checks
 * the same promise on the service alone; this one adds the gateway, its
 * store opening and its session machinery, as a user would meet them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WsMinitel } from '../../server/test-support/minitel.js';
import { startServeProcess, stopServeProcess, type ServeProcess as Server } from '../../server/test-support/serve-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'teletel-durability-serve-'));

const SCREEN_MS = 30_000;

const servers = new Set<Server>();
const minitels = new Set<WsMinitel>();

afterEach(async () => {
  for (const m of minitels) m.close();
  minitels.clear();
  await Promise.all([...servers].map(async (server) => {
    await stopServeProcess(server);
    servers.delete(server);
  }));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `teletel serve` on the test's data folder. */
async function serve(): Promise<Server> {
  const server = await startServeProcess(dataDir);
  servers.add(server);
  return server;
}

/** A Minitel on the home page, through CHAT's login, to its menu. */
async function chatAs(server: Server, pseudo: string): Promise<WsMinitel> {
  const m = await WsMinitel.connect(`ws://127.0.0.1:${server.port}/ws`);
  minitels.add(m);
  await m.waitFor(/Tapez le code du service/, SCREEN_MS);
  m.type('CHAT');
  m.key('Envoi');
  await m.waitFor(/Bienvenue sur la messagerie/, SCREEN_MS);
  m.type(pseudo);
  m.key('Envoi');
  await m.waitFor(new RegExp(`Bonjour ${pseudo} !`), SCREEN_MS);
  return m;
}

describe('CHAT durability through teletel serve', () => {
  it('a private message shown as sent survives kill -9 of the gateway and is in the BAL after a restart', { timeout: 180_000 }, async () => {
    const text = 'Survivra au kill -9 du serveur';

    const first = await serve();
    const ana = await chatAs(first, 'ana');
    ana.type('4');
    ana.key('Envoi');
    await ana.waitFor(/Pour :/, SCREEN_MS);
    ana.type('bob');
    ana.key('Suite');
    ana.type(text);
    ana.key('Envoi');
    await ana.waitFor(/Message envoyé à bob\./, SCREEN_MS);
    // The user has seen "envoyé": kill at once, with no chance to flush, close or say goodbye.
    first.child.kill('SIGKILL');
    expect(await first.ended).toEqual({ code: null, signal: 'SIGKILL' });
    servers.delete(first);
    ana.close();

    const second = await serve();
    const bob = await chatAs(second, 'bob');
    await bob.waitFor(/1 nouveau message dans votre BAL\./, SCREEN_MS);
    bob.type('3');
    bob.key('Envoi');
    await bob.waitFor(/BAL de bob/, SCREEN_MS);
    // The list: unread mark and sender on one row, the start of the text on the next.
    expect(bob.text).toMatch(/\*ana /);
    expect(bob.text).toContain(text);
    bob.type('1');
    bob.key('Envoi');
    await bob.waitFor(/De : ana/, SCREEN_MS);
    expect(bob.text).toContain(text);
  });
});
