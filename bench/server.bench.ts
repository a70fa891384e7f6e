/**
 * Gateway load: N simulated Minitels (bench/load/minitels.ts, a separate
 * process over real WebSockets) go home → service → keys against a gateway in
 * its own process. Prints the sessions held, memory per session (RSS and heap
 * growth / N, after a full GC) and keypress-to-echo latency percentiles.
 *
 * Both processes run compiled JavaScript, as `npm start` does: the server is
 * compiled with tsc into dist/bench/ first (a few seconds).
 *
 * BENCH_SESSIONS (default 5000), BENCH_KEY_INTERVAL_MS (default 5000: each
 * Minitel types a key every 5 s), BENCH_TYPING_MS (default 20000),
 * BENCH_PROFILE=DIR writes a CPU profile of the gateway to DIR.
 */
import { fork, spawnSync } from 'node:child_process';
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
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before '${type}'`)));
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export default async function run(): Promise<void> {
  let sessions = Number(process.env.BENCH_SESSIONS ?? 5000);
  const limit = openFileLimit();
  if (sessions + 200 > limit) {
    const fitted = Math.max(100, limit - 200);
    console.log(`server: the open-file limit is ${limit}; running ${fitted} sessions instead of ${sessions} (raise it with ulimit -n)`);
    sessions = fitted;
  }
  const keyIntervalMs = Number(process.env.BENCH_KEY_INTERVAL_MS ?? 5000);
  const typingMs = Number(process.env.BENCH_TYPING_MS ?? 20_000);
  const started = performance.now();
  compile();
  console.log(`server: compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const server = fork(join(out, 'bench', 'load', 'server-main.js'), [], {
    execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    env: { ...process.env, BENCH_SESSIONS: String(sessions) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = await once<Memory & { port: number }>(server, 'listening');
  const ask = async (): Promise<Memory> => {
    const reply = once<Memory>(server, 'memory');
    server.send({ type: 'memory' });
    return reply;
  };
  const before = await ask();
  const load = fork(join(out, 'bench', 'load', 'minitels.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    load.send({ url: `ws://127.0.0.1:${listening.port}/ws`, sessions, rampPerSecond: 1000, keyIntervalMs, typingMs });
    const ready = await once<{ ready: number; failed: number; failures: Record<string, number>; connectSeconds: number }>(load, 'ready');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const held = await ask();
    const n = held.sessions;
    console.log(`server: ${ready.ready} of ${sessions} Minitels reached the service in ${ready.connectSeconds.toFixed(1)} s${ready.failed ? ` (${ready.failed} failed: ${JSON.stringify(ready.failures)})` : ''}`);
    console.log(`server: ${n} sessions held in one process`);
    console.log(
      `server: memory per session: RSS ${kb((held.rss - before.rss) / n)}, heap used ${kb((held.heapUsed - before.heapUsed) / n)} (heap reserved ${kb((held.heapTotal - before.heapTotal) / n)}), array buffers ${kb((held.arrayBuffers - before.arrayBuffers) / n)} (RSS ${(held.rss / 2 ** 20).toFixed(0)} MB in all)`,
    );
    const cpuBefore = held.cpu;
    const latency = once<{ keys: number; keysPerSecond: number; p50: number; p99: number; max: number; held: number }>(load, 'latency');
    load.send({ type: 'type' });
    const result = await latency;
    const after = await ask();
    const cpuSeconds = (after.cpu.user + after.cpu.system - cpuBefore.user - cpuBefore.system) / 1e6;
    console.log(
      `server: keypress to echo over ${result.keys} keys (${result.keysPerSecond.toFixed(0)} keys/s, one per Minitel every ${keyIntervalMs / 1000} s): p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`,
    );
    console.log(`server: gateway CPU while typing: ${((cpuSeconds / (typingMs / 1000)) * 100).toFixed(0)} % of one core; ${result.held} sessions still open at the end`);
  } finally {
    load.kill();
    server.send({ type: 'stop' });
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.kill();
        resolve(undefined);
      }, 10_000);
      server.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
}
