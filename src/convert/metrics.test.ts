import { describe, expect, it } from 'vitest';
import { Terminal } from '../videotex/terminal.js';
import { hex } from '../test-support/videotex.js';
import { sameMosaicPixels, shownColours } from './metrics.js';

function screenOf(source: string): Terminal['screen'] {
  const terminal = new Terminal();
  terminal.write(hex(`0C ${source}`));
  return terminal.screen;
}

const CELL = { row: 1, column: 1, rows: 1, columns: 3 };

describe('metrics: what a page shows', () => {
  it('reads mosaic pixels in their foreground and background', () => {
    // Red on blue, left half (0x35): pixels 0, 2, 4 red.
    expect(Array.from(shownColours(screenOf('0E 1B 41 1B 54 35'), { ...CELL, columns: 1 }))).toEqual([1, 4, 1, 4, 1, 4]);
  });

  it('reads blanks (a delimiter, a text space in its zone, an inverted space) as one colour', () => {
    const screen = screenOf('1B 52 20 20 1B 5D 1B 43 20');
    const shown = Array.from(shownColours(screen, CELL));
    // Row by row across three cells: green delimiter, green space, yellow (inverted) space.
    expect(shown.slice(0, 6)).toEqual([2, 2, 2, 2, 3, 3]);
  });

  it('marks text as not comparable', () => {
    expect(Array.from(shownColours(screenOf('41'), { ...CELL, columns: 1 }))).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('takes a full block in black for the empty black mosaic FF leaves', () => {
    expect(sameMosaicPixels(screenOf('0E 1B 40 7F'), screenOf(''), CELL)).toBe(true);
    expect(sameMosaicPixels(screenOf('0E 1B 41 7F'), screenOf(''), CELL)).toBe(false);
  });
});
