/**
 * The Minitel's character sets as Unicode: G0 with its differences from ASCII
 * (p.100), the G2 specials and accents (p.88–90, p.103–104), and G1 mosaics as
 * Unicode sextants. Used to print screens as text and to encode text.
 */
import { ACCENT } from './codes.js';
import { Accent } from './cell.js';

/** G0 codes whose Minitel glyph is not the ASCII character (p.100, p.30). */
const G0_DIFFERENT: Readonly<Record<number, string>> = {
  0x5c: '╲',
  0x5e: '↑',
  0x60: '─',
  0x7b: '▏',
  0x7c: '│',
  0x7d: '▕',
  0x7e: '‾',
  0x7f: '█',
};

/** G2 characters that occupy a cell (p.103–104). */
export const G2_CHARACTERS: Readonly<Record<number, string>> = {
  0x23: '£',
  0x24: '$',
  0x26: '#',
  0x27: '§',
  0x2c: '←',
  0x2d: '↑',
  0x2e: '→',
  0x2f: '↓',
  0x30: '°',
  0x31: '±',
  0x38: '÷',
  0x3c: '¼',
  0x3d: '½',
  0x3e: '¾',
  0x6a: 'Œ',
  0x7a: 'œ',
  0x7b: 'ß',
};

/** What an SS2 code with no G2 glyph shows: a low bar, one cell (p.90). */
export const G2_UNDEFINED_GLYPH = '_';

export function isG2Character(code: number): boolean {
  return G2_CHARACTERS[code] !== undefined;
}

const ACCENT_BY_CODE: Readonly<Record<number, Accent>> = {
  [ACCENT.GRAVE]: Accent.GRAVE,
  [ACCENT.ACUTE]: Accent.ACUTE,
  [ACCENT.CIRCUMFLEX]: Accent.CIRCUMFLEX,
  [ACCENT.DIAERESIS]: Accent.DIAERESIS,
  [ACCENT.CEDILLA]: Accent.CEDILLA,
};

/** The accent an SS2 code selects, or NONE when the code is not an accent. */
export function accentOfCode(code: number): Accent {
  return ACCENT_BY_CODE[code] ?? Accent.NONE;
}

const CODE_BY_ACCENT: readonly number[] = [
  0,
  ACCENT.GRAVE,
  ACCENT.ACUTE,
  ACCENT.CIRCUMFLEX,
  ACCENT.DIAERESIS,
  ACCENT.CEDILLA,
];

/** The byte after SS2 that selects an accent. */
export function codeOfAccent(accent: Accent): number {
  return CODE_BY_ACCENT[accent];
}

/** Supported accent + letter pairs (p.90) and the letter they make. */
const COMPOSED: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  [Accent.GRAVE]: { 0x61: 'à', 0x65: 'è', 0x75: 'ù' },
  [Accent.ACUTE]: { 0x65: 'é' },
  [Accent.CIRCUMFLEX]: { 0x61: 'â', 0x65: 'ê', 0x69: 'î', 0x6f: 'ô', 0x75: 'û' },
  [Accent.DIAERESIS]: { 0x61: 'ä', 0x65: 'ë', 0x69: 'ï', 0x6f: 'ö', 0x75: 'ü' },
  [Accent.CEDILLA]: { 0x63: 'ç' },
};

/** The accented letter for a supported pair, or undefined (then the letter shows alone, p.90). */
export function composedLetter(accent: Accent, letter: number): string | undefined {
  return COMPOSED[accent]?.[letter];
}

/** Unicode for a G0 code as a Minitel draws it. */
export function g0ToUnicode(code: number): string {
  return G0_DIFFERENT[code] ?? String.fromCharCode(code);
}

/**
 * Unicode sextant for a G1 mosaic code. Sextant cells 1–6 are the mosaic bits
 * b0 b1 b2 b3 b4 b6 (p.101–102); codes 0x40–0x5F draw as code + 0x20.
 */
export function mosaicToUnicode(code: number): string {
  if (code === 0x7f) return '█';
  const bits = (code & 0x1f) | ((code & 0x40) >> 1);
  switch (bits) {
    case 0:
      return ' ';
    case 0x3f:
      return '█';
    case 0x15:
      return '▌';
    case 0x2a:
      return '▐';
  }
  // U+1FB00 starts at pattern 1 and skips the two half-blocks that exist elsewhere.
  let index = bits - 1;
  if (bits > 0x15) index--;
  if (bits > 0x2a) index--;
  return String.fromCodePoint(0x1fb00 + index);
}
