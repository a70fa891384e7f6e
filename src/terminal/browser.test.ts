/**
 * The emulator in a real browser (Debian's Chromium through playwright-core),
 * against a small WebSocket server started here that serves the bundle and
 * plays the part of a Videotex server. Skipped, with a message, when Chromium
 * is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { WebSocket } from 'ws';
import { Terminal } from '../videotex/terminal.js';
import { stripFilePadding } from '../videotex/vdt-file.js';
import { renderScreen } from '../render/raster.js';
import { palette } from '../render/palette.js';
import { corpusAvailable, readCorpusPage } from '../test-support/reference-pages.js';
import {
  CHROMIUM_SKIP_MESSAGE,
  builtEmulator,
  chromiumAvailable,
  latin1,
  launchBrowser,
  startPageServer,
  type PageServer,
} from './test-support/browser.js';
// For the global HTMLElementTagNameMap entry of <minitel-terminal> (the module itself needs a DOM).
import type {} from './element.js';

const available = chromiumAvailable();
if (!available) console.warn(CHROMIUM_SKIP_MESSAGE);

/** One connection as the test server sees it. */
interface Session {
  socket: WebSocket;
  path: string;
  /** Every byte received from the emulator, frame after frame. */
  received: number[];
  frames: { bytes: number[]; binary: boolean }[];
}

const CORPUS_PAGE = 'Micro-Serveurs_TELAIX_E.TELAIX.TITRE';

describe.skipIf(!available)('<minitel-terminal> in Chromium', () => {
  let browser: Browser;
  let server: PageServer;
  let waiting: ((session: Session) => void)[] = [];
  let greet: (session: Session) => void = () => {};

  beforeAll(async () => {
    const root = await builtEmulator();
    server = await startPageServer(
      root,
      (socket, path) => {
        const session: Session = { socket, path, received: [], frames: [] };
        socket.on('message', (data, isBinary) => {
          const frame = latin1(data, isBinary);
          session.frames.push(frame);
          session.received.push(...frame.bytes);
        });
        greet(session);
        const next = waiting.shift();
        next?.(session);
      },
      { protocols: ['tty'] },
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  function nextSession(onOpen: (session: Session) => void = () => {}): Promise<Session> {
    greet = onOpen;
    return new Promise((resolve) => waiting.push(resolve));
  }

  async function open(
    path = '/?speed=max',
    onOpen?: (session: Session) => void,
    pageOptions: Parameters<Browser['newPage']>[0] = {},
  ): Promise<{ page: Page; session: Session }> {
    waiting = [];
    const sessionPromise = nextSession(onOpen);
    const page = await browser.newPage(pageOptions);
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(server.origin + path);
    const session = await sessionPromise;
    await page.waitForFunction(() => document.querySelector('minitel-terminal')?.state === 'connected');
    return { page, session };
  }

  const screenText = (page: Page) => page.evaluate(() => document.querySelector('minitel-terminal')!.text());

  async function waitForText(page: Page, text: string): Promise<void> {
    await page.waitForFunction((t) => document.querySelector('minitel-terminal')!.text().includes(t), text);
  }

  async function waitForReceived(session: Session, count: number): Promise<number[]> {
    const start = Date.now();
    while (session.received.length < count) {
      if (Date.now() - start > 5000) throw new Error(`server got ${hex(session.received)}, expected ${count} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return session.received.splice(0, count);
  }

  /** A canvas pixel as [r, g, b], after painting what is pending. */
  async function pixel(page: Page, x: number, y: number): Promise<number[]> {
    return page.evaluate(
      ([px, py]) => {
        const element = document.querySelector('minitel-terminal')!;
        element.paintNow();
        const data = element.canvas.getContext('2d')!.getImageData(px, py, 1, 1).data;
        return [data[0], data[1], data[2]];
      },
      [x, y],
    );
  }

  it('index.html connects to ws://<same host>/ws and shows what the server sends', async () => {
    const { page, session } = await open('/?speed=max', (s) => s.socket.send('\x0c\x1f\x41\x41TELETEL\x1f\x42\x41BONJOUR'));
    expect(session.path).toBe('/ws');
    await waitForText(page, 'BONJOUR');
    const text = await screenText(page);
    expect(text.split('\n')[1]).toBe('TELETEL');
    // 'T' at row 1, column 1: its top bar is white ink on row 10 of the picture (cell 8×10).
    expect(await pixel(page, 2, 11)).toEqual([255, 255, 255]);
    expect(await pixel(page, 2, 9)).toEqual([0, 0, 0]);
    expect(await page.evaluate(() => document.querySelector('minitel-terminal')!.shadowRoot!.querySelector('.status')!.textContent)).toMatch(/Connected/);
    await page.close();
  });

  it('passes ?url=CODE on to the gateway as /ws?url=CODE', async () => {
    const { page, session } = await open('/?speed=max&url=ANNU');
    expect(session.path).toBe('/ws?url=ANNU');
    await page.close();
  });

  it('answers ENQROM as a Minitel 2 by default and as a 1B with model="minitel1b" (p.138–139)', async () => {
    const { page, session } = await open('/?speed=max', (s) => s.socket.send('\x1b\x39\x7b'));
    expect(hex(await waitForReceived(session, 5))).toBe('01 42 76 34 04');
    await page.close();
    const second = await open('/?speed=max&model=minitel1b', (s) => s.socket.send('\x1b\x39\x7b'));
    expect(hex(await waitForReceived(second.session, 5))).toBe('01 43 75 34 04');
    await second.page.close();
  });

  it('text frames are Latin-1, one character per byte, never UTF-8, both ways', async () => {
    // é = SS2 42 e (p.88); a character beyond U+00FF is a line error: the SUB block (p.48).
    const { page, session } = await open('/?speed=max', (s) => s.socket.send('\x0c\x19\x42e\xe9t\u20ac'));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    await waitForText(page, 'é');
    await pressComposed(page, 'é');
    expect(hex(await waitForReceived(session, 3))).toBe('19 42 65');
    expect(session.frames.every((f) => !f.binary)).toBe(true);
    const text = (await screenText(page)).split('\n')[1];
    // 0xE9 masked to 7 bits is 'i' (docs §11); € is the error block.
    expect(text.slice(0, 3)).toBe('éit');
    await page.close();
  });

  it('answers in binary frames once the server sends binary', async () => {
    const { page, session } = await open('/?speed=max', (s) => s.socket.send(Buffer.from([0x0c, 0x41])));
    await waitForText(page, 'A');
    await page.keyboard.press('F8');
    expect(hex(await waitForReceived(session, 2))).toBe('13 41');
    expect(session.frames.at(-1)?.binary).toBe(true);
    await page.close();
  });

  it('offers the subprotocol attribute to the server', async () => {
    server.pages.set(
      '/subprotocol.html',
      `<script type="module" src="/minitel-terminal.js"></script><minitel-terminal speed="max" subprotocol="tty" url="${server.socketUrl}"></minitel-terminal>`,
    );
    const { page, session } = await open('/subprotocol.html');
    expect(session.socket.protocol).toBe('tty');
    await page.close();
  });

  it('maps the PC keyboard: letters, Enter = Envoi, Backspace = Correction, Escape, Page keys, F1–F9', async () => {
    const { page, session } = await open();
    await page.keyboard.type('3615 ulla');
    // Uppercase mode (power-on): unshifted letters send capitals (p.43).
    expect(ascii(await waitForReceived(session, 9))).toBe('3615 ULLA');
    const keys: [string, string][] = [
      ['Enter', '13 41'],
      ['Backspace', '13 47'],
      ['Escape', '13 45'],
      ['PageDown', '13 48'],
      ['PageUp', '13 42'],
      ['F1', '13 46'],
      ['F4', '13 43'],
      ['F5', '13 44'],
      ['Shift+Enter', '0D'],
      ['Shift+F7', '19 41'], // TS + Suite: the grave accent key (p.118)
      ['Control+F6', '19 4B 63'], // Ctrl + Correction: ç
    ];
    for (const [key, bytes] of keys) {
      await page.keyboard.press(key);
      expect(hex(await waitForReceived(session, bytes.split(' ').length)), key).toBe(bytes);
    }
    // Cursor keys need the extended keyboard (p.110): nothing until the service turns it on.
    await page.keyboard.press('ArrowUp');
    session.socket.send('\x1b\x3b\x69\x59\x41'); // PRO3 START extended keyboard
    expect(hex(await waitForReceived(session, 5))).toBe('1B 3B 73 59 41'); // keyboard status reply (p.142)
    await page.keyboard.press('ArrowUp');
    expect(hex(await waitForReceived(session, 3))).toBe('1B 5B 41');
    session.socket.send('\x1b\x3a\x69\x45'); // START MINUSCULES
    expect(hex(await waitForReceived(session, 4))).toBe('1B 3A 73 48');
    await page.keyboard.type('aB');
    expect(ascii(await waitForReceived(session, 2))).toBe('aB');
    await page.close();
  });

  it('sends a dead-key or AltGr character as one composed key, and the phone keyboard through the hidden input', async () => {
    const { page, session } = await open();
    // A composed character arrives as one KeyboardEvent.key: dead ` then e gives 'è'.
    await pressComposed(page, 'è', 'Dead');
    expect(hex(await waitForReceived(session, 3))).toBe('19 41 65');
    // AltGr (Ctrl+Alt on Windows) + a key gives the character the layout puts there.
    await pressComposed(page, '£', undefined, 3 /* CDP modifiers: Alt 1 + Ctrl 2 */);
    expect(hex(await waitForReceived(session, 2))).toBe('19 23');
    // A phone keyboard gives text input events, not keys: tap the screen, type.
    await page.locator('minitel-terminal canvas').click();
    await page.keyboard.insertText('ça');
    expect(hex(await waitForReceived(session, 4))).toBe('19 4B 63 41');
    // Pasted text is typed key after key; a line break is Envoi.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'ok\n');
      const element = document.querySelector('minitel-terminal')!;
      element.focus();
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true }));
    });
    expect(hex(await waitForReceived(session, 4))).toBe('4F 4B 13 41');
    await page.close();
  });

  it('the on-screen keys send the nine function keys; Connexion/Fin sends SEP 49, then hangs up', async () => {
    const { page, session } = await open();
    const expected: [string, string][] = [
      ['Sommaire', '13 46'],
      ['Annulation', '13 45'],
      ['Retour', '13 42'],
      ['Repetition', '13 43'],
      ['Guide', '13 44'],
      ['Correction', '13 47'],
      ['Suite', '13 48'],
      ['Envoi', '13 41'],
      ['ConnexionFin', '13 49'],
    ];
    for (const [name, bytes] of expected) {
      await page.locator(`minitel-terminal button[data-key="${name}"]`).click();
      expect(hex(await waitForReceived(session, 2)), name).toBe(bytes);
    }
    const labels = await page.locator('minitel-terminal .keys button').allTextContents();
    expect(labels[0]).toContain('F1');
    expect(labels[7]).toContain('Entrée');
    await page.locator('minitel-terminal button[data-key="ConnexionFin"]').click();
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.state === 'closed');
    await expectText(page.locator('minitel-terminal .status'), /hung up \(Connexion\/Fin\)/);
    // Pressed again when closed, it dials the same address.
    const again = nextSession();
    await page.locator('minitel-terminal button[data-key="ConnexionFin"]').click();
    await again;
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.state === 'connected');
    await page.close();
  });

  it('echoes typed keys on the screen when the service links keyboard to screen (PRO3, p.81)', async () => {
    const { page, session } = await open('/?speed=max', (s) => s.socket.send('\x0c\x1b\x3b\x61\x58\x51'));
    expect(hex(await waitForReceived(session, 5))).toBe('1B 3B 63 58 47');
    expect(await page.evaluate(() => document.querySelector('minitel-terminal')!.terminal.localEcho)).toBe(true);
    await page.keyboard.type('OK');
    await waitForText(page, 'ok');
    await page.close();
  });

  it('draws the grey levels of a monochrome Minitel with colour="grey" (p.32)', async () => {
    server.pages.set(
      '/grey.html',
      `<script type="module" src="/minitel-terminal.js"></script><minitel-terminal colour="grey" speed="max" url="${server.socketUrl}"></minitel-terminal>`,
    );
    // A red delimiter then CAN: row 1 is a red zone (docs §10 rule 2).
    const { page } = await open('/grey.html', (s) => s.socket.send('\x0c\x1b\x51\x20\x18\x14'));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    expect(await pixel(page, 100, 15)).toEqual([...palette('grey')[1]]);
    await page.evaluate(() => document.querySelector('minitel-terminal')!.setAttribute('colour', 'colour'));
    expect(await pixel(page, 100, 15)).toEqual([255, 0, 0]);
    await page.close();
  });

  it('redraws only the rows that changed, in one animation frame', async () => {
    const { page, session } = await open('/?speed=max', (s) => s.socket.send('\x0c\x14'));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    const before = await page.evaluate(() => {
      const element = document.querySelector('minitel-terminal')!;
      element.paintNow();
      return element.rowsPainted;
    });
    session.socket.send('\x1f\x45\x41X\x1f\x46\x41Y');
    await waitForText(page, 'Y');
    const drawn = await page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.querySelector('minitel-terminal')!.rowsPainted))),
        ),
    );
    expect(drawn - before).toBe(2);
    await page.close();
  });

  it('blinks with one-second phases (about 0.5 Hz, p.84)', async () => {
    // A blinking white block (ESC 48, DEL) at row 1, column 1.
    const { page } = await open('/?speed=max', (s) => s.socket.send('\x0c\x14\x1b\x48\x7f'));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    const samples: number[] = [];
    const times: number[] = [];
    const start = Date.now();
    while (Date.now() - start < 2600) {
      samples.push((await pixel(page, 3, 15))[0]);
      times.push(Date.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(new Set(samples)).toEqual(new Set([0, 255]));
    // Count phase changes: 2.6 s of one-second phases give 2 or 3 of them.
    let changes = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i] !== samples[i - 1]) changes++;
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(changes).toBeLessThanOrEqual(3);
    await page.close();
  });

  it('sizes the screen by whole device pixels per Minitel pixel, 320×250 proportions', async () => {
    // index.html: scale="auto" fills the window, bezel included.
    const { page } = await open('/?speed=max', undefined, { viewport: { width: 1280, height: 900 } });
    const auto = await page.evaluate(() => {
      const element = document.querySelector('minitel-terminal')!;
      const box = element.canvas.getBoundingClientRect();
      const bezel = element.shadowRoot!.querySelector('.case')!.getBoundingClientRect();
      return { width: box.width, height: box.height, bottom: bezel.bottom, right: bezel.right, dpr: devicePixelRatio };
    });
    const k = (auto.width * auto.dpr) / 320;
    expect(Number.isInteger(k)).toBe(true);
    expect(k).toBeGreaterThanOrEqual(2);
    expect(auto.height * auto.dpr).toBe(250 * k);
    expect(auto.right).toBeLessThanOrEqual(1280);
    expect(auto.bottom).toBeLessThanOrEqual(900);
    await page.close();

    // scale="3" on a 2× display: 6 device pixels per Minitel pixel, 960×750 CSS pixels.
    server.pages.set(
      '/scale.html',
      `<script type="module" src="/minitel-terminal.js"></script><minitel-terminal scale="3" speed="max" url="${server.socketUrl}"></minitel-terminal>`,
    );
    const hiDpi = await open('/scale.html', undefined, { deviceScaleFactor: 2, viewport: { width: 1200, height: 1000 } });
    const size = await hiDpi.page.evaluate(() => {
      const canvas = document.querySelector('minitel-terminal')!.canvas;
      const box = canvas.getBoundingClientRect();
      return [box.width, box.height, canvas.width, canvas.height];
    });
    expect(size).toEqual([960, 750, 320, 250]);
    await hiDpi.page.close();
  });

  it('rings the bell on BEL (p.98)', async () => {
    const { page } = await open('/?speed=max', (s) => s.socket.send('\x07'));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.bellCount === 1);
    await page.close();
  });

  it('shows the connection state and reconnects with the button', async () => {
    const { page, session } = await open();
    const status = page.locator('minitel-terminal .status');
    await expectText(status, /Connected/);
    session.socket.close(1000, 'bye');
    await expectText(status, /closed \(1000\): bye/);
    const again = nextSession();
    await page.locator('minitel-terminal .reconnect').click();
    await again;
    await expectText(status, /Connected/);
    await page.close();
  });

  it('copies the screen as text, saves a PNG, records the session as .vdt and replays a dropped .vdt', async () => {
    const { page, session } = await open();
    await page.evaluate(() => document.querySelector('minitel-terminal')!.startRecording());
    session.socket.send('\x0c\x1f\x41\x41REC');
    await waitForText(page, 'REC');
    const recorded = await page.evaluate(() => Array.from(document.querySelector('minitel-terminal')!.stopRecording()));
    expect(hex(recorded)).toBe('0C 1F 41 41 52 45 43');

    const png = await page.evaluate(async () => {
      const blob = await document.querySelector('minitel-terminal')!.screenshot();
      return Array.from(new Uint8Array(await blob.arrayBuffer()).slice(0, 8));
    });
    expect(hex(png)).toBe('89 50 4E 47 0D 0A 1A 0A');

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.locator('minitel-terminal [data-action="copy"]').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await screenText(page));

    // Drop a page file on the element, with its DOS end-of-file padding (docs §11).
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array([0x0c, 0x1f, 0x43, 0x41, 0x44, 0x52, 0x4f, 0x50, 0x1a])], 'drop.vdt'));
      document.querySelector('minitel-terminal')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await waitForText(page, 'DROP');
    expect((await screenText(page)).split('\n')[3]).toBe('DROP');
    await page.close();
  });

  it.skipIf(!corpusAvailable())('draws a corpus page pixel for pixel as the PNG renderer does', async () => {
    const bytes = stripFilePadding(readCorpusPage(CORPUS_PAGE));
    const { page } = await open('/?speed=max', (s) => s.socket.send(Buffer.from(bytes)));
    await page.waitForFunction((n) => document.querySelector('minitel-terminal')!.lineStats.bytesDecoded >= n, bytes.length);
    const canvasBase64 = await page.evaluate(() => {
      const element = document.querySelector('minitel-terminal')!;
      element.blink = false; // the 'on' phase, as `teletel render` draws
      element.paintNow();
      const data = element.canvas.getContext('2d')!.getImageData(0, 0, 320, 250).data;
      // Base64: 320 000 numbers as a JSON array would take seconds to cross the protocol.
      let binary = '';
      for (let i = 0; i < data.length; i += 8192) binary += String.fromCharCode(...data.subarray(i, i + 8192));
      return btoa(binary);
    });
    const canvas = Buffer.from(canvasBase64, 'base64');
    const terminal = new Terminal();
    terminal.write(bytes);
    const expected = renderScreen(terminal.screen, { blinkPhase: 'on', cursor: true });
    expect(canvas.length).toBe(expected.data.length);
    let different = 0;
    for (let i = 0; i < canvas.length; i++) if (canvas[i] !== expected.data[i]) different++;
    expect(different).toBe(0);
    expect(await screenText(page)).toBe(terminal.screen.text());
    await page.close();
  });

  it('paces 1,200 characters at 1200 baud in 10 s, within 2% (10 bits per character, p.47)', async () => {
    const { page, session } = await open('/?speed=1200');
    await page.evaluate(() => document.querySelector('minitel-terminal')!.resetLineStats());
    const text = Array.from({ length: 1200 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('');
    // In several frames, as a server writing a page piece by piece would.
    for (let i = 0; i < text.length; i += 100) session.socket.send(text.slice(i, i + 100));
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.lineStats.bytesDecoded >= 1200, undefined, {
      timeout: 15_000,
      polling: 100,
    });
    const stats = await page.evaluate(() => document.querySelector('minitel-terminal')!.lineStats);
    const elapsed = stats.lastDecodedAt - stats.firstDecodedAt;
    // The first byte is decoded after one character time, the last after 1,200.
    const expected = (1199 / 120) * 1000;
    console.log(`pacing: 1200 chars at 1200 baud in ${(elapsed / 1000).toFixed(3)} s (exact: ${(expected / 1000).toFixed(3)} s)`);
    expect(Math.abs(elapsed - expected) / expected).toBeLessThan(0.02);
    await page.close();
  }, 30_000);
});

/**
 * A key that a layout composes (a dead key then a letter, or AltGr + key), as
 * Chromium delivers it: a trusted keydown whose key is the composed character.
 * Playwright's keyboard only knows the US layout, so this goes through CDP.
 */
async function pressComposed(page: Page, char: string, deadKey?: 'Dead', modifiers = 0): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  if (deadKey) {
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Dead', code: 'BracketLeft' });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Dead', code: 'BracketLeft' });
  }
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: char, text: char, unmodifiedText: char, code: 'KeyE', modifiers });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: char, code: 'KeyE', modifiers });
  await cdp.detach();
}

async function expectText(locator: ReturnType<Page['locator']>, pattern: RegExp): Promise<void> {
  const start = Date.now();
  let text = '';
  while (Date.now() - start < 5000) {
    text = (await locator.textContent()) ?? '';
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`status '${text}' does not match ${pattern}`);
}

function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function ascii(bytes: number[]): string {
  return String.fromCharCode(...bytes);
}
