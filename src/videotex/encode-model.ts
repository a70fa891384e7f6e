/**
 * What the encoder knows about the decoder: its current attributes packed in
 * one integer, the bytes that change them (p.90–94), the cell word a
 * character will produce (the same rules as ScreenWriter.place) and the row
 * scan of zone attributes (p.84, p.86, p.93–94, the rule of Screen.resolveRow).
 * Encoders plan with these and check the result with a real Terminal.
 */
import * as codes from './codes.js';
import * as cellModule from './cell.js';
import { CharSet } from './cell.js';
import * as charset from './charset.js';

// Module-level copies of the bindings used per cell: tsx and the test runner
// turn imported bindings into getters, which dominated the encoder's profile.
const { C0, COLUMNS, ESC_ATTR, SP } = codes;
const { ACCENT_MASK, BG_MASK, BG_SHIFT, BLINK, DELIMITER, DOUBLE_HEIGHT, DOUBLE_WIDTH, ERROR, FG_SHIFT, INVERSE, LINING, MASK, SET_SHIFT } =
  cellModule;
const { cellAccent, cellBg, cellCode, cellFg, cellSet, isMosaicCell } = cellModule;
const { codeOfAccent } = charset;

const LAST_ROW = 24;

// ---- packed decoder attributes ---------------------------------------------------

/** Bit layout of a packed attribute state (one number, so planning copies nothing). */
export const S_MOSAIC = 1; // G1 selected (SO)
const S_FG_SHIFT = 1; // bits 1–3
const S_FG = 7 << S_FG_SHIFT;
export const S_BLINK = 1 << 4;
export const S_INVERSE = 1 << 5;
export const S_DW = 1 << 6;
export const S_DH = 1 << 7;
export const S_SEPARATED = 1 << 8;
const S_ZBG_SHIFT = 9; // bits 9–11: latent background (p.93)
const S_ZBG = 7 << S_ZBG_SHIFT;
export const S_ZMASK = 1 << 12;
export const S_ZUL = 1 << 13;
export const S_PENDING = 1 << 14;
/** Designations: 0 standard set, 1 DRCS, 2 unknown (Minitel 2, docs §6.3). */
const S_D0_SHIFT = 15;
const S_D1_SHIFT = 17;
const S_DESIGNATIONS = (3 << S_D0_SHIFT) | (3 << S_D1_SHIFT);

export const DESIGNATION_STANDARD = 0;
export const DESIGNATION_DRCS = 1;
export const DESIGNATION_UNKNOWN = 2;

/** Power-on attributes (p.82): G0, white on black, steady, normal size, no zone pending. */
export const DEFAULT_STATE = 7 << S_FG_SHIFT;

export function withDesignations(state: number, g0: number, g1: number): number {
  return (state & ~S_DESIGNATIONS) | (g0 << S_D0_SHIFT) | (g1 << S_D1_SHIFT);
}

/** What US, RS and FF leave (p.95–96): default attributes and G0; designations stay. */
export function resetState(state: number): number {
  return DEFAULT_STATE | (state & S_DESIGNATIONS);
}

export function stateFg(state: number): number {
  return (state & S_FG) >>> S_FG_SHIFT;
}
export function stateZoneBg(state: number): number {
  return (state & S_ZBG) >>> S_ZBG_SHIFT;
}
function designation(state: number, mosaic: boolean): number {
  return (state >>> (mosaic ? S_D1_SHIFT : S_D0_SHIFT)) & 3;
}

/**
 * A state that differs from what `word` needs in every attribute, so that a
 * transition from it sends them all: what to assume when the terminal's
 * attributes are unknown and no absolute move is possible.
 */
export function contraryState(word: number): number {
  let state = (cellFg(word) ^ 1) << S_FG_SHIFT;
  state |= (cellBg(word) ^ 1) << S_ZBG_SHIFT;
  if (!isMosaicCell(word)) state |= S_MOSAIC;
  if (!(word & BLINK)) state |= S_BLINK;
  if (!(word & INVERSE)) state |= S_INVERSE;
  if (!(word & DOUBLE_WIDTH)) state |= S_DW;
  if (!(word & DOUBLE_HEIGHT)) state |= S_DH;
  if (!(word & LINING)) state |= S_SEPARATED | S_ZUL;
  if (!(word & MASK)) state |= S_ZMASK;
  return state;
}

/** Zone components of a state, for `contraryZone`. */
export const ZONE_FIELD_BG = 1;
export const ZONE_FIELD_UNDERLINE = 2;
export const ZONE_FIELD_MASK = 4;

/**
 * `state` with the chosen latent zone components set opposite to what `word`
 * needs, so the next transition sends them: for zone attributes the terminal
 * may hold but the encoder cannot know (after raw bytes).
 */
export function contraryZone(state: number, word: number, fields: number): number {
  let s = state;
  if (fields & ZONE_FIELD_BG) s = (s & ~S_ZBG) | ((cellBg(word) ^ 1) << S_ZBG_SHIFT);
  if (fields & ZONE_FIELD_MASK) s = word & MASK ? s & ~S_ZMASK : s | S_ZMASK;
  if (fields & ZONE_FIELD_UNDERLINE) s = word & LINING ? s & ~S_ZUL : s | S_ZUL;
  return s;
}

// ---- what a write needs -------------------------------------------------------------

/** Which attributes of a wanted word a transition must establish. */
export const enum Care {
  MODE = 1,
  FG = 2,
  BLINK = 4,
  INVERSE = 8,
  SIZE = 16,
  SEPARATED = 32,
  /** The mosaic background (latent bg in G1, applied at once, p.93). */
  MOSAIC_BG = 64,
  /** A delimiter: latent zone = the word's bg, mask, underline, and pending set (p.93). */
  ZONE = 128,
  /** A plain text SP: no zone may be pending, or the SP would become a delimiter. */
  NO_PENDING = 256,
  DESIGNATION = 512,
}

/** True for a cell that uses the standard/DRCS designation when printed (codes 0x21–0x7E, p.90). */
function designated(word: number): boolean {
  if (word & ERROR || cellAccent(word)) return false;
  const set = cellSet(word);
  if (set === CharSet.G2) return false;
  const code = cellCode(word);
  return code > SP && code < 0x7f;
}

/**
 * The attributes that matter to reproduce `word` exactly. `blank` says the cell
 * shows no foreground where it will sit (see Screen visualKey), so its
 * foreground colour and blink do not need to be right.
 */
export function careFor(word: number, blank: boolean): number {
  let care = Care.MODE | (designated(word) ? Care.DESIGNATION : 0);
  if (isMosaicCell(word)) {
    care |= Care.MOSAIC_BG;
    if (!blank) care |= Care.FG | Care.BLINK | Care.SEPARATED;
    return care;
  }
  care |= Care.INVERSE | Care.SIZE;
  if (!blank || word & INVERSE) care |= Care.FG;
  if (word & DELIMITER) return care | Care.ZONE;
  if (!blank) care |= Care.BLINK;
  if (cellCode(word) === SP && cellSet(word) === CharSet.G0 && !(word & ERROR)) care |= Care.NO_PENDING;
  return care;
}

/** Sizes as the decoder applies them at (row, column): none in row 0, no height on rows 0–1, no width at column 40 (p.93, p.97). */
function effectiveSize(state: number, row: number, column: number): number {
  if (row === 0 || state & S_MOSAIC) return 0;
  let size = 0;
  if (state & S_DW && column < COLUMNS) size |= DOUBLE_WIDTH;
  if (state & S_DH && row >= 2) size |= DOUBLE_HEIGHT;
  return size;
}

function push2(out: number[] | null, a: number, b: number): void {
  if (out) out.push(a, b);
}

/**
 * Appends to `out` (when given) the bytes that bring the decoder from `state`
 * to one that writes `word` at (row, column) with the attributes in `care`,
 * and returns the new state, or -1 when no attribute sequence can (a pending
 * zone before a plain SP). The set switch comes first, because SO cancels
 * size, inverse and underline and SI cancels separation (p.91, p.94).
 */
export function transition(state: number, word: number, care: number, row: number, column: number, out: number[] | null): number {
  let s = state;
  const mosaic = isMosaicCell(word);
  if (care & Care.MODE) {
    if (mosaic && !(s & S_MOSAIC)) {
      out?.push(C0.SO);
      s = (s | S_MOSAIC) & ~(S_INVERSE | S_DW | S_DH | S_ZUL);
    } else if (!mosaic && s & S_MOSAIC) {
      out?.push(C0.SI);
      s &= ~(S_MOSAIC | S_SEPARATED);
    }
  }
  if (care & Care.DESIGNATION) {
    const set = cellSet(word);
    const want = set === CharSet.DRCS0 || set === CharSet.DRCS1 ? DESIGNATION_DRCS : DESIGNATION_STANDARD;
    if (designation(s, mosaic) !== want) {
      // ESC 28 40 / ESC 28 20 42 (G0), ESC 29 63 / ESC 29 20 43 (G1), docs §4.1 and §6.3.
      if (out) {
        if (mosaic) out.push(...(want ? [C0.ESC, 0x29, SP, 0x43] : [C0.ESC, 0x29, 0x63]));
        else out.push(...(want ? [C0.ESC, 0x28, SP, 0x42] : [C0.ESC, 0x28, 0x40]));
      }
      const shift = mosaic ? S_D1_SHIFT : S_D0_SHIFT;
      s = (s & ~(3 << shift)) | (want << shift);
    }
  }
  if (care & Care.FG) {
    const fg = cellFg(word);
    if (stateFg(s) !== fg) {
      push2(out, C0.ESC, ESC_ATTR.FOREGROUND + fg);
      s = (s & ~S_FG) | (fg << S_FG_SHIFT);
    }
  }
  if (care & Care.BLINK && ((s & S_BLINK) !== 0) !== ((word & BLINK) !== 0)) {
    push2(out, C0.ESC, word & BLINK ? ESC_ATTR.BLINK_ON : ESC_ATTR.BLINK_OFF);
    s ^= S_BLINK;
  }
  if (mosaic) {
    if (care & Care.MOSAIC_BG) {
      const bg = cellBg(word);
      if (stateZoneBg(s) !== bg) {
        // In G1 a background applies to the next mosaic at once, with no delimiter (p.93).
        push2(out, C0.ESC, ESC_ATTR.BACKGROUND + bg);
        s = (s & ~S_ZBG) | (bg << S_ZBG_SHIFT);
      }
    }
    if (care & Care.SEPARATED && ((s & S_SEPARATED) !== 0) !== ((word & LINING) !== 0)) {
      push2(out, C0.ESC, word & LINING ? ESC_ATTR.LINING_ON : ESC_ATTR.LINING_OFF);
      s ^= S_SEPARATED;
    }
    return s;
  }
  if (care & Care.INVERSE && ((s & S_INVERSE) !== 0) !== ((word & INVERSE) !== 0)) {
    push2(out, C0.ESC, word & INVERSE ? ESC_ATTR.INVERSE_ON : ESC_ATTR.INVERSE_OFF);
    s ^= S_INVERSE;
  }
  if (care & Care.SIZE) {
    const want = word & (DOUBLE_WIDTH | DOUBLE_HEIGHT);
    if (effectiveSize(s, row, column) !== want) {
      if (row === 0 || (want & DOUBLE_HEIGHT && row < 2) || (want & DOUBLE_WIDTH && column >= COLUMNS)) return -1;
      const dw = (want & DOUBLE_WIDTH) !== 0;
      const dh = (want & DOUBLE_HEIGHT) !== 0;
      // ESC 4C normal, 4D double height, 4E double width, 4F double size (p.91–92).
      push2(out, C0.ESC, dw ? (dh ? ESC_ATTR.DOUBLE_SIZE : ESC_ATTR.DOUBLE_WIDTH) : dh ? ESC_ATTR.DOUBLE_HEIGHT : ESC_ATTR.NORMAL_SIZE);
      s = (s & ~(S_DW | S_DH)) | (dw ? S_DW : 0) | (dh ? S_DH : 0);
    }
  }
  if (care & Care.ZONE) {
    // Each zone attribute received in G0 sets pending, even when unchanged (p.93).
    let sent = false;
    const bg = cellBg(word);
    if (stateZoneBg(s) !== bg) {
      push2(out, C0.ESC, ESC_ATTR.BACKGROUND + bg);
      s = (s & ~S_ZBG) | (bg << S_ZBG_SHIFT);
      sent = true;
    }
    if (((s & S_ZMASK) !== 0) !== ((word & MASK) !== 0)) {
      push2(out, C0.ESC, word & MASK ? ESC_ATTR.MASK_ON : ESC_ATTR.MASK_OFF);
      s ^= S_ZMASK;
      sent = true;
    }
    if (((s & S_ZUL) !== 0) !== ((word & LINING) !== 0)) {
      push2(out, C0.ESC, word & LINING ? ESC_ATTR.LINING_ON : ESC_ATTR.LINING_OFF);
      s ^= S_ZUL;
      sent = true;
    }
    if (!sent && !(s & S_PENDING)) push2(out, C0.ESC, ESC_ATTR.BACKGROUND + bg);
    s |= S_PENDING;
  } else if (care & Care.NO_PENDING && s & S_PENDING) {
    return -1;
  }
  return s;
}

/** Bytes that print `word`'s character once the attributes are right. */
export function characterBytes(word: number, out: number[]): void {
  if (word & ERROR) {
    out.push(C0.SUB); // the error block with the current attributes (p.99)
    return;
  }
  const code = cellCode(word);
  const accent = cellAccent(word);
  if (accent) out.push(C0.SS2, codeOfAccent(accent), code);
  else if (cellSet(word) === CharSet.G2) out.push(C0.SS2, code);
  else out.push(code);
}

export function characterLength(word: number): number {
  if (word & ERROR) return 1;
  if (cellAccent(word)) return 3;
  return cellSet(word) === CharSet.G2 ? 2 : 1;
}

/** The glyph (code, set, accent, error bits) the decoder prints for `word`'s bytes in `state` (Terminal.printCode). */
export function printedGlyph(state: number, word: number): number {
  const mosaic = (state & S_MOSAIC) !== 0;
  if (word & ERROR) return 0x7f | ((mosaic ? CharSet.G1 : CharSet.G0) << SET_SHIFT) | ERROR;
  const set = cellSet(word);
  if (!mosaic && (set === CharSet.G2 || cellAccent(word))) return word & (0x7f | (7 << SET_SHIFT) | ACCENT_MASK);
  const code = cellCode(word);
  const drcs = designation(state, mosaic) === DESIGNATION_DRCS && code !== SP && code !== 0x7f;
  const printedSet = mosaic ? (drcs ? CharSet.DRCS1 : CharSet.G1) : drcs ? CharSet.DRCS0 : CharSet.G0;
  return code | (printedSet << SET_SHIFT);
}

/**
 * The word the decoder stores when it prints `glyph` in `state` at (row,
 * column), as ScreenWriter.place does (p.91–94): mosaics take the latent
 * background, the first SP after a zone attribute is a delimiter.
 * Returns the word; `afterPrint` gives the state once it is printed.
 */
export function printedWord(state: number, glyph: number, row: number, column: number): number {
  if (state & S_MOSAIC) {
    let word = glyph | (stateFg(state) << FG_SHIFT) | (stateZoneBg(state) << BG_SHIFT);
    if (state & S_SEPARATED) word |= LINING;
    if (state & S_BLINK) word |= BLINK;
    return word;
  }
  let word = glyph | (stateFg(state) << FG_SHIFT);
  if (state & S_INVERSE) word |= INVERSE;
  if (glyph === SP && state & S_PENDING) {
    word |= DELIMITER | (stateZoneBg(state) << BG_SHIFT);
    if (state & S_ZMASK) word |= MASK;
    if (state & S_ZUL) word |= LINING;
  } else if (state & S_BLINK) {
    word |= BLINK;
  }
  return word | effectiveSize(state, row, column);
}

/** The space CAN writes in `state`: current set, colours and inverse; no delimiter, blink or size (p.95). */
export function canWord(state: number): number {
  if (state & S_MOSAIC) {
    return SP | (CharSet.G1 << SET_SHIFT) | (stateFg(state) << FG_SHIFT) | (stateZoneBg(state) << BG_SHIFT) | (state & S_SEPARATED ? LINING : 0);
  }
  return SP | (stateFg(state) << FG_SHIFT) | (state & S_INVERSE ? INVERSE : 0);
}

/** The state after printing `glyph`: only the pending flag can change (p.93). */
export function afterPrint(state: number, glyph: number): number {
  return glyph === SP && !(state & S_MOSAIC) ? state & ~S_PENDING : state;
}

/** Where the cursor goes after a character of this size (p.97); `insert` = CSI 4 h in force (no wrap, p.95). */
export function advance(row: number, column: number, word: number, insert: boolean): [number, number] {
  const width = word & DOUBLE_WIDTH ? 2 : 1;
  const height = word & DOUBLE_HEIGHT ? 2 : 1;
  const next = column + width;
  if (next <= COLUMNS) return [row, next];
  if (row === 0 || insert) return [row, COLUMNS];
  const target = row + height;
  return target <= LAST_ROW ? [target, 1] : [height === 2 ? 2 : 1, 1];
}

/** True when writing `word` at (row, column) would wrap past row 24, which scrolls in roll mode (p.97). */
export function wrapsPastLastRow(row: number, column: number, word: number): boolean {
  if (row === 0) return false;
  const width = word & DOUBLE_WIDTH ? 2 : 1;
  const height = word & DOUBLE_HEIGHT ? 2 : 1;
  return column + width > COLUMNS && row + height > LAST_ROW;
}

// ---- zones (p.84, p.86, p.93–94) ----------------------------------------------------

/** A zone state packed: bg 0–7, then mask and underline. */
export const Z_BG = 7;
export const Z_MASK = 8;
export const Z_UL = 16;
export const Z_ALL = Z_BG | Z_MASK | Z_UL;

/** The resolved word of a cell seen with zone `zone` on its left (Screen.resolveRow). */
export function resolveCell(cell: number, zone: number): number {
  if (cell & DELIMITER) return cell;
  if (isMosaicCell(cell)) return (cell & ~MASK) | (zone & Z_MASK ? MASK : 0);
  return (cell & ~(BG_MASK | LINING | MASK)) | ((zone & Z_BG) << BG_SHIFT) | (zone & Z_UL ? LINING : 0) | (zone & Z_MASK ? MASK : 0);
}

/** The zone on the right of `cell`: delimiters set it, mosaics set bg and end underline, text passes it on. */
export function zoneAfter(cell: number, zone: number): number {
  if (cell & DELIMITER) return cellBg(cell) | (cell & MASK ? Z_MASK : 0) | (cell & LINING ? Z_UL : 0);
  if (isMosaicCell(cell)) return cellBg(cell) | (zone & Z_MASK);
  return zone;
}

/** visualKey sets bit 31 for blank cells (screen.ts): they show only colours. */
const BLANK_KEY = 0x80000000;
const CODE_BITS = 0x7f;
const SET_BITS = 7 << 7;
const G0_SET = CharSet.G0 << 7;
const G1_SET = CharSet.G1 << 7;
const DRCS1_SET = CharSet.DRCS1 << 7;

export function isBlankKey(key: number): boolean {
  return key >= BLANK_KEY;
}

/**
 * The visual key of `cell` with zone `zone` on its left: the same number as
 * `visualKey(resolveCell(cell, zone))` (screen.ts), computed inline because
 * the encoder asks for it for every candidate of every cell. The encoder
 * tests check the two agree.
 */
export function cellKey(cell: number, zone: number): number {
  const set = cell & SET_BITS;
  let resolved: number;
  if (cell & DELIMITER) resolved = cell;
  else if (set === G1_SET || set === DRCS1_SET) resolved = (cell & ~MASK) | (zone & Z_MASK ? MASK : 0);
  else resolved = (cell & ~(BG_MASK | LINING | MASK)) | ((zone & Z_BG) << BG_SHIFT) | (zone & Z_UL ? LINING : 0) | (zone & Z_MASK ? MASK : 0);
  // Blank cells draw no foreground: a delimiter, an empty mosaic, a plain space (Screen isBlankCell).
  let blank = false;
  if (!(resolved & ERROR)) {
    const code = resolved & CODE_BITS;
    if (resolved & DELIMITER) blank = true;
    else if (set === G1_SET) blank = code === 0x20; // 0x40 draws like 0x60 (p.102), not blank
    else if (set === G0_SET) blank = code === 0x20 && !(resolved & (LINING | ACCENT_MASK));
  }
  if (!blank) return resolved >>> 0;
  const bg = (resolved & BG_MASK) >>> BG_SHIFT;
  const shown = resolved & INVERSE ? (resolved >>> FG_SHIFT) & 7 : bg;
  const hidden = resolved & MASK ? bg : shown;
  return (BLANK_KEY | (hidden << 3) | shown) >>> 0;
}

/**
 * The zone components a cell depends on, given the zone it sits in: text
 * needs them all (a plain space only its colour and underline), a mosaic only
 * the mask, and only when it draws something.
 */
export function zoneNeeds(cell: number, key: number): number {
  if (cell & DELIMITER) return 0;
  const blank = isBlankKey(key);
  if (isMosaicCell(cell)) return blank ? 0 : Z_MASK;
  return blank && !(cell & INVERSE) ? Z_BG | Z_UL : Z_ALL;
}

/** The zone components that pass through a cell unchanged. */
export function zonePasses(cell: number): number {
  if (cell & DELIMITER) return 0;
  return isMosaicCell(cell) ? Z_MASK : Z_ALL;
}
