/**
 * connectToWs and connectToTln through the gateway: real sockets end to end,
 * our Terminal as the Minitel, the test MiniPavi service over HTTP, and
 * onward Videotex servers written for the tests (test-support/onward-servers.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalLink } from '../../sdk/link.js';
import type { Service } from '../../sdk/service.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { WsMinitel } from '../test-support/minitel.js';
import { miniPaviService, type MiniPaviServiceOptions } from './service.js';
import { startOnwardTelnetServer, startOnwardWsServer, startSilentServer, type OnwardServer } from './test-support/onward-servers.js';
import { startTestService, type TestService } from './test-support/service.js';
import { MiniPaviVisits } from './visits.js';

let service: TestService | undefined;
let gateway: TestGateway | undefined;
const servers: { close(): Promise<void> }[] = [];
const clients: WsMinitel[] = [];
/** The link of the last visit, to look at the gateway's mirror of the user's screen. */
let lastLink: TerminalLink | undefined;

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway?.stop();
  await service?.close();
  for (const s of servers.splice(0)) await s.close();
  gateway = undefined;
  service = undefined;
  lastLink = undefined;
});

async function onwardServer(kind: 'ws' | 'telnet', host?: string): Promise<OnwardServer> {
  const server = kind === 'ws' ? await startOnwardWsServer(host) : await startOnwardTelnetServer(host);
  servers.push(server);
  return server;
}

/** The gateway with the test service at /onward, told to connect with `params`. */
async function serve(params: Record<string, string>, options: Partial<MiniPaviServiceOptions> = {}): Promise<TestService> {
  service = await startTestService();
  const inner = miniPaviService({ code: 'PAVI', url: service.url(`/onward?${new URLSearchParams(params)}`), ...options }, new MiniPaviVisits('PAVI'));
  const watched: Service = {
    ...inner,
    run: (link, context) => {
      lastLink = link;
      return inner.run(link, context);
    },
  };
  gateway = await startTestGateway({ services: [watched] });
  return service;
}

async function visit(): Promise<WsMinitel> {
  const m = await WsMinitel.connect(gateway!.wsUrl('/ws'));
  clients.push(m);
  await m.waitFor(/Code :/);
  m.type('PAVI');
  m.key('Envoi');
  return m;
}

/** What the user sees is what the gateway's mirror says they see, once the line is idle. */
async function expectMirrorMatches(m: WsMinitel): Promise<void> {
  await lastLink!.drained();
  await expect.poll(() => lastLink!.mirror.text()).toBe(m.text);
}

async function metric(pattern: RegExp): Promise<void> {
  const text = await (await fetch(gateway!.httpUrl('/metrics'))).text();
  expect(text).toMatch(pattern);
}

const fctns = (pavi: TestService): string[] => pavi.calls.map((c) => c.fctn);

describe('connectToWs: the user put through to a WebSocket Videotex server', () => {
  it("shows the remote's page on the user's screen, the mirror matching, and sends the user's keys to it", async () => {
    const remote = await onwardServer('ws');
    await serve({ command: 'connectToWs', host: remote.host, path: '/accueil' });
    const m = await visit();
    await m.waitFor(/Serveur WS distant \/accueil/);
    await expectMirrorMatches(m);
    m.type('ab');
    m.key('Envoi');
    await m.waitFor(/Recu: ab/);
    // The raw Videotex key bytes, letters as typed, Envoi as SEP 41.
    await expect.poll(() => remote.received[0]).toEqual([0x61, 0x62, 0x13, 0x41]);
    await expectMirrorMatches(m);
    // The keyboard was put in lowercase for the server (case: lower), as MiniPavi does.
    expect(m.terminal.modes.lowercase).toBe(true);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi onward connection to 127.0.0.1:'))).toBe(true);
  });

  it('sends the keys typed while the server was being reached once it answers, after nothing else', async () => {
    const remote = await startOnwardWsServer('127.0.0.1', 400);
    servers.push(remote);
    await serve({ command: 'connectToWs', host: remote.host, path: '/lent' });
    const m = await visit();
    // Typed at once, while the service is being called: for what its answer opens.
    m.type('xy');
    // Then while the server is being reached (it answers the handshake 400 ms late).
    await expect.poll(() => gateway!.logs.some((l) => l.msg.startsWith('MiniPavi onward connection to'))).toBe(true);
    m.type('z');
    await m.waitFor(/Serveur WS distant \/lent/);
    await expect.poll(() => remote.received[0]).toEqual([0x78, 0x79, 0x7a]);
    await m.waitFor(/Recu: xyz/);
  });

  it('returns to the service with DIRECTCALLENDED when the user types *** Sommaire, and closes the connection', async () => {
    const remote = await onwardServer('ws');
    const pavi = await serve({ command: 'connectToWs', host: remote.host });
    const m = await visit();
    await m.waitFor(/Serveur WS distant/);
    m.type('***');
    m.key('Sommaire');
    await m.waitFor(/Retour DIRECTCALLENDED/);
    expect(fctns(pavi)).toEqual(['CNX', 'DIRECTCALLENDED']);
    // The stars went to the server; the Sommaire that ended the passthrough did not.
    expect(remote.received[0]).toEqual([0x2a, 0x2a, 0x2a]);
    await expect.poll(() => remote.open).toBe(0);
    await metric(/teletel_minipavi_onward_total\{service="PAVI",transport="websocket",outcome="ended"\} [1-9]/);
    // Back in the service: its own keys again.
    m.key('Sommaire');
    await m.waitFor(/Code :/);
  });

  it('returns to the service with DIRECTCALLENDED when the remote closes', async () => {
    const remote = await onwardServer('ws');
    const pavi = await serve({ command: 'connectToWs', host: remote.host, path: '/close' });
    const m = await visit();
    await m.waitFor(/Retour DIRECTCALLENDED/);
    expect(fctns(pavi)).toEqual(['CNX', 'DIRECTCALLENDED']);
    expect(m.row(0)).not.toMatch(/injoignable|refus/);
  });

  it('closes the onward connection and tells the service FIN when the user leaves with Connexion/Fin', async () => {
    const remote = await onwardServer('ws');
    const pavi = await serve({ command: 'connectToWs', host: remote.host });
    const m = await visit();
    await m.waitFor(/Serveur WS distant/);
    m.key('ConnexionFin');
    await m.waitFor(/Code :/);
    await expect.poll(() => remote.open).toBe(0);
    await expect.poll(() => fctns(pavi)).toEqual(['CNX', 'FIN']);
    // Connexion/Fin is the gateway's key: the server never saw it.
    expect(remote.received[0]).toEqual([]);
  });

  it('keeps a flooding remote bounded: the line gets the latest screen, not every byte, and the mirror matches', async () => {
    const remote = await onwardServer('ws');
    await serve({ command: 'connectToWs', host: remote.host, path: '/flood' });
    const m = await visit();
    await m.waitFor(/Fin du flot/, 30_000);
    expect(remote.floodBytes).toBeGreaterThan(4_000_000);
    // The screen keeps its latest state and the pacer sends diffs: far less than the server wrote.
    expect(m.bytesReceived).toBeLessThan(remote.floodBytes / 10);
    await expectMirrorMatches(m);
  }, 40_000);
});

describe('connectToTln: the user put through to a telnet Videotex server', () => {
  it('refuses the telnet options, shows the page without the negotiation, sends the start sequence and the keys', async () => {
    const remote = await onwardServer('telnet');
    const pavi = await serve({ command: 'connectToTln', host: remote.host, startseq: '\\x13\\x41' });
    const m = await visit();
    await m.waitFor(/Serveur telnet distant/);
    await expectMirrorMatches(m);
    // WONT TERMINAL-TYPE, DONT ECHO: a telnet client that does none of it.
    await expect.poll(() => remote.negotiation).toEqual([
      [0xff, 0xfc, 24],
      [0xff, 0xfe, 1],
    ]);
    await expect.poll(() => remote.received[0]).toEqual([0x13, 0x41]);
    m.type('Hi');
    // The server shows back what it got: the start sequence (SEP A), then the keys.
    await m.waitFor(/Recu: AHi/);
    expect(remote.received[0]).toEqual([0x13, 0x41, 0x48, 0x69]);
    await expectMirrorMatches(m);
    m.type('***');
    m.key('Sommaire');
    await m.waitFor(/Retour DIRECTCALLENDED/);
    expect(fctns(pavi)).toEqual(['CNX', 'DIRECTCALLENDED']);
    await expect.poll(() => remote.open).toBe(0);
  });

  it('shows what the user types when the service asks for echo', async () => {
    const remote = await onwardServer('telnet');
    await serve({ command: 'connectToTln', host: remote.host, echo: 'on' });
    const m = await visit();
    await m.waitFor(/Serveur telnet distant/);
    m.type('Z');
    await m.waitFor(/Recu: Z/);
    expect(m.text).toMatch(/Z/);
  });
});

describe('onward connections the gateway does not make', () => {
  it('refuses a host the configuration does not allow: no connection attempted, a row-0 message, a log line, a metric, DIRECTCALLFAILED', async () => {
    // 127.0.0.2 is loopback too, but not the service URL's host nor in allowedHosts.
    const elsewhere = await onwardServer('ws', '127.0.0.2');
    const pavi = await serve({ command: 'connectToWs', host: elsewhere.host });
    const m = await visit();
    await m.waitFor(/Retour DIRECTCALLFAILED/);
    await m.waitFor(() => m.row(0).includes('Connexion refusée'));
    expect(fctns(pavi)).toEqual(['CNX', 'DIRECTCALLFAILED']);
    expect(elsewhere.connections).toBe(0);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi onward connection refused: 127.0.0.2:') && l.level === 40)).toBe(true);
    await metric(/teletel_minipavi_onward_total\{service="PAVI",transport="websocket",outcome="refused"\} [1-9]/);
  });

  it('connects to a host allowedHosts names', async () => {
    const elsewhere = await onwardServer('telnet', '127.0.0.2');
    await serve({ command: 'connectToTln', host: elsewhere.host }, { allowedHosts: [elsewhere.host] });
    const m = await visit();
    await m.waitFor(/Serveur telnet distant/);
    expect(elsewhere.connections).toBe(1);
  });

  it('gives up on a server that does not answer in time: a clear message, the session alive, Sommaire goes home', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const pavi = await serve({ command: 'connectToWs', host: silent.host }, { onwardConnectTimeoutMs: 300 });
    const m = await visit();
    await m.waitFor(/Retour DIRECTCALLFAILED/);
    await m.waitFor(() => m.row(0).includes('Serveur distant injoignable'));
    expect(silent.connections).toBe(1);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi onward connection failed') && l.reason === 'timeout')).toBe(true);
    await metric(/teletel_minipavi_onward_total\{service="PAVI",transport="websocket",outcome="failed"\} [1-9]/);
    expect(m.closed).toBe(false);
    m.key('Sommaire');
    await m.waitFor(/Code :/);
    await expect.poll(() => fctns(pavi)).toEqual(['CNX', 'DIRECTCALLFAILED', 'SOMMAIRE', 'FIN']);
  });

  it('says so when the server is unreachable (connection refused)', async () => {
    const remote = await onwardServer('telnet');
    const host = remote.host;
    await remote.close();
    servers.splice(0);
    const pavi = await serve({ command: 'connectToTln', host });
    const m = await visit();
    await m.waitFor(() => m.row(0).includes('Serveur distant injoignable'));
    expect(fctns(pavi)).toEqual(['CNX', 'DIRECTCALLFAILED']);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi onward connection failed') && l.reason === 'network')).toBe(true);
  });
});
