/**
 * The screen's size on the page: one Minitel pixel is a whole number k of
 * device pixels, so the picture stays sharp; CSS size = 320·k / devicePixelRatio.
 * With `scale="auto"` (and in fullscreen) k is the largest that fits the
 * stage, the case (bezel) included, whose parts are proportional to the
 * screen's width.
 */
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../render/raster.js';

/** Bezel proportions, as fractions of the screen's width: sides, top, bottom (which carries the badge), glass. */
const BEZEL = { x: 0.075, top: 0.075, bottom: 0.13, glass: 0.075 * 0.28 } as const;

export interface LayoutInput {
  scale: number | 'auto';
  bezel: boolean;
  stageWidth: number;
  stageHeight: number;
  devicePixelRatio: number;
}

/** The CSS custom properties the styles size the screen and case with, in CSS pixels. */
export function screenLayout(input: LayoutInput): Record<'--screen-w' | '--screen-h' | '--pad-x' | '--pad-top' | '--pad-bottom', number> {
  const dpr = input.devicePixelRatio;
  let k: number;
  if (input.scale === 'auto') {
    const aroundX = input.bezel ? 2 * (BEZEL.x + BEZEL.glass) : 0;
    const aroundY = input.bezel ? BEZEL.top + BEZEL.bottom + 2 * BEZEL.glass : 0;
    const byWidth = (input.stageWidth * dpr) / (SCREEN_WIDTH * (1 + aroundX));
    const byHeight = (input.stageHeight * dpr) / (SCREEN_HEIGHT + SCREEN_WIDTH * aroundY);
    k = Math.max(1, Math.floor(Math.min(byWidth, byHeight)));
  } else {
    k = Math.max(1, Math.round(input.scale * dpr));
  }
  const width = (SCREEN_WIDTH * k) / dpr;
  return {
    '--screen-w': width,
    '--screen-h': (SCREEN_HEIGHT * k) / dpr,
    '--pad-x': Math.round(width * BEZEL.x),
    '--pad-top': Math.round(width * BEZEL.top),
    '--pad-bottom': Math.round(width * BEZEL.bottom),
  };
}
