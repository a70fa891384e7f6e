/**
 * Encoder figures over the corpus: encodeScreen size against the original
 * page, encodeDiff size for consecutive pages, and throughput. At 1200 baud a
 * byte is 1/120 s, so sizes are what users wait for.
 */
import { CORPUS_SKIP_MESSAGE, corpusAvailable, corpusPages, readCorpusPage } from '../src/test-support/reference-pages.js';
import { encodeDiff, encodeScreen } from '../src/videotex/encode.js';
import type { Screen } from '../src/videotex/screen.js';
import { Terminal } from '../src/videotex/terminal.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function decoded(page: Uint8Array): Terminal {
  const terminal = new Terminal();
  terminal.write(page);
  if (!terminal.idle) terminal.write([0x1f, 0x41, 0x41]); // a page ending inside a sequence
  return terminal;
}

export default function run(): void {
  if (!corpusAvailable()) {
    console.log(CORPUS_SKIP_MESSAGE);
    return;
  }
  const names = corpusPages();
  const pages = names.map((name) => stripFilePadding(readCorpusPage(name)));
  const screens: Screen[] = pages.map((page) => decoded(page).screen);

  // encodeScreen against the original bytes.
  const ratios: number[] = [];
  let original = 0;
  let encoded = 0;
  let start = performance.now();
  for (let i = 0; i < pages.length; i++) {
    const bytes = encodeScreen(screens[i]);
    ratios.push(bytes.length / Math.max(1, pages[i].length));
    original += pages[i].length;
    encoded += bytes.length;
  }
  const screenSeconds = (performance.now() - start) / 1000;
  ratios.sort((a, b) => a - b);
  console.log(
    `encodeScreen/original: median ${percent(percentile(ratios, 0.5))}, p90 ${percent(percentile(ratios, 0.9))}, total ${percent(encoded / original)} (${pages.length} pages, ${original} → ${encoded} bytes)`,
  );
  console.log(`encodeScreen throughput: ${(pages.length / screenSeconds).toFixed(0)} screens/s`);

  // encodeDiff from each page to the next, against redrawing the next page.
  const diffRatios: number[] = [];
  const diffSizes: number[] = [];
  let diffTotal = 0;
  let redrawTotal = 0;
  start = performance.now();
  for (let i = 1; i < pages.length; i++) {
    const bytes = encodeDiff(decoded(pages[i - 1]), screens[i]);
    const redraw = encodeScreen(screens[i]).length;
    diffSizes.push(bytes.length);
    diffRatios.push(bytes.length / Math.max(1, redraw));
    diffTotal += bytes.length;
    redrawTotal += redraw;
  }
  const diffSeconds = (performance.now() - start) / 1000;
  diffRatios.sort((a, b) => a - b);
  diffSizes.sort((a, b) => a - b);
  console.log(
    `encodeDiff(page, next)/encodeScreen(next): median ${percent(percentile(diffRatios, 0.5))}, p90 ${percent(percentile(diffRatios, 0.9))}, max ${percent(diffRatios[diffRatios.length - 1])}, total ${percent(diffTotal / redrawTotal)} (${diffRatios.length} pairs; median diff ${percentile(diffSizes, 0.5)} bytes)`,
  );
  console.log(`encodeDiff + encodeScreen throughput: ${(diffRatios.length / diffSeconds).toFixed(0)} pairs/s`);

  // Small edits: one line of text changed on each page, the common case for a live service.
  const small: number[] = [];
  start = performance.now();
  for (let i = 0; i < pages.length; i++) {
    const terminal = decoded(pages[i]);
    const edited = decoded(pages[i]);
    edited.write([0x1f, 0x4c, 0x45, ...Array.from('Edited line', (c) => c.charCodeAt(0))]);
    small.push(encodeDiff(terminal, edited.screen).length);
  }
  const smallSeconds = (performance.now() - start) / 1000;
  small.sort((a, b) => a - b);
  console.log(
    `encodeDiff after a one-line edit: median ${percentile(small, 0.5)} bytes, p90 ${percentile(small, 0.9)} bytes; ${(pages.length / smallSeconds).toFixed(0)} diffs/s`,
  );
}
