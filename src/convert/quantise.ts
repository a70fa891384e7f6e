/**
 * Reduces mosaic pixels to what a Minitel can show: in each 2×3 cell, one
 * foreground and one background colour from a palette of 8 (p.86, p.91).
 *
 * Algorithm (cells in reading order, left to right then top to bottom):
 *  1. Read the cell's six pixels with the error already diffused into them,
 *     clamped to 0–255 so errors cannot run away.
 *  2. Choose the colour pair. With dithering, a pair (a, b) can show any mix
 *     on the segment a–b, so its cost is each pixel's squared distance to that
 *     segment, plus NOISE_WEIGHT × the distance to the nearer end (how grainy
 *     the mix looks). Without dithering, the cost is only the distance to the
 *     nearer of a and b. Distances are taken in a luma/colour-difference space
 *     (palette.ts). All 36 pairs are tried; on a tie the pair sharing colours
 *     with the previous cell wins, so runs of equal colours compress.
 *  3. Quantise the six pixels in reading order to the nearer colour of the
 *     pair, and diffuse the error (in RGB) with Floyd–Steinberg weights over
 *     the whole mosaic-pixel grid: 7/16 right, 3/16 below left, 5/16 below,
 *     1/16 below right. Because cells are done whole, "below left" of a
 *     cell's left column is, inside the cell row, a pixel of the previous
 *     cell that is already final; that share goes straight below instead
 *     (weights 7, 0, 8, 1). Every other share lands on a pixel still to come.
 *     Only DIFFUSED (85 %) of the error is passed on.
 */
import { CELL_PIXELS, FULL } from './mosaic.js';
import type { MosaicPixels } from './fit.js';
import { toDecisionSpace, type Palette } from './palette.js';

export type Dither = 'floyd' | 'none';

/**
 * Per cell: colour `a` on the pixels whose bit is set in `pixels`, colour `b`
 * on the others. A one-colour cell has a === b and pixels === 0.
 */
export interface CellColours {
  columns: number;
  rows: number;
  a: Uint8Array;
  b: Uint8Array;
  pixels: Uint8Array;
}

/** How much graininess counts against a pair, relative to missing the colour. */
const NOISE_WEIGHT = 1;
/**
 * Share of each pixel's error that is diffused. At full strength an 8-colour
 * palette scatters dots of far colours over dark, muted areas; at 85 % the
 * test pattern keeps its cell averages as well (a lower per-cell error, in
 * fact) with fewer stray dots.
 */
const DIFFUSED = 0.85;
/** Smaller than any real cost difference: only breaks exact ties. */
const TIE_BREAK = 1e-3;

const PAIRS: ReadonlyArray<readonly [number, number]> = (() => {
  const pairs: [number, number][] = [];
  for (let a = 0; a < 8; a++) for (let b = a; b < 8; b++) pairs.push([a, b]);
  return pairs;
})();

export function quantiseCells(pixels: MosaicPixels, palette: Palette, dither: Dither = 'floyd'): CellColours {
  const { width, height } = pixels;
  const columns = width / 2;
  const rows = height / 3;
  const cells = columns * rows;
  const out: CellColours = { columns, rows, a: new Uint8Array(cells), b: new Uint8Array(cells), pixels: new Uint8Array(cells) };
  const error = new Float32Array(width * height * 3);
  const paletteD = new Float64Array(24);
  for (let i = 0; i < 8; i++) toDecisionSpace(palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2], paletteD, i * 3);
  const value = new Float64Array(CELL_PIXELS * 3); // the cell's pixels, RGB
  const valueD = new Float64Array(CELL_PIXELS * 3); // the same in decision space
  let previousA = -1;
  let previousB = -1;

  for (let cellRow = 0; cellRow < rows; cellRow++) {
    for (let cellColumn = 0; cellColumn < columns; cellColumn++) {
      const x0 = cellColumn * 2;
      const y0 = cellRow * 3;
      readCell(pixels, error, x0, y0, value, valueD);
      const [a, b] = choosePair(valueD, paletteD, dither, previousA, previousB);
      let mask = 0;
      for (let p = 0; p < CELL_PIXELS; p++) {
        const useA = distance(valueD, p * 3, paletteD, a * 3) <= distance(valueD, p * 3, paletteD, b * 3);
        if (useA) mask |= 1 << p;
        if (dither === 'floyd') {
          // The pixel's value now includes error diffused from earlier pixels of this cell.
          const x = x0 + (p & 1);
          const y = y0 + (p >> 1);
          const chosen = (useA ? a : b) * 3;
          const i = (y * width + x) * 3;
          for (let c = 0; c < 3; c++) {
            const v = clamp(pixels.data[i + c] + error[i + c]);
            diffuse(error, width, height, x, y, c, DIFFUSED * (v - palette[chosen + c]), (p & 1) === 0 && (p >> 1) < 2);
          }
          // Later pixels of the cell are read again with their new error.
          for (let q = p + 1; q < CELL_PIXELS; q++) readPixel(pixels, error, x0, y0, q, value, valueD);
        }
      }
      const index = cellRow * columns + cellColumn;
      if (a === b || mask === 0 || mask === FULL) {
        const only = mask === 0 ? b : a;
        out.a[index] = only;
        out.b[index] = only;
        out.pixels[index] = 0;
      } else {
        out.a[index] = a;
        out.b[index] = b;
        out.pixels[index] = mask;
      }
      previousA = out.a[index];
      previousB = out.b[index];
    }
  }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** The six pixels of the cell at (x0, y0) plus their diffused error, clamped, in RGB and decision space. */
function readCell(pixels: MosaicPixels, error: Float32Array, x0: number, y0: number, value: Float64Array, valueD: Float64Array): void {
  for (let p = 0; p < CELL_PIXELS; p++) readPixel(pixels, error, x0, y0, p, value, valueD);
}

function readPixel(pixels: MosaicPixels, error: Float32Array, x0: number, y0: number, p: number, value: Float64Array, valueD: Float64Array): void {
  const i = ((y0 + (p >> 1)) * pixels.width + x0 + (p & 1)) * 3;
  const o = p * 3;
  value[o] = clamp(pixels.data[i] + error[i]);
  value[o + 1] = clamp(pixels.data[i + 1] + error[i + 1]);
  value[o + 2] = clamp(pixels.data[i + 2] + error[i + 2]);
  toDecisionSpace(value[o], value[o + 1], value[o + 2], valueD, o);
}

function distance(u: Float64Array, i: number, v: Float64Array, j: number): number {
  const d0 = u[i] - v[j];
  const d1 = u[i + 1] - v[j + 1];
  const d2 = u[i + 2] - v[j + 2];
  return d0 * d0 + d1 * d1 + d2 * d2;
}

function choosePair(valueD: Float64Array, paletteD: Float64Array, dither: Dither, previousA: number, previousB: number): [number, number] {
  let best = Infinity;
  let bestA = 0;
  let bestB = 0;
  for (let n = 0; n < PAIRS.length; n++) {
    const a = PAIRS[n][0];
    const b = PAIRS[n][1];
    let cost = 0;
    const ai = a * 3;
    const bi = b * 3;
    // Segment a→b in decision space.
    const s0 = paletteD[bi] - paletteD[ai];
    const s1 = paletteD[bi + 1] - paletteD[ai + 1];
    const s2 = paletteD[bi + 2] - paletteD[ai + 2];
    const length2 = s0 * s0 + s1 * s1 + s2 * s2;
    for (let p = 0; p < CELL_PIXELS; p++) {
      const o = p * 3;
      const nearer = Math.min(distance(valueD, o, paletteD, ai), distance(valueD, o, paletteD, bi));
      if (dither === 'none' || length2 === 0) {
        cost += dither === 'none' ? nearer : nearer * (1 + NOISE_WEIGHT);
        continue;
      }
      const d0 = valueD[o] - paletteD[ai];
      const d1 = valueD[o + 1] - paletteD[ai + 1];
      const d2 = valueD[o + 2] - paletteD[ai + 2];
      let t = (d0 * s0 + d1 * s1 + d2 * s2) / length2;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const e0 = d0 - t * s0;
      const e1 = d1 - t * s1;
      const e2 = d2 - t * s2;
      cost += e0 * e0 + e1 * e1 + e2 * e2 + NOISE_WEIGHT * nearer;
    }
    if (a !== previousA && a !== previousB) cost += TIE_BREAK;
    if (b !== previousA && b !== previousB) cost += TIE_BREAK;
    if (cost < best) {
      best = cost;
      bestA = a;
      bestB = b;
    }
  }
  return [bestA, bestB];
}

/**
 * Floyd–Steinberg shares of one channel's error from pixel (x, y). When the
 * pixel below-left is final already (left column of a cell, not its bottom
 * row), its 3/16 go to the pixel below.
 */
function diffuse(error: Float32Array, width: number, height: number, x: number, y: number, c: number, e: number, belowLeftDone: boolean): void {
  if (x + 1 < width) error[(y * width + x + 1) * 3 + c] += (e * 7) / 16;
  if (y + 1 >= height) return;
  const below = ((y + 1) * width + x) * 3 + c;
  if (belowLeftDone || x === 0) {
    error[below] += (e * (belowLeftDone && x > 0 ? 8 : 5)) / 16;
  } else {
    error[below - 3] += (e * 3) / 16;
    error[below] += (e * 5) / 16;
  }
  if (x + 1 < width) error[below + 3] += e / 16;
}
