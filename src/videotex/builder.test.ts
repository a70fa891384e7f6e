/**
 * VideotexBuilder: each method's bytes and what a Terminal shows for them,
 * citing the STUM1B pages of the rules involved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../test-support/videotex.js';
import { COLOUR } from './codes.js';
import { Terminal } from './terminal.js';
import { VideotexBuilder, VideotexBuilderError, mosaicCode } from './builder.js';

function page(): VideotexBuilder {
  return new VideotexBuilder().clear();
}

function decode(builder: VideotexBuilder): Terminal {
  const terminal = new Terminal();
  terminal.write(builder.toBytes());
  return terminal;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof VideotexBuilderError) return error.code;
    throw error;
  }
  return undefined;
}

describe('VideotexBuilder: page and cursor', () => {
  it('clear() is FF: rows 1–24 cleared, cursor (1,1), defaults (p.95–96)', () => {
    const terminal = new Terminal();
    terminal.write(hex('1F 45 45 41'));
    terminal.write(page().text('B').toBytes());
    expect(page().toBytes()).toEqual(hex('0C'));
    expect(terminal.screen.rowText(5)).toBe('');
    expect(terminal.screen.rowText(1)).toBe('B');
  });

  it('moveTo() uses US r c when that is cheapest (p.96)', () => {
    const b = page().moveTo(12, 20).text('X');
    expect(b.toBytes()).toEqual(hex('0C 1F 4C 54 58'));
    expect(decode(b).screen.appearance(12, 20).char).toBe('X');
  });

  it('moveTo() uses relative moves when cheaper: HT, LF, CR, BS (p.94, p.97)', () => {
    expect(page().moveTo(1, 3).toBytes()).toEqual(hex('0C 09 09'));
    expect(page().moveTo(3, 1).toBytes()).toEqual(hex('0C 0A 0A'));
    expect(page().text('AB').moveTo(2, 1).toBytes()).toEqual(hex('0C 41 42 0A 0D'));
    expect(page().text('AB').moveTo(1, 2).toBytes()).toEqual(hex('0C 41 42 08'));
  });

  it('moveTo() uses CSI n C over long skips on the same row when attributes would cost as much (p.95)', () => {
    expect(page().moveTo(1, 30).toBytes()).toEqual(hex('0C 1F 41 5E'));
    expect(page().color(COLOUR.RED).text('A').moveTo(1, 30).toBytes()).toEqual(hex('0C 1B 41 41 1B 5B 32 38 43'));
  });

  it('moveTo() keeps the style: a US reset is followed by the attributes again (p.96)', () => {
    const b = page().color(COLOUR.RED).text('A').moveTo(10, 10).text('B');
    expect(b.toBytes()).toEqual(hex('0C 1B 41 41 1F 4A 4A 1B 41 42'));
    expect(decode(b).screen.appearance(10, 10)).toMatchObject({ char: 'B', fg: COLOUR.RED });
  });

  it('moveTo() prefers a relative move that keeps attributes when a US would cost more (p.94)', () => {
    const b = page().color(COLOUR.RED).blink().inverse().text('A').moveTo(1, 7);
    expect(b.toBytes()).toEqual(hex('0C 1B 41 1B 48 1B 5D 41 1B 5B 35 43'));
  });

  it('moveTo() refuses positions off the screen: TELETEL_E_POSITION', () => {
    expect(codeOf(() => page().moveTo(25, 1))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().moveTo(1, 0))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().moveTo(1, 41))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().moveTo(1.5, 1))).toBe('TELETEL_E_POSITION');
  });

  it('the first move of a fresh builder is absolute: the terminal state is unknown (p.96)', () => {
    expect(new VideotexBuilder().moveTo(5, 2).toBytes()).toEqual(hex('1F 45 42'));
    expect(new VideotexBuilder().moveTo(1, 1).toBytes()).toEqual(hex('1E'));
    expect(new VideotexBuilder().moveTo(1, 2).toBytes()).toEqual(hex('1E 09'));
  });

  it('home() is RS: (1,1) and default attributes, nothing cleared (p.95)', () => {
    const b = page().text('AB').home().text('C');
    expect(b.toBytes()).toEqual(hex('0C 41 42 1E 43'));
    expect(decode(b).screen.rowText(1)).toBe('CB');
  });

  it('cursor() sends CON / COF only when it changes (p.99)', () => {
    const b = page().cursor(true).cursor(true).cursor(false);
    expect(b.toBytes()).toEqual(hex('0C 11 14'));
    expect(decode(page().cursor(true)).screen.cursorVisible).toBe(true);
  });

  it('bell() is BEL (p.98)', () => {
    let bells = 0;
    const terminal = new Terminal({ onBell: () => bells++ });
    terminal.write(page().bell().toBytes());
    expect(page().bell().toBytes()).toEqual(hex('0C 07'));
    expect(bells).toBe(1);
  });
});

describe('VideotexBuilder: attributes', () => {
  it('foreground() is ESC 4x, sent once while it stays in force (p.91–92)', () => {
    const b = page().foreground(COLOUR.GREEN).text('A').text('B').foreground(COLOUR.GREEN).text('C');
    expect(b.toBytes()).toEqual(hex('0C 1B 42 41 42 43'));
    expect(decode(b).screen.appearance(1, 3).fg).toBe(COLOUR.GREEN);
  });

  it('an attribute set but never used is never sent', () => {
    expect(page().foreground(COLOUR.RED).foreground(COLOUR.WHITE).text('A').toBytes()).toEqual(hex('0C 41'));
  });

  it('background() for text opens a zone: ESC 5x then a delimiter SP (p.93)', () => {
    const b = page().color(COLOUR.WHITE, COLOUR.BLUE).text('Hi');
    expect(b.toBytes()).toEqual(hex('0C 1B 54 20 48 69'));
    const screen = decode(b).screen;
    expect(screen.appearance(1, 1)).toMatchObject({ delimiter: true, bg: COLOUR.BLUE });
    expect(screen.appearance(1, 2)).toMatchObject({ char: 'H', bg: COLOUR.BLUE });
  });

  it('a text starting with a space uses that space as the delimiter (p.93)', () => {
    const b = page().background(COLOUR.RED).text(' Hi');
    expect(b.toBytes()).toEqual(hex('0C 1B 51 20 48 69'));
    expect(decode(b).screen.appearance(1, 2)).toMatchObject({ char: 'H', bg: COLOUR.RED });
  });

  it('background() again, even unchanged, opens a new zone where the text is (p.93–94)', () => {
    const b = page().background(COLOUR.RED).text(' A').moveTo(3, 1).background(COLOUR.RED).text(' B');
    expect(b.toBytes()).toEqual(hex('0C 1B 51 20 41 0A 0A 0D 1B 51 20 42'));
    expect(decode(b).screen.appearance(3, 2)).toMatchObject({ char: 'B', bg: COLOUR.RED });
  });

  it('underline() is ESC 5A in G0, a zone attribute with its delimiter (p.91, p.93)', () => {
    const b = page().underline().text(' Hi');
    expect(b.toBytes()).toEqual(hex('0C 1B 5A 20 48 69'));
    expect(decode(b).screen.appearance(1, 2)).toMatchObject({ char: 'H', underline: true });
  });

  it('mask() is ESC 58 with a delimiter: hidden under the global mask (p.94)', () => {
    const b = page().mask().text(' secret');
    expect(b.toBytes()).toEqual(hex('0C 1B 58 20 73 65 63 72 65 74'));
    const screen = decode(b).screen;
    expect(screen.appearance(1, 2).masked).toBe(true);
    expect(screen.rowText(1)).toBe('');
  });

  it('globalMask(false) is ESC 23 20 5F: masked zones show (p.94)', () => {
    const b = page().mask().text(' secret').globalMask(false);
    expect(b.toBytes().slice(-4)).toEqual(hex('1B 23 20 5F'));
    expect(decode(b).screen.rowText(1)).toBe(' secret');
  });

  it('blink() is ESC 48, blink(false) ESC 49 (p.91)', () => {
    const b = page().blink().text('A').blink(false).text('B');
    expect(b.toBytes()).toEqual(hex('0C 1B 48 41 1B 49 42'));
    const screen = decode(b).screen;
    expect(screen.appearance(1, 1).blink).toBe(true);
    expect(screen.appearance(1, 2).blink).toBe(false);
  });

  it('inverse() is ESC 5D, inverse(false) ESC 5C (p.91)', () => {
    const b = page().inverse().text('A').inverse(false).text('B');
    expect(b.toBytes()).toEqual(hex('0C 1B 5D 41 1B 5C 42'));
    expect(decode(b).screen.appearance(1, 1).inverse).toBe(true);
  });

  it('doubleHeight() is ESC 4D, written from the bottom-left: row above too (p.91, p.94)', () => {
    const b = page().moveTo(5, 1).doubleHeight().text('A');
    expect(b.toBytes()).toEqual(hex('0C 1F 45 41 1B 4D 41'));
    const screen = decode(b).screen;
    expect(screen.appearance(5, 1)).toMatchObject({ char: 'A', doubleHeight: true, topHalf: false });
    expect(screen.appearance(4, 1)).toMatchObject({ doubleHeight: true, topHalf: true });
  });

  it('doubleWidth() is ESC 4E and the cursor moves two columns (p.91, p.97)', () => {
    const b = page().doubleWidth().text('AB');
    expect(b.toBytes()).toEqual(hex('0C 1B 4E 41 42'));
    expect(decode(b).screen.appearance(1, 3)).toMatchObject({ char: 'B', doubleWidth: true });
  });

  it('doubleSize() is ESC 4F; normalSize() is ESC 4C (p.91)', () => {
    const b = page().moveTo(3, 1).doubleSize().text('A').normalSize().text('B');
    expect(b.toBytes()).toEqual(hex('0C 0A 0A 1B 4F 41 1B 4C 42'));
    const screen = decode(b).screen;
    expect(screen.appearance(2, 2)).toMatchObject({ topHalf: true, rightHalf: true });
    expect(screen.appearance(3, 3)).toMatchObject({ char: 'B', doubleWidth: false });
  });

  it('double height is not sent on rows 0–1, where the terminal refuses it (p.93)', () => {
    const b = page().doubleHeight().text('A');
    expect(b.toBytes()).toEqual(hex('0C 41'));
    expect(decode(b).screen.appearance(1, 1).doubleHeight).toBe(false);
  });

  it('after SO cancels inverse and size, text sends them again (p.91)', () => {
    const b = page().moveTo(3, 1).inverse().doubleWidth().text('A').mosaic(0x7f).text('B');
    expect(b.toBytes()).toEqual(hex('0C 0A 0A 1B 5D 1B 4E 41 0E 7F 0F 1B 5D 1B 4E 42'));
    expect(decode(b).screen.appearance(3, 4)).toMatchObject({ char: 'B', inverse: true, doubleWidth: true });
  });

  it('colours outside 0–7 are refused: TELETEL_E_COLOUR', () => {
    expect(codeOf(() => page().foreground(8))).toBe('TELETEL_E_COLOUR');
    expect(codeOf(() => page().color(1, -1))).toBe('TELETEL_E_COLOUR');
  });
});

describe('VideotexBuilder: characters', () => {
  it('text() encodes accents as SS2 sequences (p.88–90)', () => {
    const b = page().text('Été à Paris');
    expect(b.toBytes()).toEqual(hex('0C 45 74 19 42 65 20 19 41 61 20 50 61 72 69 73'));
    expect(decode(b).screen.rowText(1)).toBe('Eté à Paris');
  });

  it('text() uses REP from 4 identical characters (p.98)', () => {
    expect(page().text('aaa').toBytes()).toEqual(hex('0C 61 61 61'));
    const b = page().text('aaaa');
    expect(b.toBytes()).toEqual(hex('0C 61 12 43'));
    expect(decode(b).screen.rowText(1)).toBe('aaaa');
  });

  it('text() uses REP from 2 identical accented characters (p.98)', () => {
    const b = page().text('éé');
    expect(b.toBytes()).toEqual(hex('0C 19 42 65 12 41'));
    expect(decode(b).screen.rowText(1)).toBe('éé');
  });

  it('REP counts at most 63: longer runs take several (p.98)', () => {
    const b = page().text('-'.repeat(70));
    expect(b.toBytes()).toEqual(hex('0C 2D 12 7F 12 46'));
    expect(decode(b).screen.rowText(2)).toBe('-'.repeat(30));
  });

  it('mosaicCode() maps a 2×3 pattern to its G1 code: b0 b1 / b2 b3 / b4 b6 (p.101–102)', () => {
    expect(mosaicCode([[1, 0], [0, 1], [1, 1]])).toBe(0x79);
    expect(mosaicCode([[0, 0], [0, 0], [0, 0]])).toBe(0x20);
    expect(mosaicCode([[1, 1], [1, 1], [1, 1]])).toBe(0x7f);
    expect(mosaicCode([[1, 0], [1, 0], [1, 0]])).toBe(0x35);
    expect(mosaicCode([[0, 1], [0, 1], [0, 1]])).toBe(0x6a);
    expect(codeOf(() => mosaicCode([[1, 0]] as never))).toBe('TELETEL_E_MOSAIC');
  });

  it('mosaic() writes G1 after SO, with colours; the background applies at once (p.90, p.93)', () => {
    const b = page().color(COLOUR.RED, COLOUR.BLUE).mosaic([[1, 0], [1, 0], [1, 0]], 0x20);
    expect(b.toBytes()).toEqual(hex('0C 0E 1B 41 1B 54 35 20'));
    const screen = decode(b).screen;
    expect(screen.appearance(1, 1)).toMatchObject({ set: 'G1', char: '▌', fg: COLOUR.RED, bg: COLOUR.BLUE });
    expect(screen.appearance(1, 2)).toMatchObject({ set: 'G1', bg: COLOUR.BLUE });
  });

  it('a mosaic carries its background to the text after it, with no delimiter (p.86, p.93)', () => {
    const b = page().background(COLOUR.BLUE).mosaic(0x20).text('A');
    expect(b.toBytes()).toEqual(hex('0C 0E 1B 54 20 0F 41'));
    expect(decode(b).screen.appearance(1, 2)).toMatchObject({ char: 'A', bg: COLOUR.BLUE });
  });

  it('separated() is ESC 5A in G1 (p.91, p.94)', () => {
    const b = page().separated().mosaic(0x7f);
    expect(b.toBytes()).toEqual(hex('0C 0E 1B 5A 7F'));
    expect(decode(b).screen.appearance(1, 1).separated).toBe(true);
  });

  it('mosaic() uses REP for runs of the same mosaic (p.98)', () => {
    const b = page().mosaic(0x7f, 0x7f, 0x7f, 0x7f, 0x7f);
    expect(b.toBytes()).toEqual(hex('0C 0E 7F 12 44'));
    expect(decode(b).screen.appearance(1, 5).char).toBe('█');
  });

  it('mosaic codes outside G1 are refused: TELETEL_E_MOSAIC', () => {
    expect(codeOf(() => page().mosaic(0x10))).toBe('TELETEL_E_MOSAIC');
  });

  it('repeat() is REP of the last character with the current attributes (p.98)', () => {
    const b = page().text('x').repeat(5);
    expect(b.toBytes()).toEqual(hex('0C 78 12 45'));
    expect(decode(b).screen.rowText(1)).toBe('xxxxxx');
    expect(page().text('x').repeat(1).toBytes()).toEqual(hex('0C 78 78'));
  });

  it('repeat() needs a character before it and a whole count: TELETEL_E_REPEAT', () => {
    expect(codeOf(() => page().repeat(2))).toBe('TELETEL_E_REPEAT');
    expect(codeOf(() => page().text('a').repeat(-1))).toBe('TELETEL_E_REPEAT');
  });

  it('fillRect() fills rows with one character, REP per row (p.98)', () => {
    const b = page().color(COLOUR.YELLOW).fillRect(3, 5, 4, 14, [[1, 1], [1, 1], [1, 1]]);
    expect(b.toBytes()).toEqual(hex('0C 1F 43 45 0E 1B 43 7F 12 49 0A 0D 09 09 09 09 7F 12 49'));
    const screen = decode(b).screen;
    expect(screen.appearance(4, 14)).toMatchObject({ char: '█', fg: COLOUR.YELLOW });
    expect(screen.appearance(4, 15).char).toBe(' ');
  });

  it('fillRect() after background(): every row opens the zone, and the fill stays inside the rectangle (p.86, p.93)', () => {
    const spaces = decode(page().background(COLOUR.BLUE).fillRect(2, 1, 4, 10, ' ')).screen;
    for (let row = 2; row <= 4; row++) {
      expect(spaces.appearance(row, 1)).toMatchObject({ delimiter: true, bg: COLOUR.BLUE });
      expect(spaces.appearance(row, 10)).toMatchObject({ char: ' ', bg: COLOUR.BLUE });
      expect(spaces.appearance(row, 11)).toMatchObject({ set: 'G1', bg: COLOUR.BLACK });
    }
    // Another character gives its first cell to the delimiter.
    const letters = decode(page().background(COLOUR.BLUE).fillRect(2, 5, 3, 9, 'X')).screen;
    for (let row = 2; row <= 3; row++) {
      expect(letters.appearance(row, 5)).toMatchObject({ delimiter: true, bg: COLOUR.BLUE });
      expect(letters.appearance(row, 9)).toMatchObject({ char: 'X', bg: COLOUR.BLUE });
      expect(letters.appearance(row, 10)).toMatchObject({ set: 'G1', bg: COLOUR.BLACK });
    }
  });

  it('fillRect() refuses corners off the screen: TELETEL_E_POSITION', () => {
    expect(codeOf(() => page().fillRect(1, 30, 1, 41, 'x'))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().fillRect(20, 1, 25, 10, 'x'))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().fillRect(1, 1, 2.5, 10, 'x'))).toBe('TELETEL_E_POSITION');
    expect(codeOf(() => page().fillRect(3, 1, 2, 10, 'x'))).toBe('TELETEL_E_POSITION');
  });

  it('fillRow() fills a whole row; the cursor wraps to the next row (p.97)', () => {
    const b = page().fillRow(2, '=').text('A');
    expect(b.toBytes()).toEqual(hex('0C 0A 3D 12 67 41'));
    const screen = decode(b).screen;
    expect(screen.rowText(2)).toBe('='.repeat(40));
    expect(screen.rowText(3)).toBe('A');
  });
});

describe('VideotexBuilder: row 0, raw bytes', () => {
  it('clearRow0() is the idiom US 40 41 CAN LF (p.95, p.97)', () => {
    const terminal = new Terminal();
    terminal.write(hex('1F 40 41 58 0A'));
    terminal.write(page().clearRow0().toBytes());
    expect(page().clearRow0().toBytes()).toEqual(hex('0C 1F 40 41 18 0A'));
    expect(terminal.screen.rowText(0)).toBe('');
  });

  it('row0() writes the message, clears the rest, and LF brings back the position and attributes (p.97)', () => {
    const b = page().moveTo(5, 5).color(COLOUR.RED).text('A').row0('Hello').text('B');
    expect(b.toBytes()).toEqual(hex('0C 1F 45 45 1B 41 41 1F 40 41 48 65 6C 6C 6F 18 0A 42'));
    const screen = decode(b).screen;
    expect(screen.rowText(0)).toBe('Hello');
    expect(screen.appearance(0, 1).fg).toBe(COLOUR.WHITE);
    expect(screen.appearance(5, 6)).toMatchObject({ char: 'B', fg: COLOUR.RED });
  });

  it('row0() refuses more than 40 cells: TELETEL_E_ROW0_LENGTH', () => {
    expect(codeOf(() => page().row0('x'.repeat(41)))).toBe('TELETEL_E_ROW0_LENGTH');
    expect(decode(page().row0('y'.repeat(40))).screen.rowText(0)).toBe('y'.repeat(40));
  });

  it('raw() appends bytes as they are; afterwards attributes and position are re-established (p.96)', () => {
    const b = page().raw([0x1b, 0x41]).text('A');
    expect(b.toBytes()).toEqual(hex('0C 1B 41 0F 1B 47 1B 49 1B 5C 1B 4C 41'));
    expect(decode(b).screen.appearance(1, 1).fg).toBe(COLOUR.WHITE);
    expect(page().raw([0x0a]).moveTo(2, 2).toBytes()).toEqual(hex('0C 0A 1F 42 42'));
  });

  it('raw() refuses bytes that are not 7-bit: TELETEL_E_RAW_BYTE', () => {
    expect(codeOf(() => page().raw([0x80]))).toBe('TELETEL_E_RAW_BYTE');
  });
});

describe('VideotexBuilder: properties', () => {
  type Step = (b: VideotexBuilder) => void;
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 1, max: 40 })).map(([r, c]): Step => (b) => void b.moveTo(r, c)),
    fc.integer({ min: 0, max: 7 }).map((c): Step => (b) => void b.foreground(c)),
    fc.integer({ min: 0, max: 7 }).map((c): Step => (b) => void b.background(c)),
    fc.boolean().map((on): Step => (b) => void b.blink(on)),
    fc.boolean().map((on): Step => (b) => void b.inverse(on)),
    fc.boolean().map((on): Step => (b) => void b.underline(on)),
    fc.boolean().map((on): Step => (b) => void b.separated(on)),
    fc.constantFrom('normal', 'doubleHeight', 'doubleWidth', 'doubleSize').map((s): Step => (b) => void b.size(s)),
    fc.string({ maxLength: 12 }).map((t): Step => (b) => void b.text(t)),
    fc.array(fc.integer({ min: 0x20, max: 0x7f }), { maxLength: 6 }).map((m): Step => (b) => void b.mosaic(...m)),
    fc.string({ maxLength: 10 }).map((t): Step => (b) => void b.row0(t)),
    fc.constant<Step>((b) => void b.clear()),
  );

  it('always emits 7-bit bytes, never NUL, and leaves the decoder in its ground state', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const b = new VideotexBuilder();
        for (const s of steps) s(b);
        const bytes = b.toBytes();
        for (const byte of bytes) {
          expect(byte).toBeGreaterThan(0);
          expect(byte).toBeLessThan(0x80);
        }
        const terminal = new Terminal();
        terminal.write(bytes);
        expect(terminal.idle).toBe(true);
      }),
    );
  });

  it('text lands where moveTo put it, in the colour asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 39 }), fc.integer({ min: 0, max: 7 }), fc.constantFrom('A', 'é', '£', 'z')), { maxLength: 20 }),
        (writes) => {
          const b = page();
          for (const [row, column, fg, ch] of writes) b.moveTo(row, column).foreground(fg).text(ch);
          const screen = decode(b).screen;
          const expected = new Map<string, [number, string]>();
          for (const [row, column, fg, ch] of writes) expected.set(`${row},${column}`, [fg, ch]);
          for (const [key, [fg, ch]] of expected) {
            const [row, column] = key.split(',').map(Number);
            expect(screen.appearance(row, column)).toMatchObject({ char: ch, fg });
          }
        },
      ),
    );
  });
});

describe('VideotexBuilder: after raw bytes (regressions)', () => {
  function screenOf(builder: VideotexBuilder): Terminal {
    const terminal = new Terminal();
    // Leave a latent underline, background and mask in the terminal, as raw bytes could.
    terminal.write(hex('0C 1B 5A 1B 53 1B 58 20'));
    terminal.write(builder.toBytes());
    return terminal;
  }

  it('sends zone attributes in full once raw bytes made them unknown (p.93)', () => {
    const t = screenOf(new VideotexBuilder().raw([0x07]).text('a').underline().text(' b'));
    const b = t.screen.appearance(1, 4);
    expect(b.char).toBe('b');
    expect(b.underline).toBe(true);
  });

  it('sends a mosaic background the terminal may already seem to have (p.93)', () => {
    const t = screenOf(new VideotexBuilder().raw([0x07]).text('a').color(COLOUR.WHITE, COLOUR.RED).mosaic(0x7f));
    const m = t.screen.appearance(1, 3);
    expect(m).toMatchObject({ set: 'G1', bg: COLOUR.RED });
  });
});
