/**
 * What a converted page shows, and how close it is to the picture: the mosaic pixels a screen
 * shows, compared with the fitted picture (fit.ts) in RGB distance, 0–441
 * (√3 × 255), per mosaic pixel. Dithering trades per-pixel error for the right
 * average, so the mean over each cell's six pixels is compared too.
 */
import { BLINK, CharSet, DELIMITER, ERROR, INVERSE, LINING, MASK, cellAccent, cellBg, cellCode, cellFg, cellSet } from '../videotex/cell.js';
import { COLUMNS, SP } from '../videotex/codes.js';
import type { Screen } from '../videotex/screen.js';
import type { MosaicPixels } from './fit.js';
import type { Region } from './geometry.js';
import { CELL_PIXELS, mosaicPixels } from './mosaic.js';
import type { Palette } from './palette.js';

export interface ColourError {
  /** Mean RGB distance between each mosaic pixel shown and the picture's. */
  perPixel: number;
  /** Mean RGB distance between each cell's average colour shown and the picture's. */
  perCell: number;
}

/**
 * The colours of a cell's six mosaic pixels as shown, from its resolved word
 * (Screen.resolveRow), or undefined when the cell is not a plain mosaic or a
 * blank (a text space or delimiter shows its background, or its foreground
 * when inverted, over the whole cell, p.84–86). Separated, blinking, masked,
 * error and text cells are not the converter's and count as different.
 */
function cellPixels(word: number, out: Int8Array, offset: number, stride: number): boolean {
  if (word & (ERROR | BLINK | MASK)) return false;
  let on = 0;
  let fg = cellFg(word);
  let bg = cellBg(word);
  if (cellSet(word) === CharSet.G1) {
    if (word & LINING) return false;
    on = mosaicPixels(cellCode(word));
  } else if (word & DELIMITER || (cellSet(word) === CharSet.G0 && cellCode(word) === SP && !(word & LINING) && !cellAccent(word))) {
    if (word & INVERSE) bg = fg;
    fg = bg;
  } else {
    return false;
  }
  for (let p = 0; p < CELL_PIXELS; p++) out[offset + (p >> 1) * stride + (p & 1)] = on & (1 << p) ? fg : bg;
  return true;
}

/**
 * The colour index each mosaic pixel of the region shows on `screen`, or -1
 * in cells that are neither mosaics nor blanks. Index = y × width + x.
 */
export function shownColours(screen: Screen, region: Region): Int8Array {
  const width = region.columns * 2;
  const out = new Int8Array(width * region.rows * 3);
  const resolved = new Uint32Array(COLUMNS);
  for (let r = 0; r < region.rows; r++) {
    screen.resolveRow(region.row + r, resolved);
    for (let c = 0; c < region.columns; c++) {
      const offset = r * 3 * width + c * 2;
      if (!cellPixels(resolved[region.column - 1 + c], out, offset, width)) {
        for (let p = 0; p < CELL_PIXELS; p++) out[offset + (p >> 1) * width + (p & 1)] = -1;
      }
    }
  }
  return out;
}

/** True when both screens show the same mosaic pixels everywhere in the region. */
export function sameMosaicPixels(a: Screen, b: Screen, region: Region): boolean {
  const x = shownColours(a, region);
  const y = shownColours(b, region);
  for (let i = 0; i < x.length; i++) if (x[i] < 0 || x[i] !== y[i]) return false;
  return true;
}

export function colourError(pixels: MosaicPixels, screen: Screen, region: Region, palette: Palette): ColourError {
  const shown = shownColours(screen, region);
  const { width, data } = pixels;
  let pixelSum = 0;
  let cellSum = 0;
  const cells = region.rows * region.columns;
  for (let r = 0; r < region.rows; r++) {
    for (let c = 0; c < region.columns; c++) {
      const mean = [0, 0, 0];
      const want = [0, 0, 0];
      for (let p = 0; p < CELL_PIXELS; p++) {
        const i = (r * 3 + (p >> 1)) * width + c * 2 + (p & 1);
        const colour = shown[i] < 0 ? 0 : shown[i]; // non-mosaic cells count as black
        let d2 = 0;
        for (let k = 0; k < 3; k++) {
          const got = palette[colour * 3 + k];
          const expected = data[i * 3 + k];
          d2 += (got - expected) ** 2;
          mean[k] += got / CELL_PIXELS;
          want[k] += expected / CELL_PIXELS;
        }
        pixelSum += Math.sqrt(d2);
      }
      cellSum += Math.hypot(mean[0] - want[0], mean[1] - want[1], mean[2] - want[2]);
    }
  }
  return { perPixel: pixelSum / (cells * CELL_PIXELS), perCell: cellSum / cells };
}
