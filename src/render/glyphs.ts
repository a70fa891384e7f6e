/**
 * Glyph lookup for the renderer: Teletel's own 8×10 Minitel-style font
 * (font-g0.ts, font-g2.ts) and G1 mosaics computed from their bits.
 *
 * Packed form: a glyph is a `Uint8Array(10)`, one byte per pixel row, top row
 * first, bit 7 = leftmost pixel, a set bit = foreground. That is the layout of
 * Minitel 2 DRCS shapes (docs §6.3), so downloaded characters from the screen
 * model are drawn by the same code as the built-in font.
 *
 * Every glyph is compiled once, at module load. The functions below return
 * those shared arrays, so drawing a cell allocates nothing. Callers must treat
 * them as read-only: writing into one would change that character everywhere.
 */
import { ERROR_BLOCK, G0_FONT, type GlyphRows } from './font-g0.js';
import { ACCENTED_FONT, G2_FONT, LOW_BAR } from './font-g2.js';

/** Cell width in pixels at 40 columns (STUM1B p.30). */
export const GLYPH_WIDTH = 8;
/** Cell height in pixels (STUM1B p.30). */
export const GLYPH_HEIGHT = 10;

const INK = '#';
const PAPER = '.';

/**
 * Packs a drawing (10 rows of 8 `#`/`.` characters) into a new glyph.
 * Throws a RangeError on a malformed drawing, so a bad edit to the font data
 * fails at load time instead of rendering garbage.
 */
export function glyphFromText(rows: readonly string[]): Uint8Array {
  if (rows.length !== GLYPH_HEIGHT) {
    throw new RangeError(`glyph has ${rows.length} rows, expected ${GLYPH_HEIGHT}`);
  }
  const glyph = new Uint8Array(GLYPH_HEIGHT);
  for (let y = 0; y < GLYPH_HEIGHT; y++) {
    const row = rows[y];
    if (row.length !== GLYPH_WIDTH) {
      throw new RangeError(`glyph row ${y} is ${JSON.stringify(row)}, expected ${GLYPH_WIDTH} characters`);
    }
    let bits = 0;
    for (let x = 0; x < GLYPH_WIDTH; x++) {
      const ch = row[x];
      if (ch === INK) bits |= 0x80 >> x;
      else if (ch !== PAPER) {
        throw new RangeError(`glyph row ${y} has ${JSON.stringify(ch)}, expected '${INK}' or '${PAPER}'`);
      }
    }
    glyph[y] = bits;
  }
  return glyph;
}

/** Unpacks a glyph back to `#`/`.` rows: for tests and debugging. */
export function glyphToText(g: Uint8Array): string[] {
  const rows: string[] = [];
  for (let y = 0; y < g.length; y++) {
    let row = '';
    for (let x = 0; x < GLYPH_WIDTH; x++) row += g[y] & (0x80 >> x) ? INK : PAPER;
    rows.push(row);
  }
  return rows;
}

function compileTable(font: Readonly<Record<number, GlyphRows>>, fallback: Uint8Array): Uint8Array[] {
  // A dense 128-entry table: lookups are a plain index, never a hole.
  const table = new Array<Uint8Array>(0x80).fill(fallback);
  for (const [code, rows] of Object.entries(font)) table[Number(code)] = glyphFromText(rows);
  return table;
}

const G0_TABLE = compileTable(G0_FONT, new Uint8Array(GLYPH_HEIGHT));
// Codes outside 0x20–0x7F share the SP glyph itself, so a blank is one array.
const BLANK = G0_TABLE[0x20];
G0_TABLE.fill(BLANK, 0, 0x20);
const LOW_BAR_GLYPH = glyphFromText(LOW_BAR);
const G2_TABLE = compileTable(G2_FONT, LOW_BAR_GLYPH);
const ERROR_GLYPH = glyphFromText(ERROR_BLOCK);

const ACCENTED = new Map<number, Uint8Array>();
for (const { accent, letter, rows } of ACCENTED_FONT) ACCENTED.set(accent * 0x100 + letter, glyphFromText(rows));

/** G0 text glyph for codes 0x20–0x7F (p.100); any other code is blank. Shared: do not mutate. */
export function g0Glyph(code: number): Uint8Array {
  return G0_TABLE[code] ?? BLANK;
}

/**
 * G2 glyph for `SS2 code` (p.88–90, p.103–104). A code with no G2 glyph
 * shows a low bar (p.90, p.99). Accents are not handled here: see
 * accentedGlyph. Shared: do not mutate.
 */
export function g2Glyph(code: number): Uint8Array {
  return G2_TABLE[code] ?? LOW_BAR_GLYPH;
}

/**
 * The composed letter for `SS2 accent letter` (p.88, p.90), or undefined when
 * the Minitel does not compose that pair; the caller then shows the letter
 * alone (p.90). Shared: do not mutate.
 */
export function accentedGlyph(accent: number, letter: number): Uint8Array | undefined {
  // The key packs two 7-bit codes; reject anything wider so keys cannot collide.
  if (!(letter >= 0 && letter <= 0x7F)) return undefined;
  return ACCENTED.get(accent * 0x100 + letter);
}

/** The full block shown for SUB or a parity/framing error (p.48, p.99). Shared: do not mutate. */
export function errorGlyph(): Uint8Array {
  return ERROR_GLYPH;
}

// ---------------------------------------------------------------------------
// G1 mosaics (p.31, p.101–102)
//
// A cell is 2×3 sub-blocks: pixel columns 0–3 | 4–7, pixel rows 0–2, 3–6,
// 7–9 (heights 3/4/3, p.31). Code bits: b0 top-left, b1 top-right, b2
// middle-left, b3 middle-right, b4 bottom-left, b6 bottom-right; b5 is 1 in
// every real mosaic and carries no pixel. Because b5 is ignored, codes
// 0x40–0x5F draw as code + 0x20, as emulators do for these codes the STUM
// table leaves blank (docs §2.2), and 0x7F (DEL in G1 = 0x5F, p.98) is full.

/** Pixel rows [first, end) of the top, middle and bottom sub-block rows. */
const MOSAIC_BANDS: readonly (readonly [number, number])[] = [[0, 3], [3, 7], [7, 10]];
/**
 * Separated (disjoint) mosaics draw a background grid: each sub-block loses
 * its left pixel column and bottom pixel row, i.e. columns 0 and 4 and rows
 * 2, 6 and 9 stay background (p.31, docs §1).
 */
const LEFT_BITS = 0xF0;
const RIGHT_BITS = 0x0F;
const LEFT_BITS_SEPARATED = 0x70;
const RIGHT_BITS_SEPARATED = 0x07;

function buildMosaic(pattern: number, separated: boolean): Uint8Array {
  const glyph = new Uint8Array(GLYPH_HEIGHT);
  const left = separated ? LEFT_BITS_SEPARATED : LEFT_BITS;
  const right = separated ? RIGHT_BITS_SEPARATED : RIGHT_BITS;
  for (let band = 0; band < 3; band++) {
    // pattern bits 2·band and 2·band+1 are the left and right sub-blocks of this band.
    const bits = ((pattern >> (2 * band)) & 1 ? left : 0) | ((pattern >> (2 * band + 1)) & 1 ? right : 0);
    const [first, end] = MOSAIC_BANDS[band];
    const last = separated ? end - 1 : end;
    for (let y = first; y < last; y++) glyph[y] = bits;
  }
  return glyph;
}

/** The 6 sub-block bits of a code, in order b0 b1 b2 b3 b4 b6 (b5 dropped). */
function mosaicPattern(code: number): number {
  return (code & 0x1F) | ((code >> 1) & 0x20);
}

const MOSAICS_CONTIGUOUS: Uint8Array[] = [];
const MOSAICS_SEPARATED: Uint8Array[] = [];
for (let pattern = 0; pattern < 64; pattern++) {
  MOSAICS_CONTIGUOUS.push(buildMosaic(pattern, false));
  MOSAICS_SEPARATED.push(buildMosaic(pattern, true));
}

/**
 * G1 mosaic glyph for `code`, contiguous or separated (p.31, p.101–102).
 * Only the six sub-block bits are read, so 0x40–0x5F look like 0x60–0x7F and
 * 0x7F is a full block. Shared: do not mutate.
 */
export function mosaicGlyph(code: number, separated: boolean): Uint8Array {
  return (separated ? MOSAICS_SEPARATED : MOSAICS_CONTIGUOUS)[mosaicPattern(code)];
}
