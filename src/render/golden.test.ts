/**
 * Golden images: pages that use every attribute and glyph, written with raw
 * Videotex bytes, rendered and compared pixel for pixel with the PNGs
 * committed in src/render/golden/.
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
import { ascii, drcsBytes, page } from '../test-support/render.js';
import { CharSet, LINING, cellAccent, cellCode, cellSet } from '../videotex/cell.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const hexRange = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => (from + i).toString(16)).join(' ');
/** `US row column`: absolute position (p.96). */
const at = (row: number, column: number): string => `1F ${(0x40 + row).toString(16)} ${(0x40 + column).toString(16)}`;
const fg = (n: number): string => `1B 4${n}`;
const bg = (n: number): string => `1B 5${n}`;

/** Every G0, G2 and accented glyph, the error block, and text in each colour on each zone colour. */
const CHARACTER_SETS = [
  `${at(0, 1)} ${ascii('Teletel golden page: character sets')} 0A`,
  `${at(1, 1)} ${fg(6)} ${ascii('G0 (p.100)')}`,
  `${at(2, 1)} ${hexRange(0x20, 0x47)}`,
  `${at(3, 1)} ${hexRange(0x48, 0x6f)}`,
  `${at(4, 1)} ${hexRange(0x70, 0x7f)}`,
  `${at(6, 1)} ${fg(6)} ${ascii('G2 (p.103)')}`,
  `${at(7, 1)} ${[0x23, 0x24, 0x26, 0x27, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x38, 0x3c, 0x3d, 0x3e, 0x6a, 0x7a, 0x7b, 0x25]
    .map((c) => `19 ${c.toString(16)} 20`).join(' ')}`,
  `${at(9, 1)} ${fg(6)} ${ascii('Accents (p.90)')}`,
  `${at(10, 1)} ${[[0x41, 0x61], [0x41, 0x65], [0x41, 0x75], [0x42, 0x65], [0x43, 0x61], [0x43, 0x65], [0x43, 0x69],
    [0x43, 0x6f], [0x43, 0x75], [0x48, 0x61], [0x48, 0x65], [0x48, 0x69], [0x48, 0x6f], [0x48, 0x75], [0x4b, 0x63],
    [0x42, 0x61], [0x41, 0x45]].map(([a, l]) => `19 ${a.toString(16)} ${l.toString(16)} 20`).join(' ')}`,
  `${at(12, 1)} ${fg(6)} ${ascii('SUB (p.99): ')} ${fg(7)} 1A 20 ${fg(1)} 1A 20 0E ${fg(2)} 1A 20 ${bg(4)} 1A`,
  // Each zone colour (delimiter), then a letter in each foreground colour.
  ...[0, 1, 2, 3, 4, 5, 6, 7].map(
    (b) => `${at(14 + b, 1)} ${bg(b)} 20 ${[0, 1, 2, 3, 4, 5, 6, 7].map((f) => `${fg(f)} ${ascii(`${f}${'Aa'[f % 2]}`)}`).join(' ')} ${fg(7)} ${ascii(`zone ${b}`)}`,
  ),
  `${at(23, 1)} ${ascii('Lowercase: the quick brown fox jumps')}`,
  `${at(24, 1)} ${ascii('over the lazy dog. 0123456789 {|}~')}`,
].join(' ');

/** Sizes, inverse, underline, blink, mask and the cursor. */
const ATTRIBUTES = [
  `${at(0, 1)} ${fg(3)} ${ascii('Teletel golden page: attributes')} 0A`,
  `${at(1, 1)} ${ascii('Underline (p.94):')}`,
  `${at(2, 1)} 1B 5A 20 ${ascii('underlined')} 1B 59 20 ${ascii('plain')} 1B 5A ${bg(4)} 20 ${ascii('on blue')} 0E 20 0F ${ascii('mosaic ends it')}`,
  `${at(3, 1)} ${ascii('Inverse (p.91):')}`,
  `${at(4, 1)} ${fg(2)} 1B 5D ${ascii('inverse')} 1B 5C ${ascii(' normal ')} 1B 5D ${bg(1)} 20 ${ascii('inv on red')} 1B 5A 20 ${ascii('inv ul')}`,
  `${at(5, 1)} ${ascii('Blink (p.84):')}`,
  `${at(6, 1)} 1B 48 ${ascii('blink')} 1B 49 ${ascii(' steady ')} 1B 48 1B 5D ${ascii('inverse blink')} 1B 5C 1B 5A 20 ${ascii('ul blink')} 0E ${fg(1)} 7F 7F`,
  `${at(7, 1)} ${ascii('Mask (p.94): [')} 1B 58 ${bg(5)} 20 ${ascii('hidden')} 1B 5F 20 ${ascii('shown')} ${bg(0)} 20 ${ascii(']')}`,
  `${at(10, 1)} 1B 4D ${ascii('Tall')} 1B 4E ${ascii('Wide')} 1B 4F ${ascii('Big')} 1B 4C ${fg(3)} 1B 5D 1B 4F ${ascii('Inv')} 1B 5C 1B 4C 1B 5A 20 1B 4D ${ascii('ul')}`,
  `${at(13, 1)} ${bg(4)} 1B 4F 20 ${fg(3)} ${ascii('DOUBLE')} ${fg(1)} 19 42 65 ${fg(2)} 19 2E`,
  `${at(16, 1)} ${ascii('Row 1 ignores double height:')} ${at(1, 34)} 1B 4D ${ascii('h')}`,
  `${at(18, 1)} ${bg(2)} 20 ${fg(0)} ${ascii('CAN fills the zone')} 18`,
  `${at(20, 1)} ${fg(6)} ${ascii('Double width at column 40 is normal:')} ${at(20, 40)} 1B 4E ${ascii('W')}`,
  `${at(22, 1)} ${ascii('Cursor here ->')} 11`,
].join(' ');

/** All 64 mosaics, contiguous and separated, in every colour pair. */
const MOSAICS = [
  `${at(0, 1)} ${ascii('Teletel golden page: mosaics')} 0A`,
  `${at(1, 1)} 0E ${bg(4)} ${hexRange(0x20, 0x3f)}`,
  `${at(2, 1)} 0E ${bg(4)} ${hexRange(0x60, 0x7f)}`,
  `${at(3, 1)} 0E ${fg(3)} ${bg(1)} 1B 5A ${hexRange(0x20, 0x3f)}`,
  `${at(4, 1)} 0E ${fg(3)} ${bg(1)} 1B 5A ${hexRange(0x60, 0x7f)}`,
  `${at(5, 1)} 0E ${fg(2)} ${hexRange(0x40, 0x5f)} 1B 59 7F 1B 5A 7F 12 43 19 7F`,
  ...[0, 1, 2, 3, 4, 5, 6, 7].map(
    (b) => `${at(7 + b, 1)} 0E ${bg(b)} ${[0, 1, 2, 3, 4, 5, 6, 7].map((f) => `${fg(f)} 35 6a 66 79 2c`).join(' ')}`,
  ),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map(
    (b) => `${at(15 + b, 1)} 0E 1B 5A ${bg(b)} ${[0, 1, 2, 3, 4, 5, 6, 7].map((f) => `${fg(f)} 35 6a 66 79 7f`).join(' ')}`,
  ),
  `${at(23, 1)} 0E ${bg(6)} 20 0F ${fg(0)} ${ascii('text after a mosaic takes its bg')}`,
  `${at(24, 1)} 0E ${fg(5)} 1B 48 7F 7F 7F 1B 49 7F 0F ${ascii(' blinking mosaics')}`,
].join(' ');

const ARROW = [0x18, 0x3c, 0x7e, 0xff, 0x18, 0x18, 0x18, 0x18, 0x18, 0x00];
const FRAME = [0xff, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xff];
const CHECKER = [0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55];
const TRIANGLE = [0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe, 0xff, 0xff, 0xff];

/** Downloaded characters (Minitel 2, docs §6.3) with text and mosaic attributes. */
const DRCS = [
  `${at(0, 1)} ${ascii('Teletel golden page: DRCS')} 0A`,
  `1F 23 20 20 20 42 49 1F 23 21 30 ${drcsBytes(ARROW)} 30 ${drcsBytes(FRAME)} 30 ${drcsBytes(CHECKER)}`,
  `1F 23 20 20 20 43 49 1F 23 21 30 ${drcsBytes(TRIANGLE)} 30 ${drcsBytes(CHECKER)}`,
  `${at(2, 1)} ${ascii("G'0: ")} 1B 28 20 42 21 22 23 ${fg(1)} 21 22 23 1B 5D 21 22 23 1B 5C 1B 5A 20 21 22 23`,
  `${at(5, 1)} 1B 28 20 42 ${fg(3)} 1B 4F 21 22 23 1B 4D 21 1B 4E 22`,
  `${at(7, 1)} 1B 28 40 ${ascii("G'1: ")} 1B 29 20 43 0E ${fg(2)} ${bg(4)} 21 22 21 22 1B 5A 21 22 0F ${ascii(' standard:')} 0E 1B 29 63 21 22`,
  // The G'0 designation outlives US (docs §6.3), so text needs G0 back first.
  `${at(9, 1)} ${ascii("G'0 again: ")} 1B 28 20 42 21 22 23 1B 28 40 ${ascii(' back to G0: ')} 21 22 23`,
].join(' ');

interface GoldenCase {
  name: string;
  source: string;
  options: RasterOptions;
}

const CASES: GoldenCase[] = [
  { name: 'character-sets', source: CHARACTER_SETS, options: {} },
  { name: 'character-sets-grey', source: CHARACTER_SETS, options: { colour: 'grey' } },
  { name: 'attributes', source: ATTRIBUTES, options: { cursor: true } },
  { name: 'attributes-blink-off', source: ATTRIBUTES, options: { blinkPhase: 'off' } },
  { name: 'attributes-revealed', source: ATTRIBUTES, options: { revealMasked: true } },
  { name: 'mosaics', source: MOSAICS, options: { scale: 2, border: 8 } },
  { name: 'drcs', source: DRCS, options: {} },
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
  it.each(CASES)('$name renders as the committed image', ({ name, source, options }) => {
    const frame = renderScreen(page(source), options);
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
    for (const source of [CHARACTER_SETS, MOSAICS]) {
      for (const cell of page(source).cells) {
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
});
