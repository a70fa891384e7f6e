/** C0 controls in Videotex mode (STUM1B p.87–99), including the wrap, scroll and row-0 rules. */
import { describe, expect, it } from 'vitest';
import { afterClear, cell, cursor, decode, hex } from '../test-support/videotex.js';
import { Terminal } from './terminal.js';

describe('C0 controls', () => {
  it('NUL is ignored everywhere, even inside an ESC sequence (p.98)', () => {
    const t = afterClear('1B 00 41 42');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'B', fg: 1 });
    expect(cursor(t)).toEqual([1, 2]);
  });

  it('BEL rings the bell without touching the screen (p.98)', () => {
    let bells = 0;
    const t = new Terminal({ onBell: () => bells++ });
    t.write(hex('0C 41 07 42'));
    expect(bells).toBe(1);
    expect(t.screen.rowText(1)).toBe('AB');
  });

  it('BS moves left, wraps to column 40 of the row above, and from (1,1) to (24,40) (p.97)', () => {
    expect(cursor(afterClear('1F 45 45 08'))).toEqual([5, 4]);
    expect(cursor(afterClear('1F 45 41 08'))).toEqual([4, 40]);
    const t = afterClear('1E 08 41');
    expect(cell(t, 24, 40).char).toBe('A');
  });

  it('BS does nothing at column 1 of row 0 (p.97)', () => {
    expect(cursor(afterClear('1F 40 41 08'))).toEqual([0, 1]);
  });

  it('HT moves right, wraps to the next row, and from (24,40) to (1,1) (p.97)', () => {
    expect(cursor(afterClear('09'))).toEqual([1, 2]);
    expect(cursor(afterClear('1F 45 68 09'))).toEqual([6, 1]);
    expect(cursor(afterClear('1F 58 68 09'))).toEqual([1, 1]);
  });

  it('HT stops at column 40 in row 0 (p.97)', () => {
    expect(cursor(afterClear('1F 40 68 09'))).toEqual([0, 40]);
  });

  it('LF at row 24 goes to row 1 in page mode, same column (p.87, p.97)', () => {
    const t = afterClear('1F 58 45 0A 41');
    expect(cell(t, 1, 5).char).toBe('A');
  });

  it('LF at row 24 scrolls rows 1–24 up in roll mode (p.97)', () => {
    const t = afterClear('1B 3A 69 43 1F 41 41 58 1F 58 41 59 0A 5A');
    expect(t.screen.rowText(1)).toBe('');
    expect(t.screen.rowText(23)).toBe('Y');
    expect(t.screen.rowText(24)).toBe(' Z');
  });

  it('VT moves up; at row 1 it goes to row 24 in page mode (p.97)', () => {
    expect(cursor(afterClear('1F 45 45 0B'))).toEqual([4, 5]);
    expect(cursor(afterClear('1F 41 45 0B'))).toEqual([24, 5]);
  });

  it('VT at row 1 scrolls down in roll mode (p.97)', () => {
    const t = afterClear('1B 3A 69 43 1F 41 41 58 1F 41 41 0B 59');
    expect(t.screen.rowText(1)).toBe('Y');
    expect(t.screen.rowText(2)).toBe('X');
  });

  it('VT does nothing in row 0 (p.97)', () => {
    expect(cursor(afterClear('1F 40 45 0B'))).toEqual([0, 5]);
  });

  it('CR goes to column 1 of the same row without a line feed (p.94)', () => {
    const t = afterClear('1F 45 45 41 42 0D 43');
    expect(t.screen.rowText(5)).toBe('C   AB');
    expect(cursor(t)).toEqual([5, 2]);
  });

  it('FF clears rows 1–24, keeps row 0, homes the cursor and resets attributes (p.95–96)', () => {
    const t = afterClear('1F 40 41 58 0A 1F 45 45 1B 41 0E 41 0C 42');
    expect(t.screen.rowText(0)).toBe('X');
    expect(t.screen.rowText(5)).toBe('');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'B', set: 'G0', fg: 7 });
  });

  it('FF leaves cleared cells as black empty mosaics (p.95–96)', () => {
    const t = afterClear('');
    expect(cell(t, 12, 20)).toMatchObject({ set: 'G1', code: 0x20, bg: 0 });
  });

  it('SO selects mosaics and SI text (p.90)', () => {
    const t = afterClear('0E 7F 0F 41');
    expect(cell(t, 1, 1)).toMatchObject({ set: 'G1', code: 0x7f });
    expect(cell(t, 1, 2)).toMatchObject({ set: 'G0', char: 'A' });
  });

  it('DC1 shows the cursor and DC4 hides it (p.99)', () => {
    expect(afterClear('11').screen.cursorVisible).toBe(true);
    expect(afterClear('11 14').screen.cursorVisible).toBe(false);
  });

  it('the cursor is hidden at power-on (p.82)', () => {
    expect(new Terminal().screen.cursorVisible).toBe(false);
  });

  it('REP repeats the last character n − 0x40 more times (p.98)', () => {
    expect(afterClear('41 12 43').screen.rowText(1)).toBe('AAAA');
    const t = afterClear('1B 54 20 12 4A 41');
    expect(cursor(t)).toEqual([1, 13]);
    expect(cell(t, 1, 12).bg).toBe(4);
  });

  it('REP uses the current attributes, not those of the original (p.98)', () => {
    const t = afterClear('0E 1B 42 5F 1B 41 12 4A');
    expect(cell(t, 1, 1).fg).toBe(2);
    for (let c = 2; c <= 11; c++) expect(cell(t, 1, c).fg).toBe(1);
  });

  it('REP repeats accented letters and each copy wraps like a character (p.98)', () => {
    const t = afterClear('1F 41 67 19 42 65 12 42');
    expect(t.screen.rowText(1)).toBe('                                      éé');
    expect(t.screen.rowText(2)).toBe('é');
  });

  it('REP with a count byte below 0x40 is ignored (p.98)', () => {
    expect(afterClear('41 12 33 42').screen.rowText(1)).toBe('AB');
  });

  it('SEP and SS3 swallow the next byte (p.99)', () => {
    expect(afterClear('41 13 41 42 1D 43 44').screen.rowText(1)).toBe('ABD');
  });

  it('CAN fills to the end of the row with spaces in the current attributes without moving (p.95)', () => {
    const t = afterClear('1B 42 41 18 42');
    expect(t.screen.rowText(1)).toBe('AB');
    expect(cursor(t)).toEqual([1, 3]);
    expect(cell(t, 1, 40)).toMatchObject({ char: ' ', set: 'G0', delimiter: false });
  });

  it('CAN is not a delimiter: a pending background stays pending (p.95)', () => {
    const t = afterClear('1B 54 18 20 41');
    expect(cell(t, 1, 1)).toMatchObject({ delimiter: true, bg: 4 });
    expect(cell(t, 1, 2).bg).toBe(4);
  });

  it('CAN after a delimiter paints the rest of the row in its zone (p.95)', () => {
    const t = afterClear('1B 54 20 18');
    for (let c = 1; c <= 40; c++) expect(cell(t, 1, c).bg).toBe(4);
    expect(cell(t, 2, 1).bg).toBe(0);
  });

  it('CAN in G1 fills with empty mosaics of the current colours (p.95)', () => {
    const t = afterClear('0E 1B 52 18');
    expect(cell(t, 1, 30)).toMatchObject({ set: 'G1', code: 0x20, bg: 2 });
  });

  it('SUB shows the error block with the current attributes and advances (p.99)', () => {
    const t = afterClear('1B 41 1A 41');
    expect(cell(t, 1, 1)).toMatchObject({ error: true, fg: 1, char: '█' });
    expect(cell(t, 1, 2).char).toBe('A');
  });

  it('RS homes the cursor, resets attributes and G0, and clears nothing (p.95)', () => {
    const t = afterClear('1F 45 45 58 1B 41 0E 1E 41');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'A', fg: 7, set: 'G0' });
    expect(t.screen.rowText(5)).toBe('    X');
  });

  it('undefined C0 codes do nothing (p.87–88)', () => {
    expect(afterClear('41 01 02 03 04 05 06 10 15 16 17 1C 42').screen.rowText(1)).toBe('AB');
  });

  it('DEL in G0 is a block in the foreground colour (p.98)', () => {
    expect(cell(afterClear('1B 43 7F'), 1, 1)).toMatchObject({ char: '█', set: 'G0', fg: 3 });
  });

  it('DEL in G1 is the full mosaic (p.98)', () => {
    expect(cell(afterClear('0E 7F'), 1, 1)).toMatchObject({ set: 'G1', code: 0x7f });
  });
});

describe('overflow (p.97)', () => {
  it('the 41st character wraps to column 1 of the next row', () => {
    const t = afterClear('1F 45 68 41 42');
    expect(cell(t, 5, 40).char).toBe('A');
    expect(cell(t, 6, 1).char).toBe('B');
  });

  it('a character at (24,40) wraps to (1,1) in page mode', () => {
    const t = afterClear('1F 58 68 41 42');
    expect(cell(t, 1, 1).char).toBe('B');
  });

  it('a character at (24,40) scrolls one row in roll mode', () => {
    const t = afterClear('1B 3A 69 43 1F 58 68 41 42');
    expect(cell(t, 23, 40).char).toBe('A');
    expect(cell(t, 24, 1).char).toBe('B');
  });

  it('a double-height character wraps two rows down', () => {
    const t = afterClear('1F 45 68 1B 4D 41 42');
    expect(cell(t, 7, 1)).toMatchObject({ char: 'B', doubleHeight: true });
    expect(cell(t, 6, 1).topHalf).toBe(true);
  });

  it('a double-height character from row 23 or 24 lands on row 2 in page mode', () => {
    const t = afterClear('1F 57 68 1B 4D 41 42');
    expect(cell(t, 2, 1)).toMatchObject({ char: 'B', doubleHeight: true });
  });

  it('in row 0 excess characters all land on column 40', () => {
    const t = afterClear('1F 40 67 41 42 43 44');
    expect(t.screen.rowText(0).trim()).toBe('AD');
    expect(cell(t, 0, 40).char).toBe('D');
  });

  it('a double-width character at column 40 is drawn normal width', () => {
    const t = afterClear('1F 45 68 1B 4E 41 42');
    expect(cell(t, 5, 40)).toMatchObject({ char: 'A', doubleWidth: false });
    expect(cell(t, 6, 1)).toMatchObject({ char: 'B', doubleWidth: true });
  });
});

describe('row 0 (p.97)', () => {
  it('US 40 c enters row 0; LF restores the saved position and attributes', () => {
    const t = afterClear('1F 45 45 1B 41 1F 40 41 48 49 0A 42');
    expect(t.screen.rowText(0)).toBe('HI');
    expect(cell(t, 0, 1).fg).toBe(7);
    expect(cell(t, 5, 5)).toMatchObject({ char: 'B', fg: 1 });
  });

  it('the clear-row-0 idiom US 40 41 CAN LF blanks row 0 and returns', () => {
    const t = afterClear('1F 40 41 58 59 0A 1F 40 41 18 0A 41');
    expect(t.screen.rowText(0)).toBe('');
    expect(cell(t, 1, 1).char).toBe('A');
  });

  it('sizes are refused in row 0', () => {
    const t = afterClear('1F 40 41 1B 4F 41');
    expect(cell(t, 0, 1)).toMatchObject({ char: 'A', doubleWidth: false, doubleHeight: false });
  });

  it('CSI sequences do nothing in row 0 (p.95)', () => {
    expect(cursor(afterClear('1F 40 45 1B 5B 32 43'))).toEqual([0, 5]);
  });

  it('RS leaves row 0 without restoring (p.95)', () => {
    const t = afterClear('1F 45 45 1F 40 41 1E 41');
    expect(cell(t, 1, 1).char).toBe('A');
  });
});

describe('decoded bytes in general', () => {
  it('bit 7 (parity) is stripped by default', () => {
    const plain = decode(hex('0C 1B 41 48 49'));
    const withParity = decode(hex('0C 9B C1 48 C9'));
    expect(withParity.screen.equals(plain.screen)).toBe(true);
  });

  it('with parity checking, a byte with odd parity shows the error block (p.48)', () => {
    // 0x41 has two bits set (even parity, bit 7 clear); 0xC1 would be odd.
    const t = decode(hex('0C C1 41'), { parity: 'check' });
    expect(cell(t, 1, 1).error).toBe(true);
    expect(cell(t, 1, 2).char).toBe('A');
  });
});

describe('regressions', () => {
  it('REP with a zero count leaves the last character as it was (found by fast-check)', () => {
    const t = afterClear('39 12 40 12 42');
    expect(t.screen.rowText(1)).toBe('999');
  });
});
