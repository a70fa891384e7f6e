/**
 * Pictures in: PNG through pngjs, as 8-bit RGBA. JPEG and other formats are
 * recognised only to say so. Any byte string gives a picture or an ImageError
 * with a message a user can act on; nothing else is thrown.
 */
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { CONVERT_LIMITS } from './limits.js';

/** An RGBA picture, 4 bytes per pixel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export class ImageError extends Error {
  constructor(
    message: string,
    readonly code: 'TELETEL_E_NOT_PNG' | 'TELETEL_E_IMAGE_TOO_LARGE' | 'TELETEL_E_CORRUPT_IMAGE',
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Signature (8) + IHDR length and type (8) + width and height (8). */
const HEADER_BYTES = 24;
/** IHDR bytes: bit depth, colour type and interlace method (PNG specification §11.2.2). */
const BIT_DEPTH = 24;
const COLOUR_TYPE = 25;
const INTERLACE = 28;
/** Samples per pixel by colour type: grey, -, RGB, palette, grey + alpha, -, RGBA. */
const CHANNELS = [1, 0, 3, 1, 2, 0, 4];
/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** A name for the formats people most often try, so the message can say what it got. */
function otherFormat(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'a JPEG image';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'a GIF image';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'a BMP image';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46) return 'a RIFF (WebP?) file';
  return undefined;
}

/** Width and height from the IHDR chunk, read before pngjs allocates anything. */
function headerSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < HEADER_BYTES) throw new ImageError('not a PNG image (truncated header)', 'TELETEL_E_CORRUPT_IMAGE');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (type !== 'IHDR') throw new ImageError('not a PNG image (no IHDR header)', 'TELETEL_E_CORRUPT_IMAGE');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Decodes a PNG file into RGBA, or throws ImageError. */
export function decodePngImage(bytes: Uint8Array): RgbaImage {
  if (!isPng(bytes)) {
    const other = otherFormat(bytes);
    throw new ImageError(
      other ? `not a PNG image (${other}; only PNG is supported: convert it to PNG first)` : 'not a PNG image',
      'TELETEL_E_NOT_PNG',
    );
  }
  const { width, height } = headerSize(bytes);
  if (width === 0 || height === 0) throw new ImageError('not a PNG image (zero width or height)', 'TELETEL_E_CORRUPT_IMAGE');
  if (width > CONVERT_LIMITS.maxSide || height > CONVERT_LIMITS.maxSide || width * height > CONVERT_LIMITS.maxPixels) {
    const limit =
      width * height > CONVERT_LIMITS.maxPixels ? `${CONVERT_LIMITS.maxPixels / 1e6} megapixels` : `${CONVERT_LIMITS.maxSide} pixels a side`;
    throw new ImageError(`image is ${width}×${height} pixels; the limit is ${limit} (scale it down first)`, 'TELETEL_E_IMAGE_TOO_LARGE');
  }
  if (bytes[INTERLACE] === 1) checkInterlacedData(bytes, width, height);
  let png;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImageError(`not a PNG image (corrupt: ${reason})`, 'TELETEL_E_CORRUPT_IMAGE');
  }
  if (png.width !== width || png.height !== height || png.data.length < width * height * 4) {
    throw new ImageError('not a PNG image (corrupt: pixel data does not match the header)', 'TELETEL_E_CORRUPT_IMAGE');
  }
  return { width, height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, width * height * 4) };
}

/**
 * pngjs inflates the pixel data of an interlaced PNG with no bound (it bounds
 * only non-interlaced ones, by the size the header gives), so a small file
 * that claims a tiny picture could inflate to gigabytes. The data is inflated
 * here first, stopping at the size the header announces.
 */
function checkInterlacedData(bytes: Uint8Array, width: number, height: number): void {
  const bitsPerPixel = (CHANNELS[bytes[COLOUR_TYPE]] ?? 0) * bytes[BIT_DEPTH];
  if (bitsPerPixel === 0) return; // pngjs reports the bad header
  let expected = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) expected += rows * (Math.ceil((columns * bitsPerPixel) / 8) + 1);
  }
  const data: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = PNG_SIGNATURE.length; offset + 8 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], bytes[offset + 7]);
    if (type === 'IDAT') data.push(bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + length)));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  try {
    inflateSync(Buffer.concat(data), { maxOutputLength: Math.max(1, expected) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageError(`image data inflates past the ${width}×${height} pixels its header gives (a decompression bomb?)`, 'TELETEL_E_IMAGE_TOO_LARGE');
    }
    // Other damage is pngjs's to report.
  }
}
