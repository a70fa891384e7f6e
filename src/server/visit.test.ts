/**
 * What the gateway does for a service on its link: Répétition (the page sent
 * again, whole, from a cleared screen) and goTo (GUIDE connecting the user to
 * another service). Real TCP and WebSocket clients; the TCP one keeps every
 * byte it received, so a test can look at what followed a key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineService } from '../sdk/define.js';
import { guideService } from '../services/guide/index.js';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { TcpMinitel, WsMinitel, type TestMinitel } from './test-support/minitel.js';
import { FREE, type Service } from '../sdk/service.js';
import { ECHO, PAID } from './test-support/services.js';

const servers: TestGateway[] = [];
const clients: TestMinitel[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.stop();
});

/** A page and a form, leaving Répétition to the SDK. */
const FICHE = defineService({
  code: 'FICHE',
  name: 'Fiche',
  async session(s) {
    s.draw((p) => p.clearScreen().at(2, 2).text('Fiche client', { size: 'double' }).at(5, 2).text('Nom :'));
    const { nom } = await s.form({ nom: { row: 5, column: 8, length: 20 } });
    s.notify(`Merci ${nom}`);
    await s.waitKey('Envoi');
  },
});

/** Handles Répétition itself: counts the presses. */
const COMPTEUR = defineService({
  code: 'COMPTEUR',
  name: 'Compteur',
  async session(s) {
    s.print(3, 2, 'Repetitions : 0');
    for (let n = 1; ; n++) {
      await s.waitKey('Repetition');
      s.print(3, 2, `Repetitions : ${n}`);
    }
  },
});

/** Row 0 cleared (US 40 41, CAN, LF), FF, cursor off: how a redraw starts (session.ts). */
const CLEAR_SCREEN = [0x1f, 0x40, 0x41, 0x18, 0x0a, 0x0c, 0x14];
const BEL = 0x07;

async function gateway(services = [FICHE, COMPTEUR, ECHO]): Promise<TestGateway> {
  const server = await startTestGateway({ services });
  servers.push(server);
  return server;
}

async function tcp(server: TestGateway): Promise<TcpMinitel> {
  const m = await TcpMinitel.connect(server.address.tcpPort!);
  clients.push(m);
  await m.waitFor(/Code :/);
  return m;
}

describe('Répétition', () => {
  it('in a service that leaves it to the SDK, clears the screen and sends the whole page again', async () => {
    const server = await gateway();
    const m = await tcp(server);
    m.type('FICHE');
    m.key('Envoi');
    await m.waitFor(/Fiche client/);
    m.type('Ana');
    await m.waitFor(() => m.row(5).includes('Ana'));
    const expected = m.terminal.screen.clone();
    const text = m.text;

    // Line noise garbles the user's screen; the gateway's mirror does not know.
    m.terminal.write(Uint8Array.from([0x0c, ...Buffer.from('#$%&garbage'), 0x1f, 0x45, 0x48, ...Buffer.from('zz')]));
    expect(m.text).not.toContain('Fiche client');
    const mark = m.rawReceived.length;
    m.key('Repetition');
    // The same page to the eye (the encoder may draw a double-size blank as two plain ones).
    await m.waitFor(() => m.terminal.screen.looksLike(expected));
    expect(m.text.replace(/ +/g, ' ')).toBe(text.replace(/ +/g, ' '));
    const after = m.rawReceived.slice(mark);
    expect(after.slice(0, CLEAR_SCREEN.length)).toEqual(CLEAR_SCREEN);
    expect(after).not.toContain(BEL);

    // The form goes on where it was.
    m.key('Envoi');
    await m.waitFor(() => m.row(0).startsWith('Merci Ana'));
  });

  it('goes to a service that handles it, and then nothing is sent again', async () => {
    const server = await gateway();
    const m = await tcp(server);
    m.type('COMPTEUR');
    m.key('Envoi');
    await m.waitFor(/Repetitions : 0/);
    const mark = m.rawReceived.length;
    m.key('Repetition');
    await m.waitFor(/Repetitions : 1/);
    expect(m.rawReceived.slice(mark)).not.toContain(0x0c);
  });

  it('reaches a service written on the bare link as a key, as any other', async () => {
    const server = await gateway();
    const m = await tcp(server);
    m.type('ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    m.key('Repetition');
    await m.waitFor(() => m.row(7) === 'Touche Repetition');
  });

  it('at the home page shows the cost of the session on row 0, as before', async () => {
    const server = await gateway();
    const m = await tcp(server);
    m.key('Repetition');
    await m.waitFor(() => /^Coût : gratuit/.test(m.row(0)));
  });
});

describe('keys pressed faster than the line answers them', () => {
  /** A digits-only field: every letter is refused with a beep. */
  const CODE = defineService({
    code: 'CODE',
    name: 'Code',
    async session(s) {
      const { code } = await s.form({ code: { row: 5, column: 10, length: 4, allowed: 'digits' } });
      s.print(7, 2, `Code ${code}`);
      await s.waitKey('Envoi');
    },
  });

  it('a paste of refused characters beeps without filling the command queue and failing the service', async () => {
    const server = await startTestGateway({ services: [CODE], limits: { commandQueueBytes: 64 } });
    servers.push(server);
    const m = await tcp(server);
    m.type('CODE');
    m.key('Envoi');
    await m.waitFor(() => m.row(5).endsWith('....'));
    const mark = m.rawReceived.length;
    m.send('x'.repeat(200));
    m.send('42\x13A');
    await m.waitFor(/Code 42/);
    expect(server.logs.some((line) => line.msg === 'service failed')).toBe(false);
    expect(m.rawReceived.slice(mark)).toContain(BEL);
  });

  it('Répétition pressed again before the page is sent again draws it once', async () => {
    const server = await gateway();
    const m = await tcp(server);
    m.type('FICHE');
    m.key('Envoi');
    await m.waitFor(/Fiche client/);
    const mark = m.rawReceived.length;
    m.send('\x13C'.repeat(5));
    m.type('Ana');
    await m.waitFor(() => m.row(5).includes('Ana'));
    const after = m.rawReceived.slice(mark);
    const redraws = after.filter((_, i) => CLEAR_SCREEN.every((b, k) => after[i + k] === b)).length;
    expect(redraws).toBe(1);
  });
});

describe('a service whose code throws where the gateway calls it', () => {
  const CASSE = defineService({
    code: 'CASSE',
    name: 'Casse',
    async session(s) {
      s.signal.addEventListener('abort', () => {
        throw new Error('cleanup bug');
      });
      s.signal.onabort = async () => {
        throw new Error('async cleanup bug');
      };
      s.print(3, 2, 'Service CASSE');
      await s.waitKey('Envoi');
    },
  });

  /** On the bare link: an input listener that returns a promise, which rejects. */
  const ASYNC_KEYS: Service = {
    code: 'ASYNC',
    name: 'Async',
    description: '',
    tariff: FREE,
    keywords: [],
    async run(link) {
      link.wanted.writeString('\x0c\x1f\x43\x42Service ASYNC');
      link.update();
      link.onInput(async (event) => {
        if (event.type === 'char') throw new Error(`cannot handle ${event.char}`);
      });
      await new Promise((resolve) => link.closed.addEventListener('abort', resolve));
    },
  };

  it('an input listener whose promise rejects is logged; the gateway and the session go on', async () => {
    const server = await gateway([ASYNC_KEYS, ECHO]);
    const m = await tcp(server);
    m.type('ASYNC');
    m.key('Envoi');
    await m.waitFor(/Service ASYNC/);
    m.type('X');
    await expect.poll(() => server.logs.filter((line) => line.msg === 'service input listener threw').length).toBe(1);
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
  });

  it('an abort listener that throws is logged as the service failing; the gateway and the session go on', async () => {
    const server = await gateway([CASSE, ECHO]);
    const m = await tcp(server);
    m.type('CASSE');
    m.key('Envoi');
    await m.waitFor(/Service CASSE/);
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect.poll(() => server.logs.filter((line) => line.msg === 'service abort listener threw').length).toBe(2);
    m.type('ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
  });
});

describe('goTo', () => {
  it('GUIDE connects the user to the service on its card with Envoi; the GUIDE visit is billed and closed', async () => {
    const server = await gateway([guideService(), ECHO, PAID]);
    const m = await WsMinitel.connect(server.wsUrl());
    clients.push(m);
    await m.waitFor(/Code :/);
    m.type('GUIDE');
    m.key('Envoi');
    await m.waitFor(/Trouvez un service/);
    m.type('payant');
    m.key('Envoi');
    await m.waitFor(/1 PAYANT/);
    m.type('1');
    m.key('Envoi');
    await m.waitFor(/se connecter/);
    m.key('Envoi');
    await m.waitFor(/Service PAYANT/);
    // The user is in PAYANT now: Connexion/Fin leaves it for the home page, with its cost.
    m.key('ConnexionFin');
    await m.waitFor(/Tapez le code/);
    await expect.poll(async () => (await server.store.sessions.recent(5)).map((r) => r.service).sort()).toEqual(['GUIDE', 'PAYANT']);
  });
});
