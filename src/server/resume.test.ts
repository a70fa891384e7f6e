/**
 * Sessions that outlive a dropped WebSocket link (teletel.resume.v1): real
 * sockets, our Terminal as the Minitel. The client that comes back with its
 * token finds the same screen, cell for cell, and the same service state;
 * every other token gets a new session that says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';

let gateway: TestGateway | undefined;
const clients: WsMinitel[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway?.stop();
  gateway = undefined;
});

async function start(limits: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  gateway = await startTestGateway(limits);
  return gateway;
}

async function dial(path = '/ws'): Promise<WsMinitel> {
  const m = await WsMinitel.resumable(gateway!.wsUrl(path));
  clients.push(m);
  return m;
}

/** A resumable Minitel in the ECHO service with "bonjour" typed, and its token. */
async function inEcho(): Promise<{ m: WsMinitel; token: string }> {
  const m = await dial();
  await m.waitFor(/Code :/);
  m.type('ECHO');
  m.key('Envoi');
  await m.waitFor(/Service ECHO/);
  m.type('bonjour');
  await m.waitFor(() => m.row(5).startsWith('bonjour'));
  await m.waitFor(() => m.resumeToken !== undefined);
  return { m, token: m.resumeToken! };
}

const resumePath = (token: string): string => `/ws?resume=${encodeURIComponent(token)}`;
const logged = (msg: string) => gateway!.logs.filter((l) => l.msg === msg);

describe('resuming a session after a dropped WebSocket link', () => {
  it('the client that comes back with its token finds the same screen, cell for cell, and the same service', async () => {
    await start();
    const { m, token } = await inEcho();
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    m.close(); // no close frame: the link dropped
    await expect.poll(() => logged('link lost: session kept for its client to resume').length).toBe(1);
    expect(gateway!.gateway.sessionCount).toBe(1);

    const back = await dial(resumePath(token));
    await back.waitFor(() => back.row(5).startsWith('bonjour'));
    // Cell for cell as the user sees them: a text space and an empty mosaic look alike (Screen.looksLike).
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    const screen = back.terminal.screen;
    expect([screen.cursorRow, screen.cursorColumn, screen.cursorVisible]).toEqual([before.cursorRow, before.cursorColumn, before.cursorVisible]);
    back.type('!');
    await back.waitFor(() => back.row(5).startsWith('bonjour!'));
    await back.waitFor(() => back.resumeToken !== undefined);
    expect(back.resumeToken).not.toBe(token);
    expect(gateway!.gateway.sessionCount).toBe(1);
    expect(logged('session resumed')).toHaveLength(1);
    const metrics = await gateway!.gateway.metrics.text();
    expect(metrics).toMatch(/teletel_session_resumes_total\{outcome="detached"\} 1/);
    expect(metrics).toMatch(/teletel_session_resumes_total\{outcome="resumed"\} 1/);
  });

  it('refuses a token used once already, a forged one and one that is not a token: each gets a new session that says so', async () => {
    await start();
    const { m, token } = await inEcho();
    m.close();
    const back = await dial(resumePath(token));
    await back.waitFor(() => back.row(5).startsWith('bonjour'));
    const [sessionId] = token.split('.');
    for (const bad of [token, `${sessionId}.${'A'.repeat(43)}`, 'pas-un-jeton', 'x'.repeat(1000)]) {
      const stranger = await dial(resumePath(bad));
      await stranger.waitFor(/Code :/);
      await stranger.waitFor(() => /introuvable/.test(stranger.row(0)));
      expect(stranger.text).not.toContain('bonjour');
      stranger.close();
    }
    // The replays took nothing: the owner's session is still there and still its own.
    back.type('?');
    await back.waitFor(() => back.row(5).startsWith('bonjour?'));
    expect(logged('resume token refused: new session').map((l) => l.reason)).toEqual(['unknown', 'unknown', 'malformed', 'malformed']);
  });

  it('ends the session when its client does not come back within the window, and the token then names nothing', async () => {
    await start({ limits: { resumeWindowMs: 300 } });
    const { m, token } = await inEcho();
    m.close();
    await expect.poll(() => gateway!.gateway.sessionCount).toBe(0);
    expect(logged('session ended').at(-1)?.reason).toMatch(/not resumed within/);
    const late = await dial(resumePath(token));
    await late.waitFor(() => /introuvable/.test(late.row(0)));
    expect(await gateway!.gateway.metrics.text()).toMatch(/teletel_session_resumes_total\{outcome="expired"\} 1/);
  });

  it('a client that says goodbye (close 1000) ends its session at once', async () => {
    await start();
    const { m } = await inEcho();
    m.socket.close(1000);
    await expect.poll(() => gateway!.gateway.sessionCount).toBe(0);
    expect(logged('link lost: session kept for its client to resume')).toHaveLength(0);
  });

  it('a client without the subprotocol gets no token, text frames stay Videotex; a resume code instead, and a goodbye (1000) ends its session', async () => {
    await start();
    const m = await WsMinitel.connect(gateway!.wsUrl('/ws'));
    clients.push(m);
    await m.waitFor(/Code :/);
    expect(m.controls).toHaveLength(0);
    expect(m.frameTypes.every((t) => t === 'text')).toBe(true);
    expect(m.row(24)).toMatch(/Coupure \? Rappelez, tapez \*[A-Z0-9]{8}/);
    m.socket.close(1000);
    await expect.poll(() => gateway!.gateway.sessionCount).toBe(0);
    expect(logged('link lost: session kept for its client to resume')).toHaveLength(0);
  });

  it('a client without the subprotocol whose link drops keeps its session for the code, typed on a new link', async () => {
    await start();
    const m = await WsMinitel.connect(gateway!.wsUrl('/ws'));
    clients.push(m);
    await m.waitFor(/Code :/);
    const code = /tapez \*([A-Z0-9]{8})/.exec(m.row(24))![1];
    m.type('ECH');
    await m.waitFor(/Code : +ECH\./);
    m.close();
    await expect.poll(() => logged('link lost: session kept for its client to resume')).toHaveLength(1);
    const again = await WsMinitel.connect(gateway!.wsUrl('/ws'));
    clients.push(again);
    await again.waitFor(/Code :/);
    again.type(`*${code}`);
    again.key('Envoi');
    await again.waitFor(/Code : +ECH\./);
    expect(again.row(0)).toMatch(/Session reprise\. Code : \*[A-Z0-9]{8}/);
    await expect.poll(() => gateway!.gateway.sessionCount).toBe(1);
  });

  it('a token brought while the old link is still open takes the session over and cuts the old link', async () => {
    await start();
    const { m, token } = await inEcho();
    const other = await dial(resumePath(token));
    await other.waitFor(() => other.row(5).startsWith('bonjour'));
    await m.waitForClose();
    other.type('2');
    await other.waitFor(() => other.row(5).startsWith('bonjour2'));
    expect(gateway!.gateway.sessionCount).toBe(1);
  });

  it('a held session is taken back even when the gateway is full; a new one is refused', async () => {
    await start({ limits: { maxSessions: 1 } });
    const { m, token } = await inEcho();
    m.close();
    await expect.poll(() => logged('link lost: session kept for its client to resume').length).toBe(1);
    await expect(dial('/ws')).rejects.toThrow(/503/);
    const back = await dial(resumePath(token));
    await back.waitFor(() => back.row(5).startsWith('bonjour'));
  });

  it('a link that stops answering pings is a dropped link: the session waits for its client', async () => {
    await start({ limits: { pingIntervalMs: 100 } });
    const m = await WsMinitel.resumable(gateway!.wsUrl('/ws'), { autoPong: false });
    clients.push(m);
    await m.waitFor(/Code :/);
    m.type('ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    await m.waitFor(() => m.resumeToken !== undefined);
    await m.waitForClose();
    await expect.poll(() => logged('link lost: session kept for its client to resume').length).toBe(1);
    // Its close event came after the missed pong: the session is still held, not ended.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gateway!.gateway.sessionCount).toBe(1);
    const back = await dial(resumePath(m.resumeToken!));
    await back.waitFor(/Service ECHO/);
  });

  it('a tab closed (close 1001) ends its session at once, as any close frame does', async () => {
    await start();
    const { m } = await inEcho();
    m.socket.close(1001);
    await expect.poll(() => gateway!.gateway.sessionCount).toBe(0);
  });

  it('a token brought while its session still probes the terminal is refused, and the gateway goes on', async () => {
    await start({ limits: { enqromTimeoutMs: 2000 } });
    // This client never answers ENQROM: its session probes for 2 s, with a token given already.
    const silent = await WsMinitel.resumable(gateway!.wsUrl('/ws'), { answers: false });
    clients.push(silent);
    await silent.waitFor(() => silent.resumeToken !== undefined);
    const early = await dial(resumePath(silent.resumeToken!));
    await early.waitFor(() => /introuvable/.test(early.row(0)));
    expect(logged('resume token refused: new session').at(-1)?.reason).toBe('not resumable now');
    const other = await dial();
    await other.waitFor(/Code :/);
  });
});
