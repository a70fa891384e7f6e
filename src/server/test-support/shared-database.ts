/**
 * Gateways sharing one SQLite file, and resumable test Minitels dialling
 * them: what the hand-over, running-checkpoint and rolling-restart tests are
 * made of. `cleanup` (in afterEach) closes the clients, stops the gateways
 * and removes the files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../store/sqlite.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';
import { WsMinitel } from './minitel.js';

/** The path a client comes back on with its token. */
export const resumePath = (token: string): string => `/ws?resume=${encodeURIComponent(token)}`;

export class SharedDatabaseGateways {
  readonly gateways: TestGateway[] = [];
  private readonly clients: WsMinitel[] = [];
  private readonly folders: string[] = [];

  constructor(private readonly options: Omit<TestGatewayOptions, 'store'> = {}) {}

  /** A new database file for the instances of one test. */
  database(): string {
    const folder = mkdtempSync(join(tmpdir(), 'teletel-shared-db-'));
    this.folders.push(folder);
    return join(folder, 'teletel.db');
  }

  async instance(file: string, options: Omit<TestGatewayOptions, 'store'> = {}): Promise<TestGateway> {
    const g = await startTestGateway({ ...this.options, ...options, store: openSqliteStore(file) });
    this.gateways.push(g);
    return g;
  }

  /** Stops `g` (its sessions are handed over) and leaves it out of the cleanup. */
  async stop(g: TestGateway): Promise<void> {
    await g.stop();
    this.gateways.splice(this.gateways.indexOf(g), 1);
  }

  async dial(g: TestGateway, path = '/ws'): Promise<WsMinitel> {
    const m = await WsMinitel.resumable(g.wsUrl(path));
    this.clients.push(m);
    return m;
  }

  async cleanup(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    for (const g of this.gateways.splice(0)) await g.stop();
    for (const f of this.folders.splice(0)) rmSync(f, { recursive: true, force: true });
  }
}
