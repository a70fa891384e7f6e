/**
 * Bytes that download character shapes into G'0 or G'1 (Minitel 2; STUM1B is
 * silent, docs/videotex.md §6.3 gives the sequences). Each shape is 10 rows of
 * 8 pixels, bit 7 leftmost, cut most significant bit first into 6-bit groups
 * sent as 0x40 | group: always 14 bytes per character.
 */
import { C0, SP } from './codes.js';

/** `0x30` separates shapes within a download. */
const SHAPE_SEPARATOR = 0x30;
export const DRCS_BYTES_PER_SHAPE = 14;

/** `US 23 20 20 20 42 49` (G'0) or `… 43 49` (G'1): the set the next shapes load into. */
export function drcsHeader(set: 0 | 1): number[] {
  return [C0.US, 0x23, SP, SP, SP, set === 0 ? 0x42 : 0x43, 0x49];
}

/** The 14 bytes of one 10-byte shape. */
export function drcsShapeBytes(shape: ArrayLike<number>): number[] {
  const bytes: number[] = [];
  let group = 0;
  let bits = 0;
  for (let row = 0; row < 10; row++) {
    const value = shape[row] ?? 0;
    for (let bit = 7; bit >= 0; bit--) {
      group = (group << 1) | ((value >> bit) & 1);
      if (++bits === 6) {
        bytes.push(0x40 | group);
        group = 0;
        bits = 0;
      }
    }
  }
  // 80 bits = 13 full groups and 2 bits left, sent in bits 5–4 of the last byte.
  bytes.push(0x40 | (group << (6 - bits)));
  return bytes;
}

/**
 * Downloads `shapes` (code → 10-byte shape) into one set: the header, then one
 * `US 23 cc 30 <shape> 30 <shape>…` per run of consecutive codes. The caller
 * must follow with a US (normally a positioning), which ends the download.
 */
export function drcsDownloadBytes(set: 0 | 1, shapes: ReadonlyMap<number, ArrayLike<number>>): number[] {
  const codes = [...shapes.keys()].sort((a, b) => a - b);
  if (codes.length === 0) return [];
  const out = drcsHeader(set);
  let previous = -2;
  for (const code of codes) {
    if (code !== previous + 1) out.push(C0.US, 0x23, code);
    out.push(SHAPE_SEPARATOR, ...drcsShapeBytes(shapes.get(code) ?? []));
    previous = code;
  }
  return out;
}
