/**
 * Text safety: any Unicode string (typically typed by a user) becomes text a
 * Minitel can show, following docs/videotex.md §2.4. The output holds only
 * printable G0 bytes 0x20–0x7E and SS2 sequences for the G2 specials and the
 * accented letters STUM1B lists (p.88–90, p.100, p.103–104), so no user can
 * smuggle a control byte (ESC, US, CR, SEP, NUL…) to another terminal.
 *
 * The unit of work is a *glyph*: one cell of text, coded with the cell.ts bits
 * (code, set G0 or G2, accent). The builder and the encoders use glyphs to
 * find runs worth a REP.
 */
import { C0, DEL, SP } from './codes.js';
import { Accent, ACCENT_SHIFT, CharSet, SET_SHIFT, cellAccent, cellCode, cellSet } from './cell.js';
import { codeOfAccent, composedLetter } from './charset.js';
import { cellChar } from './screen.js';

/** Anything bytes can be appended to; a plain `number[]` is one. */
export interface ByteSink {
  push(byte: number): unknown;
}

export interface TextEncodeOptions {
  /**
   * Send `█` as DEL (0x7F), the G0 full block (p.98). Off by default, so the
   * output never holds DEL; `█` then becomes `?`.
   */
  allowDel?: boolean;
}

export interface SanitizeOptions extends TextEncodeOptions {
  /** Keep at most this many cells (each glyph is one cell). */
  maxLength?: number;
}

const G2_BITS = CharSet.G2 << SET_SHIFT;
const QUESTION = 0x3f;

function g2(code: number): number {
  return code | G2_BITS;
}

function ascii(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

/**
 * Characters with their own rule in §2.4, keyed by code point (after NFC).
 * Values are glyphs. `█` is handled apart because it needs `allowDel`.
 */
const SPECIAL: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  // G2 specials (p.103–104).
  [0xa3, [g2(0x23)]], // £
  [0xa7, [g2(0x27)]], // §
  [0xb0, [g2(0x30)]], // °
  [0xb1, [g2(0x31)]], // ±
  [0xf7, [g2(0x38)]], // ÷
  [0xbc, [g2(0x3c)]], // ¼
  [0xbd, [g2(0x3d)]], // ½
  [0xbe, [g2(0x3e)]], // ¾
  [0x152, [g2(0x6a)]], // Œ
  [0x153, [g2(0x7a)]], // œ
  [0xdf, [g2(0x7b)]], // ß
  [0x3b2, [g2(0x7b)]], // β, drawn like ß on the Minitel
  // Arrows: ↑ is also G0 0x5E, one byte instead of two (p.100).
  [0x2190, [g2(0x2c)]],
  [0x2191, [0x5e]],
  [0x2192, [g2(0x2e)]],
  [0x2193, [g2(0x2f)]],
  // Quotes, dashes, ellipsis.
  [0x2018, [0x27]],
  [0x2019, [0x27]],
  [0x201a, [0x27]],
  [0x201b, [0x27]],
  [0x2032, [0x27]],
  [0xb4, [0x27]],
  [0x201c, [0x22]],
  [0x201d, [0x22]],
  [0x201e, [0x22]],
  [0x2033, [0x22]],
  [0xab, [0x22]],
  [0xbb, [0x22]],
  [0x2010, [0x2d]],
  [0x2011, [0x2d]],
  [0x2012, [0x2d]],
  [0x2013, [0x2d]],
  [0x2014, [0x2d]],
  [0x2212, [0x2d]],
  [0x2026, [0x2e, 0x2e, 0x2e]],
  // Box drawing: the G0 codes whose Minitel glyphs are bars (p.100).
  [0x2500, [0x60]], // ─
  [0x2502, [0x7c]], // │
  [0x258f, [0x7b]], // ▏
  [0x2595, [0x7d]], // ▕
  [0x203e, [0x7e]], // ‾
  [0x2581, [0x5f]], // ▁
  [0x2572, [0x5c]], // ╲
  // Spaces.
  [0xa0, [SP]],
  [0x09, [SP]],
  // Letters with no Minitel glyph, spelled out.
  [0xe6, ascii('ae')],
  [0xc6, ascii('AE')],
  [0xf8, ascii('o')],
  [0xd8, ascii('O')],
  [0x20ac, ascii('EUR')],
  [0xd7, ascii('x')],
]);

/** ASCII characters whose G0 code shows something else on a Minitel (p.100). */
const ASCII_REPLACEMENT: Readonly<Record<number, number>> = {
  0x60: 0x27, // ` shows as a bar; an apostrophe is the closest
  0x7e: 0x2d, // ~ shows as an overline
  0x7b: 0x28, // { shows as a left bar
  0x7d: 0x29, // } shows as a right bar
};

const FULL_BLOCK = 0x2588;

/** Combining marks that map onto the five Minitel accents (p.88). */
const ACCENT_OF_MARK: ReadonlyMap<number, Accent> = new Map([
  [0x300, Accent.GRAVE],
  [0x301, Accent.ACUTE],
  [0x302, Accent.CIRCUMFLEX],
  [0x308, Accent.DIAERESIS],
  [0x327, Accent.CEDILLA],
]);

const MARK = /^\p{M}$/u;
const WHITE_SPACE = /^\s$/u;
/** Invisible characters dropped rather than shown as `?`: format controls and emoji modifiers. */
const INVISIBLE = /^[\p{Cf}\p{Emoji_Modifier}]$/u;
const LETTER = /^[A-Za-z]$/;

/**
 * The glyphs (one per cell) a Minitel shows for `text`, per §2.4. Each glyph
 * is a cell word without attributes: code, set (G0 or G2) and accent.
 */
export function textGlyphs(text: string, options: TextEncodeOptions = {}): number[] {
  const glyphs: number[] = [];
  for (const ch of text.normalize('NFC')) appendCharacter(glyphs, ch, options, true);
  return glyphs;
}

/** Appends the glyphs for one code point; returns false when it is unknown and was not appended. */
function appendCharacter(glyphs: number[], ch: string, options: TextEncodeOptions, fallback: boolean): boolean {
  const cp = ch.codePointAt(0) ?? QUESTION;
  const special = SPECIAL.get(cp);
  if (special) {
    glyphs.push(...special);
    return true;
  }
  if (cp >= 0x20 && cp <= 0x7e) {
    glyphs.push(ASCII_REPLACEMENT[cp] ?? cp);
    return true;
  }
  if (cp === FULL_BLOCK) {
    glyphs.push(options.allowDel ? DEL : QUESTION);
    return true;
  }
  if (WHITE_SPACE.test(ch)) {
    glyphs.push(SP);
    return true;
  }
  if (MARK.test(ch)) {
    // A mark NFC could not compose: it may still be a Minitel accent for the letter before.
    attachMark(glyphs, cp);
    return true;
  }
  if (INVISIBLE.test(ch)) return true;
  const decomposed = ch.normalize('NFD');
  if (decomposed !== ch) {
    const points = Array.from(decomposed);
    if (LETTER.test(points[0])) {
      // A Latin letter with marks: the supported pair if there is one, else the bare letter (p.90).
      glyphs.push(points[0].charCodeAt(0));
      for (let i = 1; i < points.length; i++) attachMark(glyphs, points[i].codePointAt(0) ?? 0);
      return true;
    }
  }
  if (fallback) {
    // Compatibility forms (ligatures, full-width letters, superscripts…) spelled with plain characters.
    const compatible = ch.normalize('NFKD');
    if (compatible !== ch) {
      const parts: number[] = [];
      let known = true;
      for (const part of compatible) known &&= appendCharacter(parts, part, options, false);
      if (known && parts.length > 0) {
        glyphs.push(...parts);
        return true;
      }
    }
    glyphs.push(QUESTION);
    return true;
  }
  return false;
}

/** Puts an accent on the previous glyph when the Minitel has that letter (p.90); otherwise drops it. */
function attachMark(glyphs: number[], mark: number): void {
  const accent = ACCENT_OF_MARK.get(mark);
  if (accent === undefined || glyphs.length === 0) return;
  const last = glyphs[glyphs.length - 1];
  if (cellSet(last) !== CharSet.G0 || cellAccent(last) !== Accent.NONE) return;
  if (composedLetter(accent, cellCode(last)) === undefined) return;
  glyphs[glyphs.length - 1] = last | (accent << ACCENT_SHIFT);
}

/** Bytes a glyph takes on the line: 1, 2 (SS2 + G2 code) or 3 (SS2 + accent + letter). */
export function glyphByteLength(glyph: number): number {
  if (cellAccent(glyph) !== Accent.NONE) return 3;
  return cellSet(glyph) === CharSet.G2 ? 2 : 1;
}

/** Appends the bytes of one glyph: `SS2 accent letter` (p.88), `SS2 code` (p.90) or the G0 code. */
export function appendGlyph(sink: ByteSink, glyph: number): void {
  const accent = cellAccent(glyph);
  const code = cellCode(glyph);
  if (accent !== Accent.NONE) {
    sink.push(C0.SS2);
    sink.push(codeOfAccent(accent));
    sink.push(code);
  } else if (cellSet(glyph) === CharSet.G2) {
    sink.push(C0.SS2);
    sink.push(code);
  } else {
    sink.push(code);
  }
}

/** Appends the safe Videotex bytes for `text` (G0 must be selected: the caller sends SI if needed). */
export function appendText(sink: ByteSink, text: string, options: TextEncodeOptions = {}): void {
  for (const glyph of textGlyphs(text, options)) appendGlyph(sink, glyph);
}

/** `text` as safe Videotex bytes: only 0x20–0x7E and SS2 sequences (and DEL if `allowDel`). */
export function encodeText(text: string, options: TextEncodeOptions = {}): Uint8Array {
  const bytes: number[] = [];
  appendText(bytes, text, options);
  return Uint8Array.from(bytes);
}

/**
 * The Unicode a Minitel shows for `text` (`|` becomes `│`, `É` becomes `E`,
 * emoji become `?`…), cut to `maxLength` cells. Encoding the result again
 * gives the same bytes, so a server can store and display it as is.
 */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  let glyphs = textGlyphs(text, options);
  if (options.maxLength !== undefined) glyphs = glyphs.slice(0, Math.max(0, Math.floor(options.maxLength)));
  return glyphs.map(glyphText).join('');
}

/** How many cells `text` takes at normal width: one per glyph. */
export function textWidth(text: string, options: TextEncodeOptions = {}): number {
  return textGlyphs(text, options).length;
}

/** The Unicode character a glyph shows. */
export function glyphText(glyph: number): string {
  return cellChar(glyph);
}
