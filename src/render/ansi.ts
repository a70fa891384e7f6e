/**
 * Screen → text for a modern terminal: one terminal cell per Minitel cell,
 * 24-bit colour SGR sequences, mosaics as Unicode sextants (U+1FB00 block,
 * an exact 2×3 match), and underline, blink and inverse as SGR 4, 5 and 7.
 *
 * Choices where a terminal cannot do what a Minitel does (documented here
 * because users will see them):
 * - Double width, height and size: a terminal cannot enlarge one character,
 *   so the character is written once, in bold, in its bottom-left cell (where
 *   the Minitel anchors it, p.93–94); its other cells are blanks in its
 *   colours, so the enlarged area keeps its shape and the text stays readable.
 * - Separated mosaics are drawn as contiguous sextants (few fonts carry the
 *   separated forms).
 * - DRCS characters show as the code they replace (their shapes are not text).
 * - `ascii` mode, for fonts without sextants, approximates each 2×3 mosaic
 *   with the 2×2 quadrant block elements (▘ ▀ ▄ ▌ █ …, U+2580 block): per
 *   column, the top and bottom sub-blocks keep their half; the middle one
 *   joins the half whose outer sub-block is set, and fills the column alone,
 *   so no shape vanishes.
 * - Masked cells are blanks in the zone background unless revealed (p.94).
 * - Inverse does not invert the blink phase; the terminal blinks as it likes.
 */
import {
  BLINK,
  CharSet,
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
} from '../videotex/cell.js';
import { mosaicToUnicode } from '../videotex/charset.js';
import { COLUMNS, ROWS } from '../videotex/codes.js';
import { cellChar, type Screen } from '../videotex/screen.js';
import { palette, type ColourMode, type Rgb } from './palette.js';

export interface AnsiOptions {
  /** Block-element quadrants instead of sextants, for fonts without U+1FB00. */
  ascii?: boolean;
  colour?: ColourMode;
  /** Show masked zones even while the screen's global mask is on. */
  revealMasked?: boolean;
}

/** SGR that ends every row: back to the terminal's own colours. */
export const SGR_RESET = '\x1b[0m';

/** Quadrant characters by bits: 1 top-left, 2 top-right, 4 bottom-left, 8 bottom-right. */
const QUADRANTS = [' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█'];

/** The 2×2 approximation of a G1 mosaic (see the header for the rule). */
export function mosaicToQuadrants(code: number): string {
  const bits = (code & 0x1f) | ((code & 0x40) >> 1); // b0 b1 b2 b3 b4 b6 → bits 0–5
  let quadrants = 0;
  for (let side = 0; side < 2; side++) {
    const top = (bits >> side) & 1;
    const middle = (bits >> (2 + side)) & 1;
    const bottom = (bits >> (4 + side)) & 1;
    if (top || (middle && !bottom)) quadrants |= 1 << side;
    if (bottom || (middle && !top)) quadrants |= 4 << side;
  }
  return QUADRANTS[quadrants];
}

const BOLD = 1;
const UNDERLINE = 2;
const BLINKING = 4;
const REVERSE = 8;

/** Turns screens into ANSI text; keeps its scratch buffer so a replay can redraw row by row. */
export class AnsiRenderer {
  private readonly resolved = new Uint32Array(COLUMNS);
  private readonly sgrFg: readonly string[];
  private readonly sgrBg: readonly string[];

  constructor(private readonly options: AnsiOptions = {}) {
    const colours = palette(options.colour ?? 'colour');
    const sgr = (prefix: number, [r, g, b]: Rgb): string => `${prefix};2;${r};${g};${b}`;
    this.sgrFg = colours.map((c) => sgr(38, c));
    this.sgrBg = colours.map((c) => sgr(48, c));
  }

  /** Rows 0–24, each ending with SGR_RESET and a newline. */
  screen(screen: Screen): string {
    let out = '';
    for (let row = 0; row < ROWS; row++) out += `${this.row(screen, row)}\n`;
    return out;
  }

  /** One row: 40 terminal cells followed by SGR_RESET, no newline. */
  row(screen: Screen, row: number): string {
    const resolved = screen.resolveRow(row, this.resolved);
    const hideMasked = screen.globalMask && !this.options.revealMasked;
    let out = '';
    let current = '';
    for (let i = 0; i < COLUMNS; i++) {
      const word = resolved[i];
      let fg = cellFg(word);
      const bg = cellBg(word);
      let flags = 0;
      let char = ' ';
      const mosaic = cellSet(word) === CharSet.G1 || cellSet(word) === CharSet.DRCS1;
      if (word & MASK && hideMasked) {
        fg = bg; // plain zone background (p.94)
      } else if (word & DELIMITER) {
        if (word & INVERSE) flags |= REVERSE;
      } else if (mosaic && !(word & ERROR)) {
        char = this.options.ascii ? mosaicToQuadrants(cellCode(word)) : mosaicToUnicode(cellCode(word));
        if (word & BLINK) flags |= BLINKING;
      } else {
        const enlarged = (word & (DOUBLE_WIDTH | DOUBLE_HEIGHT)) !== 0;
        const anchor = !(word & (RIGHT_HALF | TOP_HALF));
        if (anchor) char = cellChar(word);
        if (enlarged) flags |= BOLD;
        if (word & INVERSE) flags |= REVERSE;
        const code = cellCode(word);
        const plainSpace = cellSet(word) === CharSet.G0 && code === 0x20 && !cellAccent(word);
        if (word & BLINK && !plainSpace) flags |= BLINKING;
        const del = cellSet(word) === CharSet.G0 && code === 0x7f;
        if (word & LINING && !(word & (TOP_HALF | ERROR)) && !del) flags |= UNDERLINE;
      }
      const sgr = this.sgr(fg, bg, flags);
      if (sgr !== current) {
        out += sgr;
        current = sgr;
      }
      out += char;
    }
    return out + SGR_RESET;
  }

  private sgr(fg: number, bg: number, flags: number): string {
    let s = '\x1b[0';
    if (flags & BOLD) s += ';1';
    if (flags & UNDERLINE) s += ';4';
    if (flags & BLINKING) s += ';5';
    if (flags & REVERSE) s += ';7';
    return `${s};${this.sgrFg[fg]};${this.sgrBg[bg]}m`;
  }
}

/** The whole screen as ANSI text (rows 0–24). */
export function renderAnsi(screen: Screen, options: AnsiOptions = {}): string {
  return new AnsiRenderer(options).screen(screen);
}
