/**
 * The few drawing moves the SDK itself needs (field zones, list rows, row-0
 * messages), as Videotex bytes written into the link's `wanted` terminal.
 * Service authors usually draw pages with the videotex builder or .vdt files
 * and use `s.print` for dynamic text; both end up here or in `wanted`.
 *
 * Text always goes through encodeText (videotex/text.ts), so whatever a user
 * typed, only printable G0 bytes and SS2 sequences are written: no control
 * byte can reach a terminal from a string.
 */
import { C0, ESC_ATTR, COLUMNS } from '../videotex/codes.js';
import { appendText, sanitizeText, textWidth } from '../videotex/text.js';

export const COLOURS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
export type ColourName = (typeof COLOURS)[number];
/** A colour by name or by its Videotex index 0–7 (bit 0 red, bit 1 green, bit 2 blue). */
export type Colour = ColourName | number;

export interface TextStyle {
  fg?: Colour;
  /**
   * Background. On text a background is a zone attribute (p.93): it starts at
   * a delimiter, so the text is preceded by one space cell carrying it.
   */
  bg?: Colour;
  /** 'tall' = double height (drawn upwards from the row), 'wide' = double width, 'double' = both. */
  size?: 'normal' | 'tall' | 'wide' | 'double';
  blink?: boolean;
  inverse?: boolean;
  /** Underline is a zone attribute too: one delimiter space precedes the text. */
  underline?: boolean;
}

export function colourIndex(colour: Colour): number {
  if (typeof colour === 'number') {
    if (!Number.isInteger(colour) || colour < 0 || colour > 7) throw new RangeError(`a colour index is 0–7, not ${colour}`);
    return colour;
  }
  const index = COLOURS.indexOf(colour);
  if (index < 0) throw new RangeError(`unknown colour '${String(colour)}' (use ${COLOURS.join(', ')})`);
  return index;
}

const SIZE_CODE = {
  normal: ESC_ATTR.NORMAL_SIZE,
  tall: ESC_ATTR.DOUBLE_HEIGHT,
  wide: ESC_ATTR.DOUBLE_WIDTH,
  double: ESC_ATTR.DOUBLE_SIZE,
} as const;

/** Accumulates Videotex bytes; `bytes()` gives them. Every method returns `this`. */
export class Painter {
  private readonly out: number[] = [];

  /** Moves to (row, column) with US (rows 0–24, columns 1–40); attributes reset to default (p.96). */
  at(row: number, column = 1): this {
    checkPosition(row, column);
    this.out.push(C0.US, 0x40 + row, 0x40 + column);
    return this;
  }

  /** Clears rows 1–24 (row 0 is kept), cursor to (1,1), default attributes (p.95). */
  clearScreen(): this {
    this.out.push(C0.FF);
    return this;
  }

  /** Clears one row entirely, leaving the cursor at its column 1. */
  clearRow(row: number): this {
    this.at(row, 1);
    this.out.push(C0.CAN);
    return this;
  }

  /** Clears from the current position to the end of the row (CAN: the cursor does not move, p.95). */
  clearToEnd(): this {
    this.out.push(C0.CAN);
    return this;
  }

  style(style: TextStyle): this {
    if (style.fg !== undefined) this.out.push(C0.ESC, ESC_ATTR.FOREGROUND + colourIndex(style.fg));
    if (style.size !== undefined) this.out.push(C0.ESC, SIZE_CODE[style.size]);
    if (style.blink !== undefined) this.out.push(C0.ESC, style.blink ? ESC_ATTR.BLINK_ON : ESC_ATTR.BLINK_OFF);
    if (style.inverse !== undefined) this.out.push(C0.ESC, style.inverse ? ESC_ATTR.INVERSE_ON : ESC_ATTR.INVERSE_OFF);
    const zone = style.bg !== undefined || style.underline !== undefined;
    if (style.bg !== undefined) this.out.push(C0.ESC, ESC_ATTR.BACKGROUND + colourIndex(style.bg));
    if (style.underline !== undefined) this.out.push(C0.ESC, style.underline ? ESC_ATTR.LINING_ON : ESC_ATTR.LINING_OFF);
    if (zone) this.out.push(0x20); // the delimiter that carries the zone attributes (p.93)
    return this;
  }

  /** Text, made safe by encodeText: any Unicode in, only printable Videotex out. */
  text(text: string, style?: TextStyle): this {
    if (style !== undefined) this.style(style);
    appendText(this.out, text);
    return this;
  }

  /** `count` copies of a plain character (default space). */
  repeat(count: number, char = ' '): this {
    for (let i = 0; i < count; i++) appendText(this.out, char);
    return this;
  }

  cursor(visible: boolean): this {
    this.out.push(visible ? C0.CON : C0.COF);
    return this;
  }

  /** Writes on row 0 (columns 1–36, the rest belongs to the terminal's indicators) and comes back (LF restores position and attributes, p.97). */
  rowZero(text: string, style?: TextStyle): this {
    this.at(0, 1);
    if (style !== undefined) this.style({ ...style, size: undefined });
    this.text(fit(text, ROW_ZERO_COLUMNS - (style?.bg !== undefined || style?.underline !== undefined ? 1 : 0)));
    this.out.push(C0.CAN, C0.LF);
    return this;
  }

  /** Raw bytes, copied as they are (a page, a builder's output). */
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.out.push(bytes[i]);
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  /** The same as bytes(): a Painter can be given to `s.show` or `s.write` like a builder page. */
  toBytes(): Uint8Array {
    return this.bytes();
  }

  get length(): number {
    return this.out.length;
  }
}

/** Columns of row 0 a service may write: 37–40 show the terminal's indicators (p.32–33). */
export const ROW_ZERO_COLUMNS = 36;

/**
 * `text` as the Minitel shows it (sanitizeText: `É` becomes `E`, an emoji `?`),
 * cut to `width` cells. Encoding the result gives the same bytes as the input would.
 */
export function fit(text: string, width: number): string {
  return sanitizeText(text, { maxLength: Math.max(0, width) });
}

/**
 * Word-wraps `text` (made safe first) into lines of at most `width` cells.
 * Newlines start a new line; a word longer than a line is cut.
 */
export function wrapText(text: string, width: number): string[] {
  const size = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n?|\n/)) {
    // After sanitizeText every code point is one cell.
    let line: string[] = [];
    for (const word of sanitizeText(paragraph).split(' ')) {
      let rest = Array.from(word);
      while (rest.length > size) {
        if (line.length > 0) lines.push(line.join(''));
        lines.push(rest.slice(0, size).join(''));
        rest = rest.slice(size);
        line = [];
      }
      if (line.length === 0) line = rest;
      else if (line.length + 1 + rest.length <= size) line.push(' ', ...rest);
      else {
        lines.push(line.join(''));
        line = rest;
      }
    }
    lines.push(line.join(''));
  }
  return lines;
}

/** `text` cut or padded with spaces to exactly `width` cells. */
export function pad(text: string, width: number): string {
  const cut = fit(text, width);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

export function checkPosition(row: number, column: number): void {
  if (!Number.isInteger(row) || row < 0 || row > 24) throw new RangeError(`row must be 0–24, not ${row}`);
  if (!Number.isInteger(column) || column < 1 || column > COLUMNS) throw new RangeError(`column must be 1–40, not ${column}`);
}
