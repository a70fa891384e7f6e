import { describe, expect, it } from 'vitest';
import { AnsiRenderer, SGR_RESET, mosaicToQuadrants, renderAnsi } from './ansi.js';
import { page } from '../test-support/render.js';

const ESC = '\x1b';
/** The visible characters of a rendered row or screen (SGR sequences removed). */
const visible = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');
const rgb = (r: number, g: number, b: number): string => `${r};${g};${b}`;
const sgr = (fg: string, bg: string, ...flags: number[]): string =>
  `${ESC}[0${flags.map((f) => `;${f}`).join('')};38;2;${fg};48;2;${bg}m`;
const WHITE = rgb(255, 255, 255);
const BLACK = rgb(0, 0, 0);
const RED = rgb(255, 0, 0);
const BLUE = rgb(0, 0, 255);

const row = (source: string, r = 1, options = {}): string => new AnsiRenderer(options).row(page(source), r);

describe('ANSI screen layout', () => {
  it('prints rows 0–24, 40 cells each, each ending with an SGR reset', () => {
    const text = renderAnsi(page('41 42 43'));
    const lines = text.split('\n');
    expect(lines).toHaveLength(26); // 25 rows and the final newline
    expect(lines[25]).toBe('');
    for (const line of lines.slice(0, 25)) {
      expect(Array.from(visible(line))).toHaveLength(40);
      expect(line.endsWith(SGR_RESET)).toBe(true);
    }
    expect(visible(lines[1]).trimEnd()).toBe('ABC');
  });

  it('sends an SGR only when the look changes', () => {
    expect(row('41 42 43')).toBe(`${sgr(WHITE, BLACK)}ABC${' '.repeat(37)}${SGR_RESET}`);
  });
});

describe('ANSI colours and attributes (STUM1B p.32, p.91–94)', () => {
  it('uses 24-bit colour: text ink from ESC 4x on the zone background', () => {
    expect(row('1B 41 1B 54 20 41')).toContain(`${sgr(RED, BLUE)} A`); // the delimiter, then A
  });

  it('maps colours to grey levels in grey mode (p.32)', () => {
    expect(row('1B 41 41', 1, { colour: 'grey' })).toContain(`${sgr(rgb(128, 128, 128), BLACK)}A`);
  });

  it('underlines text with SGR 4, never the delimiter or DEL', () => {
    const text = row('1B 5A 20 41 7F');
    expect(text).toContain(`${sgr(WHITE, BLACK)} ${sgr(WHITE, BLACK, 4)}A${sgr(WHITE, BLACK)}█`);
  });

  it('blinks with SGR 5 and inverts with SGR 7', () => {
    expect(row('1B 48 41')).toContain(`${sgr(WHITE, BLACK, 5)}A`);
    expect(row('1B 5D 41')).toContain(`${sgr(WHITE, BLACK, 7)}A`);
  });

  it('hides masked zones as blanks in the zone background unless revealed (p.94)', () => {
    expect(visible(row('1B 58 1B 54 20 41'))).toBe(' '.repeat(40));
    expect(row('1B 58 1B 54 20 41')).toContain(`${sgr(BLUE, BLUE)}  `);
    expect(visible(row('1B 58 1B 54 20 41', 1, { revealMasked: true })).trimEnd()).toBe(' A');
  });

  it('writes a double-size character once, bold, in its bottom-left cell', () => {
    const screen = page('1F 45 41 1B 4F 41 42');
    const renderer = new AnsiRenderer();
    expect(visible(renderer.row(screen, 4)).trimEnd()).toBe('');
    expect(visible(renderer.row(screen, 5)).trimEnd()).toBe('A B');
    expect(renderer.row(screen, 5)).toContain(`${sgr(WHITE, BLACK, 1)}A B `);
  });

  it('prints accented letters and G2 characters as Unicode (p.88–90)', () => {
    expect(visible(row('19 42 65 19 23 19 2E')).trimEnd()).toBe('é£→');
  });
});

describe('ANSI mosaics (STUM1B p.101–102)', () => {
  it('draws mosaics as Unicode sextants in their own colours', () => {
    expect(row('0E 1B 41 1B 54 21 35 7F')).toContain(`${sgr(RED, BLUE)}\u{1FB00}▌█`);
  });

  it('approximates mosaics with 2×2 quadrant blocks in ascii mode', () => {
    expect(visible(row('0E 21 35 6A 23 70 7F 20', 1, { ascii: true })).trimEnd()).toBe('▘▌▐▀▄█');
  });

  it('keeps every shape visible in the 2×2 approximation: a middle sub-block joins its set neighbour', () => {
    expect(mosaicToQuadrants(0x20)).toBe(' ');
    expect(mosaicToQuadrants(0x2c)).toBe('█'); // middle row alone fills both halves
    expect(mosaicToQuadrants(0x27)).toBe('▀'); // top row + middle left
    expect(mosaicToQuadrants(0x7c)).toBe('▄'); // middle + bottom rows
    expect(mosaicToQuadrants(0x24)).toBe('▌'); // middle left alone
    expect(mosaicToQuadrants(0x60)).toBe('▗'); // bottom right
    expect(mosaicToQuadrants(0x5f)).toBe('█'); // 0x40–0x5F draw as code + 0x20
  });
});
