/**
 * The emulator served by a real `teletel serve` (the CLI command, in-process,
 * on port 0) in Chromium: the page at `/`, the Télétel home page read back
 * from the element's screen model and from its canvas, a code typed with real
 * key events, Envoi, the service reached, the on-screen keys, grey mode, and
 * line pacing measured in the page. Skipped when Chromium is not installed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServeCommand } from '../cli/commands/serve.js';
import { parseCommandArgs } from '../cli/command.js';
import type { TerminalLink } from '../sdk/link.js';
import { FREE, type Service } from '../sdk/service.js';
import { renderScreen } from '../render/raster.js';
import { palette } from '../render/palette.js';
import { Screen } from '../videotex/screen.js';
import type { Gateway } from '../server/gateway.js';
import { CHROMIUM_SKIP_MESSAGE, builtEmulator, chromiumAvailable, launchBrowser } from './test-support/browser.js';
// For the global HTMLElementTagNameMap entry of <minitel-terminal> (the module itself needs a DOM).
import type {} from './element.js';

const available = chromiumAvailable();
if (!available) console.warn(CHROMIUM_SKIP_MESSAGE);

const at = (row: number, column: number) => String.fromCharCode(0x1f, 0x40 + row, 0x40 + column);

function untilClosed(link: TerminalLink): Promise<void> {
  return new Promise((resolve) => {
    if (link.closed.aborted) resolve();
    else link.closed.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Shows the terminal model the gateway identified, echoes typed letters, names function keys. */
const DEMO: Service = {
  code: 'DEMO',
  name: 'Démonstration',
  description: "Service d'essai de l'émulateur",
  tariff: FREE,
  keywords: [],
  async run(link) {
    const screen = link.wanted;
    screen.writeString(`\x0c${at(1, 1)}Bienvenue sur DEMO${at(2, 1)}modele ${link.capabilities.model}`);
    link.update();
    let typed = '';
    const off = link.onInput((event) => {
      if (event.type === 'char') {
        typed = (typed + event.char).slice(-30);
        screen.writeString(`${at(5, 1)}${typed}\x18`);
      } else if (event.type === 'function') {
        screen.writeString(`${at(7, 1)}Touche ${event.name}\x18`);
      } else {
        return;
      }
      link.update();
    });
    await untilClosed(link);
    off();
  },
};

/** The pacing probe: Envoi sends exactly 1,200 characters, as raw bytes on the line. */
export const STREAM_LENGTH = 1200;
const FLOT: Service = {
  code: 'FLOT',
  name: 'Flot',
  description: '1200 caractères par Envoi',
  tariff: FREE,
  keywords: [],
  async run(link) {
    link.wanted.writeString(`\x0c${at(1, 1)}Pret`);
    link.update();
    const off = link.onInput((event) => {
      if (event.type !== 'function' || event.name !== 'Envoi') return;
      const stream = new Uint8Array(STREAM_LENGTH);
      stream[0] = 0x0c;
      for (let i = 1; i < STREAM_LENGTH; i++) stream[i] = 0x41 + (i % 26);
      link.sendCommand(stream);
    });
    await untilClosed(link);
    off();
  },
};

describe.skipIf(!available)('<minitel-terminal> served by teletel serve', () => {
  let browser: Browser;
  let origin = '';
  let stop: (signal: string) => void = () => {};
  let served: Promise<number | void> | undefined;
  let dataDir = '';
  let gateway: Gateway | undefined;

  beforeAll(async () => {
    const publicDir = await builtEmulator();
    dataDir = await mkdtemp(join(tmpdir(), 'teletel-serve-'));
    const listening = new Promise<number>((resolve) => {
      const command = createServeCommand({
        services: async () => [DEMO, FLOT],
        stopSignal: () => new Promise<string>((resolveStop) => (stop = resolveStop)),
        onListening: (served, address) => {
          gateway = served;
          resolve(address.port);
        },
      });
      const args = parseCommandArgs(command, [
        '--port=0',
        '--host=127.0.0.1',
        '--tcp-port=off',
        `--data=${dataDir}`,
        `--public=${publicDir}`,
        '--log-level=silent',
      ]);
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      served = command.run(args, { stdin: process.stdin, stdout: sink, stderr: sink, cwd: process.cwd(), env: {} });
      served.catch((error: unknown) => console.error('teletel serve failed:', error));
    });
    origin = `http://127.0.0.1:${await listening}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    stop('test over');
    await served;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(origin + path);
    await page.waitForFunction(() => document.querySelector('minitel-terminal')?.state === 'connected');
    return page;
  }

  async function waitForText(page: Page, text: string): Promise<void> {
    await page.waitForFunction((t) => document.querySelector('minitel-terminal')!.text().includes(t), text, { timeout: 10_000 });
  }

  const screenText = (page: Page) => page.evaluate(() => document.querySelector('minitel-terminal')!.text());

  /** The element's screen model brought back to Node, and its canvas pixels. */
  async function snapshot(page: Page): Promise<{ screen: Screen; pixels: number[] }> {
    const state = await page.evaluate(() => {
      const element = document.querySelector('minitel-terminal')!;
      element.blink = false;
      element.flush();
      element.paintNow();
      const s = element.screen;
      return {
        cells: Array.from(s.cells),
        globalMask: s.globalMask,
        cursor: [s.cursorVisible, s.cursorRow, s.cursorColumn] as const,
        // Base64: 320 000 numbers as a JSON array would take seconds to cross the protocol.
        pixels: (() => {
          const data = element.canvas.getContext('2d')!.getImageData(0, 0, 320, 250).data;
          let binary = '';
          for (let i = 0; i < data.length; i += 8192) binary += String.fromCharCode(...data.subarray(i, i + 8192));
          return btoa(binary);
        })(),
      };
    });
    const screen = new Screen();
    screen.cells.set(state.cells);
    screen.globalMask = state.globalMask;
    [screen.cursorVisible, screen.cursorRow, screen.cursorColumn] = state.cursor;
    return { screen, pixels: Array.from(Buffer.from(state.pixels, 'base64')) };
  }

  it('shows the Télétel home page at /, in the screen model and on the canvas', async () => {
    const page = await open('/?speed=max');
    await waitForText(page, 'Télétel');
    const { screen, pixels } = await snapshot(page);
    expect(screen.text()).toContain('Télétel');
    // The canvas is exactly the picture the PNG renderer draws of that screen model.
    const expected = renderScreen(screen, { blinkPhase: 'on', cursor: true });
    let different = 0;
    for (let i = 0; i < pixels.length; i++) if (pixels[i] !== expected.data[i]) different++;
    expect(different).toBe(0);
    // The title band (row 2) is blue, as pages.ts paints it.
    expect(pixels.slice((25 * 320 + 4) * 4, (25 * 320 + 4) * 4 + 3)).toEqual([0, 0, 255]);
    await page.close();
  });

  it('types a code with real key events, Envoi opens the service, which saw a Minitel 2', async () => {
    const page = await open('/?speed=max');
    await waitForText(page, 'Télétel');
    await page.keyboard.type('demo');
    // The gateway echoes the code (no local echo while connected, p.81).
    await waitForText(page, 'DEMO');
    await page.keyboard.press('Enter');
    await waitForText(page, 'Bienvenue sur DEMO');
    // The emulator answered the gateway's ENQROM as a Minitel 2 (p.138–139).
    expect((await screenText(page)).split('\n')[2]).toBe('modele minitel2');
    await page.keyboard.type('abc');
    await waitForText(page, 'ABC');
    await page.close();
  });

  it('opens a service from /?url=CODE and sends the on-screen function keys to it', async () => {
    const page = await open('/?speed=max&url=DEMO');
    await waitForText(page, 'Bienvenue sur DEMO');
    for (const [name, shown] of [
      ['Suite', 'Touche Suite'],
      ['Retour', 'Touche Retour'],
      ['Guide', 'Touche Guide'],
      ['Repetition', 'Touche Repetition'],
      ['Correction', 'Touche Correction'],
      ['Annulation', 'Touche Annulation'],
      ['Sommaire', 'Touche Sommaire'],
      ['Envoi', 'Touche Envoi'],
    ]) {
      await page.locator(`minitel-terminal button[data-key="${name}"]`).click();
      await waitForText(page, shown);
    }
    // Connexion/Fin leaves the service: back to the Télétel home page.
    await page.locator('minitel-terminal button[data-key="ConnexionFin"]').click();
    await waitForText(page, 'Télétel');
    await page.close();
  });

  it('draws the home page in the grey levels of a monochrome Minitel (p.32)', async () => {
    const page = await open('/?speed=max&colour=grey');
    await waitForText(page, 'Télétel');
    const { pixels } = await snapshot(page);
    // Blue is 40 % grey on a monochrome Minitel.
    expect(pixels.slice((25 * 320 + 4) * 4, (25 * 320 + 4) * 4 + 3)).toEqual([...palette('grey')[4]]);
    await page.close();
  });

  it('paces a 1,200-character stream at 1200 baud: 10 s within 2%, measured in the page', async () => {
    const page = await open('/?speed=1200&url=FLOT');
    await waitForText(page, 'Pret');
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    await page.evaluate(() => document.querySelector('minitel-terminal')!.resetLineStats());
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('minitel-terminal')!.lineStats.bytesDecoded >= n, STREAM_LENGTH, {
      timeout: 20_000,
      polling: 100,
    });
    const stats = await page.evaluate(() => document.querySelector('minitel-terminal')!.lineStats);
    expect(stats.bytesDecoded).toBe(STREAM_LENGTH);
    const elapsed = stats.lastDecodedAt - stats.firstDecodedAt;
    const exact = ((STREAM_LENGTH - 1) / 120) * 1000;
    console.log(`teletel serve → emulator: ${STREAM_LENGTH} chars at 1200 baud in ${(elapsed / 1000).toFixed(3)} s (exact ${(exact / 1000).toFixed(3)} s)`);
    expect(Math.abs(elapsed - exact) / exact).toBeLessThan(0.02);
    await page.close();
  }, 40_000);

  it('reconnects by itself when the line drops and shows the same screen, the service going on', async () => {
    const page = await open('/?speed=max&url=DEMO');
    await waitForText(page, 'Bienvenue sur DEMO');
    await page.keyboard.type('avant');
    await waitForText(page, 'AVANT');
    // The resume token arrives after the first page.
    await expect.poll(() => gateway!.sessionStates().length).toBeGreaterThan(0);
    const before = await snapshot(page);
    await page.evaluate(() => {
      const element = document.querySelector('minitel-terminal')!;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      element.addEventListener('statechange', (event) => seen.push(`${(event as CustomEvent<{ state: string; reason?: string }>).detail.state} ${(event as CustomEvent<{ reason?: string }>).detail.reason ?? ''}`));
    });
    // The server side cuts every WebSocket without a close frame, as a dropped line does.
    const transport = (gateway as unknown as { websocket: { connections: Set<{ destroy(): void }> } }).websocket;
    for (const connection of [...transport.connections]) connection.destroy();
    await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('connected '), undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['connecting Line lost, reconnecting', 'connecting Line lost, reconnecting', 'connected ']);
    await waitForText(page, 'AVANT');
    await page.waitForFunction(() => document.querySelector('minitel-terminal')!.pending === 0);
    const after = await snapshot(page);
    // Cell for cell as the user sees them (a text space and an empty mosaic look alike), and the cursor.
    expect(after.screen.firstVisualDifference(before.screen)).toBeUndefined();
    expect([after.screen.cursorRow, after.screen.cursorColumn]).toEqual([before.screen.cursorRow, before.screen.cursorColumn]);
    // The same visit, with what was typed before the drop.
    await page.keyboard.type('apres');
    await waitForText(page, 'AVANTAPRES');
    await page.close();
  });
});
