import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';
import { FREE, type Service } from '../sdk/service.js';
import { decodePng } from '../render/png.js';

const servers: TestGateway[] = [];
const clients: WsMinitel[] = [];

async function gateway(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const server = await startTestGateway(options);
  servers.push(server);
  return server;
}

async function minitel(server: TestGateway, path = '/ws'): Promise<WsMinitel> {
  const client = await WsMinitel.connect(server.wsUrl(path));
  clients.push(client);
  await client.waitFor(/Code :|Service/);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.stop();
});

describe('sessions', () => {
  it('store one kiosque record per service visit, with its service, bytes and cost', async () => {
    const server = await gateway();
    const m = await minitel(server);
    m.send('PAYANT\x13A');
    await m.waitFor(/Service PAYANT/);
    m.type('XY');
    await m.waitFor(() => m.row(5) === 'XY');
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
    const [record] = await server.store.sessions.recent(5);
    expect(record).toMatchObject({ service: 'PAYANT', transport: 'websocket', address: '127.0.0.1', currency: 'FRF' });
    expect(record.bytesIn).toBeGreaterThanOrEqual(2);
    expect(record.bytesOut).toBeGreaterThan(0);
    expect(record.cost).toBeGreaterThanOrEqual(0);
    expect(record.end.getTime()).toBeGreaterThanOrEqual(record.start.getTime());
  });

  it('record a connection that never left the home page once, with no service', async () => {
    const server = await gateway();
    const m = await minitel(server);
    m.key('ConnexionFin');
    await m.waitForClose();
    await expect.poll(async () => (await server.store.sessions.recent(5)).length).toBe(1);
    expect((await server.store.sessions.recent(5))[0]).toMatchObject({ service: null, cost: 0 });
  });

  it('show the cost of the session on row 0 on Répétition at the home page', async () => {
    const server = await gateway();
    const m = await minitel(server);
    m.key('Repetition');
    await m.waitFor(() => /^Coût : gratuit \(0 mn \d\d s\)/.test(m.row(0)));
  });

  it('warn on row 0 before the idle timeout, then hang up with a message', async () => {
    const server = await gateway({ limits: { idleTimeoutMs: 1500, idleWarningMs: 1000 } });
    const m = await minitel(server);
    await m.waitFor(() => m.row(0).startsWith('Sans action, déconnexion dans'));
    await m.waitForClose();
    expect(m.row(0)).toMatch(/pas d'activité/);
  });

  it('warn of the idle timeout in its last half when the warning is as long as the timeout', async () => {
    // --idle-timeout 3 with the default 60 s warning: warned at once, the warning would come back after every key.
    const server = await gateway({ limits: { idleTimeoutMs: 3000 } });
    const connected = Date.now();
    const m = await minitel(server);
    await m.waitFor(() => m.row(0).startsWith('Sans action, déconnexion dans'));
    expect(Date.now() - connected).toBeGreaterThanOrEqual(1400);
    expect(m.row(0)).toMatch(/dans [12] s$/);
  });

  it('keep the idle warning on row 0 while the service goes on updating its screen', async () => {
    // A service that redraws a counter every 50 ms, as CHAT does with others' lines.
    const ticker: Service = {
      code: 'TICTAC',
      name: 'Tic-tac',
      description: 'Compte',
      tariff: FREE,
      keywords: [],
      async run(link) {
        let n = 0;
        link.wanted.writeString('\x0c\x1f\x43\x41Service TICTAC');
        while (!link.closed.aborted) {
          link.wanted.writeString(`\x1f\x41\x41${String(n++).padStart(6, '0')}`);
          link.update();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
    };
    const server = await gateway({ services: [ticker], limits: { idleTimeoutMs: 4000, idleWarningMs: 2000 } });
    const m = await minitel(server, '/TICTAC/ws');
    await m.waitFor(() => m.row(0).startsWith('Sans action, déconnexion dans'));
    const counter = m.row(1);
    await m.waitFor(() => m.row(1) !== counter && Number(m.row(1)) > Number(counter) + 5);
    expect(m.row(0)).toMatch(/^Sans action, déconnexion dans/);
  });

  it('end a session at its maximum length, whatever the activity', async () => {
    const server = await gateway({ limits: { maxSessionMs: 800 } });
    const m = await minitel(server);
    m.type('A');
    await m.waitForClose();
    expect(m.row(0)).toMatch(/Durée maximale/);
  });

  it('send the user home with a message when the service fails', async () => {
    const server = await gateway();
    const m = await minitel(server);
    m.send('PANNE\x13A');
    await m.waitFor(() => m.row(0).includes('indisponible') && /Tapez le code/.test(m.text));
    expect(server.logs.some((line) => line.msg === 'service failed')).toBe(true);
  });

  it('say goodbye on row 0 of every session on shutdown, then close the sockets and the store', async () => {
    // Without resuming, nothing to come back to: a plain goodbye.
    const server = await gateway({ limits: { resumeWindowMs: 0 } });
    const home = await minitel(server);
    const visiting = await minitel(server, '/ECHO/ws');
    await server.gateway.stop();
    await home.waitForClose();
    await visiting.waitForClose();
    for (const m of [home, visiting]) expect(m.row(0)).toMatch(/maintenance/);
    await expect(server.store.sessions.recent(1)).rejects.toThrow();
  });

  it('on shutdown, tell a session that has a resume code (a link without tokens) the code that takes it back', async () => {
    const server = await gateway();
    const home = await minitel(server);
    const code = /tapez \*([A-Z0-9]{8})/.exec(home.row(24))?.[1];
    expect(code).toBeDefined();
    await server.gateway.stop();
    await home.waitForClose();
    expect(home.row(0)).toBe(`Rappelez, tapez *${code} Envoi`);
    expect(server.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 1 });
  });
});

describe('HTTP', () => {
  it('serves an icon at /favicon.ico, so browsers log no 404', async () => {
    const server = await gateway();
    const response = await fetch(server.httpUrl('/favicon.ico'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    const ico = new Uint8Array(await response.arrayBuffer());
    // ICONDIR (reserved 0, type 1, one image), then a 32×32 entry whose data is a PNG at offset 22.
    expect(Array.from(ico.subarray(0, 8))).toEqual([0, 0, 1, 0, 1, 0, 32, 32]);
    expect(Array.from(ico.subarray(22, 26))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const png = decodePng(ico.subarray(22));
    expect([png.width, png.height]).toEqual([32, 32]);
  });

  it('answers /health with the number of sessions', async () => {
    const server = await gateway();
    await minitel(server);
    const response = await fetch(server.httpUrl('/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', sessions: 1 });
  });

  it('exports Prometheus metrics: sessions by transport and service, bytes, pacer lag', async () => {
    const server = await gateway();
    const m = await minitel(server);
    m.send('ECHO\x13A');
    await m.waitFor(/Service ECHO/);
    const text = await (await fetch(server.httpUrl('/metrics'))).text();
    expect(text).toMatch(/teletel_sessions\{transport="websocket",service="ECHO"\} 1/);
    expect(text).toMatch(/teletel_bytes_out_total\{transport="websocket"\} [1-9]/);
    expect(text).toMatch(/teletel_bytes_in_total\{transport="websocket"\} [1-9]/);
    expect(text).toMatch(/teletel_pacer_lag_seconds_count [1-9]/);
  });

  it('serves the build instructions at / when the emulator is not built, and 404 elsewhere', async () => {
    const server = await gateway();
    const page = await fetch(server.httpUrl('/?url=ECHO'));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/npm run build/);
    expect((await fetch(server.httpUrl('/nothing-here.js'))).status).toBe(404);
    expect((await fetch(server.httpUrl('/../../etc/passwd'))).status).toBe(404);
    expect((await fetch(server.httpUrl('/health'), { method: 'POST' })).status).toBe(405);
  });

  it('serves the built emulator from the public folder, at / and /?url=CODE', async () => {
    const publicDir = mkdtempSync(join(tmpdir(), 'teletel-public-'));
    try {
      writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>emulator</title>');
      mkdirSync(join(publicDir, 'assets'));
      writeFileSync(join(publicDir, 'assets', 'app.js'), 'export {};');
      const server = await gateway({ config: { publicDir } });
      for (const path of ['/', '/?url=ECHO']) expect(await (await fetch(server.httpUrl(path))).text()).toContain('emulator');
      const script = await fetch(server.httpUrl('/assets/app.js'));
      expect(script.headers.get('content-type')).toMatch(/javascript/);
    } finally {
      rmSync(publicDir, { recursive: true, force: true });
    }
  });
});
