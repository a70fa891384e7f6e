/**
 * The gateway under load, in its own process (compiled, as `npm start` runs
 * it), with the echo service (bench-service.ts) or, for the room fan-out,
 * CHAT paced at 1200 baud. It talks to the bench over IPC: 'listening' with its port, and on
 * request its memory (after a full GC) and CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../../src/server/gateway.js';
import { DEFAULT_LIMITS } from '../../src/server/limits.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { chatService } from '../../src/services/chat/index.js';
import { BENCH_SERVICE } from './bench-service.js';

const sessions = Number(process.env.BENCH_SESSIONS ?? 5000);
/** BENCH_ROOM=1: CHAT instead of the echo service, at 1200 baud (the room fan-out). */
const room = process.env.BENCH_ROOM === '1';
const dataDir = mkdtempSync(join(tmpdir(), 'teletel-bench-'));
const gc = (globalThis as { gc?: () => void }).gc;

const gateway = new Gateway({
  config: {
    host: '127.0.0.1',
    port: 0,
    tcpPort: null,
    dataDir,
    serial: null,
    serialSpeed: 'auto',
    serialFraming: 'auto',
    websocketSpeed: room ? 1200 : 0,
    tcpSpeed: 1200,
    publicDir: join(dataDir, 'public'),
    logLevel: 'warn',
    limits: {
      ...DEFAULT_LIMITS,
      // Every simulated Minitel comes from 127.0.0.1.
      maxSessions: sessions + 100,
      maxSessionsPerAddress: sessions + 100,
    },
  },
  services: [room ? chatService() : BENCH_SERVICE],
  store: openSqliteStore(join(dataDir, 'teletel.db'), { synchronous: 'NORMAL' }),
  log: pino({ level: 'warn' }),
  processMetrics: false,
});

const address = await gateway.start();

function memory() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, sessions: gateway.sessionCount, cpu: process.cpuUsage() };
}

let inspector: Inspector | undefined;

async function startAllocationSampling(): Promise<void> {
  inspector = new Inspector();
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

async function stopAllocationSampling(): Promise<string | undefined> {
  if (inspector === undefined || !process.env.BENCH_ALLOC) return undefined;
  const { profile } = await inspector.post('HeapProfiler.stopSampling');
  const file = join(process.env.BENCH_ALLOC, `gateway-${gateway.sessionCount}.heapprofile`);
  writeFileSync(file, JSON.stringify(profile));
  inspector.disconnect();
  return file;
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') process.send!({ type: 'memory', ...memory() });
  // CPU time alone, without the full GC memory() forces (it would be billed to the phase measured).
  if (message.type === 'cpu') process.send!({ type: 'cpu', cpu: process.cpuUsage() });
  // BENCH_ALLOC=DIR: what the typing phases allocate (sampled, objects the GC took included), by stack.
  if (message.type === 'alloc-start') void startAllocationSampling();
  if (message.type === 'alloc-stop') void stopAllocationSampling().then((file) => process.send!({ type: 'alloc', file }));
  // BENCH_HEAP=DIR: a heap snapshot once the sessions are held, to see what each one keeps.
  if (message.type === 'snapshot') {
    const file = process.env.BENCH_HEAP ? writeHeapSnapshot(join(process.env.BENCH_HEAP, `gateway-${gateway.sessionCount}.heapsnapshot`)) : undefined;
    process.send!({ type: 'snapshot', file });
  }

  if (message.type === 'stop') {
    void gateway.stop().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.disconnect();
    });
  }
});
process.send!({ type: 'listening', port: address.port, ...memory() });
