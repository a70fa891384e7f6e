/**
 * One screen cell packed in 32 bits, so a whole screen is a single Uint32Array
 * (no object per cell). The layout mirrors what a Minitel keeps per character
 * in page memory (p.28–31, p.84–86): a character code, the set it belongs to,
 * and its attributes.
 *
 *   bits  0–6   code        0x20–0x7F (for an accented letter: the base letter)
 *   bits  7–9   set         CharSet below
 *   bits 10–12  accent      Accent below (G0 letters only)
 *   bits 13–15  fg          foreground colour 0–7
 *   bits 16–18  bg          background: own colour of a mosaic or delimiter;
 *                           0 for text, whose background comes from its zone
 *   bit  19     blink
 *   bit  20     inverse     (text and delimiters; mosaics have none, p.91)
 *   bit  21     lining      mosaic: separated; delimiter: zone underline
 *   bit  22     mask        delimiter: zone masked
 *   bit  23     delimiter   an SP that opened a zone (p.93)
 *   bit  24     double width
 *   bit  25     double height
 *   bit  26     right half  of a double-width character
 *   bit  27     top half    of a double-height character
 *   bit  28     error       the SUB error block (p.99), in the set it was written in
 *
 * In a *resolved* word (Screen.resolveRow) bg, lining and mask hold the values
 * the row scan gives the cell: zone background, underline and mask for text.
 */

export const enum CharSet {
  G0 = 0,
  G1 = 1,
  /** A G2 special character (code = its G2 code, p.103–104). */
  G2 = 2,
  /** Downloaded text characters G'0 (Minitel 2). */
  DRCS0 = 3,
  /** Downloaded mosaic characters G'1 (Minitel 2). */
  DRCS1 = 4,
}

/** Non-spacing accents as stored in a cell (p.88–90). */
export const enum Accent {
  NONE = 0,
  GRAVE = 1,
  ACUTE = 2,
  CIRCUMFLEX = 3,
  DIAERESIS = 4,
  CEDILLA = 5,
}

export const CODE_MASK = 0x7f;
export const SET_SHIFT = 7;
export const SET_MASK = 0x7 << SET_SHIFT;
export const ACCENT_SHIFT = 10;
export const ACCENT_MASK = 0x7 << ACCENT_SHIFT;
export const FG_SHIFT = 13;
export const FG_MASK = 0x7 << FG_SHIFT;
export const BG_SHIFT = 16;
export const BG_MASK = 0x7 << BG_SHIFT;
export const BLINK = 1 << 19;
export const INVERSE = 1 << 20;
export const LINING = 1 << 21;
export const MASK = 1 << 22;
export const DELIMITER = 1 << 23;
export const DOUBLE_WIDTH = 1 << 24;
export const DOUBLE_HEIGHT = 1 << 25;
export const RIGHT_HALF = 1 << 26;
export const TOP_HALF = 1 << 27;
export const ERROR = 1 << 28;

/** Size and part bits together. */
export const SIZE_BITS = DOUBLE_WIDTH | DOUBLE_HEIGHT | RIGHT_HALF | TOP_HALF;
/** Bits that identify the character drawn, independent of colours. */
export const GLYPH_BITS = CODE_MASK | SET_MASK | ACCENT_MASK | ERROR;

/** What FF, CSI J/K and scrolling leave: a black, empty G1 mosaic (p.95–96). */
export const CLEARED_CELL = 0x20 | (CharSet.G1 << SET_SHIFT) | (7 << FG_SHIFT);

export function cellCode(cell: number): number {
  return cell & CODE_MASK;
}
export function cellSet(cell: number): CharSet {
  return (cell & SET_MASK) >>> SET_SHIFT;
}
export function cellAccent(cell: number): Accent {
  return (cell & ACCENT_MASK) >>> ACCENT_SHIFT;
}
export function cellFg(cell: number): number {
  return (cell & FG_MASK) >>> FG_SHIFT;
}
export function cellBg(cell: number): number {
  return (cell & BG_MASK) >>> BG_SHIFT;
}
/** True for cells that behave as mosaics in the zone scan (G1 and G'1). */
export function isMosaicCell(cell: number): boolean {
  const set = cellSet(cell);
  return set === CharSet.G1 || set === CharSet.DRCS1;
}
