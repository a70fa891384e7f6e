import { describe, expect, it } from 'vitest';
import { FULL, mosaicCode, mosaicPixels } from './mosaic.js';

describe('mosaic codes (p.31, p.101–102)', () => {
  it('maps pixels in reading order to b0 b1 / b2 b3 / b4 b6, with bit 5 set', () => {
    expect(mosaicCode(0)).toBe(0x20);
    expect(mosaicCode(FULL)).toBe(0x7f);
    expect(mosaicCode(0b010101)).toBe(0x35); // left half
    expect(mosaicCode(0b101010)).toBe(0x6a); // right half
    expect(mosaicCode(0b100000)).toBe(0x60); // bottom right only
    expect(mosaicCode(0b000001)).toBe(0x21); // top left only
  });

  it('never produces the codes 0x40–0x5F that STUM1B leaves blank, and reads its codes back', () => {
    for (let pixels = 0; pixels <= FULL; pixels++) {
      const code = mosaicCode(pixels);
      expect(code & 0x20).toBe(0x20);
      expect(code < 0x40 || code >= 0x60).toBe(true);
      expect(mosaicPixels(code)).toBe(pixels);
    }
  });
});
