/**
 * Picture → Videotex page: fit the picture to the mosaic grid (fit.ts), reduce
 * each cell to two colours with error diffusion (quantise.ts), choose the
 * encoding of each cell that makes the stream shortest (orient.ts), build the
 * target Screen and write it as bytes (stream.ts: our emitter, or encodeScreen
 * for a full page when that is shorter).
 *
 * Without a region the result is a full page: FF then rows 1–24. With one,
 * it draws only inside the region (no FF), leaving the rest of the screen as
 * it was; text to the right of the region on the same rows takes the last
 * mosaic's background until its next delimiter, as any mosaic makes it (p.86),
 * so those cells keep a black background where their colours allow.
 *
 * Like encodeScreen, this assumes page mode (the power-on and connection
 * state, p.87): writing the last cell of row 24 must not scroll the page.
 */
import { COLUMNS } from '../videotex/codes.js';
import { Screen } from '../videotex/screen.js';
import { CharSet, FG_SHIFT, BG_SHIFT, SET_SHIFT } from '../videotex/cell.js';
import { FULL_PAGE, isFullPage, isValidRegion, type Region } from './geometry.js';
import { decodePngImage, type RgbaImage } from './image.js';
import { fitToRegion, type MosaicPixels } from './fit.js';
import { minitelPalette, type ColourMode } from './palette.js';
import { quantiseCells, type CellColours, type Dither } from './quantise.js';
import { orientCells, type CellEncodings } from './orient.js';
import { streamFor, type Writer } from './stream.js';

export interface ConvertOptions {
  /** 'grey': the 8 grey levels of a monochrome Minitel (p.32). Default 'colour'. */
  mode?: ColourMode;
  /** Floyd–Steinberg error diffusion (default) or none. */
  dither?: Dither;
  /** Cells to draw in; default the full page, rows 1–24. */
  region?: Region;
}

export interface Conversion {
  /** The Videotex stream, 7-bit. */
  bytes: Uint8Array;
  /** Which writer gave the shorter stream. */
  writer: Writer;
  /** The screen the stream draws on a cleared page (outside a region: cleared cells). */
  screen: Screen;
  /** The picture fitted to the region's mosaic pixels, before colour reduction. */
  pixels: MosaicPixels;
  colours: CellColours;
  cells: CellEncodings;
  region: Region;
}

export function convertImage(image: RgbaImage, options: ConvertOptions = {}): Conversion {
  const region = options.region ?? FULL_PAGE;
  if (!isValidRegion(region)) throw new RangeError('region must lie inside rows 1–24 and columns 1–40');
  const mode = options.mode ?? 'colour';
  const pixels = fitToRegion(image, region, mode);
  const colours = quantiseCells(pixels, minitelPalette(mode), options.dither ?? 'floyd');
  const full = isFullPage(region);
  // A full page is written as one run (the cursor wraps from column 40); a narrower region moves between rows.
  const reachesRight = region.column + region.columns - 1 === COLUMNS;
  const cells = orientCells(colours, {
    breakBefore: (i) => !full && i % region.columns === 0,
    beforeText: (i) => !reachesRight && i % region.columns === region.columns - 1,
  });
  const screen = targetScreen(cells, region);
  const { bytes, writer } = streamFor(cells, region, screen);
  return { bytes, writer, screen, pixels, colours, cells, region };
}

export function convertPng(png: Uint8Array, options: ConvertOptions = {}): Conversion {
  return convertImage(decodePngImage(png), options);
}

/** G1 mosaic words for the region's cells on a cleared screen (cell.ts layout). */
export function targetScreen(cells: CellEncodings, region: Region): Screen {
  const screen = new Screen(); // every cell starts as FF leaves it (CLEARED_CELL)
  for (let i = 0; i < cells.code.length; i++) {
    const row = region.row + Math.floor(i / region.columns);
    const column = region.column + (i % region.columns);
    screen.set(row, column, cells.code[i] | (CharSet.G1 << SET_SHIFT) | (cells.fg[i] << FG_SHIFT) | (cells.bg[i] << BG_SHIFT));
  }
  return screen;
}
