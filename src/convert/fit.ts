/**
 * Fits a picture to a region's mosaic pixels, keeping its proportions.
 *
 * The region is laid out in screen pixels (8×10 per cell, p.30), the picture
 * is scaled to fit inside it and centred, and the rest is black (letterbox).
 * Each mosaic pixel then takes the average colour of the picture over its own
 * screen rectangle: 4 pixels wide, and 3, 4 or 3 tall for the top, middle and
 * bottom rows of a cell (p.31). Averaging over the true rectangle is both the
 * downscaling filter (every source pixel counts, in proportion to its area)
 * and what makes the uneven rows come out right. Transparent pixels are drawn
 * over black, the colour of the Minitel screen.
 */
import { CELL_HEIGHT, CELL_WIDTH, MOSAIC_X, MOSAIC_Y, SCREEN_PIXEL_ASPECT, mosaicSize, type Region } from './geometry.js';
import type { RgbaImage } from './image.js';
import { luma, type ColourMode } from './palette.js';

/** Mosaic pixels of a region: width × height × [r, g, b] as 0–255 floats, rows top to bottom. */
export interface MosaicPixels {
  width: number;
  height: number;
  data: Float32Array;
}

/** How source pixels along one axis contribute to each output pixel: flattened (index, weight) lists. */
interface AxisWeights {
  start: Int32Array; // first entry of output i in index/weight
  index: Int32Array;
  weight: Float64Array;
}

/**
 * Weights along one axis. Output pixel i covers screen span [edges[i], edges[i+1]);
 * the picture spans [offset, offset + size × scale) on screen.
 */
function axisWeights(edges: number[], size: number, scale: number, offset: number): AxisWeights {
  const start = new Int32Array(edges.length);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    start[i] = index.length;
    // The output span in source coordinates; the part outside the picture is letterbox.
    const from = (edges[i] - offset) / scale;
    const to = (edges[i + 1] - offset) / scale;
    const span = to - from;
    const first = Math.max(0, Math.floor(from));
    const last = Math.min(size - 1, Math.ceil(to) - 1);
    for (let s = first; s <= last; s++) {
      const overlap = Math.min(to, s + 1) - Math.max(from, s);
      if (overlap > 0) {
        index.push(s);
        weight.push(overlap / span);
      }
    }
  }
  start[edges.length - 1] = index.length;
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/** Screen-pixel edges of the mosaic columns (or rows) of `cells` cells. */
function mosaicEdges(cells: number, cellSize: number, splits: readonly number[]): number[] {
  const edges: number[] = [];
  for (let c = 0; c < cells; c++) {
    for (let k = 0; k + 1 < splits.length; k++) edges.push(c * cellSize + splits[k]);
  }
  edges.push(cells * cellSize);
  return edges;
}

export function fitToRegion(image: RgbaImage, region: Region, mode: ColourMode = 'colour'): MosaicPixels {
  const { width, height } = mosaicSize(region);
  const screenWidth = region.columns * CELL_WIDTH;
  const screenHeight = region.rows * CELL_HEIGHT;
  // Scale in screen pixels per source pixel, horizontally; vertically it is
  // the same length on the tube, so it is multiplied by the pixel aspect.
  const scale = Math.min(screenWidth / image.width, (screenHeight * SCREEN_PIXEL_ASPECT) / image.height);
  const scaleY = scale / SCREEN_PIXEL_ASPECT;
  const offsetX = (screenWidth - image.width * scale) / 2;
  const offsetY = (screenHeight - image.height * scaleY) / 2;
  const xs = axisWeights(mosaicEdges(region.columns, CELL_WIDTH, MOSAIC_X), image.width, scale, offsetX);
  const ys = axisWeights(mosaicEdges(region.rows, CELL_HEIGHT, MOSAIC_Y), image.height, scaleY, offsetY);

  // Separable: first each source row into the output columns, then rows into rows.
  const src = image.data;
  const rowSums = new Float64Array(image.height * width * 3);
  const usedRows = new Uint8Array(image.height);
  for (let y = 0; y < height; y++) {
    for (let k = ys.start[y]; k < ys.start[y + 1]; k++) usedRows[ys.index[k]] = 1;
  }
  for (let sy = 0; sy < image.height; sy++) {
    if (!usedRows[sy]) continue;
    const rowBase = sy * image.width * 4;
    const outBase = sy * width * 3;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = xs.start[x]; k < xs.start[x + 1]; k++) {
        const p = rowBase + xs.index[k] * 4;
        // Over black: the colour scaled by its opacity.
        const w = (xs.weight[k] * src[p + 3]) / 255;
        r += w * src[p];
        g += w * src[p + 1];
        b += w * src[p + 2];
      }
      rowSums[outBase + x * 3] = r;
      rowSums[outBase + x * 3 + 1] = g;
      rowSums[outBase + x * 3 + 2] = b;
    }
  }
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let k = ys.start[y]; k < ys.start[y + 1]; k++) {
      const w = ys.weight[k];
      const rowBase = ys.index[k] * width * 3;
      const outBase = y * width * 3;
      for (let i = 0; i < width * 3; i++) data[outBase + i] += w * rowSums[rowBase + i];
    }
  }
  if (mode === 'grey') {
    for (let i = 0; i < data.length; i += 3) {
      const level = luma(data[i], data[i + 1], data[i + 2]);
      data[i] = level;
      data[i + 1] = level;
      data[i + 2] = level;
    }
  }
  return { width, height, data };
}
