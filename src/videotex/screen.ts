/**
 * The Minitel screen: 25 rows (row 0 is the service row) × 40 columns, stored
 * as one packed word per cell (layout in cell.ts), plus the cursor, the global
 * mask and the downloaded character shapes. This is everything a renderer
 * needs; the decoder state (current attributes, modes) lives in Terminal.
 *
 * Rows are numbered 0–24 and columns 1–40, as in STUM1B (p.29).
 */
import { COLUMNS, ROWS } from './codes.js';
import {
  BG_MASK,
  BG_SHIFT,
  BLINK,
  CharSet,
  CLEARED_CELL,
  DELIMITER,
  DOUBLE_HEIGHT,
  DOUBLE_WIDTH,
  ERROR,
  INVERSE,
  LINING,
  MASK,
  RIGHT_HALF,
  TOP_HALF,
  cellAccent,
  cellBg,
  cellCode,
  cellFg,
  cellSet,
  isMosaicCell,
} from './cell.js';
import { composedLetter, G2_CHARACTERS, G2_UNDEFINED_GLYPH, g0ToUnicode, mosaicToUnicode } from './charset.js';

/** Bytes per downloaded character shape: 10 rows of 8 pixels, bit 7 leftmost. */
export const DRCS_SHAPE_BYTES = 10;
/** DRCS codes 0x21–0x7E (94 per set). */
export const DRCS_FIRST_CODE = 0x21;
export const DRCS_CODES = 94;

const DRCS_TABLE_BYTES = DRCS_CODES * DRCS_SHAPE_BYTES;
/** What `drcs` reads before any download: shared, never written. */
const NO_DRCS: readonly [Uint8Array, Uint8Array] = [new Uint8Array(DRCS_TABLE_BYTES), new Uint8Array(DRCS_TABLE_BYTES)];

export type CharSetName = 'G0' | 'G1' | 'G2' | 'DRCS0' | 'DRCS1';
const SET_NAMES: readonly CharSetName[] = ['G0', 'G1', 'G2', 'DRCS0', 'DRCS1'];

/** A cell as the terminal displays it, zone attributes resolved (p.84–86, p.93–94). */
export interface CellAppearance {
  /** The character as Unicode (mosaics as sextants, accents composed). */
  char: string;
  code: number;
  set: CharSetName;
  fg: number;
  bg: number;
  blink: boolean;
  inverse: boolean;
  underline: boolean;
  separated: boolean;
  masked: boolean;
  delimiter: boolean;
  error: boolean;
  doubleWidth: boolean;
  doubleHeight: boolean;
  rightHalf: boolean;
  topHalf: boolean;
}

export interface TextOptions {
  /** Show masked zones (as after `ESC 23 20 5F`) even when the global mask is on. */
  revealMasked?: boolean;
  /** Draw mosaics as Unicode sextants instead of spaces. */
  mosaics?: boolean;
  /** Keep trailing spaces on each row. */
  keepTrailingSpaces?: boolean;
}

export class Screen {
  static readonly ROWS = ROWS;
  static readonly COLUMNS = COLUMNS;

  /** Cell words, row-major: index = row × 40 + (column − 1). */
  readonly cells = new Uint32Array(ROWS * COLUMNS);
  /** Shapes of G'0 and G'1, allocated by the first download: most screens never use them. */
  private drcsTables: [Uint8Array, Uint8Array] | undefined;
  cursorRow = 1;
  cursorColumn = 1;
  cursorVisible = false;
  /** True while masked zones are hidden: the state at power-on and connection (p.85, p.94). */
  globalMask = true;
  /** One flag per row, set when the row changes; renderers clear them with takeDirtyRows. */
  readonly dirty = new Uint8Array(ROWS);
  /** Bumped when DRCS shapes change (cells drawn from them change without being rewritten). */
  drcsVersion = 0;

  constructor() {
    this.cells.fill(CLEARED_CELL);
    this.dirty.fill(1);
  }

  static index(row: number, column: number): number {
    return row * COLUMNS + column - 1;
  }

  get(row: number, column: number): number {
    return this.cells[row * COLUMNS + column - 1];
  }

  set(row: number, column: number, word: number): void {
    this.cells[row * COLUMNS + column - 1] = word;
    this.dirty[row] = 1;
  }

  clearRows(first: number, last: number): void {
    this.cells.fill(CLEARED_CELL, first * COLUMNS, (last + 1) * COLUMNS);
    this.dirty.fill(1, first, last + 1);
  }

  markAllDirty(): void {
    this.dirty.fill(1);
  }

  /** The rows changed since the last call, and clears their flags. */
  takeDirtyRows(): number[] {
    const rows: number[] = [];
    for (let row = 0; row < ROWS; row++) {
      if (this.dirty[row]) {
        rows.push(row);
        this.dirty[row] = 0;
      }
    }
    return rows;
  }

  /**
   * Shapes of G'0 and G'1 (Minitel 2), 10 bytes per code from 0x21. Read-only:
   * before any download these are shared zero-filled tables.
   */
  get drcs(): readonly [Uint8Array, Uint8Array] {
    return this.drcsTables ?? NO_DRCS;
  }

  /** True once a DRCS shape has been downloaded (or copied) into this screen. */
  get hasDrcs(): boolean {
    return this.drcsTables !== undefined;
  }

  /** The downloaded shape for a DRCS code of set 0 (G'0) or 1 (G'1): 10 bytes, bit 7 leftmost. Read-only. */
  drcsShape(set: 0 | 1, code: number): Uint8Array {
    const offset = (code - DRCS_FIRST_CODE) * DRCS_SHAPE_BYTES;
    return this.drcs[set].subarray(offset, offset + DRCS_SHAPE_BYTES);
  }

  /** The shape's bytes to write a download into (allocates the tables on first use). */
  writableDrcsShape(set: 0 | 1, code: number): Uint8Array {
    this.drcsTables ??= [new Uint8Array(DRCS_TABLE_BYTES), new Uint8Array(DRCS_TABLE_BYTES)];
    const offset = (code - DRCS_FIRST_CODE) * DRCS_SHAPE_BYTES;
    return this.drcsTables[set].subarray(offset, offset + DRCS_SHAPE_BYTES);
  }

  /** Forgets every downloaded shape (power-on). */
  clearDrcs(): void {
    if (!this.drcsTables) return;
    this.drcsTables = undefined;
    this.drcsVersion++;
    this.dirty.fill(1);
  }

  /**
   * Resolves a row as the terminal scans it, left to right (p.84, p.86, p.93–94):
   * a delimiter sets the zone {bg, mask, underline}; a mosaic sets the zone bg and
   * ends underline; text takes the zone. Writes one resolved word per column into
   * `out` (index 0 = column 1): for text, bg/lining/mask become zone bg, underline
   * and mask; for mosaics, mask becomes the zone mask; delimiters keep theirs.
   */
  resolveRow(row: number, out: Uint32Array): Uint32Array {
    let zoneBg = 0;
    let zoneMask = 0;
    let zoneUnderline = 0;
    const base = row * COLUMNS;
    for (let i = 0; i < COLUMNS; i++) {
      const cell = this.cells[base + i];
      if (cell & DELIMITER) {
        zoneBg = cell & BG_MASK;
        zoneMask = cell & MASK;
        zoneUnderline = cell & LINING;
        out[i] = cell;
      } else if (isMosaicCell(cell)) {
        zoneBg = cell & BG_MASK;
        zoneUnderline = 0;
        out[i] = (cell & ~MASK) | zoneMask;
      } else {
        out[i] = (cell & ~(BG_MASK | LINING | MASK)) | zoneBg | zoneUnderline | zoneMask;
      }
    }
    return out;
  }

  /** The effective appearance of one cell (zone attributes resolved). */
  appearance(row: number, column: number): CellAppearance {
    const resolved = this.resolveRow(row, new Uint32Array(COLUMNS))[column - 1];
    return describeCell(resolved);
  }

  /** One row as plain text (accents as Unicode; mosaics as spaces unless asked). */
  rowText(row: number, options: TextOptions = {}): string {
    const resolved = this.resolveRow(row, new Uint32Array(COLUMNS));
    let text = '';
    for (let i = 0; i < COLUMNS; i++) {
      const cell = resolved[i];
      // A double-width character is shown once, from its left half.
      if (cell & RIGHT_HALF) continue;
      if (cell & TOP_HALF || (cell & MASK && this.globalMask && !options.revealMasked)) {
        text += ' ';
        continue;
      }
      if (isMosaicCell(cell) && !options.mosaics) {
        text += ' ';
        continue;
      }
      text += cellChar(cell);
    }
    return options.keepTrailingSpaces ? text : text.trimEnd();
  }

  /** The whole screen as text, rows 0–24 joined by newlines. */
  text(options: TextOptions = {}): string {
    const rows: string[] = [];
    for (let row = 0; row < ROWS; row++) rows.push(this.rowText(row, options));
    return rows.join('\n');
  }

  /** Same cells, same global mask, same DRCS shapes for the codes on screen. */
  equals(other: Screen, options: { cursor?: boolean } = {}): boolean {
    if (this.globalMask !== other.globalMask) return false;
    if (options.cursor) {
      if (this.cursorVisible !== other.cursorVisible) return false;
      if (this.cursorVisible && (this.cursorRow !== other.cursorRow || this.cursorColumn !== other.cursorColumn)) {
        return false;
      }
    }
    const a = this.cells;
    const b = other.cells;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return false;
    }
    return this.sameDrcsShapesInUse(other);
  }

  /**
   * True when both screens look the same to the user in every blink phase and
   * mask state, even if stored differently (for example a black text space and
   * an empty black mosaic). See visualKey.
   */
  looksLike(other: Screen): boolean {
    return this.firstVisualDifference(other) === undefined;
  }

  /** The first cell, as [row, column], that looks different on the two screens. */
  firstVisualDifference(other: Screen): [number, number] | undefined {
    if (this.globalMask !== other.globalMask) return [0, 0];
    const a = this.cells;
    const b = other.cells;
    const shapes = this.drcsTables !== undefined || other.drcsTables !== undefined;
    for (let row = 0; row < ROWS; row++) {
      const base = row * COLUMNS;
      let stored = 0;
      while (stored < COLUMNS && a[base + stored] === b[base + stored]) stored++;
      if (stored === COLUMNS) {
        // Same stored cells resolve alike (resolveRow depends on the row only):
        // only downloaded shapes can still differ.
        if (shapes) {
          for (let i = 0; i < COLUMNS; i++) {
            const cell = a[base + i];
            if (usesDrcs(cell) && !sameShape(this, other, cell)) return [row, i + 1];
          }
        }
        continue;
      }
      // This is on the pacer's path after every replayed keystroke: scratch rows, no allocation.
      const mine = this.resolveRow(row, RESOLVED_MINE);
      const theirs = other.resolveRow(row, RESOLVED_THEIRS);
      for (let i = 0; i < COLUMNS; i++) {
        if (visualKey(mine[i]) !== visualKey(theirs[i])) return [row, i + 1];
        if (shapes && usesDrcs(mine[i]) && !sameShape(this, other, mine[i])) return [row, i + 1];
      }
    }
    return undefined;
  }

  copyFrom(other: Screen): void {
    this.cells.set(other.cells);
    if (other.drcsTables) {
      this.drcsTables ??= [new Uint8Array(DRCS_TABLE_BYTES), new Uint8Array(DRCS_TABLE_BYTES)];
      this.drcsTables[0].set(other.drcsTables[0]);
      this.drcsTables[1].set(other.drcsTables[1]);
    } else {
      this.drcsTables = undefined;
    }
    this.cursorRow = other.cursorRow;
    this.cursorColumn = other.cursorColumn;
    this.cursorVisible = other.cursorVisible;
    this.globalMask = other.globalMask;
    this.drcsVersion++;
    this.dirty.fill(1);
  }

  clone(): Screen {
    const copy = new Screen();
    copy.copyFrom(this);
    return copy;
  }

  private sameDrcsShapesInUse(other: Screen): boolean {
    for (let i = 0; i < this.cells.length; i++) {
      const cell = this.cells[i];
      if (usesDrcs(cell) && !sameShape(this, other, cell)) return false;
    }
    return true;
  }
}

/** Scratch rows for firstVisualDifference (single-threaded, never re-entered). */
const RESOLVED_MINE = new Uint32Array(COLUMNS);
const RESOLVED_THEIRS = new Uint32Array(COLUMNS);

function usesDrcs(cell: number): boolean {
  const set = cellSet(cell);
  return (set === CharSet.DRCS0 || set === CharSet.DRCS1) && !(cell & (DELIMITER | ERROR));
}

function sameShape(a: Screen, b: Screen, cell: number): boolean {
  const set = cellSet(cell) === CharSet.DRCS0 ? 0 : 1;
  const code = cellCode(cell);
  if (code < DRCS_FIRST_CODE || code > 0x7e) return true;
  const x = a.drcsShape(set, code);
  const y = b.drcsShape(set, code);
  for (let i = 0; i < DRCS_SHAPE_BYTES; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The character a (resolved) cell shows, as Unicode. */
export function cellChar(cell: number): string {
  if (cell & DELIMITER) return ' ';
  if (cell & ERROR) return '█';
  const code = cellCode(cell);
  switch (cellSet(cell)) {
    case CharSet.G0: {
      const accent = cellAccent(cell);
      if (accent) return composedLetter(accent, code) ?? g0ToUnicode(code);
      return g0ToUnicode(code);
    }
    case CharSet.G1:
    case CharSet.DRCS1:
      return mosaicToUnicode(code);
    case CharSet.G2:
      return G2_CHARACTERS[code] ?? G2_UNDEFINED_GLYPH;
    case CharSet.DRCS0:
      return String.fromCharCode(code);
  }
}

export function describeCell(cell: number): CellAppearance {
  const mosaic = isMosaicCell(cell);
  return {
    char: cellChar(cell),
    code: cellCode(cell),
    set: SET_NAMES[cellSet(cell)],
    fg: cellFg(cell),
    bg: cellBg(cell),
    blink: (cell & BLINK) !== 0,
    inverse: (cell & INVERSE) !== 0,
    underline: !mosaic && !(cell & DELIMITER) && (cell & LINING) !== 0,
    separated: mosaic && (cell & LINING) !== 0,
    masked: (cell & MASK) !== 0,
    delimiter: (cell & DELIMITER) !== 0,
    error: (cell & ERROR) !== 0,
    doubleWidth: (cell & DOUBLE_WIDTH) !== 0,
    doubleHeight: (cell & DOUBLE_HEIGHT) !== 0,
    rightHalf: (cell & RIGHT_HALF) !== 0,
    topHalf: (cell & TOP_HALF) !== 0,
  };
}

/** Bit set in a visual key for blank cells, which carry only their colours. */
const BLANK_KEY = 1 << 31;
const HIDDEN_SHIFT = 3;

/**
 * A number that is equal for two resolved cells exactly when they look the
 * same in every blink phase and under both global mask states. Blank cells
 * (text SP, delimiters, empty mosaics, with no underline) show only one colour
 * each way, so they reduce to that colour whatever their size, set or foreground.
 * Other cells compare on every stored bit.
 */
export function visualKey(resolved: number): number {
  const blank = isBlankCell(resolved);
  if (!blank) return resolved >>> 0;
  const bg = (resolved & BG_MASK) >>> BG_SHIFT;
  const shown = resolved & INVERSE ? cellFg(resolved) : bg;
  // A masked cell shows its zone background while the global mask is on (p.94).
  const hidden = resolved & MASK ? bg : shown;
  return (BLANK_KEY | (hidden << HIDDEN_SHIFT) | shown) >>> 0;
}

/** True when a resolved cell draws no foreground pixel (so blink and fg do not show). */
function isBlankCell(resolved: number): boolean {
  if (resolved & ERROR) return false;
  const code = cellCode(resolved);
  const set = cellSet(resolved);
  if (resolved & DELIMITER) return true; // never underlined (p.84–86)
  // Only 0x20 is the empty mosaic: 0x40 draws like 0x60, the bottom-right block (p.101–102).
  if (set === CharSet.G1) return code === 0x20;
  if (set === CharSet.G0) return code === 0x20 && !(resolved & LINING) && !cellAccent(resolved);
  return false;
}
