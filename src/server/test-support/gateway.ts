/** A gateway on ephemeral ports with test services, an in-memory store and captured logs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Service } from '../../sdk/service.js';
import type { Store } from '../../store/store.js';
import type { Bus } from '../../store/bus.js';
import type { ServerConfig } from '../config.js';
import { Gateway, type GatewayAddress } from '../gateway.js';
import { DEFAULT_LIMITS, type ServerLimits } from '../limits.js';
import { TEST_SERVICES } from './services.js';

export interface TestGatewayOptions {
  services?: readonly Service[];
  limits?: Partial<ServerLimits>;
  config?: Partial<Omit<ServerConfig, 'limits'>>;
  store?: Store;
  /** The bus the instances of one database share (taken-notices.ts). */
  bus?: Bus;
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface TestGateway {
  gateway: Gateway;
  address: GatewayAddress;
  store: Store;
  logs: LogLine[];
  wsUrl(path?: string): string;
  httpUrl(path?: string): string;
  stop(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'teletel-gateway-'));
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: 0,
    tcpPort: 0,
    dataDir,
    serial: null,
    serialSpeed: 'auto',
    serialFraming: 'auto',
    websocketSpeed: 0,
    tcpSpeed: 0,
    publicDir: join(dataDir, 'public'),
    logLevel: 'debug',
    ...options.config,
    limits: { ...DEFAULT_LIMITS, enqromTimeoutMs: 300, ...options.limits },
  };
  const logs: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const store = options.store ?? openSqliteStore(':memory:');
  const gateway = new Gateway({ config, services: options.services ?? TEST_SERVICES, store, log, processMetrics: false, bus: options.bus });
  const address = await gateway.start();
  return {
    gateway,
    address,
    store,
    logs,
    wsUrl: (path = '/ws') => `ws://127.0.0.1:${address.port}${path}`,
    httpUrl: (path = '/') => `http://127.0.0.1:${address.port}${path}`,
    async stop() {
      await gateway.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
