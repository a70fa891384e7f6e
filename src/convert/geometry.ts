/**
 * Where mosaic pixels sit on the Minitel screen. A cell is 8×10 screen pixels
 * (p.30) split into 2×3 mosaic pixels: columns 0–3 and 4–7, rows 0–2, 3–6 and
 * 7–9 (p.31). So mosaic pixels are 4 screen pixels wide and 3 or 4 tall: not
 * square, and not all the same height. The converter samples the picture over
 * each mosaic pixel's real screen rectangle, which accounts for both.
 */
import { COLUMNS } from '../videotex/codes.js';

export const CELL_WIDTH = 8;
export const CELL_HEIGHT = 10;
/** Left edges of the two mosaic columns of a cell, and the cell's right edge (p.31). */
export const MOSAIC_X = [0, 4, 8] as const;
/** Top edges of the three mosaic rows of a cell, and the cell's bottom edge (p.31). */
export const MOSAIC_Y = [0, 3, 7, 10] as const;

/** Page rows that can hold a picture: row 0 is the service row (p.29, p.32). */
export const FIRST_ROW = 1;
export const LAST_ROW = 24;

/** A rectangle of cells, rows 1–24 and columns 1–40, as STUM1B numbers them (p.29). */
export interface Region {
  row: number;
  column: number;
  rows: number;
  columns: number;
}

export const FULL_PAGE: Readonly<Region> = { row: FIRST_ROW, column: 1, rows: LAST_ROW, columns: COLUMNS };

export function isFullPage(region: Region): boolean {
  return region.row === 1 && region.column === 1 && region.rows === LAST_ROW && region.columns === COLUMNS;
}

export function isValidRegion(region: Region): boolean {
  const { row, column, rows, columns } = region;
  return (
    [row, column, rows, columns].every(Number.isInteger) &&
    row >= FIRST_ROW && rows >= 1 && row + rows - 1 <= LAST_ROW &&
    column >= 1 && columns >= 1 && column + columns - 1 <= COLUMNS
  );
}

/** Width and height of a region in mosaic pixels: 2 per column, 3 per row. */
export function mosaicSize(region: Region): { width: number; height: number } {
  return { width: region.columns * 2, height: region.rows * 3 };
}

/**
 * Width/height of one screen pixel as the tube shows it. STUM1B gives the
 * 320×250 raster (p.28) but not the display's proportions; emulators draw
 * square pixels, and so do we.
 */
export const SCREEN_PIXEL_ASPECT = 1;

/** `row,col,rows,cols` as typed on a command line; undefined if malformed or off the page. */
export function parseRegion(text: string): Region | undefined {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part))) return undefined;
  const [row, column, rows, columns] = parts.map(Number);
  const region = { row, column, rows, columns };
  return isValidRegion(region) ? region : undefined;
}
