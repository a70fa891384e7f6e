import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, decodePng, encodeAnimatedPng, encodePng } from './png.js';
import { renderScreen, type Frame } from './raster.js';
import { page } from '../test-support/render.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Chunk {
  type: string;
  data: Uint8Array;
  crcOk: boolean;
}

function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length);
    out.push({ type, data, crcOk: crc === crc32(png.subarray(offset + 4, offset + 8 + length)) });
    offset += 12 + length;
  }
  return out;
}

/** Undoes the Sub filter our APNG writer uses, back to RGBA. */
function unfilterRgb(raw: Uint8Array, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const line = 1 + width * 3;
  for (let y = 0; y < height; y++) {
    expect(raw[y * line]).toBe(1);
    const prev = [0, 0, 0];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        prev[c] = (raw[y * line + 1 + x * 3 + c] + prev[c]) & 0xff;
        out[(y * width + x) * 4 + c] = prev[c];
      }
      out[(y * width + x) * 4 + 3] = 255;
    }
  }
  return out;
}

const blinking = page('1B 48 41 42 43');
const on = renderScreen(blinking, { blinkPhase: 'on' });
const off = renderScreen(blinking, { blinkPhase: 'off' });

describe('still PNG', () => {
  it('round-trips a frame pixel for pixel through pngjs', () => {
    const png = encodePng(on);
    expect(Array.from(png.subarray(0, 8))).toEqual(SIGNATURE);
    const back = decodePng(png);
    expect([back.width, back.height]).toEqual([320, 250]);
    expect(back.data).toEqual(on.data);
  });

  it('stores RGB without alpha: Minitel frames are opaque', () => {
    const header = chunks(encodePng(on))[0];
    expect(header.type).toBe('IHDR');
    expect(header.data[9]).toBe(2); // colour type 2 = RGB
  });
});

describe('animated PNG (APNG) for blinking pages', () => {
  const apng = encodeAnimatedPng([
    { frame: on, delayMs: 1000 },
    { frame: off, delayMs: 1000 },
  ]);
  const list = chunks(apng);

  it('has the chunk order APNG requires, each with a valid CRC', () => {
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'acTL', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'IEND']);
    expect(list.every((c) => c.crcOk)).toBe(true);
  });

  it('declares two frames looping forever, numbered in sequence, 1 s each', () => {
    const actl = new DataView(list[1].data.buffer, list[1].data.byteOffset);
    expect([actl.getUint32(0), actl.getUint32(4)]).toEqual([2, 0]);
    const fctl = [list[2], list[4]].map((c) => new DataView(c.data.buffer, c.data.byteOffset, c.data.byteLength));
    expect(fctl.map((v) => v.getUint32(0))).toEqual([0, 1]);
    expect(new DataView(list[5].data.buffer, list[5].data.byteOffset).getUint32(0)).toBe(2);
    for (const v of fctl) {
      expect([v.getUint32(4), v.getUint32(8)]).toEqual([320, 250]);
      expect([v.getUint16(20), v.getUint16(22)]).toEqual([1000, 1000]);
    }
  });

  it('shows the first frame to viewers without APNG support', () => {
    expect(decodePng(apng).data).toEqual(on.data);
  });

  it('carries both phases pixel for pixel', () => {
    const first = unfilterRgb(inflateSync(list[3].data), 320, 250);
    const second = unfilterRgb(inflateSync(list[5].data.subarray(4)), 320, 250);
    expect(first).toEqual(on.data);
    expect(second).toEqual(off.data);
    expect(second).not.toEqual(first);
  });

  it('refuses frames of different sizes and impossible delays', () => {
    const big: Frame = renderScreen(blinking, { scale: 2 });
    expect(() => encodeAnimatedPng([{ frame: on, delayMs: 1 }, { frame: big, delayMs: 1 }])).toThrow(RangeError);
    expect(() => encodeAnimatedPng([{ frame: on, delayMs: 70000 }])).toThrow(RangeError);
    expect(() => encodeAnimatedPng([])).toThrow(RangeError);
  });

  it('computes the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
