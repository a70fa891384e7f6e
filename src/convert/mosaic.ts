/**
 * G1 mosaic codes from the six mosaic pixels of a cell (p.31, p.101–102):
 *
 *    b0 | b1     top
 *    b2 | b3     middle
 *    b4 | b6     bottom
 *
 * A set bit shows the foreground colour, a clear bit the background. Bit 5 is
 * always set, so every code is 0x20–0x3F or 0x60–0x7F; the codes 0x40–0x5F,
 * blank in STUM1B's table, are never produced.
 */

/** Mosaic pixels of a cell in reading order (top-left, top-right, middle-left, …). */
export const CELL_PIXELS = 6;
/** All six pixels set. */
export const FULL = 0b111111;
const PIXEL_BITS = [0x01, 0x02, 0x04, 0x08, 0x10, 0x40] as const;
const BIT5 = 0x20;

/** The G1 code for a 6-bit pixel mask (bit i = pixel i in reading order set to the foreground). */
export function mosaicCode(pixels: number): number {
  let code = BIT5;
  for (let i = 0; i < CELL_PIXELS; i++) if (pixels & (1 << i)) code |= PIXEL_BITS[i];
  return code;
}

/** The pixel mask a G1 code shows; codes 0x40–0x5F draw like 0x60–0x7F ([EMU], docs §2.2). */
export function mosaicPixels(code: number): number {
  let pixels = 0;
  for (let i = 0; i < CELL_PIXELS; i++) if (code & PIXEL_BITS[i]) pixels |= 1 << i;
  return pixels;
}
