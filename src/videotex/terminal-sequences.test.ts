/** CSI, US addressing, SS2/G2 and screen transparency (STUM1B p.88–99). */
import { describe, expect, it } from 'vitest';
import { afterClear, cell, cursor, hex } from '../test-support/videotex.js';
import { Terminal } from './terminal.js';

describe('CSI (p.94–97)', () => {
  it('CSI A / B / C / D move by n and stop at the edges without wrapping', () => {
    expect(cursor(afterClear('1F 45 45 1B 5B 32 41'))).toEqual([3, 5]);
    expect(cursor(afterClear('1F 45 45 1B 5B 31 33 42'))).toEqual([18, 5]);
    expect(cursor(afterClear('1F 45 45 1B 5B 39 39 42'))).toEqual([24, 5]);
    expect(cursor(afterClear('1F 45 45 1B 5B 43'))).toEqual([5, 6]);
    expect(cursor(afterClear('1F 45 45 1B 5B 39 44'))).toEqual([5, 1]);
    expect(cursor(afterClear('1F 45 45 1B 5B 39 41'))).toEqual([1, 5]);
  });

  it('CSI r;c H positions absolutely; without parameters it goes home', () => {
    expect(cursor(afterClear('1B 5B 35 3B 32 35 48'))).toEqual([5, 25]);
    expect(cursor(afterClear('1F 45 45 1B 5B 48'))).toEqual([1, 1]);
  });

  it('CSI moves keep the attributes and the set (p.96)', () => {
    const t = afterClear('1B 41 0E 1B 5B 43 7F');
    expect(cell(t, 1, 2)).toMatchObject({ set: 'G1', fg: 1 });
  });

  it('CSI J erases from the cursor to the end of the screen, cursor cell included', () => {
    const t = afterClear('1F 45 41 41 42 43 1F 46 41 44 1F 45 42 1B 5B 4A');
    expect(t.screen.rowText(5)).toBe('A');
    expect(t.screen.rowText(6)).toBe('');
    expect(cursor(t)).toEqual([5, 2]);
  });

  it('CSI 1 J erases from the start of the screen to the cursor', () => {
    const t = afterClear('41 1F 45 41 41 42 43 1F 45 42 1B 5B 31 4A');
    expect(t.screen.rowText(1)).toBe('');
    expect(t.screen.rowText(5)).toBe('  C');
  });

  it('CSI 2 J erases rows 1–24 and keeps the cursor and attributes (p.95–96)', () => {
    const t = afterClear('1F 40 41 58 0A 1F 45 45 1B 42 41 1B 5B 32 4A 42');
    expect(t.screen.rowText(0)).toBe('X');
    expect(cell(t, 5, 6)).toMatchObject({ char: 'B', fg: 2 });
    expect(t.screen.rowText(5)).toBe('     B');
  });

  it('CSI K / 1 K / 2 K erase within the row', () => {
    const row = '1F 45 41 41 42 43 44 1F 45 42';
    expect(afterClear(`${row} 1B 5B 4B`).screen.rowText(5)).toBe('A');
    expect(afterClear(`${row} 1B 5B 31 4B`).screen.rowText(5)).toBe('  CD');
    expect(afterClear(`${row} 1B 5B 32 4B`).screen.rowText(5)).toBe('');
  });

  it('erased cells are black mosaics, so they end zones (p.96)', () => {
    const t = afterClear('1B 54 20 18 1F 41 45 1B 5B 4B');
    expect(cell(t, 1, 4).bg).toBe(4);
    expect(cell(t, 1, 5)).toMatchObject({ set: 'G1', bg: 0 });
  });

  it('CSI n P deletes characters and shifts the rest of the row left', () => {
    const t = afterClear('41 42 43 44 45 1F 41 42 1B 5B 32 50');
    expect(t.screen.rowText(1)).toBe('ADE');
  });

  it('CSI n @ inserts blanks and loses what passes column 40', () => {
    const t = afterClear('1F 41 67 41 42 1F 41 67 1B 5B 40');
    expect(cell(t, 1, 40).char).toBe('A');
    expect(t.screen.rowText(1).trim()).toBe('A');
  });

  it('CSI 4 h inserts: written characters push the row right; CSI 4 l stops it', () => {
    const t = afterClear('41 42 43 1E 1B 5B 34 68 58 1B 5B 34 6C 59');
    expect(t.screen.rowText(1)).toBe('XYBC');
  });

  it('CSI n L inserts rows and CSI n M deletes rows at the cursor row', () => {
    const rows = '1F 41 41 31 1F 42 41 32 1F 43 41 33';
    const inserted = afterClear(`${rows} 1F 42 41 1B 5B 4C`);
    expect([1, 2, 3, 4].map((r) => inserted.screen.rowText(r))).toEqual(['1', '', '2', '3']);
    const deleted = afterClear(`${rows} 1F 42 41 1B 5B 4D`);
    expect([1, 2, 3].map((r) => deleted.screen.rowText(r))).toEqual(['1', '3', '']);
  });

  it('unknown CSI sequences are swallowed (p.97)', () => {
    expect(afterClear('1B 5B 31 3B 32 7A 41').screen.rowText(1)).toBe('A');
  });

  it('a C0 byte aborts a CSI sequence and is executed (p.99)', () => {
    const t = afterClear('41 1B 5B 33 0D 42');
    expect(t.screen.rowText(1)).toBe('B');
  });

  it('a flood of CSI digits and parameters saturates instead of growing', () => {
    const digits = Array(5000).fill('39').join(' ');
    const params = Array(5000).fill('3B').join(' ');
    expect(cursor(afterClear(`1F 45 45 1B 5B ${digits} 42`))).toEqual([24, 5]);
    expect(cursor(afterClear(`1F 45 45 1B 5B 31 ${params} 48`))).toEqual([1, 1]);
  });
});

describe('US addressing (p.96)', () => {
  it('US r c moves to row r − 0x40, column c − 0x40', () => {
    expect(cell(afterClear('1F 45 59 41'), 5, 25).char).toBe('A');
    expect(cursor(afterClear('1F 45 41'))).toEqual([5, 1]);
  });

  it('an off-screen target voids the whole US: no move, no reset', () => {
    const t = afterClear('1F 45 45 1B 41 1F 5A 41 42');
    expect(cell(t, 5, 5)).toMatchObject({ char: 'B', fg: 1 });
  });

  it('an invalid US swallows its two bytes', () => {
    expect(afterClear('1F 5A 41 42').screen.rowText(1)).toBe('B');
    expect(afterClear('1F 2A 41 42').screen.rowText(1)).toBe('B');
  });

  it('legacy US 3X 3Y goes to row XY, column 1', () => {
    expect(cell(afterClear('1F 31 32 41'), 12, 1).char).toBe('A');
  });

  it('a legacy US past row 24 is ignored', () => {
    expect(afterClear('41 1F 33 30 42').screen.rowText(1)).toBe('AB');
  });

  it('legacy US 30 30 enters row 0, as period pages use it to clear the service row', () => {
    const t = afterClear('1F 45 45 1F 30 30 48 49 0A 42');
    expect(t.screen.rowText(0)).toBe('HI');
    expect(cell(t, 5, 5).char).toBe('B');
  });

  it('a C0 byte inside US aborts it and is executed (p.99)', () => {
    const t = afterClear('41 42 1F 45 0D 43');
    expect(t.screen.rowText(1)).toBe('CB');
  });
});

describe('SS2, accents and G2 (p.88–90, p.103–104)', () => {
  it('SS2 accent letter composes an accented letter in one cell', () => {
    const t = afterClear('19 42 65 19 41 61 19 43 6F 19 48 75 19 4B 63');
    expect(t.screen.rowText(1)).toBe('éàôüç');
    expect(cursor(t)).toEqual([1, 6]);
  });

  it('an accent on an unsupported letter shows the letter alone', () => {
    expect(afterClear('19 42 61 19 41 45').screen.rowText(1)).toBe('aE');
  });

  it('G2 specials take one cell', () => {
    expect(afterClear('19 23 19 2C 19 2E 19 30 19 3D 19 6A 19 7A 19 7B').screen.rowText(1)).toBe('£←→°½Œœß');
  });

  it('an SS2 code with no G2 glyph shows a low bar', () => {
    expect(afterClear('19 25 41').screen.rowText(1)).toBe('_A');
  });

  it('SS2 followed by a C0 byte is dropped and the control executed', () => {
    expect(cursor(afterClear('19 0A'))).toEqual([2, 1]);
    expect(cursor(afterClear('19 42 0A'))).toEqual([2, 1]);
  });

  it('SS2 is ignored in G1: the next byte is a mosaic', () => {
    const t = afterClear('0E 19 7F');
    expect(cell(t, 1, 1)).toMatchObject({ set: 'G1', code: 0x7f });
    expect(cursor(t)).toEqual([1, 2]);
  });

  it('G0 codes with Minitel glyphs differ from ASCII (p.100)', () => {
    expect(afterClear('5E 60 7B 7C 7D 7E 5C').screen.rowText(1)).toBe('↑─▏│▕‾╲');
  });

  it('G1 codes 0x40–0x5F draw like 0x60–0x7F', () => {
    const t = afterClear('0E 40 60');
    expect(cell(t, 1, 1).char).toBe(cell(t, 1, 2).char);
  });
});

describe('screen transparency (p.99)', () => {
  it('ESC 25 … ESC 25 40 ignores everything between, with no C0 resynchronisation', () => {
    const t = afterClear('41 1B 25 42 0C 1F 45 45 43 1B 25 40 44');
    expect(t.screen.rowText(1)).toBe('AD');
  });

  it('ESC 2F 3F also ends transparency', () => {
    expect(afterClear('41 1B 25 42 1B 2F 3F 43').screen.rowText(1)).toBe('AC');
  });

  it('other ISO 2022 sequences are filtered', () => {
    expect(afterClear('41 1B 22 41 42').screen.rowText(1)).toBe('AB');
    expect(afterClear('41 1B 35 41 42').screen.rowText(1)).toBe('AB');
  });
});

describe('period page quirks (docs/videotex.md §3, §11)', () => {
  it('SYN acts as SS2, as most service pages of the corpus use it', () => {
    expect(afterClear('4D 16 41 61 16 42 65 4E 16 30').screen.rowText(1)).toBe('MàéN°');
  });

  it('a Photo-Videotex block (ESC 70, header, 5-bit length, data) is skipped whole', () => {
    // Length 0x61 0x58 = (1 << 5) | 24 = 56 bytes of binary data, including bytes that
    // would otherwise be ESC 39 7B (ENQROM) or a clear screen.
    const data = Array<string>(56).fill('9B').map((x, i) => (i % 3 === 1 ? '39' : i % 3 === 2 ? '7B' : x));
    data[10] = '0C';
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex(`0C 41 1B 70 23 40 7F 61 58 ${data.join(' ')} 42`));
    expect(t.screen.rowText(1)).toBe('AB');
    expect(out).toEqual([]);
  });

  it('a Minitel 1B filters ESC 70 and shows what follows', () => {
    expect(afterClear('41 1B 70 42', { model: 'minitel1b' }).screen.rowText(1)).toBe('AB');
  });
});

describe('visual equality (Screen.looksLike)', () => {
  it('G1 0x40 is the bottom-right mosaic, not a blank: it differs from an empty mosaic', () => {
    const a = afterClear('0E 40');
    const b = afterClear('0E 20');
    expect(a.screen.looksLike(b.screen)).toBe(false);
    expect(a.screen.looksLike(afterClear('0E 60').screen)).toBe(false); // same drawing, different stored code
  });

  it('a black text space looks like the empty black mosaic FF leaves', () => {
    expect(afterClear('20').screen.looksLike(afterClear('').screen)).toBe(true);
  });
});
