/**
 * What the encoder reads off its target screen before writing anything:
 * the key each cell must look like, the zone after each column and the zone
 * components the cells on the right still need (p.84, p.86, p.93–94); and
 * the few questions about enlarged characters (p.91, p.94) that need only the
 * target and the shown cells.
 */
import * as codes from './codes.js';
import * as cellModule from './cell.js';
import * as model from './encode-model.js';

// Module-level copies of the bindings used per cell: tsx and the test runner
// turn imported bindings into getters, which dominated the encoder's profile.
const { COLUMNS, ROWS } = codes;
const { DOUBLE_HEIGHT, DOUBLE_WIDTH, RIGHT_HALF, TOP_HALF } = cellModule;
const { cellKey, isBlankKey, zoneAfter, zoneNeeds, zonePasses } = model;

/** Zones are kept per column boundary: index row × 41 + column, column 0 = row start. */
export const ZONE_STRIDE = COLUMNS + 1;

/** Fills `keys` (per cell), `zones` (after each column) and `needs` (what matters after each column) for `target`. */
export function analyseTarget(target: { readonly cells: Uint32Array }, keys: Uint32Array, zones: Uint8Array, needs: Uint8Array): void {
  const cells = target.cells;
  for (let row = 0; row < ROWS; row++) {
    const base = row * COLUMNS;
    const zbase = row * ZONE_STRIDE;
    let zone = 0;
    for (let i = 0; i < COLUMNS; i++) {
      keys[base + i] = cellKey(cells[base + i], zone);
      zone = zoneAfter(cells[base + i], zone);
      zones[zbase + i + 1] = zone;
    }
    let need = 0;
    needs[zbase + COLUMNS] = 0;
    for (let i = COLUMNS - 1; i >= 0; i--) {
      const cell = cells[base + i];
      need = (need & zonePasses(cell)) | zoneNeeds(cell, keys[base + i]);
      needs[zbase + i] = need;
    }
  }
}

/** Cells of `row` that do not look like the target's `keys` yet (the test of Screen.looksLike, per row). */
export function wrongCells(cells: Uint32Array, keys: Uint32Array, row: number): number {
  const base = row * COLUMNS;
  let zone = 0;
  let wrong = 0;
  for (let i = 0; i < COLUMNS; i++) {
    const cell = cells[base + i];
    if (cellKey(cell, zone) !== keys[base + i]) wrong++;
    zone = zoneAfter(cell, zone);
  }
  return wrong;
}

/** Enlarged characters of the target whose visible part in `row` passes `test`, as [anchor column, word]. */
export function edgeAnchors(cells: Uint32Array, keys: Uint32Array, row: number, test: (cell: number) => boolean): [number, number][] {
  const found: [number, number][] = [];
  for (let column = 1; column <= COLUMNS; column++) {
    const index = row * COLUMNS + column - 1;
    const cell = cells[index];
    if (!(cell & (DOUBLE_WIDTH | DOUBLE_HEIGHT)) || isBlankKey(keys[index]) || !test(cell)) continue;
    const anchor = column - (cell & RIGHT_HALF ? 1 : 0);
    const word = cell & ~(TOP_HALF | RIGHT_HALF);
    if (anchor >= 1 && !found.some(([c, w]) => c === anchor && w === word)) found.push([anchor, word]);
  }
  return found;
}

/** Cells an enlarged character written at (row, column) covers, with the word each gets (p.91, p.94). */
export function footprint(row: number, column: number, word: number): [number, number, number][] {
  const cells: [number, number, number][] = [[row, column, word]];
  const wide = (word & DOUBLE_WIDTH) !== 0;
  const tall = (word & DOUBLE_HEIGHT) !== 0;
  if (wide) cells.push([row, column + 1, word | RIGHT_HALF]);
  if (tall) {
    cells.push([row - 1, column, word | TOP_HALF]);
    if (wide) cells.push([row - 1, column + 1, word | TOP_HALF | RIGHT_HALF]);
  }
  return cells;
}
