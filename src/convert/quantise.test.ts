import { describe, expect, it } from 'vitest';
import type { MosaicPixels } from './fit.js';
import { FULL } from './mosaic.js';
import { minitelPalette } from './palette.js';
import { quantiseCells } from './quantise.js';

/** Mosaic pixels for `columns` × `rows` cells from a colour function. */
function grid(columns: number, rows: number, colour: (x: number, y: number) => [number, number, number]): MosaicPixels {
  const width = columns * 2;
  const height = rows * 3;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { width, height, data };
}

const COLOUR = minitelPalette('colour');

describe('quantise: two colours per cell', () => {
  it('keeps a cell of two palette colours exactly', () => {
    // Left column red, right column blue.
    const cells = quantiseCells(grid(1, 1, (x) => (x === 0 ? [255, 0, 0] : [0, 0, 255])), COLOUR);
    const [a, b, mask] = [cells.a[0], cells.b[0], cells.pixels[0]];
    expect(new Set([a, b])).toEqual(new Set([1, 4]));
    expect(mask === 0b010101 ? a : b).toBe(1);
  });

  it('marks one-colour cells with a === b and no pixels', () => {
    const cells = quantiseCells(grid(3, 2, () => [0, 255, 255]), COLOUR);
    expect(Array.from(cells.a)).toEqual([6, 6, 6, 6, 6, 6]);
    expect(Array.from(cells.b)).toEqual([6, 6, 6, 6, 6, 6]);
    expect(Array.from(cells.pixels)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('picks black and white for a mid grey, not a pair of complementary colours', () => {
    const cells = quantiseCells(grid(10, 10, () => [128, 128, 128]), COLOUR);
    for (let i = 0; i < 100; i++) {
      for (const colour of [cells.a[i], cells.b[i]]) expect([0, 7]).toContain(colour);
    }
  });

  it('keeps the average of a flat colour with error diffusion, and drops it without', () => {
    const dark = grid(20, 10, () => [64, 64, 64]);
    const count = (mask: number, a: number, b: number): number => {
      let white = 0;
      for (let p = 0; p < 6; p++) white += (mask & (1 << p) ? a : b) === 7 ? 1 : 0;
      return white;
    };
    const floyd = quantiseCells(dark, COLOUR, 'floyd');
    let white = 0;
    for (let i = 0; i < 200; i++) white += count(floyd.pixels[i], floyd.a[i], floyd.b[i]);
    // 64/255 = 25 % of 1200 pixels, less the undiffused 15 %.
    expect(white / 1200).toBeGreaterThan(0.15);
    expect(white / 1200).toBeLessThan(0.3);
    const none = quantiseCells(dark, COLOUR, 'none');
    expect(Array.from(none.a).every((c) => c === 0)).toBe(true);
  });

  it('never sets pixels that a one-colour cell does not have', () => {
    const cells = quantiseCells(grid(8, 8, (x, y) => [(x * 37) % 256, (y * 91) % 256, ((x + y) * 53) % 256]), COLOUR);
    for (let i = 0; i < 64; i++) {
      if (cells.a[i] === cells.b[i]) expect(cells.pixels[i]).toBe(0);
      else expect(cells.pixels[i] !== 0 && cells.pixels[i] !== FULL).toBe(true);
    }
  });
});
