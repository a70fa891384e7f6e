/**
 * VideotexBuilder: compose a Videotex stream with a fluent API, e.g.
 *
 *   new VideotexBuilder().clear().moveTo(3, 5).color(COLOUR.YELLOW).doubleHeight()
 *     .text('Été à Paris').toBytes()
 *
 * The output is always valid 7-bit Videotex. The builder keeps the style you
 * ask for (colours, blink, inverse, size, separated mosaics) across moves and
 * tracks the attributes the terminal has in force, so it sends an attribute
 * only when the next character needs it and it is not already there (p.91).
 * Moves take the cheapest form (p.94–97); runs of identical characters use
 * REP (p.98) when that is shorter; text goes through text.ts (§2.4).
 *
 * Zone attributes work as on the terminal (p.86, p.93): the background of
 * text, underline and masking start at a delimiter. After background(),
 * underline() or mask(), the next text() opens a zone: its first character
 * is the delimiter when it is a space, otherwise a space is added (one cell).
 * A mosaic takes the background at once and ends underline (p.86, p.93).
 */
import { C0, COLUMNS, ESC_OTHER, SP } from './codes.js';
import { BG_SHIFT, BLINK, CharSet, DELIMITER, DOUBLE_HEIGHT, DOUBLE_WIDTH, FG_SHIFT, INVERSE, LINING, MASK, SET_SHIFT, isMosaicCell } from './cell.js';
import { cursorMoves, usBytes } from './cursor-moves.js';
import {
  Care,
  DEFAULT_STATE,
  advance,
  afterPrint,
  careFor,
  characterBytes,
  characterLength,
  contraryState,
  contraryZone,
  ZONE_FIELD_BG,
  ZONE_FIELD_MASK,
  ZONE_FIELD_UNDERLINE,
  printedGlyph,
  printedWord,
  resetState,
  transition,
  wrapsPastLastRow,
} from './encode-model.js';
import { textGlyphs, type TextEncodeOptions } from './text.js';
import { VideotexBuilderError, checkColour, toMosaicCode, type CharacterSize, type Colour, type MosaicPattern } from './builder-values.js';

export { VideotexBuilderError, mosaicCode, type BuilderErrorCode, type CharacterSize, type Colour, type MosaicPattern } from './builder-values.js';

export interface BuilderOptions {
  /**
   * The terminal is in page mode, so the cursor position stays known when
   * text wraps past row 24 (it goes to row 1, p.97). Default false: roll
   * mode may be on, so the next move after such a wrap is absolute.
   */
  pageMode?: boolean;
}

const SIZE_ATTRIBUTE: Readonly<Record<CharacterSize, number>> = {
  normal: 0,
  doubleHeight: DOUBLE_HEIGHT,
  doubleWidth: DOUBLE_WIDTH,
  doubleSize: DOUBLE_WIDTH | DOUBLE_HEIGHT,
};

/** Zone attributes changed since the last text (each needs a delimiter, p.93). */
const ZONE_BG = 1;
const ZONE_UNDERLINE = 2;
const ZONE_MASK = 4;

const G1_BITS = CharSet.G1 << SET_SHIFT;

interface Style {
  fg: number;
  bg: number;
  blink: boolean;
  inverse: boolean;
  size: number;
  underline: boolean;
  mask: boolean;
  separated: boolean;
}

function defaultStyle(): Style {
  return { fg: 7, bg: 0, blink: false, inverse: false, size: 0, underline: false, mask: false, separated: false };
}

export class VideotexBuilder {
  private readonly bytes: number[] = [];
  private readonly pageMode: boolean;
  private style: Style = defaultStyle();
  private zoneChanged = 0;

  // What the terminal has, as far as the builder knows.
  private state = DEFAULT_STATE;
  private attributesKnown = false;
  /**
   * Latent zone components (ZONE_FIELD_*) the terminal may hold without the
   * builder knowing, after raw bytes with no move since: sent in full next time.
   */
  private unknownZone = 0;
  private row = 1;
  private column = 1;
  private positionKnown = false;
  private cursorVisible: boolean | undefined;
  /** The last character displayed, for REP (p.98): its word, or undefined when unknown. */
  private lastWord: number | undefined;
  /** Position and attributes saved by `US 40 c` and restored by LF (p.97). */
  private saved: { state: number; known: boolean; row: number; column: number; positionKnown: boolean } | undefined;

  constructor(options: BuilderOptions = {}) {
    this.pageMode = options.pageMode ?? false;
  }

  /** The stream so far. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  get length(): number {
    return this.bytes.length;
  }

  // ---- page ----------------------------------------------------------------------------

  /** FF: clears rows 1–24 (row 0 is kept), cursor to (1,1), default attributes and style (p.95–96). */
  clear(): this {
    this.bytes.push(C0.FF);
    this.afterReset(1, 1);
    this.style = defaultStyle();
    this.zoneChanged = 0;
    this.saved = undefined;
    return this;
  }

  /** `US 40 41 CAN LF`: clears row 0 and comes back with the position and attributes it had (p.95, p.97). */
  clearRow0(): this {
    this.enterRow0(1);
    this.bytes.push(C0.CAN);
    return this.leaveRow0();
  }

  /**
   * A message in row 0, the service row (p.32, p.97): `US 40 41`, the text in
   * default attributes, CAN for the rest of the row, then LF back to where the
   * cursor was. At most 40 cells (services should keep to columns 1–36).
   */
  row0(message: string, options: TextEncodeOptions = {}): this {
    const glyphs = textGlyphs(message, options);
    if (glyphs.length > COLUMNS) {
      throw new VideotexBuilderError('TELETEL_E_ROW0_LENGTH', `A row-0 message holds at most ${COLUMNS} cells; this one needs ${glyphs.length} (cut it with sanitizeText(text, { maxLength: 36 })).`);
    }
    this.enterRow0(1);
    const style = this.style;
    const changed = this.zoneChanged;
    this.style = defaultStyle();
    this.zoneChanged = 0;
    this.writeGlyphs(glyphs);
    this.style = style;
    this.zoneChanged = changed;
    // CAN fills from the cursor; after the 40th cell the cursor stays on it (p.97), so skip then.
    if (glyphs.length < COLUMNS) this.bytes.push(C0.CAN);
    return this.leaveRow0();
  }

  /** `ESC 23 20 58` (hide masked zones, the power-on state) or `ESC 23 20 5F` (show them) (p.94). */
  globalMask(hidden: boolean): this {
    this.bytes.push(C0.ESC, ESC_OTHER.GLOBAL, SP, hidden ? 0x58 : 0x5f);
    return this;
  }

  // ---- cursor --------------------------------------------------------------------------

  /**
   * Moves to (row, column), rows 0–24 and columns 1–40, with the cheapest of
   * HT/BS/LF/VT/CR, CSI A–D/H (attributes kept), US or RS (attributes reset,
   * re-sent when next needed) (p.94–97). Row 0 is entered with `US 40 c`.
   */
  moveTo(row: number, column: number): this {
    if (!Number.isInteger(row) || !Number.isInteger(column) || row < 0 || row > 24 || column < 1 || column > COLUMNS) {
      throw new VideotexBuilderError('TELETEL_E_POSITION', `moveTo(${row}, ${column}) is off the screen: rows are 0–24 and columns 1–40.`);
    }
    if (this.positionKnown && this.row === row && this.column === column) return this;
    const moves = cursorMoves(this.positionKnown ? { row: this.row, column: this.column } : undefined, { row, column });
    // A reset costs the attributes the style needs again.
    const resend = this.attributesKnown ? this.styleCost(resetState(this.state), row, column) - this.styleCost(this.state, row, column) : 0;
    if (moves.keep && this.attributesKnown && moves.keep.length <= moves.reset.length + resend) {
      this.bytes.push(...moves.keep);
      this.row = row;
      this.column = column;
      return this;
    }
    // US 40 c saves the position and attributes for LF; any other US forgets them (p.96–97).
    if (row === 0 && this.row !== 0) this.saveForRow0();
    else if (row !== 0) this.saved = undefined;
    this.bytes.push(...moves.reset);
    this.afterReset(row, column);
    return this;
  }

  /** RS: cursor to (1,1) and default attributes, nothing cleared (p.95). The style is kept. */
  home(): this {
    this.bytes.push(C0.RS);
    this.afterReset(1, 1);
    this.saved = undefined;
    return this;
  }

  /** CON / COF: shows or hides the cursor (p.99). */
  cursor(visible: boolean): this {
    if (this.cursorVisible !== visible) this.bytes.push(visible ? C0.CON : C0.COF);
    this.cursorVisible = visible;
    return this;
  }

  /** BEL: a short beep (p.98). */
  bell(): this {
    this.bytes.push(C0.BEL);
    return this;
  }

  // ---- style ---------------------------------------------------------------------------

  /** Foreground, and background when given (see background). */
  color(fg: Colour, bg?: Colour): this {
    this.foreground(fg);
    if (bg !== undefined) this.background(bg);
    return this;
  }

  /** `ESC 4x`: character colour, for text and mosaics (p.91–92). */
  foreground(colour: Colour): this {
    this.style.fg = checkColour(colour);
    return this;
  }

  /**
   * `ESC 5x`: background. For mosaics it applies to the next one at once; for
   * text it needs a delimiter, so the next text() opens a zone (p.93).
   */
  background(colour: Colour): this {
    this.style.bg = checkColour(colour);
    this.zoneChanged |= ZONE_BG;
    return this;
  }

  /** `ESC 48` / `ESC 49`: blinking or steady characters (p.91). */
  blink(on = true): this {
    this.style.blink = on;
    return this;
  }

  /** `ESC 5D` / `ESC 5C`: inverse text; mosaics have none (p.91). */
  inverse(on = true): this {
    this.style.inverse = on;
    return this;
  }

  /** `ESC 5A` / `ESC 59` in G0: underlined text, a zone attribute (p.91, p.93). */
  underline(on = true): this {
    this.style.underline = on;
    this.zoneChanged |= ZONE_UNDERLINE;
    return this;
  }

  /** `ESC 58` / `ESC 5F`: masked text, hidden while the global mask is on; a zone attribute (p.94). */
  mask(on = true): this {
    this.style.mask = on;
    this.zoneChanged |= ZONE_MASK;
    return this;
  }

  /** `ESC 5A` / `ESC 59` in G1: separated or solid mosaics (p.91, p.94). */
  separated(on = true): this {
    this.style.separated = on;
    return this;
  }

  /**
   * `ESC 4C`–`4F`: text size (p.91). Enlarged characters grow up and right
   * from the cursor; the terminal refuses double height on rows 0–1 and
   * double width at column 40 (p.93, p.97), and so does the builder.
   */
  size(size: CharacterSize): this {
    this.style.size = SIZE_ATTRIBUTE[size];
    return this;
  }

  normalSize(): this {
    return this.size('normal');
  }
  doubleHeight(): this {
    return this.size('doubleHeight');
  }
  doubleWidth(): this {
    return this.size('doubleWidth');
  }
  doubleSize(): this {
    return this.size('doubleSize');
  }

  // ---- characters ----------------------------------------------------------------------

  /**
   * Text in the current style, made safe by text.ts (accents as SS2
   * sequences, p.88–90; anything else the Minitel lacks as a near character
   * or `?`). Opens a zone first when a zone attribute changed (p.93).
   */
  text(text: string, options: TextEncodeOptions = {}): this {
    this.writeGlyphs(textGlyphs(text, options));
    return this;
  }

  /**
   * Mosaic characters (G1, after SO, p.90): each a 2×3 pattern or a G1 code
   * (0x20–0x7F), in the current colours; separated when asked (p.94).
   */
  mosaic(...cells: (MosaicPattern | number)[]): this {
    const codes = cells.map(toMosaicCode);
    for (let i = 0; i < codes.length; ) {
      let n = 1;
      while (i + n < codes.length && codes[i + n] === codes[i]) n++;
      this.put(this.mosaicWord(codes[i]), Care.MODE | Care.FG | Care.BLINK | Care.MOSAIC_BG | Care.SEPARATED | Care.DESIGNATION, n);
      i += n;
    }
    this.zoneChanged &= ~ZONE_BG; // a mosaic validates the background at once (p.93)
    return this;
  }

  /** REP: the last character again `count` more times, with the current attributes (p.98). */
  repeat(count: number): this {
    if (!Number.isInteger(count) || count < 0) {
      throw new VideotexBuilderError('TELETEL_E_REPEAT', `repeat(${count}): the count is a whole number of extra copies, 0 or more.`);
    }
    if (this.lastWord === undefined) {
      throw new VideotexBuilderError('TELETEL_E_REPEAT', 'repeat() needs a character written before it by text() or mosaic().');
    }
    this.repeatLast(count);
    return this;
  }

  /**
   * Fills columns left…right of rows top…bottom with one text character or
   * mosaic, a row at a time with REP (p.98). A text fill that opens a zone
   * (after background(), underline() or mask()) opens it on every row, since
   * each row is scanned afresh from column 1 (p.86, p.93): the first cell of
   * each row is then the delimiter, a space in the zone's colours.
   */
  fillRect(top: number, left: number, bottom: number, right: number, fill: string | MosaicPattern | number): this {
    const corners = `fillRect(${top}, ${left}, ${bottom}, ${right})`;
    if (![top, left, bottom, right].every(Number.isInteger) || top < 0 || bottom > 24 || left < 1 || right > COLUMNS) {
      throw new VideotexBuilderError('TELETEL_E_POSITION', `${corners} is off the screen: rows are 0–24 and columns 1–40.`);
    }
    if (top > bottom || left > right) throw new VideotexBuilderError('TELETEL_E_POSITION', `${corners}: the corners are in the wrong order.`);
    const width = right - left + 1;
    const zone = this.zoneChanged;
    const cells = typeof fill === 'string' ? new Array<number>(width).fill(textGlyphs(fill)[0] ?? SP) : new Array<number>(width).fill(toMosaicCode(fill));
    if (typeof fill === 'string' && zone) cells[0] = SP;
    for (let row = top; row <= bottom; row++) {
      this.moveTo(row, left);
      if (typeof fill === 'string') {
        if (zone) this.zoneChanged = zone;
        this.writeGlyphs(cells);
      } else {
        this.mosaic(...cells);
      }
    }
    return this;
  }

  /** A whole row (or columns from…to of it), see fillRect. */
  fillRow(row: number, fill: string | MosaicPattern | number, from = 1, to = COLUMNS): this {
    return this.fillRect(row, from, row, to, fill);
  }

  /**
   * Bytes sent as they are (0x00–0x7F), for what the builder does not cover.
   * Afterwards the builder assumes nothing about attributes or position. A
   * designation sent this way (`ESC 28 20 42`, `ESC 29 20 43`, docs §6.3)
   * stays in force: text() and mosaic() then print from the downloaded sets,
   * which is how DRCS pages are written (golden-pages.ts).
   */
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (!Number.isInteger(b) || b < 0 || b > 0x7f) {
        throw new VideotexBuilderError('TELETEL_E_RAW_BYTE', `raw(): byte ${i} is ${b}; Videotex bytes are 7-bit, 0x00–0x7F.`);
      }
      this.bytes.push(b);
    }
    this.attributesKnown = false;
    this.positionKnown = false;
    this.cursorVisible = undefined;
    this.lastWord = undefined;
    this.saved = undefined;
    return this;
  }

  // ---- internals -------------------------------------------------------------------------

  private afterReset(row: number, column: number): void {
    this.state = resetState(this.state);
    this.attributesKnown = true;
    this.unknownZone = 0;
    this.row = row;
    this.column = column;
    this.positionKnown = true;
  }

  private saveForRow0(): void {
    // When the position is unknown the terminal may already be in row 0, where US 40 c saves nothing (p.97).
    const known = this.positionKnown;
    this.saved = { state: this.state, known: this.attributesKnown && known, row: this.row, column: this.column, positionKnown: known };
  }

  private enterRow0(column: number): void {
    if (this.row !== 0 || !this.positionKnown) this.saveForRow0();
    this.bytes.push(...usBytes(0, column));
    this.afterReset(0, column);
  }

  /** LF in row 0: back to the saved position and attributes (p.97); without one, row 1. */
  private leaveRow0(): this {
    this.bytes.push(C0.LF);
    const saved = this.saved;
    this.saved = undefined;
    if (saved && saved.row !== 0) {
      this.state = saved.state;
      this.attributesKnown = saved.known;
      this.row = saved.row;
      this.column = saved.column;
      this.positionKnown = saved.positionKnown;
    } else {
      this.attributesKnown = false;
      this.positionKnown = false;
    }
    this.lastWord = undefined;
    return this;
  }

  private textWord(glyph: number): number {
    const s = this.style;
    let word = glyph | (s.fg << FG_SHIFT) | sizeAt(this.style.size, this.row, this.column);
    if (s.inverse) word |= INVERSE;
    if (s.blink) word |= BLINK;
    return word;
  }

  private delimiterWord(): number {
    const s = this.style;
    let word = SP | DELIMITER | (s.fg << FG_SHIFT) | (s.bg << BG_SHIFT) | sizeAt(this.style.size, this.row, this.column);
    if (s.inverse) word |= INVERSE;
    if (s.mask) word |= MASK;
    if (s.underline) word |= LINING;
    return word;
  }

  private mosaicWord(code: number): number {
    const s = this.style;
    let word = code | G1_BITS | (s.fg << FG_SHIFT) | (s.bg << BG_SHIFT);
    if (s.blink) word |= BLINK;
    if (s.separated) word |= LINING;
    return word;
  }

  /**
   * Bytes the current style would cost to establish from `state` at (row,
   * column), for the kind of character (text or mosaic) written last.
   */
  private styleCost(state: number, row: number, column: number): number {
    const out: number[] = [];
    if (this.lastWord !== undefined && isMosaicCell(this.lastWord)) {
      transition(state, this.mosaicWord(0x7f), Care.MODE | Care.FG | Care.BLINK | Care.MOSAIC_BG | Care.SEPARATED, row, column, out);
      return out.length;
    }
    const s = this.style;
    let word = 0x41 | (s.fg << FG_SHIFT) | sizeAt(s.size, row, column);
    if (s.inverse) word |= INVERSE;
    if (s.blink) word |= BLINK;
    transition(state, word, Care.MODE | Care.FG | Care.BLINK | Care.INVERSE | Care.SIZE, row, column, out);
    return out.length;
  }

  private writeGlyphs(glyphs: number[]): void {
    let i = 0;
    if (this.zoneChanged && glyphs.length > 0) {
      // Open the zone: the delimiter is the text's own first space, or an added one (p.93).
      const delimiter = this.delimiterWord();
      this.put(delimiter, careFor(delimiter, true), 1);
      this.zoneChanged = 0;
      if (glyphs[0] === SP) i = 1;
    }
    const care = Care.MODE | Care.FG | Care.BLINK | Care.INVERSE | Care.SIZE | Care.DESIGNATION;
    while (i < glyphs.length) {
      let n = 1;
      while (i + n < glyphs.length && glyphs[i + n] === glyphs[i]) n++;
      const glyph = glyphs[i];
      this.put(this.textWord(glyph), glyph === SP ? care | Care.NO_PENDING : care, n);
      i += n;
    }
  }

  /** Writes `word` once with the attributes it needs, then n − 1 copies (REP when shorter, p.98). */
  private put(word: number, care: number, n: number): void {
    if (!this.attributesKnown) {
      if (this.positionKnown) {
        // US to where we are resets the attributes to known defaults (p.96).
        if (this.row === 0 && this.saved === undefined) this.saveForRow0();
        this.bytes.push(...usBytes(this.row, this.column));
        this.afterReset(this.row, this.column);
      } else {
        this.state = contraryState(word);
        this.attributesKnown = true;
        // The first write fixes what it sends; zone attributes stay unknown until needed.
        this.unknownZone = ZONE_FIELD_BG | ZONE_FIELD_UNDERLINE | ZONE_FIELD_MASK;
      }
    }
    if (this.unknownZone) {
      if (care & Care.ZONE) {
        this.state = contraryZone(this.state, word, this.unknownZone);
        this.unknownZone = 0;
      } else if (care & Care.MOSAIC_BG && this.unknownZone & ZONE_FIELD_BG) {
        this.state = contraryZone(this.state, word, ZONE_FIELD_BG);
        this.unknownZone &= ~ZONE_FIELD_BG;
      }
    }
    let state = transition(this.state, word, care, this.row, this.column, this.bytes);
    if (state < 0) {
      // A zone is pending, so this space would be a delimiter: let it be one (p.93).
      state = this.state;
    }
    this.state = state;
    const glyph = printedGlyph(state, word);
    const written = printedWord(state, glyph, this.row, this.column);
    characterBytes(written, this.bytes);
    this.state = afterPrint(state, glyph);
    this.lastWord = written;
    this.advanceOver(written);
    if (n > 1) this.repeatLast(n - 1);
  }

  private repeatLast(count: number): void {
    const word = this.lastWord;
    if (word === undefined || count === 0) return;
    const length = characterLength(word);
    if (2 * Math.ceil(count / 63) < count * length) {
      for (let left = count; left > 0; left -= 63) this.bytes.push(C0.REP, 0x40 + Math.min(left, 63));
    } else {
      for (let k = 0; k < count; k++) characterBytes(word, this.bytes);
    }
    for (let k = 0; k < count; k++) {
      const glyph = printedGlyph(this.state, word);
      this.state = afterPrint(this.state, glyph);
      this.advanceOver(printedWord(this.state, glyph, this.row, this.column));
    }
  }

  private advanceOver(word: number): void {
    if (!this.positionKnown) return;
    const wraps = wrapsPastLastRow(this.row, this.column, word);
    [this.row, this.column] = advance(this.row, this.column, word, false);
    // Past row 24 the page scrolls in roll mode (p.97): the row is no longer known.
    if (wraps && !this.pageMode) this.positionKnown = false;
  }
}

/** The size the terminal gives a character at (row, column): none in row 0, no height on row 1, no width at column 40 (p.93, p.97). */
function sizeAt(size: number, row: number, column: number): number {
  if (row === 0) return 0;
  let effective = size;
  if (row < 2) effective &= ~DOUBLE_HEIGHT;
  if (column >= COLUMNS) effective &= ~DOUBLE_WIDTH;
  return effective;
}
