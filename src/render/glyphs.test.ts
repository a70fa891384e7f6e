import { describe, expect, it } from 'vitest';
import { ERROR_BLOCK, G0_FONT } from './font-g0.js';
import {
  ACCENT_ACUTE,
  ACCENT_CEDILLA,
  ACCENT_CIRCUMFLEX,
  ACCENT_DIAERESIS,
  ACCENT_GRAVE,
  ACCENTED_FONT,
  G2_FONT,
  LOW_BAR,
} from './font-g2.js';
import {
  GLYPH_HEIGHT,
  GLYPH_WIDTH,
  accentedGlyph,
  errorGlyph,
  g0Glyph,
  g2Glyph,
  glyphFromText,
  glyphToText,
  mosaicGlyph,
} from './glyphs.js';

const FULL_ROW = '########';
const EMPTY_ROW = '........';
const hex = (code: number): string => `0x${code.toString(16).toUpperCase()}`;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const column = (g: Uint8Array, x: number): string => glyphToText(g).map((row) => row[x]).join('');
const pixel = (g: Uint8Array, x: number, y: number): boolean => (g[y] & (0x80 >> x)) !== 0;

describe('font data (raw drawings)', () => {
  const drawings: [string, readonly string[]][] = [
    ...Object.entries(G0_FONT).map(([code, rows]): [string, readonly string[]] => [`G0 ${hex(Number(code))}`, rows]),
    ...Object.entries(G2_FONT).map(([code, rows]): [string, readonly string[]] => [`G2 ${hex(Number(code))}`, rows]),
    ...ACCENTED_FONT.map((e): [string, readonly string[]] => [`accented ${e.name}`, e.rows]),
    ['low bar', LOW_BAR],
    ['error block', ERROR_BLOCK],
  ];

  it.each(drawings)('%s is 10 rows of 8 "#"/"." characters (8×10 cell, STUM1B p.30)', (_name, rows) => {
    expect(rows).toHaveLength(GLYPH_HEIGHT);
    for (const row of rows) expect(row).toMatch(/^[#.]{8}$/);
  });

  it('defines exactly the 96 G0 codes 0x20–0x7F (STUM1B p.100)', () => {
    expect(Object.keys(G0_FONT).map(Number).sort((a, b) => a - b)).toEqual(range(0x20, 0x7F));
  });

  it('defines exactly the G2 codes that have a glyph (STUM1B p.103–104)', () => {
    expect(Object.keys(G2_FONT).map(Number).sort((a, b) => a - b)).toEqual(
      [0x23, 0x24, 0x26, 0x27, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x38, 0x3C, 0x3D, 0x3E, 0x6A, 0x7A, 0x7B],
    );
  });

  it('draws exactly the 15 accented letters the Minitel composes (STUM1B p.90)', () => {
    expect(ACCENTED_FONT.map((e) => e.name).sort()).toEqual(
      ['à', 'è', 'ù', 'é', 'â', 'ê', 'î', 'ô', 'û', 'ä', 'ë', 'ï', 'ö', 'ü', 'ç'].sort(),
    );
  });
});

describe('packed glyph layout (DRCS layout, docs §6.3)', () => {
  it('uses 8×10 cells (STUM1B p.30)', () => {
    expect(GLYPH_WIDTH).toBe(8);
    expect(GLYPH_HEIGHT).toBe(10);
  });

  it('packs one byte per row, top row first, bit 7 = leftmost pixel', () => {
    const g = glyphFromText(['#.......', '.......#', '##......', ...Array<string>(7).fill(EMPTY_ROW)]);
    expect(Array.from(g)).toEqual([0x80, 0x01, 0xC0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('round-trips every G0 drawing through glyphToText', () => {
    for (const code of range(0x20, 0x7F)) expect(glyphToText(g0Glyph(code))).toEqual(G0_FONT[code]);
  });

  it('rejects malformed drawings instead of rendering garbage', () => {
    expect(() => glyphFromText(Array<string>(9).fill(EMPTY_ROW))).toThrow(RangeError);
    expect(() => glyphFromText([...Array<string>(9).fill(EMPTY_ROW), '.......'])).toThrow(RangeError);
    expect(() => glyphFromText([...Array<string>(9).fill(EMPTY_ROW), '.......x'])).toThrow(RangeError);
  });

  it('returns the same shared array on every call, so drawing a cell allocates nothing', () => {
    expect(g0Glyph(0x41)).toBe(g0Glyph(0x41));
    expect(g2Glyph(0x23)).toBe(g2Glyph(0x23));
    expect(g2Glyph(0x25)).toBe(g2Glyph(0x40));
    expect(accentedGlyph(ACCENT_ACUTE, 0x65)).toBe(accentedGlyph(ACCENT_ACUTE, 0x65));
    expect(mosaicGlyph(0x35, true)).toBe(mosaicGlyph(0x35, true));
    expect(errorGlyph()).toBe(errorGlyph());
  });
});

describe('G0 text glyphs (STUM1B p.30, p.100)', () => {
  it('draws SP blank and every other G0 code with ink', () => {
    expect(glyphToText(g0Glyph(0x20))).toEqual(Array(10).fill(EMPTY_ROW));
    for (const code of range(0x21, 0x7F)) expect(g0Glyph(code).some((b) => b !== 0), hex(code)).toBe(true);
  });

  it('gives all 96 G0 codes distinct shapes (letters, digits and symbols never collide)', () => {
    const seen = new Map<string, number>();
    for (const code of range(0x20, 0x7F)) {
      const key = glyphToText(g0Glyph(code)).join('/');
      expect(seen.get(key), `${hex(code)} duplicates ${hex(seen.get(key) ?? 0)}`).toBeUndefined();
      seen.set(key, code);
    }
  });

  it('keeps letters and digits in the 5×7 matrix: columns 1–5, rows 1–7 (STUM1B p.30)', () => {
    const letters = [...range(0x30, 0x39), ...range(0x41, 0x5A), ...range(0x61, 0x7A)];
    for (const code of letters) {
      const g = g0Glyph(code);
      expect(g[0], `${hex(code)} row 0`).toBe(0);
      for (let y = 0; y < GLYPH_HEIGHT; y++) expect(g[y] & 0x83, `${hex(code)} row ${y}`).toBe(0);
    }
  });

  it('gives descenders (rows 8–9) to g j p q y only among letters and digits', () => {
    const letters = [...range(0x30, 0x39), ...range(0x41, 0x5A), ...range(0x61, 0x7A)];
    const descending = letters.filter((code) => g0Glyph(code)[8] !== 0 || g0Glyph(code)[9] !== 0);
    expect(String.fromCharCode(...descending)).toBe('gjpqy');
  });

  it('draws 0x5F as a full-width bar on the bottom pixel row only (p.100)', () => {
    expect(glyphToText(g0Glyph(0x5F))).toEqual([...Array<string>(9).fill(EMPTY_ROW), FULL_ROW]);
  });

  it('draws 0x7E as a full-width bar on the top pixel row only (p.100)', () => {
    expect(glyphToText(g0Glyph(0x7E))).toEqual([FULL_ROW, ...Array<string>(9).fill(EMPTY_ROW)]);
  });

  it('draws 0x60 as a single full-width bar in the middle of the cell, on the row of "-" (p.100)', () => {
    const rows = glyphToText(g0Glyph(0x60));
    const inked = rows.flatMap((row, y) => (row === EMPTY_ROW ? [] : [y]));
    expect(inked).toHaveLength(1);
    expect(rows[inked[0]]).toBe(FULL_ROW);
    expect([4, 5]).toContain(inked[0]);
    expect(g0Glyph(0x2D)[inked[0]]).not.toBe(0);
  });

  it.each([
    [0x7B, 0],
    [0x7C, 3],
    [0x7D, 7],
  ])('draws %i as a single full-height vertical bar on pixel column %i (p.100)', (code, x) => {
    const g = g0Glyph(code);
    expect(column(g, x)).toBe('##########');
    expect(Array.from(g)).toEqual(Array(10).fill(0x80 >> x));
  });

  it('draws 0x5C as a diagonal ╲ touching the top-left and bottom-right corners (p.100)', () => {
    const g = g0Glyph(0x5C);
    expect(pixel(g, 0, 0)).toBe(true);
    expect(pixel(g, 7, 9)).toBe(true);
    expect(pixel(g, 7, 0)).toBe(false);
    expect(pixel(g, 0, 9)).toBe(false);
    // Continuous: every row is inked, and each row starts at or right of the previous one.
    const firstInk = glyphToText(g).map((row) => row.indexOf('#'));
    expect(firstInk.every((x) => x >= 0)).toBe(true);
    for (let y = 1; y < GLYPH_HEIGHT; y++) expect(firstInk[y] - firstInk[y - 1]).toBeGreaterThanOrEqual(0);
    for (let y = 1; y < GLYPH_HEIGHT; y++) expect(firstInk[y] - firstInk[y - 1]).toBeLessThanOrEqual(1);
  });

  it('draws 0x5E as an up arrow whose shaft reaches the bottom edge (p.100)', () => {
    const g = g0Glyph(0x5E);
    expect(g[9]).not.toBe(0);
    expect(g[0]).toBe(0);
    expect(column(g, 3)).toBe('.#########');
  });

  it('draws 0x27 slanted like ’, not as a straight tick', () => {
    const rows = glyphToText(g0Glyph(0x27));
    const positions = new Set(rows.filter((row) => row !== EMPTY_ROW).map((row) => row.indexOf('#')));
    expect(positions.size).toBeGreaterThan(1);
  });

  it('draws DEL (0x7F) as a full block (p.98)', () => {
    expect(glyphToText(g0Glyph(0x7F))).toEqual(Array(10).fill(FULL_ROW));
  });

  it('returns blank for codes outside 0x20–0x7F', () => {
    for (const code of [-1, 0x00, 0x1A, 0x1F, 0x80, 0xFF, 1000]) expect(g0Glyph(code)).toBe(g0Glyph(0x20));
  });
});

describe('G2 glyphs (STUM1B p.88–90, p.103–104)', () => {
  const G2_CODES = [0x23, 0x24, 0x26, 0x27, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x38, 0x3C, 0x3D, 0x3E, 0x6A, 0x7A, 0x7B];

  it('draws every G2 glyph with ink and none of them as the low bar', () => {
    for (const code of G2_CODES) {
      expect(g2Glyph(code).some((b) => b !== 0), hex(code)).toBe(true);
      expect(glyphToText(g2Glyph(code)), hex(code)).not.toEqual(glyphToText(g2Glyph(0x25)));
    }
  });

  it('gives every G2 glyph a distinct shape', () => {
    const keys = G2_CODES.map((code) => glyphToText(g2Glyph(code)).join('/'));
    expect(new Set(keys).size).toBe(G2_CODES.length);
  });

  it('shares $ # ↑ with G0 0x24, 0x23 and 0x5E (↑ is also G0 0x5E, p.100)', () => {
    expect(glyphToText(g2Glyph(0x24))).toEqual(glyphToText(g0Glyph(0x24)));
    expect(glyphToText(g2Glyph(0x26))).toEqual(glyphToText(g0Glyph(0x23)));
    expect(glyphToText(g2Glyph(0x2D))).toEqual(glyphToText(g0Glyph(0x5E)));
  });

  it('draws £ differently from G0 f and #, since £ exists only in G2 (p.100)', () => {
    expect(glyphToText(g2Glyph(0x23))).not.toEqual(glyphToText(g0Glyph(0x66)));
    expect(glyphToText(g2Glyph(0x23))).not.toEqual(glyphToText(g0Glyph(0x23)));
  });

  it('runs the ← and → shafts across the full cell width so they join horizontal lines', () => {
    expect(glyphToText(g2Glyph(0x2C))).toContain(FULL_ROW);
    expect(glyphToText(g2Glyph(0x2E))).toContain(FULL_ROW);
  });

  it('joins ↓ at the top edge, mirroring ↑', () => {
    expect(g2Glyph(0x2F)[0]).not.toBe(0);
    expect(Array.from(g2Glyph(0x2F)).slice(0, 9).reverse()).toEqual(Array.from(g2Glyph(0x2D)).slice(1, 10));
  });

  it('shows a low bar like G0 0x5F for an SS2 code with no G2 glyph (p.90, p.99)', () => {
    for (const code of [0x20, 0x21, 0x25, 0x28, 0x40, 0x41, 0x61, 0x7F, 0x00, 0x80, -1]) {
      expect(glyphToText(g2Glyph(code)), hex(code)).toEqual(glyphToText(g0Glyph(0x5F)));
    }
  });
});

describe('accented letters (STUM1B p.88, p.90)', () => {
  it.each(ACCENTED_FONT.map((e) => [e.name, e.accent, e.letter] as const))(
    '%s differs from its base letter and keeps its body',
    (_name, accent, letter) => {
      const g = accentedGlyph(accent, letter);
      expect(g).toBeDefined();
      const accented = glyphToText(g ?? new Uint8Array(10));
      const base = glyphToText(g0Glyph(letter));
      expect(accented).not.toEqual(base);
      if (accent === ACCENT_CEDILLA) {
        // The cedilla hangs below the baseline; the letter above is unchanged.
        expect(accented.slice(0, 8)).toEqual(base.slice(0, 8));
        expect(accented.slice(8)).not.toEqual([EMPTY_ROW, EMPTY_ROW]);
      } else {
        // The accent sits above the x-height (rows 0–1) and replaces the dot of i.
        expect(accented.slice(2)).toEqual(base.slice(2));
        expect(accented.slice(0, 2)).not.toEqual([EMPTY_ROW, EMPTY_ROW]);
      }
    },
  );

  it('gives each accent on the same letter a different shape', () => {
    const e = [ACCENT_GRAVE, ACCENT_ACUTE, ACCENT_CIRCUMFLEX, ACCENT_DIAERESIS].map((a) =>
      glyphToText(accentedGlyph(a, 0x65) ?? new Uint8Array(10)).join('/'),
    );
    expect(new Set(e).size).toBe(4);
  });

  it.each([
    ['á (acute a)', ACCENT_ACUTE, 0x61],
    ['ì (grave i)', ACCENT_GRAVE, 0x69],
    ['ò (grave o)', ACCENT_GRAVE, 0x6F],
    ['ÿ (diaeresis y)', ACCENT_DIAERESIS, 0x79],
    ['ç on e (cedilla e)', ACCENT_CEDILLA, 0x65],
    ['É (no uppercase accents)', ACCENT_ACUTE, 0x45],
    ['Ç (no uppercase accents)', ACCENT_CEDILLA, 0x43],
    ['accent on a digit', ACCENT_GRAVE, 0x31],
    ['an SS2 code that is not an accent', 0x44, 0x65],
    ['a G2 glyph code as accent', 0x23, 0x65],
    ['a letter code above 7 bits', ACCENT_ACUTE, 0x65 + 0x80],
  ])('returns undefined for an unsupported combination: %s (p.90)', (_name, accent, letter) => {
    expect(accentedGlyph(accent, letter)).toBeUndefined();
  });
});

describe('error block (STUM1B p.48, p.99)', () => {
  it('is a full block for SUB, like DEL but kept as its own entry', () => {
    expect(glyphToText(errorGlyph())).toEqual(Array(10).fill(FULL_ROW));
    expect(errorGlyph()).not.toBe(g0Glyph(0x7F));
  });
});

describe('G1 mosaics (STUM1B p.31, p.101–102)', () => {
  const MOSAIC_CODES = [...range(0x20, 0x3F), ...range(0x60, 0x7F)];

  it('maps 0x21 (b0) to the top-left sub-block only: rows 0–2, columns 0–3', () => {
    expect(glyphToText(mosaicGlyph(0x21, false))).toEqual([
      '####....',
      '####....',
      '####....',
      ...Array<string>(7).fill(EMPTY_ROW),
    ]);
  });

  it('maps each bit to its sub-block: b0 b1 top, b2 b3 middle (rows 3–6), b4 b6 bottom (rows 7–9)', () => {
    const top = [0, 1, 2];
    const middle = [3, 4, 5, 6];
    const bottom = [7, 8, 9];
    const cases: [number, number[], number][] = [
      [0x21, top, 0xF0],
      [0x22, top, 0x0F],
      [0x24, middle, 0xF0],
      [0x28, middle, 0x0F],
      [0x30, bottom, 0xF0],
      [0x60, bottom, 0x0F],
    ];
    for (const [code, rows, bits] of cases) {
      const g = mosaicGlyph(code, false);
      for (let y = 0; y < GLYPH_HEIGHT; y++) expect(g[y], `${hex(code)} row ${y}`).toBe(rows.includes(y) ? bits : 0);
    }
  });

  it('draws 0x20 empty and 0x7F full', () => {
    expect(Array.from(mosaicGlyph(0x20, false))).toEqual(Array(10).fill(0));
    expect(Array.from(mosaicGlyph(0x7F, false))).toEqual(Array(10).fill(0xFF));
  });

  it('draws 0x35 as the left half and 0x6A as the right half', () => {
    expect(Array.from(mosaicGlyph(0x35, false))).toEqual(Array(10).fill(0xF0));
    expect(Array.from(mosaicGlyph(0x6A, false))).toEqual(Array(10).fill(0x0F));
  });

  it('draws 0x60 as the bottom-right sub-block only', () => {
    expect(glyphToText(mosaicGlyph(0x60, false))).toEqual([...Array<string>(7).fill(EMPTY_ROW), '....####', '....####', '....####']);
  });

  it('renders 0x40–0x5F as code + 0x20 (docs §2.2), so 0x40 == 0x60 and 0x5F is full', () => {
    for (const code of range(0x40, 0x5F)) {
      expect(mosaicGlyph(code, false)).toBe(mosaicGlyph(code + 0x20, false));
      expect(mosaicGlyph(code, true)).toBe(mosaicGlyph(code + 0x20, true));
    }
    expect(Array.from(mosaicGlyph(0x5F, false))).toEqual(Array(10).fill(0xFF));
  });

  it('gives the 64 real mosaic codes 64 distinct shapes, contiguous and separated', () => {
    for (const separated of [false, true]) {
      const keys = new Set(MOSAIC_CODES.map((code) => Array.from(mosaicGlyph(code, separated)).join(',')));
      expect(keys.size).toBe(64);
    }
  });

  it('leaves the separated grid empty: pixel columns 0 and 4, pixel rows 2, 6 and 9 (p.31)', () => {
    for (const code of range(0x20, 0x7F)) {
      const g = mosaicGlyph(code, true);
      for (const y of [2, 6, 9]) expect(g[y], `${hex(code)} row ${y}`).toBe(0);
      for (let y = 0; y < GLYPH_HEIGHT; y++) expect(g[y] & 0x88, `${hex(code)} row ${y}`).toBe(0);
    }
  });

  it('draws a separated mosaic as its contiguous shape minus the grid', () => {
    for (const code of MOSAIC_CODES) {
      const contiguous = mosaicGlyph(code, false);
      const separated = mosaicGlyph(code, true);
      for (let y = 0; y < GLYPH_HEIGHT; y++) {
        const grid = y === 2 || y === 6 || y === 9 ? 0xFF : 0x88;
        expect(separated[y], `${hex(code)} row ${y}`).toBe(contiguous[y] & ~grid & 0xFF);
      }
    }
  });

  it('draws a separated full block (DEL in G1 can be separated, p.98) as six 3×2, 3×3, 3×2 blocks', () => {
    expect(glyphToText(mosaicGlyph(0x7F, true))).toEqual([
      '.###.###',
      '.###.###',
      '........',
      '.###.###',
      '.###.###',
      '.###.###',
      '........',
      '.###.###',
      '.###.###',
      '........',
    ]);
  });
});
