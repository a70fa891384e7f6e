/**
 * The eight Minitel colours as sRGB, and the grey levels a monochrome Minitel
 * shows for them (STUM1B p.32, p.92). Shared by the raster and ANSI renderers.
 *
 * Colour index = RGB bits: bit 0 red, bit 1 green, bit 2 blue (p.92). The
 * video chip drives each gun fully on or fully off, so a colour is its bits at
 * full intensity:
 *
 *   0 black   #000000     4 blue     #0000FF
 *   1 red     #FF0000     5 magenta  #FF00FF
 *   2 green   #00FF00     6 cyan     #00FFFF
 *   3 yellow  #FFFF00     7 white    #FFFFFF
 *
 * Grey mode gives each index the luminance STUM1B lists (p.32): black 0 %,
 * red 50 %, green 70 %, yellow 90 %, blue 40 %, magenta 60 %, cyan 80 %,
 * white 100 %, as an sRGB grey of round(percent × 255 / 100):
 *
 *   0 #000000  1 #808080  2 #B3B3B3  3 #E6E6E6
 *   4 #666666  5 #999999  6 #CCCCCC  7 #FFFFFF
 */
import { GREY_PERCENT } from '../videotex/codes.js';

export type ColourMode = 'colour' | 'grey';

/** One colour as [red, green, blue], 0–255 each. */
export type Rgb = readonly [number, number, number];

function colourRgb(index: number): Rgb {
  return [index & 1 ? 255 : 0, index & 2 ? 255 : 0, index & 4 ? 255 : 0];
}

function greyRgb(index: number): Rgb {
  const level = Math.round((GREY_PERCENT[index] * 255) / 100);
  return [level, level, level];
}

const COLOUR_PALETTE: readonly Rgb[] = Array.from({ length: 8 }, (_, i) => colourRgb(i));
const GREY_PALETTE: readonly Rgb[] = Array.from({ length: 8 }, (_, i) => greyRgb(i));

/** The 8 colours of a mode, by Minitel colour index 0–7. */
export function palette(mode: ColourMode): readonly Rgb[] {
  return mode === 'grey' ? GREY_PALETTE : COLOUR_PALETTE;
}
