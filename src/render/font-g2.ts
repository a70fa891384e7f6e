/**
 * Teletel's own G2 (SS2) glyphs and accented letters, drawn by hand for this
 * project in the same 8×10 grid and style as font-g0.ts (STUM1B p.30).
 *
 * This file is data only; glyphs.ts compiles it once to packed bytes.
 */
import { G0_FONT, type GlyphRows } from './font-g0.js';

/**
 * G2 characters reached with `SS2 x` (p.88–90, p.103–104), indexed by x.
 * `$`, `#` and `↑` are the same characters as G0 0x24, 0x23 and 0x5E (the
 * arrow is reachable both ways, p.100), so they share the G0 drawings.
 */
export const G2_FONT: Readonly<Record<number, GlyphRows>> = {
  0x23: [ // £
    '........',
    '...##...',
    '..#..#..',
    '..#.....',
    '.####...',
    '..#.....',
    '..#..#..',
    '.#####..',
    '........',
    '........',
  ],
  0x24: G0_FONT[0x24], // $
  0x26: G0_FONT[0x23], // #
  0x27: [ // §
    '........',
    '..###...',
    '.#......',
    '..###...',
    '.#...#..',
    '..###...',
    '.....#..',
    '..###...',
    '........',
    '........',
  ],
  0x2C: [ // ←: the shaft spans the cell so arrows join lines drawn with 0x60
    '........',
    '........',
    '..#.....',
    '.#......',
    '########',
    '.#......',
    '..#.....',
    '........',
    '........',
    '........',
  ],
  0x2D: G0_FONT[0x5E], // ↑
  0x2E: [ // →
    '........',
    '........',
    '.....#..',
    '......#.',
    '########',
    '......#.',
    '.....#..',
    '........',
    '........',
    '........',
  ],
  0x2F: [ // ↓: the mirror of ↑, joined at the top edge
    '...#....',
    '...#....',
    '...#....',
    '...#....',
    '...#....',
    '...#....',
    '.#.#.#..',
    '..###...',
    '...#....',
    '........',
  ],
  0x30: [ // °
    '........',
    '..##....',
    '.#..#...',
    '.#..#...',
    '..##....',
    '........',
    '........',
    '........',
    '........',
    '........',
  ],
  0x31: [ // ±
    '........',
    '...#....',
    '...#....',
    '.#####..',
    '...#....',
    '...#....',
    '........',
    '.#####..',
    '........',
    '........',
  ],
  0x38: [ // ÷
    '........',
    '........',
    '...#....',
    '........',
    '.#####..',
    '........',
    '...#....',
    '........',
    '........',
    '........',
  ],
  // The fractions need the whole cell: 3×4 numerals in opposite corners,
  // joined by a slash.
  0x3C: [ // ¼
    '.#......',
    '##......',
    '.#....#.',
    '###..#..',
    '....#...',
    '...#....',
    '..#..#.#',
    '.#...#.#',
    '.....###',
    '.......#',
  ],
  0x3D: [ // ½
    '.#......',
    '##......',
    '.#....#.',
    '###..#..',
    '....#...',
    '...#....',
    '..#..##.',
    '.#.....#',
    '......#.',
    '.....###',
  ],
  0x3E: [ // ¾
    '###.....',
    '.##.....',
    '..#...#.',
    '###..#..',
    '....#...',
    '...#....',
    '..#..#.#',
    '.#...#.#',
    '.....###',
    '.......#',
  ],
  0x6A: [ // Œ: one pixel wider than a letter, as the ligature needs it
    '........',
    '.######.',
    '#..#....',
    '#..#....',
    '#..####.',
    '#..#....',
    '#..#....',
    '.######.',
    '........',
    '........',
  ],
  0x7A: [ // œ
    '........',
    '........',
    '........',
    '.##.##..',
    '#..#..#.',
    '#..####.',
    '#..#....',
    '.##.###.',
    '........',
    '........',
  ],
  0x7B: [ // ß, drawn like β with a descender as on the Minitel (docs §2.3)
    '........',
    '..###...',
    '.#...#..',
    '.#...#..',
    '.#.##...',
    '.#...#..',
    '.#...#..',
    '.####...',
    '.#......',
    '.#......',
  ],
};

/**
 * What `SS2 x` shows when x has no G2 glyph: a low bar, one cell wide,
 * looking like G0 0x5F (p.90, p.99). Drawn separately so the two stay
 * independent if either is retouched.
 */
export const LOW_BAR: GlyphRows = [
  '........',
  '........',
  '........',
  '........',
  '........',
  '........',
  '........',
  '........',
  '........',
  '########',
];

/** G2 accent codes (`SS2 accent letter`, p.88–90). */
export const ACCENT_GRAVE = 0x41;
export const ACCENT_ACUTE = 0x42;
export const ACCENT_CIRCUMFLEX = 0x43;
export const ACCENT_DIAERESIS = 0x48;
export const ACCENT_CEDILLA = 0x4B;

/** One composed letter: the accent code, the G0 base letter and its drawing. */
export interface AccentedEntry {
  readonly accent: number;
  readonly letter: number;
  readonly name: string;
  readonly rows: GlyphRows;
}

/**
 * The only accented letters the Minitel composes, all lowercase (p.90).
 * Accents sit in rows 0–1 above the x-height (rows 3–7); the accent
 * replaces the dot of i; the cedilla hangs in the descender rows.
 */
export const ACCENTED_FONT: readonly AccentedEntry[] = [
  {
    accent: ACCENT_GRAVE, letter: 0x61, name: 'à', rows: [
      '..#.....',
      '...#....',
      '........',
      '..###...',
      '.....#..',
      '..####..',
      '.#...#..',
      '..####..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_GRAVE, letter: 0x65, name: 'è', rows: [
      '..#.....',
      '...#....',
      '........',
      '..###...',
      '.#...#..',
      '.#####..',
      '.#......',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_GRAVE, letter: 0x75, name: 'ù', rows: [
      '..#.....',
      '...#....',
      '........',
      '.#...#..',
      '.#...#..',
      '.#...#..',
      '.#..##..',
      '..##.#..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_ACUTE, letter: 0x65, name: 'é', rows: [
      '....#...',
      '...#....',
      '........',
      '..###...',
      '.#...#..',
      '.#####..',
      '.#......',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CIRCUMFLEX, letter: 0x61, name: 'â', rows: [
      '...#....',
      '..#.#...',
      '........',
      '..###...',
      '.....#..',
      '..####..',
      '.#...#..',
      '..####..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CIRCUMFLEX, letter: 0x65, name: 'ê', rows: [
      '...#....',
      '..#.#...',
      '........',
      '..###...',
      '.#...#..',
      '.#####..',
      '.#......',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CIRCUMFLEX, letter: 0x69, name: 'î', rows: [
      '...#....',
      '..#.#...',
      '........',
      '..##....',
      '...#....',
      '...#....',
      '...#....',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CIRCUMFLEX, letter: 0x6F, name: 'ô', rows: [
      '...#....',
      '..#.#...',
      '........',
      '..###...',
      '.#...#..',
      '.#...#..',
      '.#...#..',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CIRCUMFLEX, letter: 0x75, name: 'û', rows: [
      '...#....',
      '..#.#...',
      '........',
      '.#...#..',
      '.#...#..',
      '.#...#..',
      '.#..##..',
      '..##.#..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_DIAERESIS, letter: 0x61, name: 'ä', rows: [
      '........',
      '.#...#..',
      '........',
      '..###...',
      '.....#..',
      '..####..',
      '.#...#..',
      '..####..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_DIAERESIS, letter: 0x65, name: 'ë', rows: [
      '........',
      '.#...#..',
      '........',
      '..###...',
      '.#...#..',
      '.#####..',
      '.#......',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_DIAERESIS, letter: 0x69, name: 'ï', rows: [
      '........',
      '..#.#...',
      '........',
      '..##....',
      '...#....',
      '...#....',
      '...#....',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_DIAERESIS, letter: 0x6F, name: 'ö', rows: [
      '........',
      '.#...#..',
      '........',
      '..###...',
      '.#...#..',
      '.#...#..',
      '.#...#..',
      '..###...',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_DIAERESIS, letter: 0x75, name: 'ü', rows: [
      '........',
      '.#...#..',
      '........',
      '.#...#..',
      '.#...#..',
      '.#...#..',
      '.#..##..',
      '..##.#..',
      '........',
      '........',
    ],
  },
  {
    accent: ACCENT_CEDILLA, letter: 0x63, name: 'ç', rows: [
      '........',
      '........',
      '........',
      '..###...',
      '.#......',
      '.#......',
      '.#...#..',
      '..###...',
      '...#....',
      '..##....',
    ],
  },
];
