/** ESC attributes and the serial (zone) attribute model (STUM1B p.84–94). */
import { describe, expect, it } from 'vitest';
import { afterClear, cell, cursor } from '../test-support/videotex.js';

describe('character attributes (p.91–92)', () => {
  it('ESC 40–47 set the foreground of the next characters', () => {
    const t = afterClear('1B 41 41 1B 46 42');
    expect(cell(t, 1, 1).fg).toBe(1);
    expect(cell(t, 1, 2).fg).toBe(6);
  });

  it('ESC 48 / 49 turn blinking on and off', () => {
    const t = afterClear('1B 48 41 1B 49 42');
    expect(cell(t, 1, 1).blink).toBe(true);
    expect(cell(t, 1, 2).blink).toBe(false);
  });

  it('ESC 5D / 5C turn inverse on and off for text', () => {
    const t = afterClear('1B 5D 41 1B 5C 42');
    expect(cell(t, 1, 1).inverse).toBe(true);
    expect(cell(t, 1, 2).inverse).toBe(false);
  });

  it('filtered ESC codes (4A, 4B, 5E) take two bytes and change nothing (p.92)', () => {
    const t = afterClear('1B 4A 41 1B 4B 42 1B 5E 43');
    expect(t.screen.rowText(1)).toBe('ABC');
  });

  it('an ESC followed by a C0 code drops the ESC and executes the control (p.99)', () => {
    expect(cursor(afterClear('41 1B 0D'))).toEqual([1, 1]);
  });
});

describe('zone attributes (p.84–86, p.93–94)', () => {
  it('text background needs a delimiter: ESC 54 41 gives white A on black', () => {
    const t = afterClear('1B 54 41');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'A', bg: 0 });
  });

  it('ESC 54 20 41: the SP is a blue delimiter and A is on blue', () => {
    const t = afterClear('1B 54 20 41');
    expect(cell(t, 1, 1)).toMatchObject({ delimiter: true, bg: 4 });
    expect(cell(t, 1, 2)).toMatchObject({ char: 'A', bg: 4 });
  });

  it('zones stop at the next mosaic, and cleared cells are mosaics', () => {
    const t = afterClear('1B 54 20 41');
    expect(cell(t, 1, 3).bg).toBe(0);
  });

  it('only the first SP after a zone attribute is a delimiter, even with no change', () => {
    const t = afterClear('1B 5A 20 41 20 42');
    expect(cell(t, 1, 1)).toMatchObject({ delimiter: true, underline: false });
    expect(cell(t, 1, 2)).toMatchObject({ char: 'A', underline: true });
    expect(cell(t, 1, 3)).toMatchObject({ delimiter: false, underline: true });
    expect(cell(t, 1, 4)).toMatchObject({ char: 'B', underline: true });
  });

  it('the same attribute sent again makes the next SP a delimiter again', () => {
    const t = afterClear('1B 56 20 1B 56 20');
    expect(cell(t, 1, 1).delimiter).toBe(true);
    expect(cell(t, 1, 2).delimiter).toBe(true);
  });

  it('one SP validates several pending zone changes', () => {
    const t = afterClear('1B 52 1B 5A 1B 58 20 41');
    expect(cell(t, 1, 1)).toMatchObject({ delimiter: true, bg: 2, masked: true });
    expect(cell(t, 1, 2)).toMatchObject({ bg: 2, underline: true, masked: true });
  });

  it('a mosaic sets the background for the text that follows', () => {
    const t = afterClear('0E 1B 54 20 0F 41');
    expect(cell(t, 1, 1)).toMatchObject({ set: 'G1', bg: 4 });
    expect(cell(t, 1, 2)).toMatchObject({ char: 'A', bg: 4 });
  });

  it('overwriting a delimiter cancels its zone at once (p.94)', () => {
    const t = afterClear('1B 54 20 41 42 1F 41 41 43');
    expect(cell(t, 1, 1).char).toBe('C');
    expect(cell(t, 1, 2).bg).toBe(0);
  });

  it('text written after a move takes the zone of its destination (p.94)', () => {
    const t = afterClear('1B 51 20 18 1F 41 45 41');
    expect(cell(t, 1, 5)).toMatchObject({ char: 'A', bg: 1 });
  });

  it('underline never survives a mosaic (p.86 note 4)', () => {
    const t = afterClear('1B 5A 20 41 0E 21 0F 42');
    expect(cell(t, 1, 2).underline).toBe(true);
    expect(cell(t, 1, 4).underline).toBe(false);
  });

  it('a masked zone is hidden while the global mask is on (p.85, p.94)', () => {
    const t = afterClear('1B 58 20 41');
    expect(cell(t, 1, 2).masked).toBe(true);
    expect(t.screen.rowText(1)).toBe('');
    expect(t.screen.rowText(1, { revealMasked: true })).toBe(' A');
  });

  it('ESC 23 20 5F unmasks globally and ESC 23 20 58 masks again (p.94)', () => {
    const t = afterClear('1B 58 20 41 1B 23 20 5F');
    expect(t.screen.globalMask).toBe(false);
    expect(t.screen.rowText(1)).toBe(' A');
    t.write(Uint8Array.of(0x1b, 0x23, 0x20, 0x58));
    expect(t.screen.rowText(1)).toBe('');
  });

  it('the global mask is on at power-on (p.85)', () => {
    expect(afterClear('').screen.globalMask).toBe(true);
  });

  it('ESC 5F ends masking at the next delimiter', () => {
    const t = afterClear('1B 58 20 41 1B 5F 20 42');
    expect(cell(t, 1, 4)).toMatchObject({ char: 'B', masked: false });
  });

  it('a delimiter is never underlined and never blinks (p.84–86)', () => {
    const t = afterClear('1B 48 1B 5A 20');
    expect(cell(t, 1, 1)).toMatchObject({ delimiter: true, underline: false, blink: false });
  });

  it('a delimiter keeps the current size and inverse (p.84–86)', () => {
    const t = afterClear('1F 45 41 1B 4E 1B 5D 1B 54 20');
    expect(cell(t, 5, 1)).toMatchObject({ delimiter: true, inverse: true, doubleWidth: true });
    expect(cell(t, 5, 2)).toMatchObject({ delimiter: true, rightHalf: true });
  });

  it('in G1 the background applies to the next mosaic at once (p.93)', () => {
    const t = afterClear('0E 1B 53 7F');
    expect(cell(t, 1, 1)).toMatchObject({ set: 'G1', bg: 3 });
  });

  it('moves carry nothing: the latent context survives a move (p.94)', () => {
    const t = afterClear('1B 54 09 09 20 41');
    expect(cell(t, 1, 3)).toMatchObject({ delimiter: true, bg: 4 });
    expect(cell(t, 1, 4).bg).toBe(4);
  });

  it('US, RS and FF reset the latent context (p.96)', () => {
    const t = afterClear('1B 54 1F 43 41 20 41');
    expect(cell(t, 3, 1).delimiter).toBe(false);
    expect(cell(t, 3, 2).bg).toBe(0);
  });
});

describe('SO and SI side effects (p.91, p.94)', () => {
  it('SO cancels double size for good', () => {
    const t = afterClear('1F 45 41 1B 4E 0E 0F 41');
    expect(cell(t, 5, 1).doubleWidth).toBe(false);
  });

  it('SO cancels inverse for good', () => {
    expect(cell(afterClear('1B 5D 0E 0F 41'), 1, 1).inverse).toBe(false);
  });

  it('SO ends underline; SI ends separation', () => {
    const t = afterClear('0E 1B 5A 7F 0F 0E 7F');
    expect(cell(t, 1, 1).separated).toBe(true);
    expect(cell(t, 1, 2).separated).toBe(false);
    const u = afterClear('1B 5A 0E 0F 20 41');
    expect(cell(u, 1, 2).underline).toBe(false);
  });

  it('in G1 size and inverse sequences are ignored', () => {
    const t = afterClear('1F 45 41 0E 1B 4F 1B 5D 0F 41');
    expect(cell(t, 5, 1)).toMatchObject({ doubleWidth: false, doubleHeight: false, inverse: false });
  });

  it('foreground, blink and background are kept across SO and SI', () => {
    const t = afterClear('1B 42 1B 48 0E 7F 0F 41');
    expect(cell(t, 1, 1)).toMatchObject({ fg: 2, blink: true });
    expect(cell(t, 1, 2)).toMatchObject({ fg: 2, blink: true });
  });

  it('US, RS and FF reset attributes and the set (p.96)', () => {
    const t = afterClear('1B 41 0E 1F 41 41 41');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'A', set: 'G0', fg: 7 });
  });
});

describe('sizes (p.91, p.93, p.97)', () => {
  it('double height grows upward from the cursor row', () => {
    const t = afterClear('1F 45 41 1B 4D 41');
    expect(cell(t, 5, 1)).toMatchObject({ char: 'A', doubleHeight: true, topHalf: false });
    expect(cell(t, 4, 1)).toMatchObject({ char: 'A', doubleHeight: true, topHalf: true });
    expect(cursor(t)).toEqual([5, 2]);
  });

  it('double width fills two columns and advances by two', () => {
    const t = afterClear('1F 45 41 1B 4E 41 42');
    expect(cell(t, 5, 2)).toMatchObject({ char: 'A', rightHalf: true });
    expect(cell(t, 5, 3).char).toBe('B');
    expect(cursor(t)).toEqual([5, 5]);
  });

  it('double size fills four cells', () => {
    const t = afterClear('1F 45 41 1B 4F 41');
    expect(cell(t, 4, 1)).toMatchObject({ topHalf: true, rightHalf: false });
    expect(cell(t, 4, 2)).toMatchObject({ topHalf: true, rightHalf: true });
    expect(cell(t, 5, 2)).toMatchObject({ topHalf: false, rightHalf: true });
  });

  it('no double height or double size on rows 0–1', () => {
    const t = afterClear('1E 1B 4D 41');
    expect(cell(t, 1, 1)).toMatchObject({ char: 'A', doubleHeight: false });
  });

  it('ESC 4C returns to normal size', () => {
    const t = afterClear('1F 45 41 1B 4F 41 1B 4C 42');
    expect(cell(t, 5, 3)).toMatchObject({ char: 'B', doubleWidth: false, doubleHeight: false });
  });

  it('colour is uniform over the cells of an enlarged character', () => {
    const t = afterClear('1F 45 41 1B 43 1B 4F 41');
    for (const [r, c] of [[4, 1], [4, 2], [5, 1], [5, 2]]) expect(cell(t, r, c).fg).toBe(3);
  });
});
