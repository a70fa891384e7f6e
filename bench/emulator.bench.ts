/**
 * Browser emulator: full-screen repaint time of <minitel-terminal> in
 * Chromium (Playwright), the cost of redrawing all 25 rows of a busy page into
 * the canvas (Raster.update + putImageData), and of a one-row update.
 */
import { corpusAvailable, readCorpusPage, CORPUS_SKIP_MESSAGE } from '../src/test-support/reference-pages.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';
import {
  CHROMIUM_SKIP_MESSAGE,
  builtEmulator,
  chromiumAvailable,
  launchBrowser,
  startPageServer,
} from '../src/terminal/test-support/browser.js';

/** A full page of colour mosaics and text, from the shared corpus. */
const PAGE = 'Micro-Serveurs_TELAIX_E.TELAIX.TITRE';
const RUNS = 500;

export default async function run(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(CHROMIUM_SKIP_MESSAGE);
    return;
  }
  if (!corpusAvailable()) {
    console.log(CORPUS_SKIP_MESSAGE);
    return;
  }
  const bytes = Array.from(stripFilePadding(readCorpusPage(PAGE)));
  const server = await startPageServer(await builtEmulator(), () => {});
  server.pages.set('/bench.html', '<script type="module" src="/minitel-terminal.js"></script><minitel-terminal speed="max" scale="3" bezel></minitel-terminal>');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench.html`);
    const figures = await page.evaluate(
      async ({ bytes, runs }) => {
        await customElements.whenDefined('minitel-terminal');
        const element = document.querySelector('minitel-terminal')!;
        element.blink = false;
        element.receive(Uint8Array.from(bytes));
        element.flush();
        element.repaint();
        // performance.now() is coarsened to 0.1 ms in a page: time whole loops and divide.
        const best = { full: Infinity, row: Infinity };
        for (let round = 0; round < 5; round++) {
          let start = performance.now();
          for (let i = 0; i < runs; i++) element.repaint();
          best.full = Math.min(best.full, (performance.now() - start) / runs);
          start = performance.now();
          for (let i = 0; i < runs; i++) {
            element.screen.dirty[12] = 1;
            element.paintNow();
          }
          best.row = Math.min(best.row, (performance.now() - start) / runs);
        }
        return best;
      },
      { bytes, runs: RUNS },
    );
    console.log(
      `emulator: full-screen repaint ${figures.full.toFixed(3)} ms, one row ${figures.row.toFixed(3)} ms ` +
        `(best of 5 × ${RUNS} in Chromium ${browser.version()}; 320×250 canvas, corpus page ${PAGE})`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}
