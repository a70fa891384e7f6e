import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../videotex/terminal.js';
import { accentedGlyph, errorGlyph, g0Glyph, g2Glyph, mosaicGlyph } from './glyphs.js';
import { palette } from './palette.js';
import { Raster, frameSize, renderScreen, type Frame } from './raster.js';
import { ascii, bytes, cellColours, drcsBytes, glyphColours, page } from '../test-support/render.js';

const A = g0Glyph(0x41);
const BLACK = 0, RED = 1, GREEN = 2, YELLOW = 3, BLUE = 4, MAGENTA = 5, WHITE = 7;
const solid = (colour: number): string[] => Array<string>(10).fill(String(colour).repeat(8));

/** The glyph rows a double-height half shows: rows 0–4 (top) or 5–9 (bottom), each twice. */
function doubledRows(glyph: Uint8Array, half: 'top' | 'bottom'): number[] {
  const first = half === 'top' ? 0 : 5;
  return Array.from({ length: 10 }, (_, y) => glyph[first + (y >> 1)]);
}

/** The left (bits 7–4) or right (bits 3–0) half of each glyph row, each pixel doubled. */
function widenedRows(rows: ArrayLike<number>, half: 'left' | 'right'): number[] {
  return Array.from(rows, (bits) => {
    const nibble = half === 'left' ? bits >> 4 : bits & 0x0f;
    let wide = 0;
    for (let b = 0; b < 4; b++) if (nibble & (1 << b)) wide |= 3 << (2 * b);
    return wide;
  });
}

describe('frame geometry (STUM1B p.28–32)', () => {
  it('is 320×250 at scale 1: 40×25 cells of 8×10 pixels', () => {
    const frame = renderScreen(page(''));
    expect([frame.width, frame.height]).toEqual([320, 250]);
    expect(frame.data.length).toBe(320 * 250 * 4);
  });

  it('adds a black border before scaling and multiplies everything by the scale', () => {
    const screen = page('1B 54 20');
    const frame = renderScreen(screen, { scale: 3, border: 4 });
    expect([frame.width, frame.height]).toEqual([(320 + 8) * 3, (250 + 8) * 3]);
    expect(frameSize({ scale: 3, border: 4 })).toEqual({ width: frame.width, height: frame.height });
    // The border is opaque black; the blue delimiter at (1,1) starts at (4,14) before scaling.
    expect(Array.from(frame.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(cellColours(frame, 1, 1, { scale: 3, border: 4 })).toEqual(solid(BLUE));
    const i = ((14 * 3 - 1) * frame.width + 4 * 3) * 4; // the pixel line just above it: border or row 0
    expect(Array.from(frame.data.subarray(i, i + 4))).toEqual([0, 0, 0, 255]);
  });

  it('scales by repeating each pixel scale × scale times', () => {
    const frame = renderScreen(page('41'), { scale: 2 });
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 16; x++) {
        const i = ((20 + y) * frame.width + x) * 4;
        const ink = (A[y >> 1] & (0x80 >> (x >> 1))) !== 0;
        expect(frame.data[i], `pixel ${x},${y}`).toBe(ink ? 255 : 0);
      }
    }
  });

  it('refuses a scale or border that is not a sane whole number', () => {
    expect(() => renderScreen(page(''), { scale: 0 })).toThrow(RangeError);
    expect(() => renderScreen(page(''), { scale: 1.5 })).toThrow(RangeError);
    expect(() => renderScreen(page(''), { border: -1 })).toThrow(RangeError);
  });
});

describe('colours (STUM1B p.32, p.91–93)', () => {
  it('draws the 8 colours as full-intensity RGB bits: bit 0 red, bit 1 green, bit 2 blue', () => {
    expect(palette('colour')).toEqual([
      [0, 0, 0], [255, 0, 0], [0, 255, 0], [255, 255, 0],
      [0, 0, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
    ]);
  });

  it('draws grey levels 0 50 70 90 40 60 80 100 % in grey mode (p.32)', () => {
    // One delimiter per background colour 0–7 on row 1.
    const screen = page([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `1B 5${n} 20`).join(' '));
    const frame = renderScreen(screen, { colour: 'grey' });
    const levels = [0, 50, 70, 90, 40, 60, 80, 100].map((p) => Math.round((p * 255) / 100));
    for (let n = 0; n < 8; n++) {
      const i = (10 * 320 + n * 8) * 4;
      expect(Array.from(frame.data.subarray(i, i + 4)), `colour ${n}`).toEqual([levels[n], levels[n], levels[n], 255]);
    }
  });

  it('draws text ink in the ESC 4x colour on the zone background a delimiter opened (p.93)', () => {
    const frame = renderScreen(page('1B 41 1B 54 20 41'));
    expect(cellColours(frame, 1, 1)).toEqual(solid(BLUE)); // the delimiter
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(A, RED, BLUE));
  });

  it('leaves text on black when the background change has no delimiter yet (p.93)', () => {
    const frame = renderScreen(page('1B 54 41'));
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(A, WHITE, BLACK));
  });

  it('ends a zone at the next mosaic: cleared cells are black mosaics (p.86, p.96)', () => {
    const frame = renderScreen(page('1B 54 20 41'));
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(A, WHITE, BLUE));
    expect(cellColours(frame, 1, 3)).toEqual(solid(BLACK));
  });

  it('paints a mosaic in its own foreground and background colours (p.91)', () => {
    const frame = renderScreen(page('0E 1B 41 1B 54 35'));
    expect(cellColours(frame, 1, 1)).toEqual(Array<string>(10).fill('11114444'));
  });
});

describe('mosaics (STUM1B p.31, p.101–102)', () => {
  it('draws contiguous sub-blocks 4 pixels wide and 3/4/3 pixels high', () => {
    const frame = renderScreen(page('0E 1B 42 21 22 24 28 30 60'));
    const blocks: [number, number, number, number][] = [
      [0, 3, 0, 4], [0, 3, 4, 8], [3, 7, 0, 4], [3, 7, 4, 8], [7, 10, 0, 4], [7, 10, 4, 8],
    ];
    blocks.forEach(([top, bottom, left, right], i) => {
      const expected = Array.from({ length: 10 }, (_, y) =>
        Array.from({ length: 8 }, (_, x) => (y >= top && y < bottom && x >= left && x < right ? '2' : '0')).join(''),
      );
      expect(cellColours(frame, 1, i + 1), `sub-block ${i}`).toEqual(expected);
    });
  });

  it('separates mosaics with background bars on pixel columns 0, 4 and rows 2, 6, 9 (p.31)', () => {
    const frame = renderScreen(page('0E 1B 42 1B 54 1B 5A 7F'));
    expect(cellColours(frame, 1, 1)).toEqual([
      '42224222', '42224222', '44444444',
      '42224222', '42224222', '42224222', '44444444',
      '42224222', '42224222', '44444444',
    ]);
  });

  it('draws G1 DEL as a full block that can be separated (p.98)', () => {
    const frame = renderScreen(page('0E 7F 1B 5A 7F'));
    expect(cellColours(frame, 1, 1)).toEqual(solid(WHITE));
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(mosaicGlyph(0x7f, true), WHITE, BLACK));
  });
});

describe('character sets (STUM1B p.88–90, p.99–100)', () => {
  it('draws G2 characters and composed accented letters from our font', () => {
    const frame = renderScreen(page('19 23 19 42 65 19 42 61'));
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(g2Glyph(0x23), WHITE, BLACK));
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(accentedGlyph(0x42, 0x65)!, WHITE, BLACK));
    // An unsupported pair shows the bare letter (p.90).
    expect(cellColours(frame, 1, 3)).toEqual(glyphColours(g0Glyph(0x61), WHITE, BLACK));
  });

  it('draws SUB as the error block in the current colours (p.99)', () => {
    const frame = renderScreen(page('1B 43 1A'));
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(errorGlyph(), YELLOW, BLACK));
  });

  it('draws DRCS G\'0 characters from their downloaded shapes (Minitel 2, docs §6.3)', () => {
    const shape = [0x81, 0x42, 0x24, 0x18, 0xff, 0x00, 0xf0, 0x0f, 0xaa, 0x55];
    const screen = page(`1F 23 20 20 20 42 49 1F 23 21 30 ${drcsBytes(shape)} 1F 41 41 1B 28 20 42 1B 45 21`);
    const frame = renderScreen(screen);
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(shape, MAGENTA, BLACK));
  });
});

describe('sizes (STUM1B p.91, p.93–94)', () => {
  it('draws a double-height character from its halves: top half on the row above', () => {
    const frame = renderScreen(page('1F 45 41 1B 4D 41'));
    expect(cellColours(frame, 4, 1)).toEqual(glyphColours(doubledRows(A, 'top'), WHITE, BLACK));
    expect(cellColours(frame, 5, 1)).toEqual(glyphColours(doubledRows(A, 'bottom'), WHITE, BLACK));
  });

  it('draws a double-width character from its left and right halves', () => {
    const frame = renderScreen(page('1B 4E 41'));
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(widenedRows(A, 'left'), WHITE, BLACK));
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(widenedRows(A, 'right'), WHITE, BLACK));
  });

  it('draws a double-size character over 4 cells', () => {
    const frame = renderScreen(page('1F 45 41 1B 4F 41'));
    const top = doubledRows(A, 'top');
    const bottom = doubledRows(A, 'bottom');
    expect(cellColours(frame, 4, 1)).toEqual(glyphColours(widenedRows(top, 'left'), WHITE, BLACK));
    expect(cellColours(frame, 4, 2)).toEqual(glyphColours(widenedRows(top, 'right'), WHITE, BLACK));
    expect(cellColours(frame, 5, 1)).toEqual(glyphColours(widenedRows(bottom, 'left'), WHITE, BLACK));
    expect(cellColours(frame, 5, 2)).toEqual(glyphColours(widenedRows(bottom, 'right'), WHITE, BLACK));
  });
});

describe('inverse and underline (STUM1B p.84–86, p.91, p.98)', () => {
  it('swaps ink and paper for inverse text', () => {
    const frame = renderScreen(page('1B 42 1B 5D 41'));
    expect(cellColours(frame, 1, 1)).toEqual(glyphColours(A, BLACK, GREEN));
  });

  it('draws an inverse delimiter as a space in the foreground colour (p.84–86)', () => {
    const frame = renderScreen(page('1B 42 1B 5D 1B 54 20'));
    expect(cellColours(frame, 1, 1)).toEqual(solid(GREEN));
  });

  it('underlines text on pixel row 9 in the ink colour, never the delimiter', () => {
    const frame = renderScreen(page('1B 41 1B 5A 20 41 20'));
    expect(cellColours(frame, 1, 1)).toEqual(solid(BLACK));
    const underlined = [...A.subarray(0, 9), 0xff];
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(underlined, RED, BLACK));
    // A plain space inside the zone is underlined too (docs §10 rule 3).
    expect(cellColours(frame, 1, 3)).toEqual(glyphColours([0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff], RED, BLACK));
  });

  it('keeps the underline single height on double-height characters: bottom cell, row 9 only', () => {
    const frame = renderScreen(page('1F 45 41 1B 5A 20 1B 4D 41'));
    expect(cellColours(frame, 4, 2)).toEqual(glyphColours(doubledRows(A, 'top'), WHITE, BLACK));
    const bottom = doubledRows(A, 'bottom');
    bottom[9] = 0xff;
    expect(cellColours(frame, 5, 2)).toEqual(glyphColours(bottom, WHITE, BLACK));
  });

  it('does not underline mosaics: a mosaic ends the underline zone (p.86 note 4)', () => {
    const frame = renderScreen(page('1B 5A 20 0E 20 0F 41'));
    expect(cellColours(frame, 1, 2)).toEqual(solid(BLACK));
    expect(cellColours(frame, 1, 3)).toEqual(glyphColours(A, WHITE, BLACK));
  });
});

describe('blinking (STUM1B p.84, docs §4.2)', () => {
  it('shows blinking characters in the on phase and hides their ink in the off phase', () => {
    const screen = page('1B 48 1B 41 41 0E 7F');
    expect(cellColours(renderScreen(screen, { blinkPhase: 'on' }), 1, 1)).toEqual(glyphColours(A, RED, BLACK));
    expect(cellColours(renderScreen(screen, { blinkPhase: 'off' }), 1, 1)).toEqual(solid(BLACK));
    // Mosaics blink too.
    expect(cellColours(renderScreen(screen, { blinkPhase: 'on' }), 1, 2)).toEqual(solid(RED));
    expect(cellColours(renderScreen(screen, { blinkPhase: 'off' }), 1, 2)).toEqual(solid(BLACK));
  });

  it('inverts the blink phase of inverse characters', () => {
    const screen = page('1B 48 1B 5D 41');
    expect(cellColours(renderScreen(screen, { blinkPhase: 'off' }), 1, 1)).toEqual(glyphColours(A, BLACK, WHITE));
    expect(cellColours(renderScreen(screen, { blinkPhase: 'on' }), 1, 1)).toEqual(solid(WHITE));
  });

  it('blinks the underline with its character but never a delimiter', () => {
    const screen = page('1B 5A 1B 54 20 1B 48 41');
    const off = renderScreen(screen, { blinkPhase: 'off' });
    expect(cellColours(off, 1, 1)).toEqual(solid(BLUE));
    expect(cellColours(off, 1, 2)).toEqual(solid(BLUE));
  });
});

describe('masking (STUM1B p.85, p.94)', () => {
  const masked = '1B 41 1B 58 1B 52 20 41';

  it('hides masked zones while the global mask is on (the power-on state)', () => {
    const frame = renderScreen(page(masked));
    expect(cellColours(frame, 1, 2)).toEqual(solid(GREEN));
  });

  it('shows masked zones when revealed', () => {
    const frame = renderScreen(page(masked), { revealMasked: true });
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(A, RED, GREEN));
  });

  it('shows masked zones after the global unmask ESC 23 20 5F', () => {
    const frame = renderScreen(page(`${masked} 1B 23 20 5F`));
    expect(cellColours(frame, 1, 2)).toEqual(glyphColours(A, RED, GREEN));
  });

  it('hides inverse text in a masked zone as plain zone background', () => {
    const frame = renderScreen(page('1B 58 1B 52 20 1B 5D 41'));
    expect(cellColours(frame, 1, 2)).toEqual(solid(GREEN));
  });
});

describe('cursor (STUM1B p.33, p.99; docs §9.1)', () => {
  it('draws the visible cursor cell in complementary colours when asked', () => {
    const screen = page('1B 41 41 08 11');
    expect(cellColours(renderScreen(screen), 1, 1)).toEqual(glyphColours(A, RED, BLACK));
    expect(cellColours(renderScreen(screen, { cursor: true }), 1, 1)).toEqual(glyphColours(A, 6, WHITE));
  });

  it('shows the cursor on a blank cell, where fg = bg', () => {
    const screen = page('1B 54 20 11');
    expect(cellColours(renderScreen(screen, { cursor: true }), 1, 2)).toEqual(solid(BLACK ^ 7));
  });

  it('draws nothing while the cursor is hidden (COF)', () => {
    const screen = page('41 08 11 14');
    expect(cellColours(renderScreen(screen, { cursor: true }), 1, 1)).toEqual(glyphColours(A, WHITE, BLACK));
  });
});

describe('incremental drawing (Raster.update)', () => {
  const sameFrame = (a: Frame, b: Frame): boolean => a.data.every((v, i) => v === b.data[i]);

  it('draws everything the first time, then only the rows that changed', () => {
    const terminal = new Terminal();
    terminal.write(bytes('0C'));
    const raster = new Raster();
    expect(raster.update(terminal.screen)).toBe(25);
    expect(raster.update(terminal.screen)).toBe(0);
    terminal.write(bytes(`1F 45 41 ${ascii('HELLO')}`));
    expect(raster.update(terminal.screen)).toBe(1);
    expect(sameFrame(raster.frame, renderScreen(terminal.screen))).toBe(true);
    terminal.write(bytes('1B 4D 41'));
    expect(raster.update(terminal.screen)).toBe(2); // both halves of a double-height character
  });

  it('redraws only the blinking rows when the phase changes', () => {
    const terminal = new Terminal();
    terminal.write(bytes('0C 1F 43 41 1B 48 41 1F 48 41 42'));
    const raster = new Raster();
    raster.update(terminal.screen);
    raster.blinkPhase = 'off';
    expect(raster.update(terminal.screen)).toBe(1);
    expect(sameFrame(raster.frame, renderScreen(terminal.screen, { blinkPhase: 'off' }))).toBe(true);
  });

  it('redraws masked rows when the global mask or the reveal option changes', () => {
    const terminal = new Terminal();
    terminal.write(bytes('0C 1F 43 41 1B 58 20 41'));
    const raster = new Raster();
    raster.update(terminal.screen);
    raster.revealMasked = true;
    expect(raster.update(terminal.screen)).toBe(1);
    expect(sameFrame(raster.frame, renderScreen(terminal.screen, { revealMasked: true }))).toBe(true);
    raster.revealMasked = false;
    raster.update(terminal.screen);
    terminal.write(bytes('1B 23 20 5F'));
    raster.update(terminal.screen);
    expect(sameFrame(raster.frame, renderScreen(terminal.screen))).toBe(true);
  });

  it('redraws the rows the cursor left and reached', () => {
    const terminal = new Terminal();
    terminal.write(bytes('0C 11'));
    const raster = new Raster({ cursor: true });
    raster.update(terminal.screen);
    terminal.write(bytes('1F 4A 41'));
    expect(raster.update(terminal.screen)).toBe(2);
    expect(sameFrame(raster.frame, renderScreen(terminal.screen, { cursor: true }))).toBe(true);
  });

  it('gives the same frame as a full render after a page fed in small chunks', () => {
    const source = bytes(
      `0C 1B 44 1B 51 20 ${ascii('TITLE')} 0E 1B 46 7F 7F 12 45 0F 1F 46 41 1B 4F ${ascii('BIG')} 1B 48 1B 5D ${ascii('blink')} 11`,
    );
    const terminal = new Terminal();
    const raster = new Raster({ scale: 2, border: 3, cursor: true });
    for (let i = 0; i < source.length; i += 3) {
      terminal.write(source.subarray(i, i + 3));
      raster.update(terminal.screen);
    }
    expect(sameFrame(raster.frame, renderScreen(terminal.screen, { scale: 2, border: 3, cursor: true }))).toBe(true);
  });

  it('draws into a frame the caller supplies (an ImageData) and refuses one of the wrong size', () => {
    const target = { width: 320, height: 250, data: new Uint8ClampedArray(320 * 250 * 4) };
    const raster = new Raster({}, target);
    raster.drawAll(page('41'));
    expect(raster.frame.data).toBe(target.data);
    expect(target.data[(10 * 320 + 2) * 4]).toBe(0);
    expect(() => new Raster({ scale: 2 }, target)).toThrow(RangeError);
  });
});

describe('module rule', () => {
  it.each(['raster.ts', 'glyphs.ts', 'palette.ts', 'font-g0.ts', 'font-g2.ts'])(
    '%s imports no Node module, so the browser emulator can reuse it',
    (file) => {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(source).not.toMatch(/from\s+['"](node:|fs|path|zlib|pngjs)/);
    },
  );
});
