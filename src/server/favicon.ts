/**
 * The icon browsers ask for at /favicon.ico: a small Minitel, drawn here
 * from our own 8×10 font (render/glyphs.ts) — a light case, a black screen
 * and a white "M" — and wrapped as an ICO file holding one PNG, which every
 * current browser reads. Made once, on first request.
 */
import { encodePng } from '../render/png.js';
import { g0Glyph } from '../render/glyphs.js';

const SIZE = 32;
const CASE = [0xd8, 0xd0, 0xbc];
const SCREEN = [0x10, 0x10, 0x10];
const INK = [0xf4, 0xf4, 0xf4];
/** Case margin around the screen, in pixels. */
const MARGIN = 3;
/** The letter is drawn at twice the font's size. */
const SCALE = 2;

let cached: Uint8Array | undefined;

/** The ICO file's bytes. */
export function faviconIco(): Uint8Array {
  cached ??= icoOfPng(iconPng());
  return cached;
}

function iconPng(): Uint8Array {
  const data = new Uint8ClampedArray(SIZE * SIZE * 4);
  const glyph = g0Glyph(0x4d); // 'M'
  const left = (SIZE - 8 * SCALE) / 2;
  const top = (SIZE - 10 * SCALE) / 2;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const onScreen = x >= MARGIN && x < SIZE - MARGIN && y >= MARGIN && y < SIZE - MARGIN;
      const gx = Math.floor((x - left) / SCALE);
      const gy = Math.floor((y - top) / SCALE);
      const inked = gx >= 0 && gx < 8 && gy >= 0 && gy < 10 && (glyph[gy] & (0x80 >> gx)) !== 0;
      const colour = !onScreen ? CASE : inked ? INK : SCREEN;
      data.set([colour[0], colour[1], colour[2], 0xff], (y * SIZE + x) * 4);
    }
  }
  return encodePng({ width: SIZE, height: SIZE, data });
}

/** An ICO directory with one image stored as PNG (ICONDIR, one ICONDIRENTRY, then the PNG). */
function icoOfPng(png: Uint8Array): Uint8Array {
  const ico = new Uint8Array(6 + 16 + png.length);
  const view = new DataView(ico.buffer);
  view.setUint16(2, 1, true); // type: icon
  view.setUint16(4, 1, true); // one image
  ico[6] = SIZE; // width
  ico[7] = SIZE; // height
  view.setUint16(10, 1, true); // colour planes
  view.setUint16(12, 32, true); // bits per pixel
  view.setUint32(14, png.length, true);
  view.setUint32(18, 6 + 16, true); // offset of the PNG
  ico.set(png, 22);
  return ico;
}
