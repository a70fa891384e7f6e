import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { TcpMinitel, withEvenParity } from '../test-support/minitel.js';

let server: TestGateway;
const clients: TcpMinitel[] = [];

async function minitel(options: Parameters<typeof TcpMinitel.connect>[1] = {}): Promise<TcpMinitel> {
  const client = await TcpMinitel.connect(server.address.tcpPort!, options);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startTestGateway({ config: { tcpSpeed: 9600 } });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server.stop();
});

describe('TCP sessions', () => {
  it('show the home page, open a typed service, and come back on Connexion/Fin', async () => {
    const m = await minitel();
    await m.waitFor(/Tapez le code/);
    m.type('3615 ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    expect(m.text).toContain('vitesse 9600');
    m.type('ABC');
    await m.waitFor(() => m.row(5) === 'ABC');
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
  });

  it('strip telnet negotiation and answer it so a telnet client goes to character mode', async () => {
    const m = await minitel();
    await m.waitFor(/Tapez le code/);
    m.send(Uint8Array.from([0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03, 0xff, 0xfb, 0x18, 0xff, 0xfa, 0x18, 0x00, 0x41, 0x42, 0xff, 0xf0]));
    m.send('ECHO\r\n');
    await m.waitFor(/Service ECHO/);
    const raw = m.rawReceived;
    const has = (seq: number[]) => raw.some((_, i) => seq.every((b, j) => raw[i + j] === b));
    expect(has([0xff, 0xfb, 0x01])).toBe(true); // WILL ECHO
    expect(has([0xff, 0xfb, 0x03])).toBe(true); // WILL SUPPRESS-GO-AHEAD
    expect(has([0xff, 0xfe, 0x18])).toBe(true); // DONT TERMINAL-TYPE
    // CR LF is one Envoi: the LF did not reach the service as ↓.
    m.type('Z');
    await m.waitFor(() => m.row(5) === 'Z');
    expect(m.text).not.toContain('Curseur Down');
  });

  it('strip parity bits from a 7E1 line read as 8 bits', async () => {
    const m = await minitel();
    await m.waitFor(/Tapez le code/);
    m.send(withEvenParity('ECHO\x13A'));
    await m.waitFor(/Service ECHO/);
    m.send(withEvenParity('CQ'));
    await m.waitFor(() => m.row(5) === 'CQ');
  });

  it('pace at 1200 baud by default on a gateway left with its defaults', async () => {
    const slow = await startTestGateway({ config: { tcpSpeed: 1200 } });
    try {
      const m = await TcpMinitel.connect(slow.address.tcpPort!);
      clients.push(m);
      await m.waitFor(/Tapez le code/, 20_000);
      m.send('ECHO\x13A');
      await m.waitFor(/vitesse 1200/, 20_000);
    } finally {
      await slow.stop();
    }
  });
});
