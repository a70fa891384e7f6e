/**
 * Frames to PNG files: a still image through pngjs, and an animated PNG (APNG)
 * for pages that blink, written here chunk by chunk because pngjs has no
 * animation support. Both are RGB, 8 bits per channel: Minitel frames are opaque.
 *
 * APNG layout (the APNG specification, an extension every major browser
 * reads): IHDR, acTL (frame count, loop forever), then per frame an fcTL
 * (size, delay) followed by the pixels — IDAT for the first frame, so viewers
 * without APNG support show it as a still, fdAT for the others — and IEND.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Frame } from './raster.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOUR_TYPE_RGB = 2;

/** A still PNG of a frame. */
export function encodePng(frame: Frame): Uint8Array {
  const png = new PNG({ width: frame.width, height: frame.height });
  png.data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: COLOUR_TYPE_RGB, inputHasAlpha: true }));
}

/** Pixels of a PNG file as an RGBA frame (any colour type pngjs reads). */
export function decodePng(bytes: Uint8Array): Frame {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
}

export interface AnimationFrame {
  frame: Frame;
  /** How long the frame shows, in milliseconds (0–65535). */
  delayMs: number;
}

/** An animated PNG that loops forever over the frames, which must all have the same size. */
export function encodeAnimatedPng(frames: readonly AnimationFrame[]): Uint8Array {
  if (frames.length === 0) throw new RangeError('an animation needs at least one frame');
  const { width, height } = frames[0].frame;
  const chunks: Uint8Array[] = [SIGNATURE];
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, COLOUR_TYPE_RGB, 0, 0, 0], 8); // bit depth, colour type, deflate, adaptive filters, no interlace
  chunks.push(chunk('IHDR', header));
  const control = new Uint8Array(8);
  new DataView(control.buffer).setUint32(0, frames.length); // num_plays stays 0: loop forever
  chunks.push(chunk('acTL', control));

  let sequence = 0;
  frames.forEach(({ frame, delayMs }, index) => {
    if (frame.width !== width || frame.height !== height) {
      throw new RangeError(`frame ${index} is ${frame.width}×${frame.height}, expected ${width}×${height}`);
    }
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 0xffff) {
      throw new RangeError(`frame ${index} delay must be a whole number of milliseconds up to 65535`);
    }
    chunks.push(chunk('fcTL', frameControl(sequence++, width, height, delayMs)));
    const pixels = deflateSync(scanlines(frame), { level: 9 });
    if (index === 0) {
      chunks.push(chunk('IDAT', pixels));
    } else {
      const data = new Uint8Array(4 + pixels.length);
      new DataView(data.buffer).setUint32(0, sequence++);
      data.set(pixels, 4);
      chunks.push(chunk('fdAT', data));
    }
  });
  chunks.push(chunk('IEND', new Uint8Array(0)));
  return concat(chunks);
}

function frameControl(sequence: number, width: number, height: number, delayMs: number): Uint8Array {
  const data = new Uint8Array(26);
  const view = new DataView(data.buffer);
  view.setUint32(0, sequence);
  view.setUint32(4, width);
  view.setUint32(8, height);
  view.setUint32(12, 0); // x offset
  view.setUint32(16, 0); // y offset
  view.setUint16(20, delayMs); // delay numerator…
  view.setUint16(22, 1000); // …over 1000: milliseconds
  data[24] = 0; // dispose: none (the next frame covers everything)
  data[25] = 0; // blend: source (frames are opaque)
  return data;
}

/**
 * RGB scanlines, each preceded by its filter type. Filter 1 (Sub) stores each
 * byte minus the one 3 bytes to its left: runs of one colour become zeros,
 * which deflate compresses far better than raw pixels.
 */
function scanlines(frame: Frame): Uint8Array {
  const { width, height, data } = frame;
  const lineBytes = 1 + width * 3;
  const out = new Uint8Array(lineBytes * height);
  for (let y = 0; y < height; y++) {
    let o = y * lineBytes;
    out[o++] = 1;
    let p = y * width * 4;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let x = 0; x < width; x++, p += 4) {
      out[o++] = (data[p] - r) & 0xff;
      out[o++] = (data[p + 1] - g) & 0xff;
      out[o++] = (data[p + 2] - b) & 0xff;
      r = data[p];
      g = data[p + 1];
      b = data[p + 2];
    }
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** CRC-32 (ISO 3309, the polynomial PNG uses) over the chunk type and data. */
const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
