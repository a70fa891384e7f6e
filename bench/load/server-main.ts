/**
 * The gateway under load, in its own process (compiled, as `npm start` runs
 * it). It talks to the bench over IPC: 'listening' with its port, and on
 * request its memory (after a full GC) and CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../../src/server/gateway.js';
import { DEFAULT_LIMITS } from '../../src/server/limits.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { BENCH_SERVICE } from './bench-service.js';

const sessions = Number(process.env.BENCH_SESSIONS ?? 5000);
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
    websocketSpeed: 0,
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
  services: [BENCH_SERVICE],
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

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') process.send!({ type: 'memory', ...memory() });

  if (message.type === 'stop') {
    void gateway.stop().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.disconnect();
    });
  }
});
process.send!({ type: 'listening', port: address.port, ...memory() });
