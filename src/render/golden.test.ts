/**
 * Golden images: pages that use every attribute and glyph, written with
 * VideotexBuilder (golden-pages.ts), rendered and compared pixel for pixel
 * with the PNGs committed in src/render/golden/.
 *
 * After a deliberate change to the font or the renderer, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run src/render/golden.test.ts
 * then look at every changed image before committing it. On a mismatch the
 * test writes the image it got next to the system temp folder and names it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from './png.js';
import { renderScreen, type Frame, type RasterOptions } from './raster.js';
import { attributesPage, characterSetsPage, drcsPage, goldenScreen, mosaicsPage } from './golden-pages.js';
import { CharSet, LINING, cellAccent, cellCode, cellSet } from '../videotex/cell.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  name: string;
  page: () => Uint8Array;
  options: RasterOptions;
}

const CASES: GoldenCase[] = [
  { name: 'character-sets', page: characterSetsPage, options: {} },
  { name: 'character-sets-grey', page: characterSetsPage, options: { colour: 'grey' } },
  { name: 'attributes', page: attributesPage, options: { cursor: true } },
  { name: 'attributes-blink-off', page: attributesPage, options: { blinkPhase: 'off' } },
  { name: 'attributes-revealed', page: attributesPage, options: { revealMasked: true } },
  { name: 'mosaics', page: mosaicsPage, options: { scale: 2, border: 8 } },
  { name: 'drcs', page: drcsPage, options: {} },
];

/** Where two frames first differ, as a message naming the pixel and the cell; undefined if equal. */
function firstDifference(actual: Frame, expected: Frame, options: RasterOptions): string | undefined {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return `size ${actual.width}×${actual.height}, expected ${expected.width}×${expected.height}`;
  }
  for (let i = 0; i < actual.data.length; i++) {
    if (actual.data[i] !== expected.data[i]) {
      const pixel = i >> 2;
      const x = pixel % actual.width;
      const y = Math.floor(pixel / actual.width);
      const scale = options.scale ?? 1;
      const border = options.border ?? 0;
      const row = Math.floor((y / scale - border) / 10);
      const column = Math.floor((x / scale - border) / 8) + 1;
      return `pixel (${x},${y}) in cell (${row},${column}) differs`;
    }
  }
  return undefined;
}

describe('golden images (src/render/golden/; UPDATE_GOLDEN=1 regenerates)', () => {
  it.each(CASES)('$name renders as the committed image', ({ name, page, options }) => {
    const frame = renderScreen(goldenScreen(page()), options);
    const file = new URL(`${name}.png`, GOLDEN_DIR);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, encodePng(frame));
      return;
    }
    const expected = decodePng(new Uint8Array(readFileSync(file)));
    const difference = firstDifference(frame, expected, options);
    if (difference !== undefined) {
      const dir = join(tmpdir(), 'teletel-golden');
      mkdirSync(dir, { recursive: true });
      const actualFile = join(dir, `${name}.actual.png`);
      writeFileSync(actualFile, encodePng(frame));
      expect.fail(`${name}: ${difference}; got ${actualFile}`);
    }
  });

  it('covers every G0 code, G2 glyph, accented letter and mosaic pattern', () => {
    // A guard against a page edit silently dropping coverage: look at the decoded cells.
    const seen = new Set<string>();
    for (const page of [characterSetsPage, mosaicsPage]) {
      for (const cell of goldenScreen(page()).cells) {
        const set = cellSet(cell);
        const code = cellCode(cell);
        if (set === CharSet.G1) seen.add(`G1 ${(code & 0x1f) | ((code & 0x40) >> 1)} ${cell & LINING ? 'separated' : ''}`);
        else seen.add(`${set} ${code} ${cellAccent(cell)}`);
      }
    }
    for (let code = 0x20; code <= 0x7f; code++) expect(seen, `G0 ${code}`).toContain(`${CharSet.G0} ${code} 0`);
    for (const code of [0x23, 0x24, 0x26, 0x27, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x38, 0x3c, 0x3d, 0x3e, 0x6a, 0x7a, 0x7b]) {
      expect(seen, `G2 ${code}`).toContain(`${CharSet.G2} ${code} 0`);
    }
    for (const [accent, letter] of [[1, 0x61], [1, 0x65], [1, 0x75], [2, 0x65], [3, 0x61], [3, 0x65], [3, 0x69], [3, 0x6f],
      [3, 0x75], [4, 0x61], [4, 0x65], [4, 0x69], [4, 0x6f], [4, 0x75], [5, 0x63]]) {
      expect(seen, `accent ${accent} ${letter}`).toContain(`${CharSet.G0} ${letter} ${accent}`);
    }
    for (let pattern = 0; pattern < 64; pattern++) {
      expect(seen).toContain(`G1 ${pattern} `);
      expect(seen).toContain(`G1 ${pattern} separated`);
    }
  });

  it('covers every colour pair, attribute, size and DRCS set, and shows the cursor', () => {
    // The same guard for attributes: each must show on at least one decoded cell.
    const seen = new Set<string>();
    for (const page of [characterSetsPage, attributesPage, mosaicsPage, drcsPage]) {
      const screen = goldenScreen(page());
      for (let row = 0; row < 25; row++) {
        for (let column = 1; column <= 40; column++) {
          const cell = screen.appearance(row, column);
          const flags = (['blink', 'inverse', 'underline', 'separated', 'masked', 'error', 'doubleWidth', 'doubleHeight'] as const)
            .filter((flag) => cell[flag]);
          seen.add(`${cell.set} fg ${cell.fg} bg ${cell.bg}`);
          for (const flag of flags) seen.add(`${cell.set} ${flag}`);
          if (cell.doubleWidth && cell.doubleHeight) seen.add(`${cell.set} doubleSize`);
        }
      }
    }
    for (let fg = 0; fg < 8; fg++) {
      for (let bg = 0; bg < 8; bg++) {
        expect(seen, `text ${fg} on ${bg}`).toContain(`G0 fg ${fg} bg ${bg}`);
        expect(seen, `mosaic ${fg} on ${bg}`).toContain(`G1 fg ${fg} bg ${bg}`);
      }
    }
    for (const flag of ['blink', 'inverse', 'underline', 'masked', 'error', 'doubleWidth', 'doubleHeight', 'doubleSize']) {
      expect(seen, flag).toContain(`G0 ${flag}`);
    }
    for (const flag of ['blink', 'separated']) expect(seen, `mosaic ${flag}`).toContain(`G1 ${flag}`);
    for (const flag of ['inverse', 'underline', 'doubleSize']) expect(seen, `DRCS ${flag}`).toContain(`DRCS0 ${flag}`);
    expect(seen, 'separated DRCS mosaics').toContain('DRCS1 separated');
    expect(goldenScreen(attributesPage()).cursorVisible).toBe(true);
  });
});
