/**
 * Two `teletel serve` processes on one PostgreSQL database (store and bus),
 * 200 WebSocket Minitels in the middle of their flows: on the home page with
 * a code half typed, in GALERIE, JOURNAL, ANNU and in CHAT rooms. Instance
 * A gets SIGTERM: every session comes back on B, screen as it was cell for
 * cell, and goes on one step. Then B dies with SIGKILL: a new A on the same
 * database gives every session back from its running checkpoint, screen as
 * after that step. Skipped, with a message, when no PostgreSQL server
 * answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probePostgres, skippedMessage, TEST_DATABASE_URL, TestSchemas } from '../store/test-support/postgres.js';
import type { WsMinitel } from './test-support/minitel.js';
import { commonPlainSurname, inBatches, placeUser, restartOnto, stepOn, type InstanceUrl } from './test-support/rolling-restart.js';
import { startServeProcess, stopServeProcess, type ServeProcess } from './test-support/serve-process.js';

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));

const USERS = 200;
const SCREEN_MS = 60_000;

describe.skipIf(unreachable !== null)('two teletel serve processes on one PostgreSQL database under 200 users', () => {
  const schemas = new TestSchemas();
  const dataDir = mkdtempSync(join(tmpdir(), 'teletel-handover-pg-'));
  const servers: ServeProcess[] = [];
  const clients: WsMinitel[] = [];

  afterAll(async () => {
    for (const m of clients) m.close();
    for (const server of servers) await stopServeProcess(server);
    await schemas.dropAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM on A: every session resumes on B as it was and goes on; SIGKILL on B: every session resumes on a new A at its last step', { timeout: 300_000 }, async () => {
    const config = join(dataDir, 'config.json');
    // Every session checkpointed within a fifth of a second of a key, so a SIGKILL loses nothing a test can see.
    writeFileSync(config, JSON.stringify({ limits: { checkpointEveryMs: 200, maxSessionsPerAddress: USERS * 2, shutdownGraceMs: 30_000 } }));
    const database = `${TEST_DATABASE_URL}?schema=${schemas.name()}`;
    const serve = async (name: string): Promise<{ server: ServeProcess; url: InstanceUrl }> => {
      const server = await startServeProcess(join(dataDir, name), ['--database', database, '--config', config]);
      servers.push(server);
      return { server, url: (path) => `ws://127.0.0.1:${server.port}${path}` };
    };
    // The first two start together, as after a deployment: one of them migrates the schema.
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const surname = commonPlainSurname();
    const users = await inBatches(USERS, (i) => placeUser(a.url, i, surname, SCREEN_MS), 50);
    clients.push(...users);

    const sigterm = await restartOnto(
      async () => {
        a.server.child.kill('SIGTERM');
        expect(await a.server.ended).toEqual({ code: 0, signal: null });
      },
      b.url,
      users,
      SCREEN_MS,
    );
    clients.push(...sigterm.back);
    expect(sigterm.step).toMatchObject({ users: USERS, same: USERS, differ: 0, lost: 0 });
    await inBatches(USERS, (i) => stepOn(sigterm.back[i], i, SCREEN_MS), 50);

    // Housekeeping looks at every session within a second at this interval; give it two.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let newA: { server: ServeProcess; url: InstanceUrl } | undefined;
    const sigkill = await restartOnto(
      async () => {
        b.server.child.kill('SIGKILL');
        expect(await b.server.ended).toEqual({ code: null, signal: 'SIGKILL' });
        newA = await serve('a2');
      },
      (path) => newA!.url(path),
      sigterm.back,
      SCREEN_MS,
    );
    clients.push(...sigkill.back);
    expect(sigkill.step).toMatchObject({ users: USERS, same: USERS, differ: 0, lost: 0 });
  });
});
