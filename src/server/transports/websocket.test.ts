import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { WsMinitel } from '../test-support/minitel.js';
import { bytesOfText, routeOf } from './websocket.js';

let server: TestGateway;
const clients: WsMinitel[] = [];

async function minitel(path = '/ws', options: Parameters<typeof WsMinitel.connect>[1] = {}): Promise<WsMinitel> {
  const client = await WsMinitel.connect(server.wsUrl(path), options);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startTestGateway();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server.stop();
});

describe('WebSocket sessions', () => {
  it('show the home page: double-height title, instructions and the code zone', async () => {
    const m = await minitel();
    await m.waitFor(/Tapez le code du service puis\s+Envoi/);
    expect(m.row(3)).toContain('Télétel');
    expect(m.terminal.screen.appearance(3, 17).doubleHeight).toBe(true);
    expect(m.text).toMatch(/Code :\s+\.{21}/);
    expect(m.text).toContain('Guide');
  });

  it('open the service typed as "3615 CODE" then Envoi, with the typed code echoed', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.type('3615 ec');
    await m.waitFor(/Code :\s+3615 EC\./);
    m.type('ho');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    m.type('BONJOUR');
    await m.waitFor(() => m.row(5) === 'BONJOUR');
  });

  it('read a bare CR as Envoi', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.send('ECHO\r');
    await m.waitFor(/Service ECHO/);
  });

  it('edit the code with Correction and Annulation', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.type('ABC');
    await m.waitFor(/Code :\s+ABC\./);
    m.key('Correction');
    await m.waitFor(/Code :\s+AB\.{19}/);
    m.key('Annulation');
    await m.waitFor(/Code :\s+\.{21}/);
  });

  it('read the arrow ← (CSI D) and a PC backspace (BS, DEL) as Correction on the home page', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.type('ABCD');
    await m.waitFor(/Code :\s+ABCD\./);
    m.send('\x1b[D');
    await m.waitFor(/Code :\s+ABC\./);
    m.send('\x08');
    await m.waitFor(/Code :\s+AB\./);
    m.send('\x7f');
    await m.waitFor(/Code :\s+A\./);
  });

  it('pass the arrow keys (CSI A–D) to services as cursor keys', async () => {
    const m = await minitel('/ECHO/ws');
    await m.waitFor(/Service ECHO/);
    m.send('\x1b[A');
    await m.waitFor(/Curseur Up/);
  });

  it('answer an unknown code with "Service inconnu" on row 0', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.type('NOPE');
    m.key('Envoi');
    await m.waitFor(() => m.row(0).includes('Service inconnu'));
    m.type('E');
    await m.waitFor(() => !m.row(0).includes('Service inconnu'));
  });

  it('list the services with their tariffs on Guide, and come back with Sommaire', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.key('Guide');
    await m.waitFor(/Guide des services/);
    expect(m.text).toMatch(/ECHO\s+.cho\s+gratuit/);
    expect(m.text).toMatch(/PAYANT\s+Service payant\s+1,29 F\/mn/);
    m.key('Sommaire');
    await m.waitFor(/Tapez le code/);
  });

  it('leave the service on Connexion/Fin, which the service never sees, and hang up on the second', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.type('ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    m.key('Sommaire');
    await m.waitFor(/Touche Sommaire/);
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
    expect(m.text).not.toContain('ConnexionFin');
    m.key('ConnexionFin');
    await m.waitForClose();
    expect(m.row(0)).toContain('Au revoir');
  });

  it('treat SEP 59 like SEP 49 (Connexion/Fin)', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.send('ECHO\x13A');
    await m.waitFor(/Service ECHO/);
    m.send('\x13Y');
    await m.waitFor(/Tapez le code/);
  });

  it('reassemble a function key split across two frames', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    m.send('ECHO');
    m.send('\x13');
    await new Promise((resolve) => setTimeout(resolve, 50));
    m.send('A');
    await m.waitFor(/Service ECHO/);
  });

  it('read text frames one byte per character (Latin-1) and strip parity bits', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    // 'C' is 0x43, three bits set: with even parity it travels as 0xC3, sent here as U+00C3.
    // SEP (0x13) travels as 0x93, U+0093.
    m.send('E\u00c3HO\u0093A');
    await m.waitFor(/Service ECHO/);
  });

  it('answer in text frames by default and in binary once the client sends binary', async () => {
    const text = await minitel();
    await text.waitFor(/Code :/);
    expect(new Set(text.frameTypes)).toEqual(new Set(['text']));
    const binary = await minitel('/ws', { binary: true });
    await binary.waitFor(/Code :/);
    binary.type('ECHO');
    binary.key('Envoi');
    await binary.waitFor(/Service ECHO/);
    expect(binary.frameTypes.at(-1)).toBe('binary');
  });

  it('give a client that answers ENQROM as a Minitel 2 the DRCS capability', async () => {
    const m = await minitel('/ws', { answers: 'minitel2' });
    await m.waitFor(/Code :/);
    m.send('ECHO\x13A');
    await m.waitFor(/modele minitel2 drcs oui/);
  });

  it('give a client that answers as a Minitel 1B no DRCS', async () => {
    const m = await minitel('/ws', { answers: 'minitel1b' });
    await m.waitFor(/Code :/);
    m.send('ECHO\x13A');
    await m.waitFor(/modele minitel1b drcs non/);
  });

  it('give a client that stays silent the Minitel 1B profile', async () => {
    const m = await minitel('/ws', { answers: false });
    await m.waitFor(/Code :/);
    m.send('ECHO\x13A');
    await m.waitFor(/modele unknown drcs non/);
  });

  it('open a service directly from /?url=CODE, /ws?url=CODE and /CODE/ws', async () => {
    for (const path of ['/?url=ECHO', '/ws?url=echo', '/ECHO/ws']) {
      const m = await minitel(path);
      await m.waitFor(/Service ECHO/);
      m.key('ConnexionFin');
      await m.waitFor(/Tapez le code/);
    }
  });

  it('say "Service inconnu" for an unknown direct code', async () => {
    const m = await minitel('/NOPE/ws');
    await m.waitFor(() => m.row(0).includes('Service inconnu') && /Tapez le code/.test(m.text));
  });

  it('pace the line at the speed asked with ?speed=', async () => {
    const m = await minitel('/ws?speed=9600');
    await m.waitFor(/Code :/);
    m.send('ECHO\x13A');
    await m.waitFor(/vitesse 9600/);
  });

  it('accept any subprotocol and echo the first one offered', async () => {
    const m = await minitel('/ws', { protocols: ['tty', 'arduino'] });
    expect(m.socket.protocol).toBe('tty');
    await m.waitFor(/Code :/);
  });

  it('refuse other paths with 404', async () => {
    await expect(WsMinitel.connect(server.wsUrl('/elsewhere'))).rejects.toThrow(/404/);
  });

  it('answer pings with the keep-alive of ws', async () => {
    const m = await minitel();
    await m.waitFor(/Code :/);
    const pong = new Promise<void>((resolve) => m.socket.once('pong', () => resolve()));
    m.socket.ping();
    await pong;
    expect(m.socket.readyState).toBe(WebSocket.OPEN);
  });
});

describe('routeOf', () => {
  it('reads the service code and speed from the URL', () => {
    expect(routeOf('/ws')).toEqual({});
    expect(routeOf('/ws?url=ulla&speed=1200')).toEqual({ serviceCode: 'ulla', speed: 1200 });
    expect(routeOf('/ULLA/ws')).toEqual({ serviceCode: 'ULLA' });
    expect(routeOf('/?url=ULLA')).toEqual({ serviceCode: 'ULLA' });
    expect(routeOf('/ws?speed=0')).toEqual({ speed: 0 });
    expect(routeOf('/ws?speed=12')).toEqual({});
    expect(routeOf('/ws?url=%00%1B')).toEqual({});
    expect(routeOf('/other')).toBeUndefined();
    expect(routeOf('/a/b/ws')).toBeUndefined();
  });
});

describe('bytesOfText', () => {
  it('maps each character to one byte and drops characters above U+00FF', () => {
    expect(Array.from(bytesOfText(Buffer.from('A\u0093\u00ff\u20acB', 'utf8')))).toEqual([0x41, 0x93, 0xff, 0x42]);
    const ascii = Buffer.from('\x13A');
    expect(bytesOfText(ascii)).toBe(ascii);
  });
});
