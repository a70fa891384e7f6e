/**
 * `npm run soak`: real `teletel serve` processes, real sockets, simulated
 * Minitels doing whole flows for a while, with faults and abuse injected,
 * then the books: confirmed messages against stored and delivered, crashes,
 * memory trend, and the decoder's fuzz run. RELIABILITY.md records a run.
 *
 *   npm run soak                      30 minutes, 2,000 Minitels (12 s mean pause), 10^7 fuzzed streams; writes RELIABILITY.md
 *   npm run soak -- --short           2 minutes, 150 Minitels, 2·10^5 streams (CI); prints the report
 *   --minutes N --sessions N --fuzz N --think MS --out FILE
 *                                     any of the figures (think: a user's mean pause between screens), and where the report goes
 *
 * Exit code 1 when anything is lost, crashes, leaks to another terminal or
 * corrupts a database, and (except in the short mode, see report.ts
 * timingFindings) when a flow step fails outside a fault.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { abuse, newAbuseTally, type AbuseTarget } from './abuse.js';
import { idsOf, startCluster, storedIdsPostgres } from './cluster.js';
import { diskFull, type DiskFullResult } from './disk-full.js';
import { fuzzDecoder, type FuzzResult } from './fuzz.js';
import { newLeakWatch } from './hostile.js';
import { Ledger } from './ledger.js';
import { report, timingFindings, verdict, type SoakRun } from './report.js';
import { sample, type Sample } from './samples.js';
import type { ServeProcess } from './serve.js';
import { hasSocat, SerialLine } from './serial-line.js';
import { newStats, SimulatedUser, type Instance, type World } from './user.js';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    sessions: { type: 'string' },
    fuzz: { type: 'string' },
    think: { type: 'string' },
    out: { type: 'string' },
  },
});
const short = values.short === true;
const minutes = Number(values.minutes ?? (short ? 2 : 30));
const sessions = Number(values.sessions ?? (short ? 150 : 2000));
const fuzzCount = Number(values.fuzz ?? (short ? 200_000 : 10_000_000));
const thinkMs = Number(values.think ?? (short ? 800 : 12_000));
const out = values.out ?? (short ? undefined : 'RELIABILITY.md');
if (![minutes, sessions, fuzzCount].every((n) => Number.isFinite(n) && n > 0)) {
  console.error('soak: --minutes, --sessions and --fuzz take positive numbers');
  process.exit(2);
}

const log = (text: string): void => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${text}`);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// The servers run the build, as `npm start` does: build it from these sources first.
log('npm run build…');
const build = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('soak: npm run build failed');
  process.exit(2);
}
const root = mkdtempSync(join(tmpdir(), 'teletel-soak-'));
const started = new Date();
log(`${sessions} Minitels for ${minutes} min (mean pause ${thinkMs} ms), ${fuzzCount} fuzzed streams; work folder ${root}`);
const cluster = await startCluster(root);
const servers: ServeProcess[] = [cluster.sqlite, ...cluster.postgres];
log(`instances: ${servers.map((s) => `${s.options.name} on ${s.port}`).join(', ')}${cluster.database ? '' : ' (PostgreSQL not answering on 127.0.0.1:5432: its instances and faults are left out)'}`);

const instanceOf = (server: ServeProcess, store: string): Instance => ({
  name: server.options.name,
  store,
  url: () => `ws://127.0.0.1:${server.port}/ws`,
  faultUntil: 0,
});
const instances = [instanceOf(cluster.sqlite, 'A'), ...cluster.postgres.map((s) => instanceOf(s, 'postgres'))];
const world: World = {
  ledger: new Ledger(),
  stats: newStats(),
  leaks: newLeakWatch(),
  peers: new Map(),
  hostileShare: 0.1,
  stepTimeoutMs: 45_000,
  thinkMs,
};
const users: SimulatedUser[] = [];
for (let i = 0; i < sessions; i++) {
  const instance = instances[i % instances.length];
  const pseudo = `u${i.toString(36)}`;
  users.push(new SimulatedUser(pseudo, instance, world));
  world.peers.set(instance.store, [...(world.peers.get(instance.store) ?? []), pseudo]);
}

const serial = hasSocat ? new SerialLine(join(root, 'serial'), cluster.config) : undefined;
if (serial) await serial.start();
else log('socat not installed: no serial line in this run');

const durationMs = minutes * 60_000;
const loadStart = Date.now();
const until = loadStart + durationMs;
const rampMs = Math.min(120_000, durationMs / 5);

// Memory and descriptors of every instance, every few seconds.
const samples = new Map<string, Sample[]>();
const sampler = setInterval(() => {
  for (const server of [...servers, ...(serial ? [serial.server] : [])]) {
    void sample(server).then((s) => {
      if (!s) return;
      const list = samples.get(server.options.name);
      if (list) list.push(s);
      else samples.set(server.options.name, [s]);
    });
  }
}, short ? 3000 : 10_000);

const runs = users.map(async (user, i) => {
  await pause((rampMs * i) / users.length);
  await user.run(until);
});

// Faults, at fixed points of the run.
const faults: string[] = [];
const markFault = (which: Instance[], ms: number): void => {
  for (const instance of which) instance.faultUntil = Math.max(instance.faultUntil, Date.now() + ms);
};
const at = async (fraction: number): Promise<void> => {
  const wait = loadStart + durationMs * fraction - Date.now();
  if (wait > 0) await pause(wait);
};
const blackoutMs = short ? 15_000 : 30_000;
/**
 * After a fault, failures are still counted as the fault's for this long:
 * hundreds of users dialling back at once (with their own backoff) are part
 * of what a restart costs. The report gives them by kind.
 */
const RECOVERY_MS = 60_000;
const faultPlan = (async () => {
  await at(0.2);
  markFault([instances[0]], 60_000);
  let t = Date.now();
  await cluster.sqlite.restart();
  faults.push(`SIGKILL of ${cluster.sqlite.options.name} and restart (back in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  log(faults[faults.length - 1]);
  markFault([instances[0]], RECOVERY_MS);
  if (cluster.postgres.length > 0) {
    await at(0.35);
    markFault([instances[1]], 60_000);
    t = Date.now();
    await cluster.postgres[0].restart();
    faults.push(`SIGKILL of ${cluster.postgres[0].options.name} and restart (back in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    log(faults[faults.length - 1]);
    markFault([instances[1]], RECOVERY_MS);
    await at(0.5);
    markFault(instances.slice(1), RECOVERY_MS);
    const ended = await cluster.restartPostgres();
    faults.push(`PostgreSQL restart as its clients see it: all ${ended} connections of the run's database ended (pg_terminate_backend)`);
    log(faults[faults.length - 1]);
  }
  if (serial) {
    await at(0.55);
    await serial.unplug(5000);
    faults.push(`serial cable unplugged for 5 s and plugged back (home page again after ${serial.result.backAfter.at(-1)?.toFixed(1) ?? '—'} s)`);
    log(faults[faults.length - 1]);
  }
  if (cluster.proxy) {
    await at(0.65);
    markFault(instances.slice(1), blackoutMs + RECOVERY_MS);
    log(`PostgreSQL unreachable for ${blackoutMs / 1000} s…`);
    await cluster.proxy.cut(blackoutMs);
    faults.push(`PostgreSQL unreachable for ${blackoutMs / 1000} s (packets dropped: open connections hang, new ones get no answer)`);
    log(faults[faults.length - 1]);
  }
})();

const abuseTally = newAbuseTally();
const abuseTargets: AbuseTarget[] = [cluster.sqlite, ...cluster.postgres.slice(1)].map((server) => ({
  name: server.options.name,
  running: () => server.running,
  underFault: () => Date.now() < (instances.find((i) => i.name === server.options.name)?.faultUntil ?? 0),
  wsUrl: () => `ws://127.0.0.1:${server.port}/ws`,
  tcpPort: () => server.tcpPort,
}));
const abuseRun = abuse(abuseTargets, until, abuseTally);
const serialRun = serial?.run(until);

const progress = setInterval(() => {
  const s = world.stats;
  log(`${Math.round((Date.now() - loadStart) / 1000)} s: ${s.connections} connections, ${s.keys} keys, ${world.ledger.settle(new Set()).confirmed} messages confirmed, failures ${[...s.failures.values()].reduce((a, b) => a + b, 0)} (+${[...s.failuresDuringFaults.values()].reduce((a, b) => a + b, 0)} during faults)`);
}, short ? 20_000 : 60_000);

await Promise.all([...runs, faultPlan, abuseRun, serialRun]);
clearInterval(progress);
clearInterval(sampler);
const loadSeconds = (Date.now() - loadStart) / 1000;
log(`load over after ${loadSeconds.toFixed(0)} s; the recipients read what is left in their BAL`);

// The last pass: every recipient of a confirmed message not read yet reads their BAL.
const byPseudo = new Map(users.map((u) => [u.pseudo, u]));
for (const [pseudo, records] of world.ledger.unread()) {
  const user = byPseudo.get(pseudo);
  if (!user) continue;
  try {
    await user.readMail(new Set(records.map((r) => r.id)));
  } catch (error) {
    log(`${pseudo} could not read the BAL: ${(error as Error).message.split('\n')[0]}`);
  }
}
const stillUnread = world.ledger.unread();

for (const server of servers) await server.stop();
if (serial) await serial.stop();
const stored = new Set<string>();
const sqliteDb = new Database(join(cluster.sqlite.options.data, 'teletel.db'), { readonly: true });
const integrityA = String(sqliteDb.pragma('integrity_check', { simple: true }));
for (const id of idsOf(sqliteDb.prepare('SELECT body FROM mail').all().map((row) => (row as { body: string }).body))) stored.add(id);
sqliteDb.close();
if (cluster.database) for (const id of await storedIdsPostgres(cluster.database)) stored.add(id);
await cluster.dropDatabase();
const books = world.ledger.settle(stored);

log('disk full for SQLite…');
let disk: DiskFullResult | undefined;
try {
  disk = await diskFull(join(root, 'disk-full'), cluster.config);
} catch (error) {
  log(`disk-full phase failed: ${(error as Error).message}`);
}
log(`decoder: ${fuzzCount} fuzzed streams…`);
const fuzz: FuzzResult = fuzzDecoder(fuzzCount, started.getTime() % 1_000_000);

const run: SoakRun = {
  started,
  short,
  command: `npm run soak${short ? ' -- --short' : ''}${values.minutes || values.sessions || values.fuzz ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  minutes,
  loadSeconds,
  sessions,
  thinkMs,
  servers: [...servers, ...(serial ? [serial.server] : [])],
  postgres: cluster.database !== undefined,
  stats: world.stats,
  leaks: world.leaks,
  hostileShare: world.hostileShare,
  books,
  refused: world.ledger.refused,
  strangers: world.ledger.strangers,
  strangerExamples: world.ledger.strangerExamples,
  unreadAtEnd: [...stillUnread.values()].reduce((a, list) => a + list.length, 0),
  integrityA,
  faults,
  samples,
  abuse: abuseTally,
  serial: serial?.result,
  disk,
  fuzz,
};
const text = report(run);
console.log(`\n${text}`);
if (out) {
  writeFileSync(out, text);
  log(`report written to ${out}`);
}
rmSync(root, { recursive: true, force: true });
const problems = verdict(run, !short);
if (short) for (const finding of timingFindings(run)) console.warn(`soak: warning (timing, not failing the short mode): ${finding}`);
if (problems.length > 0) {
  console.error(`soak: FAILED\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
log('soak: passed');
process.exit(0);
