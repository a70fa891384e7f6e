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
 * An accent's drawing: two rows, above the x-height (rows 0–1, where it also
 * replaces the dot of i) or, for the cedilla, in the descender rows 8–9.
 */
interface AccentMark {
  readonly rows: readonly [string, string];
  readonly below: boolean;
}

const ACCENT_MARKS: Readonly<Record<number, AccentMark>> = {
  [ACCENT_GRAVE]: { rows: ['..#.....', '...#....'], below: false },
  [ACCENT_ACUTE]: { rows: ['....#...', '...#....'], below: false },
  [ACCENT_CIRCUMFLEX]: { rows: ['...#....', '..#.#...'], below: false },
  [ACCENT_DIAERESIS]: { rows: ['........', '.#...#..'], below: false },
  [ACCENT_CEDILLA]: { rows: ['...#....', '..##....'], below: true },
};

/** The narrow i takes its two dots closer together. */
const NARROW_DIAERESIS: readonly [string, string] = ['........', '..#.#...'];

/** The only accented letters the Minitel composes, all lowercase (p.90). */
const ACCENTED_PAIRS: readonly (readonly [accent: number, letter: string, name: string])[] = [
  [ACCENT_GRAVE, 'a', 'à'],
  [ACCENT_GRAVE, 'e', 'è'],
  [ACCENT_GRAVE, 'u', 'ù'],
  [ACCENT_ACUTE, 'e', 'é'],
  [ACCENT_CIRCUMFLEX, 'a', 'â'],
  [ACCENT_CIRCUMFLEX, 'e', 'ê'],
  [ACCENT_CIRCUMFLEX, 'i', 'î'],
  [ACCENT_CIRCUMFLEX, 'o', 'ô'],
  [ACCENT_CIRCUMFLEX, 'u', 'û'],
  [ACCENT_DIAERESIS, 'a', 'ä'],
  [ACCENT_DIAERESIS, 'e', 'ë'],
  [ACCENT_DIAERESIS, 'i', 'ï'],
  [ACCENT_DIAERESIS, 'o', 'ö'],
  [ACCENT_DIAERESIS, 'u', 'ü'],
  [ACCENT_CEDILLA, 'c', 'ç'],
];

/**
 * Each composed letter is its G0 letter with the accent drawn in, so the two
 * can never drift apart.
 */
export const ACCENTED_FONT: readonly AccentedEntry[] = ACCENTED_PAIRS.map(([accent, char, name]) => {
  const letter = char.charCodeAt(0);
  const mark = ACCENT_MARKS[accent];
  const marks = accent === ACCENT_DIAERESIS && char === 'i' ? NARROW_DIAERESIS : mark.rows;
  const rows = [...G0_FONT[letter]];
  rows.splice(mark.below ? 8 : 0, 2, ...marks);
  return { accent, letter, name, rows };
});

