/**
 * Bad input is normal input: each abuse below hurts only the session that
 * commits it. The server stays up, other sessions keep working, and memory
 * stays bounded.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { TcpMinitel, WsMinitel } from './test-support/minitel.js';

const servers: TestGateway[] = [];
const cleanup: (() => void)[] = [];

async function gateway(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const server = await startTestGateway(options);
  servers.push(server);
  return server;
}

async function minitel(server: TestGateway, path = '/ws', options: Parameters<typeof WsMinitel.connect>[1] = {}): Promise<WsMinitel> {
  const client = await WsMinitel.connect(server.wsUrl(path), options);
  cleanup.push(() => client.close());
  await client.waitFor(/Code :|Service/);
  return client;
}

/** A second, well-behaved user: reaches ECHO and gets its keys echoed. */
async function stillServes(server: TestGateway, options: Parameters<typeof WsMinitel.connect>[1] = {}): Promise<void> {
  const m = await minitel(server, '/ws', options);
  m.send('ECHO\x13A');
  await m.waitFor(/Service ECHO/);
  m.type('OK');
  await m.waitFor(() => m.row(5) === 'OK');
  const health = await fetch(server.httpUrl('/health'));
  expect(health.status).toBe(200);
}

function random(n: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return bytes;
}

afterEach(async () => {
  for (const close of cleanup.splice(0)) close();
  for (const server of servers.splice(0)) await server.stop();
});

describe('abuse', () => {
  it('a 1 MB frame is refused from its header and ends only that session', async () => {
    const server = await gateway();
    const bystander = await minitel(server, '/ECHO/ws');
    const attacker = await minitel(server);
    attacker.socket.send(new Uint8Array(1024 * 1024));
    await attacker.waitForClose();
    expect(attacker.closeCode).toBe(1009);
    expect(server.logs.some((line) => line.msg.startsWith('bad WebSocket frame') && line.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')).toBe(true);
    bystander.type('ENCORE');
    await bystander.waitFor(() => bystander.row(5) === 'ENCORE');
    await stillServes(server);
  });

  it('invalid UTF-8 in a text frame ends only that session', async () => {
    const server = await gateway();
    const attacker = await minitel(server);
    attacker.socket.send(Buffer.from([0x41, 0xc3, 0x28]), { binary: false });
    await attacker.waitForClose();
    expect(attacker.closeCode).toBe(1007);
    await stillServes(server);
  });

  it('random bytes on every transport never crash a session or the server', async () => {
    const server = await gateway({ limits: { inputBytesPerSecond: 100_000_000, inputBurstBytes: 100_000_000 } });
    const text = await minitel(server);
    const binary = await minitel(server, '/ws', { binary: true });
    const inService = await minitel(server, '/ECHO/ws', { binary: true });
    const tcp = await TcpMinitel.connect(server.address.tcpPort!);
    cleanup.push(() => tcp.close());
    for (let i = 0; i < 64; i++) {
      const chunk = random(2048, i + 1);
      text.send(chunk);
      binary.send(chunk);
      inService.send(chunk);
      tcp.send(chunk);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stillServes(server);
    expect(server.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('1,000 connections from one address: past the per-address limit they are refused, others are served', async () => {
    const server = await gateway({ limits: { maxSessionsPerAddress: 20 } });
    const heapBefore = process.memoryUsage().heapUsed;
    const open: Socket[] = [];
    cleanup.push(() => open.forEach((s) => s.destroy()));
    let refused = 0;
    // In waves, so the test itself stays under a 1024 file-descriptor limit.
    for (let wave = 0; wave < 10; wave++) {
      const outcomes = await Promise.all(
        Array.from(
          { length: 100 },
          () =>
            new Promise<'open' | 'refused'>((resolve) => {
              const socket = connect(server.address.tcpPort!, '127.0.0.1');
              socket.on('error', () => resolve('refused'));
              socket.on('close', () => resolve('refused'));
              // An admitted session starts with ENQROM (1B 39 7B); a refused one gets a row-0 message.
              socket.once('data', (chunk: Buffer) => {
                if (chunk[0] === 0x1b) {
                  open.push(socket);
                  resolve('open');
                }
              });
            }),
        ),
      );
      refused += outcomes.filter((o) => o === 'refused').length;
    }
    expect(open.length).toBe(20);
    expect(refused).toBe(980);
    expect(server.gateway.sessionCount).toBe(20);
    const metrics = await (await fetch(server.httpUrl('/metrics'))).text();
    expect(metrics).toMatch(/teletel_connections_rejected_total\{reason="max-sessions-per-address"\} 980/);
    // Another address (the whole of 127/8 is this machine) is still welcome.
    const other = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(server.wsUrl(), { localAddress: '127.0.0.2' });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    cleanup.push(() => other.terminate());
    expect(server.gateway.sessionCount).toBe(21);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('a client that never reads is dropped once its output is stuck, with bounded memory', async () => {
    const server = await gateway({ limits: { slowReaderTimeoutMs: 1000, outputHighWaterBytes: 4096 } });
    const reader = await TcpMinitel.connect(server.address.tcpPort!);
    cleanup.push(() => reader.close());
    await reader.waitFor(/Code :/);
    // Stop reading at once: the kernel's receive window then stays small (it grows only with reads).
    reader.socket.pause();
    reader.send('FLOT\x13A');
    const bystander = await minitel(server, '/ECHO/ws');
    const heapBefore = process.memoryUsage().heapUsed;
    await expect
      .poll(() => server.logs.some((line) => line.msg.startsWith('slow reader')), { timeout: 30_000, interval: 200 })
      .toBe(true);
    // The pacer stopped pulling diffs at the high-water mark: what the server holds is bounded.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    bystander.type('VIVANT');
    await bystander.waitFor(() => bystander.row(5) === 'VIVANT');
  });

  it('an input flood is dropped and the session lives on', async () => {
    const server = await gateway({ limits: { inputBytesPerSecond: 1000, inputBurstBytes: 4096 } });
    const m = await minitel(server, '/ECHO/ws');
    for (let i = 0; i < 200; i++) m.send('A'.repeat(4000));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    m.send('\x13A');
    await m.waitFor(/Touche Envoi/);
    const metrics = await (await fetch(server.httpUrl('/metrics'))).text();
    expect(metrics).toMatch(/teletel_input_dropped_bytes_total\{transport="websocket"\} [1-9]\d{4,}/);
    expect(server.logs.some((line) => line.msg.startsWith('input over the rate limit'))).toBe(true);
  });

  it('a flood makes the gateway stop reading that connection for a while: the flood waits in the client socket', async () => {
    const server = await gateway({ limits: { inputBytesPerSecond: 1000, inputBurstBytes: 4096, inputPauseMaxMs: 1000 } });
    const m = await minitel(server, '/ECHO/ws');
    const sent = 200 * 4000;
    for (let i = 0; i < 200; i++) m.send('A'.repeat(4000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const metrics = await (await fetch(server.httpUrl('/metrics'))).text();
    const read = Number(/teletel_bytes_in_total\{transport="websocket"\} (\d+)/.exec(metrics)?.[1]);
    // Without the pause the gateway reads (and drops) the whole flood at once.
    expect(read).toBeLessThan(sent / 2);
  });

  it('a chunk dropped by the rate limit does not make the half key before it into another key', async () => {
    const server = await gateway({ limits: { inputBurstBytes: 64, inputBytesPerSecond: 1 } });
    const m = await minitel(server);
    // SEP, the first byte of a function key, then the rest of the input over the rate limit.
    m.send('\x13');
    m.send('x'.repeat(200));
    m.send('A');
    m.send('B');
    await m.waitFor(() => m.row(11).includes('B'));
    expect(m.row(11)).toContain('AB');
  });

  it('a request that never finishes its headers (slowloris) is cut after the handshake timeout', async () => {
    const server = await gateway({ limits: { handshakeTimeoutMs: 500 } });
    const socket = connect(server.address.port, '127.0.0.1');
    cleanup.push(() => socket.destroy());
    socket.on('error', () => {});
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.write('GET /ws HTTP/1.1\r\nHost: x\r\n');
    const closed = await new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    await stillServes(server);
  });

  it('a WebSocket client that stops answering pings is dropped', async () => {
    const server = await gateway({ limits: { pingIntervalMs: 200 } });
    const silent = await WsMinitel.connect(server.wsUrl(), { autoPong: false });
    cleanup.push(() => silent.close());
    await silent.waitFor(/Code :/);
    await silent.waitForClose();
    await stillServes(server);
  });

  it('pings are spread over the interval, not sent to every client at once, and each client is pinged once per interval', async () => {
    // Interval 1 s: housekeeping every 500 ms pings half the clients each time.
    const server = await gateway({ limits: { pingIntervalMs: 1000 } });
    const pingedAt: number[][] = [];
    for (let i = 0; i < 20; i++) {
      const m = await minitel(server);
      const times: number[] = [];
      pingedAt.push(times);
      m.socket.on('ping', () => times.push(performance.now()));
    }
    await new Promise((resolve) => setTimeout(resolve, 3200));
    expect(pingedAt.every((times) => times.length >= 2)).toBe(true);
    const firsts = pingedAt.map((times) => times[0]).sort((a, b) => a - b);
    // All pinged at the same moment was the old burst; two halves come a housekeeping tick apart.
    expect(firsts.at(-1)! - firsts[0]).toBeGreaterThan(250);
    for (const times of pingedAt) {
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(600);
    }
    await stillServes(server);
  });
});
