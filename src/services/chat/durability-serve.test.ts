/**
 * CHAT durability through the real gateway: `teletel serve` as a child
 * process, Minitels over WebSocket. A private message the sender has seen as
 * "envoyé" must survive kill -9 of the server: the user was told it is
 * stored, so a crash right after may not lose it. durability.test.ts checks
 * the same promise on the service alone; this one adds the gateway, its
 * store opening and its session machinery, as a user would meet them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WsMinitel } from '../../server/test-support/minitel.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'teletel-durability-serve-'));

/** Generous: each server starts through tsx, and CI machines can be slow. */
const START_MS = 60_000;
const SCREEN_MS = 30_000;
const STOP_MS = 15_000;

interface Server {
  child: ChildProcess;
  port: number;
  /** How the process ended: its exit code, or the signal that killed it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const servers = new Set<Server>();
const minitels = new Set<WsMinitel>();

/** Ends a server still running: SIGTERM for a clean close of its store, SIGKILL if it lingers. */
async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    await server.ended;
    clearTimeout(timer);
  }
  servers.delete(server);
}

afterEach(async () => {
  for (const m of minitels) m.close();
  minitels.clear();
  await Promise.all([...servers].map(stop));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `teletel serve` on the test's data folder, WebSocket on a free port, no TCP; resolves once it logs its port. */
async function serve(): Promise<Server> {
  // TELETEL_* settings of the environment (a CI's PostgreSQL URL, say) would override the defaults: not here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TELETEL_')));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--tcp-port', 'off', '--host', '127.0.0.1', '--data', dataDir],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server: Server = { child, port: 0, ended };
  servers.add(server);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  server.port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`teletel serve did not listen within ${START_MS} ms: ${stderr}`)), START_MS);
    let pending = '';
    // Reading stdout to the end also keeps the pipe from filling and blocking the server's logger.
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'teletel gateway listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      }
    });
    void ended.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`teletel serve ended (${code ?? signal}) before listening: ${stderr}`));
    });
  });
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
