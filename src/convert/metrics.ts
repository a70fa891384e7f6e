/**
 * How close a converted page is to the picture: the mosaic pixels a screen
 * shows, compared with the fitted picture (fit.ts) in RGB distance, 0–441
 * (√3 × 255), per mosaic pixel. Dithering trades per-pixel error for the right
 * average, so the mean over each cell's six pixels is compared too.
 */
import { cellBg, cellCode, cellFg, isMosaicCell } from '../videotex/cell.js';
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
 * The colour index each mosaic pixel of the region shows on `screen`, or -1
 * where a cell is not a mosaic. Index = y × width + x.
 */
export function shownColours(screen: Screen, region: Region): Int8Array {
  const width = region.columns * 2;
  const out = new Int8Array(width * region.rows * 3);
  for (let r = 0; r < region.rows; r++) {
    for (let c = 0; c < region.columns; c++) {
      const cell = screen.get(region.row + r, region.column + c);
      const mosaic = isMosaicCell(cell);
      const on = mosaicPixels(cellCode(cell));
      for (let p = 0; p < CELL_PIXELS; p++) {
        const x = c * 2 + (p & 1);
        const y = r * 3 + (p >> 1);
        out[y * width + x] = mosaic ? (on & (1 << p) ? cellFg(cell) : cellBg(cell)) : -1;
      }
    }
  }
  return out;
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
