/**
 * What the decoder does to the screen: writing characters with the current
 * attributes, moving the cursor with the real wrap, scroll and row-0 rules,
 * erasing, inserting and deleting. The parser (Terminal) decides *which* of
 * these to call; this class knows *how* a Minitel does them.
 */
import { COLUMNS } from './codes.js';
import { type Attributes, defaultAttributes, resetAttributes } from './attributes.js';
import {
  BG_SHIFT,
  BLINK,
  CharSet,
  CLEARED_CELL,
  CODE_MASK,
  DELIMITER,
  DOUBLE_HEIGHT,
  DOUBLE_WIDTH,
  FG_SHIFT,
  INVERSE,
  LINING,
  MASK,
  RIGHT_HALF,
  SET_SHIFT,
  TOP_HALF,
} from './cell.js';
import type { Screen } from './screen.js';

const LAST_ROW = 24;
/** Scratch buffer for REP runs (at most 63 repetitions, p.98). */
const REPEAT_RUN = new Uint8Array(64);
const SP = 0x20;

/** State saved when the cursor enters row 0, restored by LF (p.97). */
interface SavedPosition {
  row: number;
  column: number;
  attributes: Attributes;
}

export class ScreenWriter {
  readonly attributes: Attributes = defaultAttributes();
  row = 1;
  column = 1;
  /** Roll mode scrolls at the bottom; page mode (the default) wraps to row 1 (p.87, p.97). */
  rollMode = false;
  /** `CSI 4 h`: written characters push the rest of the row right (p.95). */
  insertMode = false;
  /** G0 and G1 designations: standard (false) or downloaded DRCS (true). */
  drcsG0 = false;
  drcsG1 = false;
  /** The last character displayed, as a glyph word without attributes, for REP (p.98). */
  lastGlyph = SP;
  lastGlyphMosaic = false;
  private saved: SavedPosition | undefined;

  constructor(readonly screen: Screen) {}

  get inRowZero(): boolean {
    return this.row === 0;
  }

  /** Power-on and RESET state of the writer (p.82, p.145). */
  reset(): void {
    resetAttributes(this.attributes);
    this.row = 1;
    this.column = 1;
    this.insertMode = false;
    this.saved = undefined;
    this.lastGlyph = SP;
    this.lastGlyphMosaic = false;
    this.syncCursor();
  }

  syncCursor(): void {
    this.screen.cursorRow = this.row;
    this.screen.cursorColumn = this.column;
  }

  // ---- writing ---------------------------------------------------------------

  /**
   * Displays one character of the current set. `glyph` holds code, set and
   * accent bits (cell.ts); the attributes come from the current state.
   */
  print(glyph: number): void {
    const a = this.attributes;
    const mosaic = a.mosaic;
    this.lastGlyph = glyph;
    this.lastGlyphMosaic = mosaic;
    this.place(glyph, mosaic);
  }

  /**
   * A run of printable bytes (0x20–0x7F, parity already valid) in the selected
   * set. The common case — normal size, no insert mode, no pending delimiter,
   * standard sets, rows 1–24 — writes cells directly; anything else goes
   * through print() one character at a time.
   */
  printRun(data: ArrayLike<number>, start: number, end: number): void {
    if (end <= start) return;
    const a = this.attributes;
    const simple =
      !this.insertMode && this.row !== 0 && !a.doubleWidth && !a.doubleHeight && !a.pending &&
      !(a.mosaic ? this.drcsG1 : this.drcsG0);
    if (!simple) {
      const set = (a.mosaic ? CharSet.G1 : CharSet.G0) << SET_SHIFT;
      const drcs = (a.mosaic ? (this.drcsG1 ? CharSet.DRCS1 : CharSet.G1) : this.drcsG0 ? CharSet.DRCS0 : CharSet.G0) << SET_SHIFT;
      for (let i = start; i < end; i++) {
        const code = data[i] & 0x7f;
        this.print(code === SP || code === 0x7f ? code | set : code | drcs);
      }
      return;
    }
    let base: number;
    if (a.mosaic) {
      base = (CharSet.G1 << SET_SHIFT) | (a.fg << FG_SHIFT) | (a.zoneBg << BG_SHIFT);
      if (a.separated) base |= LINING;
      if (a.blink) base |= BLINK;
    } else {
      base = a.fg << FG_SHIFT;
      if (a.inverse) base |= INVERSE;
      if (a.blink) base |= BLINK;
    }
    const cells = this.screen.cells;
    const dirty = this.screen.dirty;
    let row = this.row;
    let column = this.column;
    let index = row * COLUMNS + column - 1;
    dirty[row] = 1;
    let code = 0;
    for (let i = start; i < end; i++) {
      code = data[i] & 0x7f;
      cells[index++] = base | code;
      if (++column > COLUMNS) {
        this.row = row;
        this.column = column - 1;
        this.advance(1, 1);
        row = this.row;
        column = this.column;
        index = row * COLUMNS + column - 1;
        dirty[row] = 1;
      }
    }
    this.row = row;
    this.column = column;
    this.lastGlyph = code | (a.mosaic ? CharSet.G1 << SET_SHIFT : 0);
    this.lastGlyphMosaic = a.mosaic;
  }

  /** REP: the last displayed character again, with the current attributes (p.98). */
  repeat(count: number): void {
    const a = this.attributes;
    const glyph = this.lastGlyph;
    // The common case (a plain character in the selected set, normal size) takes the run path.
    if (this.lastGlyphMosaic === a.mosaic && (glyph & ~CODE_MASK) === (a.mosaic ? CharSet.G1 << SET_SHIFT : 0) && glyph !== SP) {
      const code = glyph & CODE_MASK;
      const run = REPEAT_RUN;
      run.fill(code, 0, count);
      this.printRun(run, 0, count);
      return;
    }
    for (let i = 0; i < count; i++) this.place(glyph, this.lastGlyphMosaic);
  }

  private place(glyph: number, mosaic: boolean): void {
    const a = this.attributes;
    let word: number;
    let width = 1;
    let height = 1;
    if (mosaic) {
      // Mosaics take the latent background at once (p.93) and have no size or inverse (p.91).
      word = glyph | (a.fg << FG_SHIFT) | (a.zoneBg << BG_SHIFT);
      if (a.separated) word |= LINING;
      if (a.blink) word |= BLINK;
    } else {
      word = glyph | (a.fg << FG_SHIFT);
      if (a.inverse) word |= INVERSE;
      if (glyph === SP && a.pending) {
        // The first SP after a zone attribute opens a zone carrying all of L (p.93).
        word |= DELIMITER | (a.zoneBg << BG_SHIFT);
        if (a.zoneMask) word |= MASK;
        if (a.zoneUnderline) word |= LINING;
        a.pending = false;
      } else if (a.blink) {
        word |= BLINK;
      }
      if (this.row !== 0) {
        // Double height needs the row above; double width needs a column to the right (p.93, p.97).
        if (a.doubleHeight && this.row >= 2) height = 2;
        if (a.doubleWidth && this.column < COLUMNS) width = 2;
      }
    }
    if (this.insertMode) this.shiftRight(width, height);
    const row = this.row;
    const column = this.column;
    if (width === 1 && height === 1) {
      this.screen.set(row, column, word);
    } else {
      if (width === 2) word |= DOUBLE_WIDTH;
      if (height === 2) word |= DOUBLE_HEIGHT;
      this.screen.set(row, column, word);
      if (width === 2) this.screen.set(row, column + 1, word | RIGHT_HALF);
      if (height === 2) {
        this.screen.set(row - 1, column, word | TOP_HALF);
        if (width === 2) this.screen.set(row - 1, column + 1, word | TOP_HALF | RIGHT_HALF);
      }
    }
    this.advance(width, height);
  }

  /** Cursor after a character: the wrap and scroll rules of p.97. */
  private advance(width: number, height: number): void {
    this.column += width;
    if (this.column <= COLUMNS) return;
    if (this.row === 0 || this.insertMode) {
      // Row 0 never wraps: excess characters land on column 40 (p.97); insert mode does not wrap (p.95).
      this.column = COLUMNS;
      return;
    }
    this.column = 1;
    // A double-height character's next line is two rows down (p.97).
    const step = height;
    const target = this.row + step;
    if (target <= LAST_ROW) {
      this.row = target;
    } else if (this.rollMode) {
      this.scrollUp(target - LAST_ROW);
      this.row = LAST_ROW;
    } else {
      this.row = step === 2 ? 2 : 1;
    }
  }

  private shiftRight(width: number, height: number): void {
    for (let r = this.row - height + 1; r <= this.row; r++) {
      const base = r * COLUMNS;
      const from = base + this.column - 1;
      const cells = this.screen.cells;
      cells.copyWithin(from + width, from, base + COLUMNS - width);
      this.screen.dirty[r] = 1;
    }
  }

  /** CAN: SP of the current set and attributes to the end of the row; no move, no delimiter (p.95). */
  fillToEndOfRow(): void {
    const a = this.attributes;
    let word: number;
    if (a.mosaic) {
      word = SP | (CharSet.G1 << SET_SHIFT) | (a.fg << FG_SHIFT) | (a.zoneBg << BG_SHIFT);
      if (a.separated) word |= LINING;
    } else {
      word = SP | (a.fg << FG_SHIFT);
      if (a.inverse) word |= INVERSE;
    }
    const base = this.row * COLUMNS;
    this.screen.cells.fill(word, base + this.column - 1, base + COLUMNS);
    this.screen.dirty[this.row] = 1;
  }

  // ---- C0 moves (p.94–97) ------------------------------------------------------

  backspace(): void {
    if (this.row === 0) {
      if (this.column > 1) this.column--;
      return;
    }
    if (this.column > 1) {
      this.column--;
    } else {
      this.column = COLUMNS;
      this.row = this.row > 1 ? this.row - 1 : LAST_ROW;
    }
  }

  horizontalTab(): void {
    if (this.row === 0) {
      if (this.column < COLUMNS) this.column++;
      return;
    }
    if (this.column < COLUMNS) {
      this.column++;
    } else {
      this.column = 1;
      this.row = this.row < LAST_ROW ? this.row + 1 : 1;
    }
  }

  lineFeed(): void {
    if (this.row === 0) {
      this.leaveRowZero();
      return;
    }
    if (this.row < LAST_ROW) this.row++;
    else if (this.rollMode) this.scrollUp(1);
    else this.row = 1;
  }

  verticalTab(): void {
    if (this.row === 0) return;
    if (this.row > 1) this.row--;
    else if (this.rollMode) this.scrollDown(1);
    else this.row = LAST_ROW;
  }

  carriageReturn(): void {
    this.column = 1;
  }

  /** RS: home, default attributes, G0, nothing cleared (p.95). */
  recordSeparator(): void {
    this.saved = undefined;
    resetAttributes(this.attributes);
    this.row = 1;
    this.column = 1;
  }

  /** FF: rows 1–24 cleared, row 0 kept, home, default attributes, G0 (p.95–96). */
  formFeed(): void {
    this.saved = undefined;
    this.screen.clearRows(1, LAST_ROW);
    resetAttributes(this.attributes);
    this.row = 1;
    this.column = 1;
  }

  /** US r c positioning, already validated; resets attributes and G0 (p.96–97). */
  moveTo(row: number, column: number): void {
    if (row === 0) {
      // Position and attributes are saved before US resets them (p.97).
      if (this.row !== 0) {
        this.saved = { row: this.row, column: this.column, attributes: { ...this.attributes } };
      }
    } else {
      this.saved = undefined;
    }
    resetAttributes(this.attributes);
    this.row = row;
    this.column = column;
  }

  /** LF in row 0: back to the saved position and attributes (p.97). */
  private leaveRowZero(): void {
    const saved = this.saved;
    this.saved = undefined;
    if (saved) {
      Object.assign(this.attributes, saved.attributes);
      this.row = saved.row;
      this.column = saved.column;
    } else {
      this.row = 1;
    }
  }

  // ---- CSI (p.94–97); CSI never acts in row 0 ---------------------------------

  cursorUp(n: number): void {
    this.row = Math.max(1, this.row - n);
  }
  cursorDown(n: number): void {
    this.row = Math.min(LAST_ROW, this.row + n);
  }
  cursorRight(n: number): void {
    this.column = Math.min(COLUMNS, this.column + n);
  }
  cursorLeft(n: number): void {
    this.column = Math.max(1, this.column - n);
  }
  cursorPosition(row: number, column: number): void {
    this.row = clamp(row, 1, LAST_ROW);
    this.column = clamp(column, 1, COLUMNS);
  }

  /** CSI J: 0 = cursor to end of screen, 1 = start to cursor, 2 = rows 1–24 (p.95–96). */
  eraseInScreen(mode: number): void {
    const cells = this.screen.cells;
    const here = this.row * COLUMNS + this.column - 1;
    if (mode === 0) {
      cells.fill(CLEARED_CELL, here, (LAST_ROW + 1) * COLUMNS);
      this.screen.dirty.fill(1, this.row, LAST_ROW + 1);
    } else if (mode === 1) {
      cells.fill(CLEARED_CELL, COLUMNS, here + 1);
      this.screen.dirty.fill(1, 1, this.row + 1);
    } else if (mode === 2) {
      this.screen.clearRows(1, LAST_ROW);
    }
  }

  /** CSI K: 0 = cursor to end of row, 1 = start of row to cursor, 2 = whole row (p.96). */
  eraseInRow(mode: number): void {
    const base = this.row * COLUMNS;
    const here = base + this.column - 1;
    const cells = this.screen.cells;
    if (mode === 0) cells.fill(CLEARED_CELL, here, base + COLUMNS);
    else if (mode === 1) cells.fill(CLEARED_CELL, base, here + 1);
    else if (mode === 2) cells.fill(CLEARED_CELL, base, base + COLUMNS);
    else return;
    this.screen.dirty[this.row] = 1;
  }

  /** CSI P: delete n characters, the rest of the row shifts left (p.95). */
  deleteCharacters(n: number): void {
    const base = this.row * COLUMNS;
    const here = base + this.column - 1;
    const end = base + COLUMNS;
    const count = Math.min(n, end - here);
    const cells = this.screen.cells;
    cells.copyWithin(here, here + count, end);
    cells.fill(CLEARED_CELL, end - count, end);
    this.screen.dirty[this.row] = 1;
  }

  /** CSI @: insert n blanks; what passes column 40 is lost (p.95). */
  insertCharacters(n: number): void {
    const base = this.row * COLUMNS;
    const here = base + this.column - 1;
    const end = base + COLUMNS;
    const count = Math.min(n, end - here);
    const cells = this.screen.cells;
    cells.copyWithin(here + count, here, end - count);
    cells.fill(CLEARED_CELL, here, here + count);
    this.screen.dirty[this.row] = 1;
  }

  /** CSI L: insert n rows at the cursor row; rows pushed past 24 are lost (p.96). */
  insertRows(n: number): void {
    const count = Math.min(n, LAST_ROW - this.row + 1);
    const cells = this.screen.cells;
    cells.copyWithin((this.row + count) * COLUMNS, this.row * COLUMNS, (LAST_ROW + 1 - count) * COLUMNS);
    cells.fill(CLEARED_CELL, this.row * COLUMNS, (this.row + count) * COLUMNS);
    this.screen.dirty.fill(1, this.row, LAST_ROW + 1);
  }

  /** CSI M: delete n rows at the cursor row; rows below move up (p.96). */
  deleteRows(n: number): void {
    const count = Math.min(n, LAST_ROW - this.row + 1);
    const cells = this.screen.cells;
    cells.copyWithin(this.row * COLUMNS, (this.row + count) * COLUMNS, (LAST_ROW + 1) * COLUMNS);
    cells.fill(CLEARED_CELL, (LAST_ROW + 1 - count) * COLUMNS, (LAST_ROW + 1) * COLUMNS);
    this.screen.dirty.fill(1, this.row, LAST_ROW + 1);
  }

  /** Roll mode: rows 1–24 move up; the new bottom rows are cleared (p.97). */
  private scrollUp(n: number): void {
    const cells = this.screen.cells;
    cells.copyWithin(COLUMNS, (1 + n) * COLUMNS, (LAST_ROW + 1) * COLUMNS);
    cells.fill(CLEARED_CELL, (LAST_ROW + 1 - n) * COLUMNS, (LAST_ROW + 1) * COLUMNS);
    this.screen.dirty.fill(1, 1, LAST_ROW + 1);
  }

  private scrollDown(n: number): void {
    const cells = this.screen.cells;
    cells.copyWithin((1 + n) * COLUMNS, COLUMNS, (LAST_ROW + 1 - n) * COLUMNS);
    cells.fill(CLEARED_CELL, COLUMNS, (1 + n) * COLUMNS);
    this.screen.dirty.fill(1, 1, LAST_ROW + 1);
  }

  // ---- attributes (p.91–94) ----------------------------------------------------

  /** `ESC x` with x in 0x40–0x5F, except CSI. */
  attribute(x: number): void {
    const a = this.attributes;
    if (x <= 0x47) {
      a.fg = x - 0x40;
    } else if (x >= 0x50 && x <= 0x57) {
      a.zoneBg = x - 0x50;
      // In G1 the background applies to the next mosaic at once; in G0 it waits for a delimiter (p.93).
      if (!a.mosaic) a.pending = true;
    } else {
      switch (x) {
        case 0x48:
          a.blink = true;
          break;
        case 0x49:
          a.blink = false;
          break;
        case 0x4c:
        case 0x4d:
        case 0x4e:
        case 0x4f:
          // Sizes do not exist in G1, and double height is refused on rows 0 and 1 (p.91, p.93).
          if (a.mosaic || this.row === 0) break;
          if ((x === 0x4d || x === 0x4f) && this.row < 2) break;
          a.doubleHeight = x === 0x4d || x === 0x4f;
          a.doubleWidth = x === 0x4e || x === 0x4f;
          break;
        case 0x58:
        case 0x5f:
          a.zoneMask = x === 0x58;
          a.pending = true;
          break;
        case 0x59:
        case 0x5a:
          if (a.mosaic) {
            a.separated = x === 0x5a;
          } else {
            a.zoneUnderline = x === 0x5a;
            a.pending = true;
          }
          break;
        case 0x5c:
        case 0x5d:
          if (!a.mosaic) a.inverse = x === 0x5d;
          break;
        default:
          // 4A, 4B, 5E: filtered (p.92).
          break;
      }
    }
  }

  /** SO: mosaics; cancels size and inverse for good, and ends underline (p.91, p.94). */
  shiftOut(): void {
    const a = this.attributes;
    a.mosaic = true;
    a.doubleHeight = false;
    a.doubleWidth = false;
    a.inverse = false;
    a.zoneUnderline = false;
  }

  /** SI: text; ends separated mosaics (p.94). */
  shiftIn(): void {
    const a = this.attributes;
    a.mosaic = false;
    a.separated = false;
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
