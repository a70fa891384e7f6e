/**
 * Screen → RGBA pixels, the way a Minitel draws its 320×250 picture (STUM1B
 * p.28–32): 40×25 cells of 8×10 pixels, zone attributes resolved by the row
 * scan (Screen.resolveRow, p.84–86, p.93–94), an optional black border and an
 * integer scale.
 *
 * Used by the CLI (PNG output) and, unchanged, by the browser emulator: no
 * Node and no DOM here. The emulator keeps one Raster and calls update() every
 * animation frame; only rows that changed are redrawn, and drawing a cell
 * allocates nothing.
 *
 * How each cell is drawn (docs/videotex.md §1–§4, §9.1):
 * - ink pixels in the foreground colour, paper in the (zone) background;
 *   text with inverse swaps them (p.91), mosaics have no inverse;
 * - a delimiter is an SP with its size and inverse, never underlined (p.84–86);
 * - underline is a bar on pixel row 9 in the ink colour, single height even
 *   on double-height characters, never on delimiters, mosaics or DEL (p.98);
 * - double width/height cells show their half of the glyph scaled ×2 (p.91);
 * - blinking cells lose their ink in the 'off' phase; inverse inverts the
 *   phase (§4.2); SP never blinks (p.98);
 * - masked cells show plain zone background while the global mask is on,
 *   unless revealMasked (p.85, p.94);
 * - the cursor shows its cell in complementary colours (index XOR 7), so it
 *   is seen on delimiters, masked cells and where fg = bg (p.33, p.99).
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
import { codeOfAccent } from '../videotex/charset.js';
import { COLUMNS, ROWS } from '../videotex/codes.js';
import { DRCS_CODES, DRCS_FIRST_CODE, DRCS_SHAPE_BYTES, type Screen } from '../videotex/screen.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, accentedGlyph, errorGlyph, g0Glyph, g2Glyph, mosaicGlyph } from './glyphs.js';
import { palette, type ColourMode } from './palette.js';

/** The picture without border: 320×250 at scale 1 (p.28, p.32). */
export const SCREEN_WIDTH = COLUMNS * GLYPH_WIDTH;
export const SCREEN_HEIGHT = ROWS * GLYPH_HEIGHT;
/** Bounds that keep a frame to a sane size (a 16× frame is already 5120×4000). */
export const MAX_SCALE = 16;
export const MAX_BORDER = 160;

export type BlinkPhase = 'on' | 'off';

export interface RasterOptions {
  /** Whole-number magnification, 1–16. Default 1. */
  scale?: number;
  /** Black border around the picture, in pixels before scaling (0–160). Default 0. */
  border?: number;
  /** Colour, or the grey levels of a monochrome Minitel (p.32). Default 'colour'. */
  colour?: ColourMode;
  /** 'off' hides blinking characters (inverse ones show instead). Default 'on'. */
  blinkPhase?: BlinkPhase;
  /** Show masked zones even while the screen's global mask is on. Default false. */
  revealMasked?: boolean;
  /** Draw the cursor when the screen shows it. Default false. */
  cursor?: boolean;
}

/** RGBA pixels, row-major, 4 bytes per pixel (the layout of a canvas ImageData). */
export interface Frame {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Size in pixels of a frame drawn with these options. */
export function frameSize(options: Pick<RasterOptions, 'scale' | 'border'> = {}): { width: number; height: number } {
  const { scale, border } = geometry(options);
  return { width: (SCREEN_WIDTH + 2 * border) * scale, height: (SCREEN_HEIGHT + 2 * border) * scale };
}

/** Draws a whole screen into a new frame. Leaves the screen's dirty flags alone. */
export function renderScreen(screen: Screen, options: RasterOptions = {}): Frame {
  const raster = new Raster(options);
  raster.drawAll(screen);
  return raster.frame;
}

function geometry(options: Pick<RasterOptions, 'scale' | 'border'>): { scale: number; border: number } {
  const scale = options.scale ?? 1;
  const border = options.border ?? 0;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be a whole number from 1 to ${MAX_SCALE}, not ${scale}`);
  }
  if (!Number.isInteger(border) || border < 0 || border > MAX_BORDER) {
    throw new RangeError(`border must be a whole number from 0 to ${MAX_BORDER}, not ${border}`);
  }
  return { scale, border };
}

/** Each bit of a nibble doubled: the half of a glyph row a double-width cell shows. */
const WIDEN = new Uint8Array(16);
for (let nibble = 0; nibble < 16; nibble++) {
  let wide = 0;
  for (let bit = 0; bit < 4; bit++) if (nibble & (1 << bit)) wide |= 3 << (2 * bit);
  WIDEN[nibble] = wide;
}

const BLANK_GLYPH = g0Glyph(0x20);
const SP = 0x20;
const DEL = 0x7f;
const DRCS_LAST_CODE = DRCS_FIRST_CODE + DRCS_CODES - 1;

/** Per-row facts recorded while drawing, so option changes redraw only the rows they affect. */
const ROW_BLINK = 1;
const ROW_MASK = 2;
const ROW_DRCS = 4;

/**
 * A frame kept up to date with a screen. Geometry and colour mode are fixed at
 * construction; blinkPhase, revealMasked and cursor may change between calls.
 */
export class Raster {
  readonly frame: Frame;
  blinkPhase: BlinkPhase;
  revealMasked: boolean;
  cursor: boolean;

  private readonly scale: number;
  private readonly border: number;
  /** The frame's bytes seen as one 32-bit word per pixel. */
  private readonly pixels: Uint32Array;
  /** Palette as pixel words in the platform's byte order, by colour index. */
  private readonly words = new Uint32Array(8);
  private readonly resolved = new Uint32Array(COLUMNS);
  private readonly rowFacts = new Uint8Array(ROWS);
  private readonly rowsToDraw = new Uint8Array(ROWS);

  // What the frame currently shows, to find what an option or screen change affects.
  private drawn = false;
  private drawnPhase: BlinkPhase = 'on';
  private drawnReveal = false;
  private drawnGlobalMask = true;
  private drawnDrcsVersion = -1;
  private drawnCursorRow = -1;
  private drawnCursorColumn = -1;

  /**
   * `target` lets the caller supply the pixels (a canvas ImageData, say); it
   * must have the size frameSize(options) gives.
   */
  constructor(options: RasterOptions = {}, target?: Frame) {
    const { scale, border } = geometry(options);
    this.scale = scale;
    this.border = border;
    this.blinkPhase = options.blinkPhase ?? 'on';
    this.revealMasked = options.revealMasked ?? false;
    this.cursor = options.cursor ?? false;
    const { width, height } = frameSize(options);
    if (target && (target.width !== width || target.height !== height || target.data.length !== width * height * 4)) {
      throw new RangeError(`target frame is ${target.width}×${target.height}, expected ${width}×${height}`);
    }
    this.frame = target ?? { width, height, data: new Uint8ClampedArray(width * height * 4) };
    const data = this.frame.data;
    this.pixels = new Uint32Array(data.buffer, data.byteOffset, width * height);
    // Writing RGBA bytes and reading them back as a word gives the right order on any endianness.
    const bytes = new Uint8Array(4);
    const word = new Uint32Array(bytes.buffer);
    const colours = palette(options.colour ?? 'colour');
    for (let i = 0; i < 8; i++) {
      bytes[0] = colours[i][0];
      bytes[1] = colours[i][1];
      bytes[2] = colours[i][2];
      bytes[3] = 255;
      this.words[i] = word[0];
    }
    // The border (and everything before the first draw) is opaque black (p.32).
    this.pixels.fill(this.words[0]);
  }

  /** Redraws every row. Leaves the screen's dirty flags alone. */
  drawAll(screen: Screen): void {
    for (let row = 0; row < ROWS; row++) this.drawRow(screen, row);
    this.remember(screen);
  }

  /**
   * Redraws the rows that changed since the last call: rows the screen marks
   * dirty (their flags are cleared, so one screen feeds one Raster), and rows
   * whose look depends on what changed since — blink phase, mask state,
   * DRCS shapes, cursor. Returns the number of rows drawn.
   */
  update(screen: Screen): number {
    const todo = this.rowsToDraw;
    if (!this.drawn) {
      todo.fill(1);
    } else {
      todo.set(screen.dirty);
      const facts = this.rowFacts;
      const blinkChanged = this.drawnPhase !== this.blinkPhase;
      const maskChanged =
        this.drawnReveal !== this.revealMasked || this.drawnGlobalMask !== screen.globalMask;
      const drcsChanged = this.drawnDrcsVersion !== screen.drcsVersion;
      if (blinkChanged || maskChanged || drcsChanged) {
        for (let row = 0; row < ROWS; row++) {
          const f = facts[row];
          if ((blinkChanged && f & ROW_BLINK) || (maskChanged && f & ROW_MASK) || (drcsChanged && f & ROW_DRCS)) {
            todo[row] = 1;
          }
        }
      }
      const cursorRow = this.cursorRowOf(screen);
      if (cursorRow !== this.drawnCursorRow || (cursorRow >= 0 && screen.cursorColumn !== this.drawnCursorColumn)) {
        if (this.drawnCursorRow >= 0) todo[this.drawnCursorRow] = 1;
        if (cursorRow >= 0) todo[cursorRow] = 1;
      }
    }
    let count = 0;
    for (let row = 0; row < ROWS; row++) {
      if (todo[row]) {
        this.drawRow(screen, row);
        count++;
      }
    }
    screen.dirty.fill(0);
    this.remember(screen);
    return count;
  }

  private remember(screen: Screen): void {
    this.drawn = true;
    this.drawnPhase = this.blinkPhase;
    this.drawnReveal = this.revealMasked;
    this.drawnGlobalMask = screen.globalMask;
    this.drawnDrcsVersion = screen.drcsVersion;
    this.drawnCursorRow = this.cursorRowOf(screen);
    this.drawnCursorColumn = screen.cursorColumn;
  }

  /** The row the cursor is drawn on, or -1 when it is not drawn. */
  private cursorRowOf(screen: Screen): number {
    const row = screen.cursorRow;
    const column = screen.cursorColumn;
    if (!this.cursor || !screen.cursorVisible || row < 0 || row >= ROWS || column < 1 || column > COLUMNS) return -1;
    return row;
  }

  private drawRow(screen: Screen, row: number): void {
    const resolved = screen.resolveRow(row, this.resolved);
    const hideMasked = screen.globalMask && !this.revealMasked;
    const phaseOn = this.blinkPhase === 'on';
    const cursorColumn = this.cursor && screen.cursorVisible && screen.cursorRow === row ? screen.cursorColumn : 0;
    const words = this.words;
    let facts = 0;

    for (let i = 0; i < COLUMNS; i++) {
      const word = resolved[i];
      const set = cellSet(word);
      const code = cellCode(word);
      const mosaic = set === CharSet.G1 || set === CharSet.DRCS1;
      let glyph = BLANK_GLYPH;
      let offset = 0;
      let underline = false;
      let blinks = (word & BLINK) !== 0;

      if (word & DELIMITER) {
        blinks = false; // a delimiter is an SP that never blinks (p.84–86)
      } else if (word & ERROR) {
        glyph = errorGlyph();
      } else {
        switch (set) {
          case CharSet.G0: {
            const accent = cellAccent(word);
            // The font keys accents by their SS2 code (p.88); the cell stores the Accent enum.
            glyph = (accent ? accentedGlyph(codeOfAccent(accent), code) : undefined) ?? g0Glyph(code);
            underline = code !== DEL; // DEL is never underlined (p.98)
            if (code === SP && !accent) blinks = false; // SP never blinks (p.98)
            break;
          }
          case CharSet.G2:
            glyph = g2Glyph(code);
            underline = true;
            break;
          case CharSet.G1:
            glyph = mosaicGlyph(code, (word & LINING) !== 0);
            break;
          case CharSet.DRCS0:
          case CharSet.DRCS1:
            facts |= ROW_DRCS;
            underline = set === CharSet.DRCS0;
            // Read the shape in place: Screen.drcsShape would allocate a view per cell.
            if (code >= DRCS_FIRST_CODE && code <= DRCS_LAST_CODE) {
              glyph = screen.drcs[set === CharSet.DRCS0 ? 0 : 1];
              offset = (code - DRCS_FIRST_CODE) * DRCS_SHAPE_BYTES;
            }
            break;
        }
        // In a text cell LINING is the zone's underline; the top half never carries it.
        underline = underline && (word & LINING) !== 0 && !(word & TOP_HALF);
      }

      let ink = cellFg(word);
      let paper = cellBg(word);
      const inverse = !mosaic && (word & INVERSE) !== 0;
      if (inverse) {
        ink = paper;
        paper = cellFg(word);
      }
      let hidden = false;
      if (word & MASK) {
        facts |= ROW_MASK;
        if (hideMasked) {
          // Masked: plain zone background, whatever the character (p.94).
          hidden = true;
          paper = cellBg(word);
        }
      }
      if (blinks) {
        facts |= ROW_BLINK;
        if (phaseOn === inverse) hidden = true;
      }
      if (hidden) {
        glyph = BLANK_GLYPH;
        offset = 0;
        underline = false;
      }
      if (i + 1 === cursorColumn) {
        ink ^= 7;
        paper ^= 7;
      }
      this.drawCell(row, i, glyph, offset, word, underline, words[ink], words[paper]);
    }
    this.rowFacts[row] = facts;
    this.copyScaledLines(row);
  }

  /** Draws the first line of each scaled pixel row of one cell; copyScaledLines repeats them. */
  private drawCell(
    row: number,
    column: number,
    glyph: Uint8Array,
    offset: number,
    word: number,
    underline: boolean,
    ink: number,
    paper: number,
  ): void {
    const scale = this.scale;
    const stride = this.frame.width;
    const doubleWidth = (word & DOUBLE_WIDTH) !== 0;
    const rightHalf = (word & RIGHT_HALF) !== 0;
    const doubleHeight = (word & DOUBLE_HEIGHT) !== 0;
    // Glyph row shown on pixel row 0 of this cell: the top or bottom half of a double-height glyph.
    const firstRow = doubleHeight && !(word & TOP_HALF) ? GLYPH_HEIGHT / 2 : 0;
    const pixels = this.pixels;
    let start = ((this.border + row * GLYPH_HEIGHT) * stride + this.border + column * GLYPH_WIDTH) * scale;
    for (let y = 0; y < GLYPH_HEIGHT; y++) {
      let bits = glyph[offset + (doubleHeight ? firstRow + (y >> 1) : y)];
      if (doubleWidth) bits = WIDEN[rightHalf ? bits & 0x0f : bits >> 4];
      if (underline && y === GLYPH_HEIGHT - 1) bits = 0xff;
      let p = start;
      if (scale === 1) {
        for (let mask = 0x80; mask !== 0; mask >>= 1) pixels[p++] = bits & mask ? ink : paper;
      } else {
        for (let mask = 0x80; mask !== 0; mask >>= 1) {
          const colour = bits & mask ? ink : paper;
          for (let k = 0; k < scale; k++) pixels[p++] = colour;
        }
      }
      start += stride * scale;
    }
  }

  /** Repeats each drawn pixel line of a text row scale − 1 times below itself. */
  private copyScaledLines(row: number): void {
    const scale = this.scale;
    if (scale === 1) return;
    const stride = this.frame.width;
    const left = this.border * scale;
    const length = SCREEN_WIDTH * scale;
    for (let y = 0; y < GLYPH_HEIGHT; y++) {
      const from = ((this.border + row * GLYPH_HEIGHT + y) * scale) * stride + left;
      for (let k = 1; k < scale; k++) this.pixels.copyWithin(from + k * stride, from, from + length);
    }
  }
}
