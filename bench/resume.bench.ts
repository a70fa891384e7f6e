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
 * - a rolling restart of two gateways on one database (SQLite, then
 *   PostgreSQL when one answers) under 1,000 users
 *   spread over the home page (a code half typed), GALERIE (a page shown),
 *   JOURNAL (page 2 of an article), ANNU (a card opened from the results)
 *   and CHAT (in a room after a line): A stops and its users come back on B, a new A starts, B stops
 *   and everyone comes back on it. Each user's screen after each resume is
 *   compared cell for cell with the one before (Screen.looksLike), and the
 *   sessions lost are counted;
 * - what checkpointing running sessions costs (checkpointEveryMs): 1,000
 *   users typing a key a second each, with and without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.js';
import { startTestGateway, type TestGateway } from '../src/server/test-support/gateway.js';
import { WsMinitel } from '../src/server/test-support/minitel.js';
import { rollingRestart, type RestartStep } from '../src/server/test-support/rolling-restart.js';
import { openPostgresStore } from '../src/store/postgres.js';
import type { Store } from '../src/store/store.js';
import { probePostgres, skippedMessage, TEST_DATABASE_URL, TestSchemas } from '../src/store/test-support/postgres.js';

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

/** The value below which `p` of the sorted `values` lie. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function rolling(database: string, openStore: () => Store | Promise<Store>): Promise<void> {
  const result = await rollingRestart(openStore, SESSIONS, SCREEN_MS);
  console.log(`rolling restart of two gateways on ${database} under ${result.users} users (home page, GALERIE, JOURNAL, ANNU, CHAT: a fifth each)`);
  const [first, second] = result.steps;
  const line = (step: string, r: RestartStep) =>
    `${step}: ${r.users} users back in ${r.ms.toFixed(0)} ms; screen as it was ${r.same}, different ${r.differ}, sessions lost ${r.lost}`;
  console.log(`  ${line('A stopped, its users on B', first)}`);
  console.log(`  ${line('B stopped, everyone on the new A', second)}`);
  const sizes = Object.entries(result.checkpointBytes).map(([place, bytes]) => `${place} ${percentile(bytes, 0.5)}/${percentile(bytes, 0.99)}`);
  const everyone = Object.values(result.checkpointBytes).flat();
  console.log(`  checkpoint size, median/p99 B: ${sizes.join(', ')}; all ${percentile(everyone, 0.5)}/${percentile(everyone, 0.99)}`);
}

/** The rolling restart on SQLite, then on PostgreSQL when a server answers (TELETEL_TEST_DATABASE_URL or the local one). */
async function rollingRestarts(folder: string): Promise<void> {
  const file = join(folder, 'rolling.db');
  await rolling('SQLite', () => openSqliteStore(file));
  const unreachable = await probePostgres();
  if (unreachable !== null) {
    console.log(`  ${skippedMessage(unreachable)} (the rolling restart on PostgreSQL is skipped)`);
    return;
  }
  const schemas = new TestSchemas();
  const schema = schemas.name();
  try {
    await rolling('PostgreSQL', () => openPostgresStore(TEST_DATABASE_URL, { schema }));
  } finally {
    await schemas.dropAll();
  }
}

/**
 * What checkpointing running sessions costs: 1,000 resumable users typing a
 * key a second each for 10 s, once with running checkpoints and once without
 * (checkpointEveryMs 0); the process's CPU is compared (the clients share the
 * process, the same in both runs), and the store's writes are counted and
 * their own time taken (SQLite writes synchronously inside saveMany).
 */
async function typingLoad(store: Store, everyMs: number): Promise<{ cpuMs: number; seconds: number; saves: number; writes: number; saveMs: number; bytes: number }> {
  const checkpoints = store.checkpoints;
  const saveMany = checkpoints.saveMany.bind(checkpoints);
  const counted = { saves: 0, writes: 0, saveMs: 0, bytes: 0 };
  checkpoints.saveMany = (entries) => {
    const started = performance.now();
    const done = saveMany(entries);
    counted.writes++;
    counted.saves += entries.length;
    for (const { checkpoint } of entries) counted.bytes += checkpoint.state.length;
    counted.saveMs += performance.now() - started;
    return done;
  };
  const g = await startTestGateway({ store, limits: { maxSessionsPerAddress: SESSIONS * 2, checkpointEveryMs: everyMs }, config: { logLevel: 'warn' } });
  const clients: WsMinitel[] = [];
  try {
    clients.push(...(await all(SESSIONS, (i) => typing(g, i))));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const seconds = 10;
    Object.assign(counted, { saves: 0, writes: 0, saveMs: 0, bytes: 0 });
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    // One key per user per second, spread over the second.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let k = 0; k < SESSIONS / 50; k++) clients[next++ % SESSIONS].type('X');
        if (performance.now() - started >= seconds * 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, seconds: (performance.now() - started) / 1000, ...counted };
  } finally {
    for (const m of clients) m.close();
    await g.stop();
  }
}

/**
 * The typing load with and without running checkpoints on one kind of store.
 * On SQLite the writes run on the event loop (their time is the store's);
 * on PostgreSQL the time of a write is mostly waiting for the server, so the
 * process's CPU is the figure to read.
 */
async function runningCost(database: string, openStore: (name: string) => Store | Promise<Store>): Promise<void> {
  const without = await typingLoad(await openStore('running-off'), 0);
  const withThem = await typingLoad(await openStore('running-on'), 3000);
  const share = (r: { cpuMs: number; seconds: number }) => r.cpuMs / 10 / r.seconds;
  const storeTime = database === 'SQLite' ? `, ${(withThem.saveMs / withThem.seconds).toFixed(1)} ms of store time per second` : '';
  console.log(
    `running checkpoints every 3 s, ${SESSIONS} users typing a key a second each, ${database}: ` +
      `${(withThem.saves / withThem.seconds).toFixed(0)} checkpoints/s of ${(withThem.bytes / Math.max(1, withThem.saves)).toFixed(0)} B ` +
      `in ${(withThem.writes / withThem.seconds).toFixed(1)} writes/s${storeTime}; the process (gateway and clients) at ` +
      `${share(withThem).toFixed(1)} % of a core against ${share(without).toFixed(1)} % without them`,
  );
}

async function runningCosts(folder: string): Promise<void> {
  await runningCost('SQLite', (name) => openSqliteStore(join(folder, `${name}.db`)));
  const unreachable = await probePostgres();
  if (unreachable !== null) {
    console.log(`  ${skippedMessage(unreachable)} (running checkpoints on PostgreSQL are skipped)`);
    return;
  }
  const schemas = new TestSchemas();
  try {
    await runningCost('PostgreSQL', () => openPostgresStore(TEST_DATABASE_URL, { schema: schemas.name() }));
  } finally {
    await schemas.dropAll();
  }
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
    await rollingRestarts(folder);
    await runningCosts(folder);
  } finally {
    await b.stop();
    await a.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
