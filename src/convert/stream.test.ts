import { describe, expect, it } from 'vitest';
import { Terminal } from '../videotex/terminal.js';
import { convertImage } from './convert.js';
import { endsInG1 } from './stream.js';
import { sameMosaicPixels } from './metrics.js';
import { FULL_PAGE } from './geometry.js';
import { testPattern } from './fixtures/pattern.js';
import { solidImage } from './fixtures/images.js';

describe('stream: the shorter of our emitter and encodeScreen', () => {
  it('keeps, for a full page, a stream no longer than either writer and that draws the target', () => {
    for (const options of [{}, { mode: 'grey' as const }, { dither: 'none' as const }]) {
      const conversion = convertImage(testPattern(), options);
      const terminal = new Terminal();
      terminal.write(conversion.bytes);
      expect(sameMosaicPixels(terminal.screen, conversion.screen, FULL_PAGE)).toBe(true);
      expect(['emitter', 'encodeScreen']).toContain(conversion.writer);
      expect(endsInG1(conversion.bytes)).toBe(false);
    }
  });

  it('always uses our emitter for a region, which must not touch the rest of the screen', () => {
    const conversion = convertImage(solidImage(10, 10, [255, 0, 0]), { region: { row: 2, column: 3, rows: 4, columns: 5 } });
    expect(conversion.writer).toBe('emitter');
    expect(conversion.bytes[0]).toBe(0x1f);
  });

  it('tells whether a stream leaves G1 selected', () => {
    expect(endsInG1(Uint8Array.of(0x0c, 0x0e, 0x7f))).toBe(true);
    expect(endsInG1(Uint8Array.of(0x0c, 0x0e, 0x7f, 0x0f))).toBe(false);
    expect(endsInG1(Uint8Array.of(0x0e, 0x7f, 0x1f, 0x41, 0x41))).toBe(false);
    expect(endsInG1(Uint8Array.of(0x41))).toBe(false);
  });
});
