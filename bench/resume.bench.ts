/**
 * Sessions that outlive their link and their instance, end to end: 1,000
 * resumable WebSocket Minitels (our Terminal over real sockets, the
 * teletel.resume.v1 subprotocol) on a gateway, then
 * - every link dropped at once and every client back with its token, on the
 *   same gateway: time until the last screen is redrawn;
 * - the gateway stopped (SIGTERM's path: every session checkpointed in the
 *   database and closed with 1012) and every client back on a second gateway
 *   on the same SQLite file: the hand-over time, and the time until the last
 *   screen is back; the size of the checkpoints written;
 * - a rolling restart of two gateways on one SQLite file under 1,000 users
 *   spread over the home page (a code half typed), GALERIE (a page shown),
 *   JOURNAL (page 2 of an article) and ANNU (a card opened from the
 *   results): A stops and its users come back on B, a new A starts, B stops
 *   and everyone comes back on it. Each user's screen after each resume is
 *   compared cell for cell with the one before (Screen.looksLike), and the
 *   sessions lost are counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.js';
import { startTestGateway, type TestGateway } from '../src/server/test-support/gateway.js';
import { WsMinitel } from '../src/server/test-support/minitel.js';
import { rollingRestart, type RestartStep } from '../src/server/test-support/rolling-restart.js';

const SESSIONS = 1000;
const SCREEN_MS = 120_000;

async function gatewayOn(file: string): Promise<TestGateway> {
  return startTestGateway({
    store: openSqliteStore(file),
    limits: { maxSessionsPerAddress: SESSIONS * 2, shutdownGraceMs: 30_000 },
    config: { logLevel: 'warn' },
  });
}

/** `count` clients at once, each once its screen matches. */
async function all<T>(count: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const batch = 100;
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => one(i + j)))));
  return out;
}

async function dial(g: TestGateway, path = '/ws'): Promise<WsMinitel> {
  return WsMinitel.resumable(g.wsUrl(path));
}

/** A client on the home page with a code half typed, holding its token. */
async function typing(g: TestGateway, i: number): Promise<WsMinitel> {
  const m = await dial(g);
  await m.waitFor(/Code :/, SCREEN_MS);
  const code = `C${i}`;
  m.type(code);
  await m.waitFor(new RegExp(`Code : +${code}\\.`), SCREEN_MS);
  await m.waitFor(() => m.resumeToken !== undefined, SCREEN_MS);
  return m;
}

/** Every client back with its token on `g`; ms until the last one shows its code again. */
async function comeBack(g: TestGateway, clients: WsMinitel[]): Promise<{ ms: number; back: WsMinitel[] }> {
  const started = performance.now();
  const back = await all(clients.length, async (i) => {
    const m = await dial(g, `/ws?resume=${encodeURIComponent(clients[i].resumeToken!)}`);
    await m.waitFor(new RegExp(`Code : +C${i}\\.`), SCREEN_MS);
    return m;
  });
  return { ms: performance.now() - started, back };
}

async function rolling(folder: string): Promise<void> {
  const result = await rollingRestart(join(folder, 'rolling.db'), SESSIONS, SCREEN_MS);
  console.log(`rolling restart of two gateways under ${result.users} users (home page, GALERIE, JOURNAL, ANNU: a quarter each)`);
  const [first, second] = result.steps;
  const line = (step: string, r: RestartStep) =>
    `${step}: ${r.users} users back in ${r.ms.toFixed(0)} ms; screen as it was ${r.same}, different ${r.differ}, sessions lost ${r.lost}`;
  console.log(`  ${line('A stopped, its users on B', first)}`);
  console.log(`  ${line('B stopped, everyone on the new A', second)}`);
}

export default async function run(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'teletel-bench-resume-'));
  const file = join(folder, 'teletel.db');
  const a = await gatewayOn(file);
  const b = await gatewayOn(file);
  try {
    const clients = await all(SESSIONS, (i) => typing(a, i));

    // Same instance: the links drop (no close frame), the sessions wait, the clients come back.
    for (const m of clients) m.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const same = await comeBack(a, clients);
    console.log(`${SESSIONS} dropped links resumed on the same gateway: last screen back in ${same.ms.toFixed(0)} ms`);

    // Another instance: stop A (the SIGTERM path), every client to B.
    const stopStarted = performance.now();
    const closed = Promise.all(same.back.map((m) => m.waitForClose(SCREEN_MS)));
    await a.stop();
    await closed;
    const handOverMs = performance.now() - stopStarted;
    const codes = new Set(same.back.map((m) => m.closeCode));
    const checkpointBytes = await b.store.checkpoints.get(same.back[0].resumeToken!.split('.')[0]);
    const other = await comeBack(b, same.back);
    console.log(
      `${SESSIONS} sessions handed over by a stopping gateway in ${handOverMs.toFixed(0)} ms (close codes ${[...codes].join(', ')}; ` +
        `a checkpoint ${checkpointBytes?.state.length ?? '?'} B of JSON), last screen back on the other gateway in ${other.ms.toFixed(0)} ms`,
    );
    for (const m of other.back) m.close();
    await rolling(folder);
  } finally {
    await b.stop();
    await a.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
