/**
 * Text safety (docs/videotex.md §2.4): what each kind of Unicode becomes, and
 * properties over random strings: only printable bytes and allowed SS2
 * sequences come out, and the Terminal shows them as plain characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../test-support/videotex.js';
import { CharSet, cellSet, DELIMITER, DOUBLE_HEIGHT, DOUBLE_WIDTH, ERROR } from './cell.js';
import { G2_CHARACTERS } from './charset.js';
import { Terminal } from './terminal.js';
import { appendText, encodeText, sanitizeText, textGlyphs, textWidth } from './text.js';

function bytesOf(text: string, allowDel = false): Uint8Array {
  return encodeText(text, { allowDel });
}

describe('encodeText: accents (p.88–90)', () => {
  it('supported accented letters become SS2 accent letter (p.88, p.90)', () => {
    expect(bytesOf('à â ä')).toEqual(hex('19 41 61 20 19 43 61 20 19 48 61'));
    expect(bytesOf('èéêë')).toEqual(hex('19 41 65 19 42 65 19 43 65 19 48 65'));
    expect(bytesOf('îïôöùûüç')).toEqual(hex('19 43 69 19 48 69 19 43 6F 19 48 6F 19 41 75 19 43 75 19 48 75 19 4B 63'));
  });

  it('decomposed input (NFD) gives the same bytes as composed input', () => {
    expect(bytesOf('e\u0301te\u0300')).toEqual(bytesOf('étè'));
    expect(bytesOf('c\u0327a')).toEqual(hex('19 4B 63 61'));
  });

  it('unsupported accents give the base letter, since SS2 would show the same at 2 more bytes (p.90)', () => {
    expect(bytesOf('áíóúìòñÿåãõ')).toEqual(hex('61 69 6F 75 69 6F 6E 79 61 61 6F'));
    expect(bytesOf('q\u0301')).toEqual(hex('71'));
  });

  it('uppercase accented letters give the base capital: the Minitel has none (p.90, p.100)', () => {
    expect(bytesOf('ÀÉÈÊÇÔ')).toEqual(hex('41 45 45 45 43 4F'));
  });
});

describe('encodeText: G2 and G0 specials (p.100, p.103–104)', () => {
  it('£ § ° ± ÷ ¼ ½ ¾ Œ œ ß β use G2', () => {
    expect(bytesOf('£§°±÷')).toEqual(hex('19 23 19 27 19 30 19 31 19 38'));
    expect(bytesOf('¼½¾')).toEqual(hex('19 3C 19 3D 19 3E'));
    expect(bytesOf('Œœßβ')).toEqual(hex('19 6A 19 7A 19 7B 19 7B'));
  });

  it('arrows: ← → ↓ in G2, ↑ as G0 0x5E (one byte)', () => {
    expect(bytesOf('←↑→↓')).toEqual(hex('19 2C 5E 19 2E 19 2F'));
  });

  it('quotes, dashes and the ellipsis map to ASCII', () => {
    expect(bytesOf('‘’′“”«»')).toEqual(hex('27 27 27 22 22 22 22'));
    expect(bytesOf('–—…')).toEqual(hex('2D 2D 2E 2E 2E'));
  });

  it('box characters map to the G0 bars (p.100)', () => {
    expect(bytesOf('─│▏▕‾▁╲')).toEqual(hex('60 7C 7B 7D 7E 5F 5C'));
  });

  it('ASCII that the Minitel draws differently is replaced (p.100)', () => {
    expect(bytesOf('`^~{}|\\')).toEqual(hex('27 5E 2D 28 29 7C 5C'));
  });

  it('NBSP and tab become spaces; æ Æ ø € × are spelled out', () => {
    expect(bytesOf('a\u00a0b\tc')).toEqual(hex('61 20 62 20 63'));
    expect(bytesOf('æÆø€×')).toEqual(hex('61 65 41 45 6F 45 55 52 78'));
  });

  it('█ is DEL (p.98) only when asked; otherwise ?', () => {
    expect(bytesOf('█')).toEqual(hex('3F'));
    expect(bytesOf('█', true)).toEqual(hex('7F'));
  });

  it('anything else is ?: one per character, emoji and surrogates included', () => {
    expect(bytesOf('日本')).toEqual(hex('3F 3F'));
    expect(bytesOf('😀')).toEqual(hex('3F'));
    expect(bytesOf('\ud800')).toEqual(hex('3F'));
    expect(bytesOf('שלום')).toEqual(hex('3F 3F 3F 3F'));
  });

  it('control characters never pass: line breaks are spaces, the rest ?', () => {
    expect(bytesOf('a\r\nb')).toEqual(hex('61 20 20 62'));
    expect(bytesOf('\u001b\u001f\u0000\u0013\u007f')).toEqual(hex('3F 3F 3F 3F 3F'));
  });

  it('invisible format characters (ZWJ, bidi marks, variation selectors) are dropped', () => {
    expect(bytesOf('a\u200db\u200fc\u202e\ufe0f')).toEqual(hex('61 62 63'));
  });

  it('compatibility forms are spelled with plain characters', () => {
    expect(bytesOf('ﬁ²Ａ')).toEqual(hex('66 69 32 41'));
  });
});

describe('text helpers', () => {
  it('appendText appends to any sink', () => {
    const sink: number[] = [0x0c];
    appendText(sink, 'é');
    expect(sink).toEqual([0x0c, 0x19, 0x42, 0x65]);
  });

  it('textWidth counts cells: one per glyph, so an accented letter is one cell', () => {
    expect(textWidth('Été…')).toBe(6);
    expect(textWidth('€')).toBe(3);
  });

  it('sanitizeText gives what the Minitel shows, cut to maxLength cells', () => {
    expect(sanitizeText('Élève | ~x')).toBe('Elève │ -x');
    expect(sanitizeText('Bonjour à tous', { maxLength: 9 })).toBe('Bonjour à');
    expect(sanitizeText('😀ab')).toBe('?ab');
  });

  it('sanitizeText then encodeText gives the same bytes as encodeText', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(encodeText(sanitizeText(text))).toEqual(encodeText(text));
      }),
    );
  });
});

/** Bytes allowed in the output: printable G0, and SS2 only before a G2 code or an accent + letter. */
function expectSafe(bytes: Uint8Array, allowDel: boolean): void {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x19) {
      const next = bytes[i + 1];
      if ([0x41, 0x42, 0x43, 0x48, 0x4b].includes(next)) {
        expect(bytes[i + 2]).toBeGreaterThanOrEqual(0x61);
        expect(bytes[i + 2]).toBeLessThanOrEqual(0x7a);
        i += 2;
      } else {
        expect(G2_CHARACTERS[next]).toBeDefined();
        i += 1;
      }
      continue;
    }
    expect(b).toBeGreaterThanOrEqual(0x20);
    expect(b).toBeLessThanOrEqual(allowDel ? 0x7f : 0x7e);
  }
}

describe('text safety properties', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: fc.constantFrom(...'éèàçÉ\u0301\u0300\u200d\ufe0f😀\u202e\u0000\u001b\u001f\r\n\t£½œ←…█|^~{'), maxLength: 40 }),
  );

  it('any Unicode gives only 0x20–0x7E and allowed SS2 sequences', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, allowDel) => {
        expectSafe(encodeText(text, { allowDel }), allowDel);
      }),
    );
  });

  it('decoded by a Terminal, it only prints plain G0/G2 characters and only advances the cursor', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const terminal = new Terminal();
        terminal.write(Uint8Array.of(0x0c, 0x1f, 0x45, 0x41)); // FF, then US to (5,1)
        const glyphs = textGlyphs(text);
        terminal.write(encodeText(text));
        const screen = terminal.screen;
        const cells = glyphs.length; // at most 60 × 3 (an ellipsis is three cells): rows 5–9
        // The cursor advanced by exactly one cell per glyph, wrapping at column 40 (p.97).
        expect([screen.cursorRow, screen.cursorColumn]).toEqual([5 + Math.floor(cells / 40), (cells % 40) + 1]);
        expect(terminal.idle).toBe(true);
        for (let i = 0; i < cells; i++) {
          const row = 5 + Math.floor(i / 40);
          const cell = screen.get(row, (i % 40) + 1);
          const set = cellSet(cell);
          expect(set === CharSet.G0 || set === CharSet.G2).toBe(true);
          expect(cell & (DELIMITER | ERROR | DOUBLE_WIDTH | DOUBLE_HEIGHT)).toBe(0);
          expect(screen.appearance(row, (i % 40) + 1)).toMatchObject({ fg: 7, bg: 0, blink: false, inverse: false, underline: false, masked: false });
        }
        expect(screen.globalMask).toBe(true);
        expect(screen.cursorVisible).toBe(false);
      }),
    );
  });
});
