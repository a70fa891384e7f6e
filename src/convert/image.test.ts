import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../render/png.js';
import { randomBytes } from '../test-support/fake-io.js';
import { decodePngImage, ImageError } from './image.js';
import { pngBytes, solidImage } from './fixtures/images.js';

function failure(bytes: Uint8Array): ImageError {
  try {
    decodePngImage(bytes);
  } catch (error) {
    if (error instanceof ImageError) return error;
    throw error;
  }
  throw new Error('decoded');
}

/** A PNG file whose IHDR claims width × height, with the given chunk data after it. */
function pngWithHeader(width: number, height: number, idat: Uint8Array): Uint8Array {
  const good = pngBytes(solidImage(1, 1, [0, 0, 0]));
  const bytes = new Uint8Array(33 + 12 + idat.length + 12);
  bytes.set(good.subarray(0, 33));
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(33, idat.length);
  bytes.set([0x49, 0x44, 0x41, 0x54], 37);
  bytes.set(idat, 41);
  return bytes;
}

/** Samples per pixel by PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An interlaced (Adam7) PNG, all samples 0, or `pixelData` as its inflated image data. */
function interlacedPng(width: number, height: number, colourType: number, bitDepth: number, pixelData?: Uint8Array): Uint8Array {
  let size = 0;
  for (const [x0, y0, dx, dy] of [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) size += rows * (1 + Math.ceil((columns * CHANNELS[colourType] * bitDepth) / 8));
  }
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([bitDepth, colourType, 0, 0, 1], 8);
  const parts = [pngBytes(solidImage(1, 1, [0, 0, 0])).subarray(0, 8), pngChunk('IHDR', header)];
  if (colourType === 3) parts.push(pngChunk('PLTE', new Uint8Array(3)));
  parts.push(pngChunk('IDAT', deflateSync(pixelData ?? new Uint8Array(size))), pngChunk('IEND', new Uint8Array(0)));
  return new Uint8Array(Buffer.concat(parts));
}

describe('image: PNG in', () => {
  it('decodes a PNG to RGBA', () => {
    const image = decodePngImage(pngBytes(solidImage(3, 2, [10, 20, 30, 40])));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.data.subarray(0, 4))).toEqual([10, 20, 30, 40]);
  });

  it('reads grey, grey with alpha and 16-bit PNGs as 8-bit RGBA', () => {
    for (const [colorType, bitDepth] of [[0, 8], [0, 16], [2, 16], [4, 8], [6, 16]] as const) {
      const png = new PNG({ width: 4, height: 3 });
      png.data = Buffer.alloc(4 * 3 * 4, 200);
      const image = decodePngImage(new Uint8Array(PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true })));
      expect([image.width, image.height, image.data.length]).toEqual([4, 3, 48]);
      expect(image.data[3]).toBe(colorType === 4 || colorType === 6 ? 200 : 255);
    }
  });

  it('says "not a PNG image" for empty input, text and random bytes', () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('hello'), randomBytes(4096, 7)]) {
      expect(failure(bytes).message).toBe('not a PNG image');
    }
  });

  it('names JPEG when it gets one, and says to convert it', () => {
    expect(failure(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)).message).toMatch(/^not a PNG image \(a JPEG image; only PNG is supported/);
  });

  it('reports a truncated or corrupt PNG without throwing anything else', () => {
    const good = pngBytes(solidImage(16, 16, [1, 2, 3]));
    expect(failure(good.subarray(0, 12)).message).toMatch(/^not a PNG image/);
    expect(failure(good.subarray(0, good.length - 20)).message).toMatch(/^not a PNG image/);
    const garbled = good.slice();
    for (let i = 40; i < garbled.length - 12; i++) garbled[i] ^= 0x5a;
    expect(failure(garbled).message).toMatch(/^not a PNG image/);
    expect(failure(pngWithHeader(0, 5, new Uint8Array(0))).message).toMatch(/zero width/);
  });

  it('refuses a header claiming a huge picture before decoding it (a decompression bomb)', () => {
    const bomb = pngWithHeader(60_000, 60_000, deflateSync(new Uint8Array(1 << 20)));
    const error = failure(bomb);
    expect(error.code).toBe('TELETEL_E_IMAGE_TOO_LARGE');
    expect(error.message).toMatch(/60000×60000/);
    expect(error.message).toMatch(/40 megapixels/);
  });

  it('names the limit a picture breaks: its pixels, or the length of a side', () => {
    const error = failure(pngWithHeader(70_000, 1, new Uint8Array(0)));
    expect(error.code).toBe('TELETEL_E_IMAGE_TOO_LARGE');
    expect(error.message).toBe('image is 70000×1 pixels; the limit is 65535 pixels a side (scale it down first)');
  });

  it('decodes interlaced (Adam7) PNGs of any size, colour type and bit depth', () => {
    const kinds = [[0, 1], [0, 2], [0, 4], [0, 8], [0, 16], [2, 8], [2, 16], [3, 1], [3, 4], [3, 8], [4, 8], [4, 16], [6, 8], [6, 16]];
    for (const [colourType, bitDepth] of kinds) {
      for (const [width, height] of [[1, 1], [2, 3], [5, 9], [9, 5], [17, 13]]) {
        const image = decodePngImage(interlacedPng(width, height, colourType, bitDepth));
        expect([image.width, image.height]).toEqual([width, height]);
      }
    }
  });

  it('refuses interlaced pixel data that inflates past what the header announces, without inflating it all (a decompression bomb)', () => {
    const error = failure(interlacedPng(1, 1, 2, 8, new Uint8Array(64 << 20)));
    expect(error.code).toBe('TELETEL_E_IMAGE_TOO_LARGE');
    expect(error.message).toMatch(/1×1/);
  });

  it('turns random bytes after a PNG signature into an ImageError, every time', () => {
    const signature = pngBytes(solidImage(1, 1, [0, 0, 0])).subarray(0, 33);
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = new Uint8Array(33 + 300);
      bytes.set(signature);
      bytes.set(randomBytes(300, seed), 33);
      expect(failure(bytes)).toBeInstanceOf(ImageError);
    }
  });
});
