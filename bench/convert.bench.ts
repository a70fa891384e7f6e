/**
 * Picture → page: for the converter's test picture (src/convert/fixtures,
 * drawn by our own code), the colour error, the bytes and their time on a
 * 1200-baud line, and how long a conversion takes.
 *
 * Colour error is the RGB distance (0–441) between each mosaic pixel shown
 * and the picture fitted to the grid, averaged per mosaic pixel; and the same
 * between each cell's average colours, which is what dithering aims at.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertPng, type ConvertOptions } from '../src/convert/convert.js';
import { colourError } from '../src/convert/metrics.js';
import { minitelPalette } from '../src/convert/palette.js';
import { transmissionSeconds } from '../src/lint/timing.js';
import { Terminal } from '../src/videotex/terminal.js';

const here = dirname(fileURLToPath(import.meta.url));
const PICTURE = join(here, '..', 'src', 'convert', 'fixtures', 'test-pattern.png');
const RUNS = 15;

function medianMs(run: () => void): number {
  run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1];
}

export default function run(): void {
  const png = new Uint8Array(readFileSync(PICTURE));
  const cases: [string, ConvertOptions][] = [
    ['colour, Floyd–Steinberg', {}],
    ['colour, no dithering', { dither: 'none' }],
    ['grey, Floyd–Steinberg', { mode: 'grey' }],
    ['grey, no dithering', { mode: 'grey', dither: 'none' }],
    ['colour, region 10×20 cells', { region: { row: 5, column: 11, rows: 10, columns: 20 } }],
  ];
  console.log('test-pattern.png (320×240) → full page of 80×72 mosaic pixels unless a region is given');
  for (const [name, options] of cases) {
    const conversion = convertPng(png, options);
    const terminal = new Terminal();
    terminal.write(conversion.bytes);
    const error = colourError(conversion.pixels, terminal.screen, conversion.region, minitelPalette(options.mode ?? 'colour'));
    const ms = medianMs(() => convertPng(png, options));
    console.log(
      `${name.padEnd(28)} error ${error.perPixel.toFixed(1).padStart(5)} per pixel, ${error.perCell.toFixed(1).padStart(4)} per cell (RGB distance); ` +
        `${String(conversion.bytes.length).padStart(4)} bytes = ${transmissionSeconds(conversion.bytes.length, 1200).toFixed(2)} s at 1200 baud; ` +
        `conversion ${ms.toFixed(1)} ms (median of ${RUNS}); written by ${conversion.writer}`,
    );
  }
}
