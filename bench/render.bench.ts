/**
 * Full-screen render throughput: frames per second for Raster.drawAll at
 * scale 1, colour, over decoded corpus pages. The browser emulator redraws
 * only dirty rows, so this is its worst case (every row changed every frame);
 * it needs 50 frames per second to keep up with a Minitel's 50 Hz screen.
 */
import { corpusAvailable, corpusPages, readCorpusPage, CORPUS_SKIP_MESSAGE } from '../src/test-support/reference-pages.js';
import { Raster } from '../src/render/raster.js';
import type { Screen } from '../src/videotex/screen.js';
import { Terminal } from '../src/videotex/terminal.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';

function framesPerSecond(screens: Screen[], raster: Raster, seconds: number): number {
  let frames = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (const screen of screens) raster.drawAll(screen);
    frames += screens.length;
    elapsed = performance.now() - start;
  }
  return frames / (elapsed / 1000);
}

export default function run(): void {
  if (!corpusAvailable()) {
    console.log(CORPUS_SKIP_MESSAGE);
    return;
  }
  const screens = corpusPages().map((name) => {
    const terminal = new Terminal();
    terminal.write(stripFilePadding(readCorpusPage(name)));
    return terminal.screen;
  });
  const raster = new Raster({ scale: 1, colour: 'colour' });
  framesPerSecond(screens, raster, 1); // warm-up: let the JIT settle
  const figures = [1, 2, 3].map(() => framesPerSecond(screens, raster, 2)).sort((a, b) => a - b);
  console.log(
    `render: ${Math.round(figures[1])} full frames/s at scale 1, colour (median of 3 runs; ${screens.length} corpus pages, ` +
      `${(figures[1] * 320 * 250 / 1e6).toFixed(0)} Mpixel/s)`,
  );
}
