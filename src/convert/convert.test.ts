import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CharSet, cellSet } from '../videotex/cell.js';
import { Terminal } from '../videotex/terminal.js';
import { convertImage, convertPng } from './convert.js';
import { decodePngImage } from './image.js';
import { colourError, sameMosaicPixels, shownColours } from './metrics.js';
import { minitelPalette } from './palette.js';
import { FULL_PAGE, type Region } from './geometry.js';
import { drawnImage, solidImage } from './fixtures/images.js';
import { testPattern } from './fixtures/pattern.js';

const here = dirname(fileURLToPath(import.meta.url));
const PATTERN_PNG = new Uint8Array(readFileSync(join(here, 'fixtures', 'test-pattern.png')));

function decoded(bytes: Uint8Array, before?: Uint8Array): Terminal {
  const terminal = new Terminal();
  if (before) terminal.write(before);
  terminal.write(bytes);
  return terminal;
}

/** A page with text and mosaics everywhere, so an untouched cell is easy to tell from a rewritten one. */
function busyPage(): Uint8Array {
  const bytes: number[] = [0x0c];
  for (let row = 1; row <= 24; row++) {
    bytes.push(0x1f, 0x40 + row, 0x41, 0x1b, 0x40 + (row % 8));
    for (let c = 0; c < 20; c++) bytes.push(0x41 + ((row + c) % 26));
    bytes.push(0x0e, 0x1b, 0x50 + ((row + 3) % 8));
    for (let c = 0; c < 20; c++) bytes.push(0x21 + ((row * 7 + c) % 0x1f));
  }
  return Uint8Array.from(bytes);
}

describe('convert: the stream', () => {
  it('is 7-bit for every option', () => {
    for (const mode of ['colour', 'grey'] as const) {
      for (const dither of ['floyd', 'none'] as const) {
        for (const region of [undefined, { row: 3, column: 7, rows: 9, columns: 13 }]) {
          const { bytes } = convertPng(PATTERN_PNG, { mode, dither, region });
          expect(bytes.every((b) => b < 0x80)).toBe(true);
        }
      }
    }
  });

  it('is a full page: FF first, then rows 1–24 of G1 mosaics that match the target screen', () => {
    const conversion = convertPng(PATTERN_PNG);
    expect(conversion.bytes[0]).toBe(0x0c);
    const terminal = decoded(conversion.bytes);
    expect(sameMosaicPixels(terminal.screen, conversion.screen, FULL_PAGE)).toBe(true);
    for (let row = 1; row <= 24; row++) {
      for (let column = 1; column <= 40; column++) expect(cellSet(terminal.screen.get(row, column))).toBe(CharSet.G1);
    }
  });

  it('ends in G0, so the next page does not start in mosaics (docs §11)', () => {
    const { bytes } = convertPng(PATTERN_PNG, { region: { row: 2, column: 2, rows: 3, columns: 3 } });
    expect(bytes[bytes.length - 1]).toBe(0x0f);
    expect(decoded(bytes).idle).toBe(true);
  });

  it('draws mosaics only inside the region and leaves every other cell untouched', () => {
    const regions: Region[] = [
      { row: 5, column: 11, rows: 10, columns: 20 },
      { row: 1, column: 1, rows: 1, columns: 1 },
      { row: 20, column: 31, rows: 5, columns: 10 },
      { row: 1, column: 1, rows: 24, columns: 39 },
      { row: 7, column: 1, rows: 3, columns: 40 },
    ];
    for (const region of regions) {
      const conversion = convertPng(PATTERN_PNG, { region });
      expect(conversion.bytes.includes(0x0c)).toBe(false);
      const before = decoded(busyPage()).screen.clone();
      const after = decoded(conversion.bytes, busyPage()).screen;
      for (let row = 0; row <= 24; row++) {
        for (let column = 1; column <= 40; column++) {
          const inside = row >= region.row && row < region.row + region.rows && column >= region.column && column < region.column + region.columns;
          if (inside) expect(after.get(row, column)).toBe(conversion.screen.get(row, column));
          else expect(after.get(row, column)).toBe(before.get(row, column));
        }
      }
    }
  });

  it('keeps text to the right of the region on a black zone when the last cells allow it (p.86)', () => {
    // A blue picture filling a 20×15-cell region (160×150 screen pixels) exactly, text after it on each row:
    // blue cells could be empty mosaics on blue or full blocks in blue; the edge takes the full block.
    const page = Uint8Array.from([0x0c, ...Array.from({ length: 15 }, (_, r) => [0x1f, 0x45 + r, 0x40 + 25, 0x41, 0x42]).flat()]);
    const { bytes } = convertImage(solidImage(16, 15, [0, 0, 255]), { region: { row: 5, column: 5, rows: 15, columns: 20 } });
    const screen = decoded(bytes, page).screen;
    for (let row = 5; row < 20; row++) {
      expect(screen.appearance(row, 24)).toMatchObject({ char: '█', fg: 4, bg: 0 });
      expect(screen.appearance(row, 25)).toMatchObject({ char: 'A', bg: 0 });
    }
  });

  it('uses at most two colours in each cell', () => {
    const conversion = convertPng(PATTERN_PNG);
    const shown = shownColours(decoded(conversion.bytes).screen, FULL_PAGE);
    for (let row = 0; row < 24; row++) {
      for (let column = 0; column < 40; column++) {
        const colours = new Set<number>();
        for (let p = 0; p < 6; p++) colours.add(shown[(row * 3 + (p >> 1)) * 80 + column * 2 + (p & 1)]);
        expect(colours.size).toBeLessThanOrEqual(2);
      }
    }
  });

  it('collapses a one-colour page into a few bytes with REP', () => {
    const { bytes } = convertImage(solidImage(64, 48, [0, 0, 255]));
    // FF SO ESC 54 20, then 959 repeats as REP 63 × 15 and REP 14.
    expect(bytes.length).toBeLessThan(45);
  });
});

describe('convert: the picture', () => {
  it('turns a solid palette-colour picture into that colour everywhere', () => {
    for (const [colour, index] of [[[0, 0, 255], 4], [[255, 255, 0], 3], [[255, 255, 255], 7]] as const) {
      const conversion = convertImage(solidImage(320, 240, [...colour]));
      const shown = shownColours(decoded(conversion.bytes).screen, FULL_PAGE);
      expect(new Set(shown)).toEqual(new Set([index]));
    }
  });

  it('turns a near-palette solid colour into one colour without dithering', () => {
    const conversion = convertImage(solidImage(40, 30, [20, 230, 30]), { dither: 'none' });
    expect(new Set(shownColours(decoded(conversion.bytes).screen, FULL_PAGE))).toEqual(new Set([2]));
  });

  it('keeps the proportions: a square white picture gets black bars left and right', () => {
    const conversion = convertImage(solidImage(100, 100, [255, 255, 255]));
    const shown = shownColours(decoded(conversion.bytes).screen, FULL_PAGE);
    // 240 screen pixels square in a 320-wide page: 40 black pixels (10 mosaic columns) each side.
    for (let y = 0; y < 72; y++) {
      for (let x = 0; x < 80; x++) expect(shown[y * 80 + x]).toBe(x < 10 || x >= 70 ? 0 : 7);
    }
  });

  it('reproduces the test pattern within an error bound, and its flat colour blocks exactly', () => {
    const conversion = convertPng(PATTERN_PNG);
    const screen = decoded(conversion.bytes).screen;
    const error = colourError(conversion.pixels, screen, FULL_PAGE, minitelPalette('colour'));
    // Measured 100 per pixel and 33 per cell (RGB distance, 0–441); dithering trades the first for the second.
    expect(error.perPixel).toBeLessThan(110);
    expect(error.perCell).toBeLessThan(38);
    // Blocks of the eight colours fill picture rows 55–70 %, each an eighth of the width.
    const shown = shownColours(screen, FULL_PAGE);
    for (let i = 0; i < 8; i++) {
      for (let y = 42; y <= 48; y++) {
        for (let x = i * 10 + 2; x < i * 10 + 8; x++) expect(shown[y * 80 + x]).toBe(i);
      }
    }
  });

  it('matches the fixture file to its generator', () => {
    const file = decodePngImage(PATTERN_PNG);
    const drawn = testPattern();
    expect([file.width, file.height]).toEqual([drawn.width, drawn.height]);
    expect(Buffer.from(file.data).equals(Buffer.from(drawn.data))).toBe(true);
  });

  it('uses grey levels in grey mode: a 50 % grey is red (50 %) everywhere, where colour mode dithers it', () => {
    const grey = solidImage(320, 240, [128, 128, 128]);
    const inGrey = shownColours(decoded(convertImage(grey, { mode: 'grey' }).bytes).screen, FULL_PAGE);
    expect(new Set(inGrey)).toEqual(new Set([1]));
    const inColour = shownColours(decoded(convertImage(grey).bytes).screen, FULL_PAGE);
    expect(new Set(inColour).size).toBeGreaterThan(1);
  });

  it('follows a grey ramp in grey mode, darker to lighter', () => {
    const ramp = drawnImage(320, 240, (x) => [Math.round((x * 255) / 319), Math.round((x * 255) / 319), Math.round((x * 255) / 319)]);
    const conversion = convertImage(ramp, { mode: 'grey' });
    const shown = shownColours(decoded(conversion.bytes).screen, FULL_PAGE);
    const levels = minitelPalette('grey');
    const columnMean = (from: number, to: number): number => {
      let sum = 0;
      for (let y = 0; y < 72; y++) for (let x = from; x < to; x++) sum += levels[shown[y * 80 + x] * 3];
      return sum / (72 * (to - from));
    };
    const means = Array.from({ length: 8 }, (_, i) => columnMean(i * 10, i * 10 + 10));
    for (let i = 1; i < 8; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
    expect(means[0]).toBeLessThan(40);
    expect(means[7]).toBeGreaterThan(215);
  });
});
