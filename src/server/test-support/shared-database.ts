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
import type { Screen } from '../../videotex/screen.js';
import { restoreScreen, snapshotScreen } from '../../videotex/screen-snapshot.js';

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

  /**
   * Stops `a`, where `m` is (its session is handed over); `meanwhile` runs
   * while nobody holds it; `m`'s client comes back on `b` with its token.
   * The new client, and the screen `m` showed before the stop.
   */
  async handOver(a: TestGateway, b: TestGateway, m: WsMinitel, meanwhile?: () => Promise<void>): Promise<{ back: WsMinitel; before: Screen }> {
    await m.waitFor(() => m.resumeToken !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    await this.stop(a);
    await m.waitForClose();
    await meanwhile?.();
    return { back: await this.dial(b, resumePath(m.resumeToken!)), before };
  }

  /** handOver, resolved once the new client's screen is as `m`'s was, without the notice of a service started again. */
  async handedOver(a: TestGateway, b: TestGateway, m: WsMinitel): Promise<WsMinitel> {
    const { back, before } = await this.handOver(a, b, m);
    await back.waitFor(() => back.terminal.screen.looksLike(before) && !back.row(0).includes('Reprise'));
    return back;
  }

  async cleanup(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    for (const g of this.gateways.splice(0)) await g.stop();
    for (const f of this.folders.splice(0)) rmSync(f, { recursive: true, force: true });
  }
}

/**
 * Resolves once the session's stored checkpoint is there and passes `test`
 * (or, with `present` false, once it is gone); fails after 5 s saying which.
 */
export async function checkpointIs(g: TestGateway, sessionId: string, present = true, test: (state: string) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const row = await g.store.checkpoints.get(sessionId);
    if (present ? row !== null && test(row.state) : row === null) return;
    if (Date.now() > deadline) throw new Error(`checkpoint of ${sessionId} ${present ? `missing or not as expected: ${row?.state.slice(0, 120) ?? 'none'}` : 'still there'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
