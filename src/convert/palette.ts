/**
 * The colours a picture is reduced to: the 8 Minitel colours, or the 8 grey
 * levels a monochrome Minitel shows for them (p.32, p.92), by colour index.
 *
 * Colour index = RGB bits (bit 0 red, bit 1 green, bit 2 blue) and each gun is
 * fully on or off, so colour n is its bits at 255. Grey mode gives index n the
 * level GREY_PERCENT[n] (black 0 %, blue 40 %, red 50 %, magenta 60 %, green
 * 70 %, cyan 80 %, yellow 90 %, white 100 %) as round(percent × 255 / 100),
 * the values the renderer draws.
 */
import { GREY_PERCENT } from '../videotex/codes.js';

export type ColourMode = 'colour' | 'grey';

/** 8 colours × [r, g, b], 0–255, by Minitel colour index. */
export type Palette = Float32Array;

export function minitelPalette(mode: ColourMode): Palette {
  const palette = new Float32Array(24);
  for (let i = 0; i < 8; i++) {
    if (mode === 'grey') {
      const level = Math.round((GREY_PERCENT[i] * 255) / 100);
      palette.set([level, level, level], i * 3);
    } else {
      palette.set([i & 1 ? 255 : 0, i & 2 ? 255 : 0, i & 4 ? 255 : 0], i * 3);
    }
  }
  return palette;
}

/** Luma of an sRGB colour (ITU-R BT.601 weights): what grey mode keeps of a picture. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * The space colour decisions are made in: luma and two colour differences
 * (BT.601 YCbCr, unscaled), each difference counted at CHROMA_WEIGHT. Plain RGB
 * distance finds a mid grey as close to red/cyan as to black/white; here the
 * black/white pair wins, as the eye expects. Errors are still diffused in RGB.
 */
const CHROMA_WEIGHT = 1;
const CHROMA_SCALE = Math.sqrt(CHROMA_WEIGHT);

export function toDecisionSpace(r: number, g: number, b: number, out: Float32Array | Float64Array, offset: number): void {
  out[offset] = 0.299 * r + 0.587 * g + 0.114 * b;
  out[offset + 1] = (-0.168736 * r - 0.331264 * g + 0.5 * b) * CHROMA_SCALE;
  out[offset + 2] = (0.5 * r - 0.418688 * g - 0.081312 * b) * CHROMA_SCALE;
}
