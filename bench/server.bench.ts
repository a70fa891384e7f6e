/**
 * Gateway load, measured against a bare `ws` server in the same run: N
 * simulated Minitels (bench/load/minitels.ts, a separate process over real
 * WebSockets) go home → service → keys, first against the gateway (its own
 * process, bench/load/server-main.ts), then against the baseline
 * (bench/load/baseline-main.ts: a `ws` server that echoes each key byte,
 * the floor for "a key arrives, a byte goes back" in Node), with the same
 * sockets and the same key rates. Every figure is printed for both and as a
 * ratio gateway / baseline: memory per session (RSS and heap growth / N,
 * after a full GC), keypress-to-echo p50/p99/max at one key per Minitel every
 * 5 s and every 1 s, a burst (every Minitel presses a key within one
 * second), and CPU per 1,000 keys/s. Then the room fan-out: BENCH_ROOM_USERS
 * (default 1000; 0 skips it) users in one CHAT room paced at 1200 baud, one
 * says BENCH_ROOM_LINES (default 5) lines, each timed from Envoi to every
 * other screen (bench/load/room.ts), against a `ws` server broadcasting the
 * same lines to as many sockets.
 *
 * Every process runs compiled JavaScript, as `npm start` does (tsc into
 * dist/bench/ first, a few seconds).
 *
 * BENCH_SESSIONS (default 1000,5000,10000), BENCH_TYPING_MS (default 15000
 * per rate), BENCH_REPEAT (default 1: runs per size, gateway and baseline
 * alternating, each figure the median), BENCH_PROFILE=DIR writes a CPU profile of the gateway to DIR,
 * BENCH_HEAP=DIR a heap snapshot of it once every session is held,
 * BENCH_ALLOC=DIR a sampled profile of what its typing phases allocate,
 * BENCH_GATEWAY_FLAGS more Node flags for it (say `--trace-gc`).
 * Each process needs an open file per session: the sizes are cut to the
 * open-file limit, and the bench says so.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bench');

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  sessions: number;
  cpu: { user: number; system: number };
}

function compile(): void {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    tsc,
    '--outDir', out,
    '--rootDir', root,
    '--module', 'NodeNext',
    '--moduleResolution', 'NodeNext',
    '--target', 'ES2022',
    '--lib', 'ES2022,DOM',
    '--types', 'node',
    '--skipLibCheck',
    '--esModuleInterop',
    '--noCheck',
    join(root, 'bench', 'load', 'server-main.ts'),
    join(root, 'bench', 'load', 'minitels.ts'),
    join(root, 'bench', 'load', 'baseline-main.ts'),
    join(root, 'bench', 'load', 'room.ts'),
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling the bench failed:\n${result.stdout}${result.stderr}`);
}

function openFileLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /Max open files\s+(\d+)/.exec(limits);
    return match ? Number(match[1]) : Infinity;
  } catch {
    return Infinity;
  }
}

function once<T>(child: ReturnType<typeof fork>, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before '${type}'`));
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Phase {
  name: string;
  message: { type: 'type'; keyIntervalMs: number; typingMs: number } | { type: 'burst'; windowMs: number };
}

interface PhaseFigures {
  keys: number;
  keysPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** The load generator's own event-loop delay, p99 (ms): when high, its lateness is in the latencies. */
  loopP99: number;
  /** Server CPU, in % of one core, per 1,000 keys/s. */
  cpuPer1000: number;
}

interface Figures {
  ready: number;
  held: number;
  connectSeconds: number;
  rssPerSession: number;
  heapPerSession: number;
  /** V8's heap as reserved (used + free + young generation), per session. */
  heapTotalPerSession: number;
  /** ArrayBuffer contents (outside the V8 heap), per session. */
  buffersPerSession: number;
  phases: PhaseFigures[];
}

type Target = 'gateway' | 'baseline';

/** The gateway's or the baseline's process, talking IPC (server-main.ts, baseline-main.ts). */
function startServer(target: Target, env: Record<string, string>, execArgv: string[] = []): ChildProcess {
  const main = target === 'gateway' ? join(out, 'bench', 'load', 'server-main.js') : join(out, 'bench', 'load', 'baseline-main.js');
  return fork(main, [], { execArgv: ['--expose-gc', ...execArgv], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Asks it to stop, and kills it if it has not within 10 s. */
async function stopServer(server: ChildProcess): Promise<void> {
  server.send({ type: 'stop' });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.kill();
      resolve();
    }, 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function measure(target: Target, sessions: number, phases: readonly Phase[]): Promise<Figures> {
  const profile = target === 'gateway' && process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const flags = target === 'gateway' ? (process.env.BENCH_GATEWAY_FLAGS ?? '').split(' ').filter((f) => f !== '') : [];
  const server = startServer(target, { BENCH_SESSIONS: String(sessions) }, [...profile, ...flags]);
  const listening = await once<Memory & { port: number }>(server, 'listening');
  const ask = async (): Promise<Memory> => {
    const reply = once<Memory>(server, 'memory');
    server.send({ type: 'memory' });
    return reply;
  };
  const askCpu = async (): Promise<Memory['cpu']> => {
    const reply = once<{ cpu: Memory['cpu'] }>(server, 'cpu');
    server.send({ type: 'cpu' });
    return (await reply).cpu;
  };
  const before = await ask();
  const load = fork(join(out, 'bench', 'load', 'minitels.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    load.send({ url: `ws://127.0.0.1:${listening.port}/ws`, sessions, rampPerSecond: 1000 });
    const ready = await once<{ ready: number; failed: number; failures: Record<string, number>; connectSeconds: number }>(load, 'ready');
    if (ready.failed > 0) console.log(`server: ${target}: ${ready.failed} Minitels failed to connect: ${JSON.stringify(ready.failures)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const held = await ask();
    if (target === 'gateway' && process.env.BENCH_HEAP) {
      const written = once<{ file?: string }>(server, 'snapshot');
      server.send({ type: 'snapshot' });
      console.log(`server: heap snapshot of the gateway: ${(await written).file}`);
    }
    const n = Math.max(1, held.sessions);
    const figures: Figures = {
      ready: ready.ready,
      held: held.sessions,
      connectSeconds: ready.connectSeconds,
      rssPerSession: (held.rss - before.rss) / n,
      heapPerSession: (held.heapUsed - before.heapUsed) / n,
      heapTotalPerSession: (held.heapTotal - before.heapTotal) / n,
      buffersPerSession: (held.arrayBuffers - before.arrayBuffers) / n,
      phases: [],
    };
    const sampling = target === 'gateway' && process.env.BENCH_ALLOC !== undefined;
    if (sampling) server.send({ type: 'alloc-start' });
    for (const phase of phases) {
      const cpuBefore = await askCpu();
      const started = performance.now();
      const latency = once<{ keys: number; keysPerSecond: number; p50: number; p99: number; max: number; loopP99: number }>(load, 'latency');
      load.send(phase.message);
      const result = await latency;
      const seconds = (performance.now() - started) / 1000;
      const cpu = await askCpu();
      const cpuShare = (cpu.user + cpu.system - cpuBefore.user - cpuBefore.system) / 1e6 / seconds;
      figures.phases.push({ ...result, cpuPer1000: result.keysPerSecond > 0 ? (cpuShare * 100) / (result.keysPerSecond / 1000) : Number.NaN });
    }
    if (sampling) {
      const written = once<{ file?: string }>(server, 'alloc');
      server.send({ type: 'alloc-stop' });
      console.log(`server: allocation profile of the gateway's typing phases: ${(await written).file}`);
    }
    load.send({ type: 'done' });
    return figures;
  } finally {
    load.kill();
    await stopServer(server);
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : 'n/a');

const median = (values: number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
};

/** Each figure's median over runs (a middle run per figure, not one run's set). */
function medianOf(runs: Figures[]): Figures {
  const pick = <T>(get: (f: T) => number, from: T[]) => median(from.map(get));
  return {
    ready: pick((f) => f.ready, runs),
    held: pick((f) => f.held, runs),
    connectSeconds: pick((f) => f.connectSeconds, runs),
    rssPerSession: pick((f) => f.rssPerSession, runs),
    heapPerSession: pick((f) => f.heapPerSession, runs),
    heapTotalPerSession: pick((f) => f.heapTotalPerSession, runs),
    buffersPerSession: pick((f) => f.buffersPerSession, runs),
    phases: runs[0].phases.map((_, i) => {
      const phase = runs.map((f) => f.phases[i]);
      return {
        keys: pick((p) => p.keys, phase),
        keysPerSecond: pick((p) => p.keysPerSecond, phase),
        p50: pick((p) => p.p50, phase),
        p99: pick((p) => p.p99, phase),
        max: pick((p) => p.max, phase),
        loopP99: pick((p) => p.loopP99, phase),
        cpuPer1000: pick((p) => p.cpuPer1000, phase),
      };
    }),
  };
}

function report(sessions: number, phases: readonly Phase[], gateway: Figures, baseline: Figures, runs: number): void {
  console.log(`\nserver: ${sessions} simulated Minitels — gateway vs bare ws (ratio = gateway / ws)${runs > 1 ? `, median of ${runs} alternating runs` : ''}`);
  console.log(`  sessions held: gateway ${gateway.held} (${gateway.ready} reached the service in ${gateway.connectSeconds.toFixed(1)} s), ws ${baseline.held}`);
  const rows: [string, string, string, string][] = [
    ['RSS per session', kb(gateway.rssPerSession), kb(baseline.rssPerSession), ratio(gateway.rssPerSession, baseline.rssPerSession)],
    ['heap per session', kb(gateway.heapPerSession), kb(baseline.heapPerSession), ratio(gateway.heapPerSession, baseline.heapPerSession)],
    ['heap reserved per session', kb(gateway.heapTotalPerSession), kb(baseline.heapTotalPerSession), ratio(gateway.heapTotalPerSession, baseline.heapTotalPerSession)],
    ['array buffers per session', kb(gateway.buffersPerSession), kb(baseline.buffersPerSession), ratio(gateway.buffersPerSession, baseline.buffersPerSession)],
  ];
  phases.forEach((phase, i) => {
    const g = gateway.phases[i];
    const b = baseline.phases[i];
    rows.push([`${phase.name}: keys/s`, g.keysPerSecond.toFixed(0), b.keysPerSecond.toFixed(0), ratio(g.keysPerSecond, b.keysPerSecond)]);
    rows.push([`${phase.name}: p50`, ms(g.p50), ms(b.p50), ratio(g.p50, b.p50)]);
    rows.push([`${phase.name}: p99`, ms(g.p99), ms(b.p99), ratio(g.p99, b.p99)]);
    rows.push([`${phase.name}: max`, ms(g.max), ms(b.max), ratio(g.max, b.max)]);
    rows.push([`${phase.name}: load generator's loop delay p99`, ms(g.loopP99), ms(b.loopP99), '']);
    rows.push([`${phase.name}: CPU per 1,000 keys/s`, `${g.cpuPer1000.toFixed(1)} %`, `${b.cpuPer1000.toFixed(1)} %`, ratio(g.cpuPer1000, b.cpuPer1000)]);
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`  ${'figure'.padEnd(width)}  ${'gateway'.padStart(10)}  ${'ws'.padStart(10)}  ratio`);
  for (const [name, g, b, r] of rows) console.log(`  ${name.padEnd(width)}  ${g.padStart(10)}  ${b.padStart(10)}  ${r}`);
}

interface RoomFigures {
  users: number;
  failed: number;
  joinSeconds: number;
  lines: { last: number; p50: number; p99: number; frameBytes: number; missing: number }[];
}

/** One room of `users` (CHAT at 1200 baud, or the baseline's broadcast): `lines` lines said, each timed to every screen. */
async function measureRoom(target: Target, users: number, lines: number): Promise<RoomFigures> {
  const server = startServer(target, { BENCH_SESSIONS: String(users), BENCH_ROOM: '1' });
  const listening = await once<{ port: number }>(server, 'listening');
  const load = fork(join(out, 'bench', 'load', 'room.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const url = target === 'gateway' ? `ws://127.0.0.1:${listening.port}/CHAT/ws` : `ws://127.0.0.1:${listening.port}/`;
    const result = once<RoomFigures>(load, 'room');
    load.send({ url, sessions: users, lines, target, rampPerSecond: 100 });
    return await result;
  } finally {
    load.kill();
    await stopServer(server);
  }
}

function reportRoom(gateway: RoomFigures, baseline: RoomFigures): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const summary = (f: RoomFigures) => ({
    last: median(f.lines.map((l) => l.last)),
    worst: Math.max(...f.lines.map((l) => l.last)),
    p50: median(f.lines.map((l) => l.p50)),
    p99: median(f.lines.map((l) => l.p99)),
    missing: f.lines.reduce((n, l) => n + l.missing, 0),
    frameBytes: median(f.lines.map((l) => l.frameBytes)),
  });
  const g = summary(gateway);
  const b = summary(baseline);
  console.log(`\nserver: room fan-out — ${gateway.users} users in one CHAT room at 1200 baud vs ${baseline.users} ws sockets broadcasting (${gateway.lines.length} lines each)`);
  console.log(`  joined: gateway ${gateway.users} (${gateway.failed} failed) in ${gateway.joinSeconds.toFixed(1)} s, ws ${baseline.users} (${baseline.failed} failed)`);
  const lineMs = (g.frameBytes * 10 * 1000) / 1200;
  console.log(`  the frame that brings the line: median ${g.frameBytes} bytes, ${lineMs.toFixed(0)} ms on a 1200-baud line (not in the times below: the socket delivers it at once)`);
  const rows: [string, string, string, string][] = [
    ['Envoi to the last screen (median of lines)', ms(g.last), ms(b.last), ratio(g.last, b.last)],
    ['Envoi to the last screen (worst line)', ms(g.worst), ms(b.worst), ratio(g.worst, b.worst)],
    ['Envoi to a screen, p50 over listeners', ms(g.p50), ms(b.p50), ratio(g.p50, b.p50)],
    ['Envoi to a screen, p99 over listeners', ms(g.p99), ms(b.p99), ratio(g.p99, b.p99)],
    ['listeners that never got a line', String(g.missing), String(b.missing), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`  ${'figure'.padEnd(width)}  ${'gateway'.padStart(10)}  ${'ws'.padStart(10)}  ratio`);
  for (const [name, gv, bv, r] of rows) console.log(`  ${name.padEnd(width)}  ${gv.padStart(10)}  ${bv.padStart(10)}  ${r}`);
}

export default async function run(): Promise<void> {
  const limit = openFileLimit();
  const wanted = (process.env.BENCH_SESSIONS ?? '1000,5000,10000').split(',').map(Number).filter((n) => n > 0);
  const typingMs = Number(process.env.BENCH_TYPING_MS ?? 15_000);
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
  console.log(`server: open-file limit ${limit === Infinity ? 'unknown' : limit} per process (each of the server and the load generator holds one socket per session)`);
  const started = performance.now();
  compile();
  console.log(`server: compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const phases: Phase[] = [
    { name: '1 key/5 s', message: { type: 'type', keyIntervalMs: 5000, typingMs } },
    { name: '1 key/1 s', message: { type: 'type', keyIntervalMs: 1000, typingMs } },
    { name: 'burst (all in 1 s)', message: { type: 'burst', windowMs: 1000 } },
  ];
  for (let sessions of wanted) {
    if (sessions + 200 > limit) {
      const fitted = Math.max(100, limit - 200);
      console.log(`server: the open-file limit is ${limit}; running ${fitted} sessions instead of ${sessions} (raise it with ulimit -n)`);
      sessions = fitted;
    }
    // Runs alternate gateway and baseline, so a noisy minute of a shared machine falls on both.
    const gateways: Figures[] = [];
    const baselines: Figures[] = [];
    for (let run = 0; run < repeat; run++) {
      gateways.push(await measure('gateway', sessions, phases));
      baselines.push(await measure('baseline', sessions, phases));
    }
    report(sessions, phases, medianOf(gateways), medianOf(baselines), repeat);
  }
  const roomUsers = Math.min(Number(process.env.BENCH_ROOM_USERS ?? 1000), Math.max(100, limit - 200));
  if (roomUsers > 0) {
    const lines = Number(process.env.BENCH_ROOM_LINES ?? 5);
    reportRoom(await measureRoom('gateway', roomUsers, lines), await measureRoom('baseline', roomUsers, lines));
  }
}
