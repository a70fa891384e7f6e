import { describe, expect, it } from 'vitest';
import { fitToRegion } from './fit.js';
import { FULL_PAGE } from './geometry.js';
import { drawnImage, solidImage } from './fixtures/images.js';

function pixel(data: Float32Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return Array.from(data.subarray(i, i + 3), (v) => Math.round(v));
}

describe('fit: picture to mosaic pixels', () => {
  it('gives 80×72 mosaic pixels for the full page, and 2 × columns by 3 × rows for a region', () => {
    const image = solidImage(10, 10, [255, 0, 0]);
    expect(fitToRegion(image, FULL_PAGE)).toMatchObject({ width: 80, height: 72 });
    expect(fitToRegion(image, { row: 3, column: 4, rows: 5, columns: 6 })).toMatchObject({ width: 12, height: 15 });
  });

  it('fills every mosaic pixel when the picture has the page proportions (4:3)', () => {
    const fitted = fitToRegion(solidImage(640, 480, [10, 200, 30]), FULL_PAGE);
    for (let y = 0; y < 72; y++) for (let x = 0; x < 80; x++) expect(pixel(fitted.data, 80, x, y)).toEqual([10, 200, 30]);
  });

  it('samples the 3+4+3 split of a cell: a stripe on screen rows 0–2 of each cell fills only the top mosaic row', () => {
    // 320×240 maps one picture pixel to one screen pixel.
    const stripes = drawnImage(320, 240, (_x, y) => (y % 10 < 3 ? [255, 255, 255] : [0, 0, 0]));
    const fitted = fitToRegion(stripes, FULL_PAGE);
    for (let y = 0; y < 72; y++) expect(pixel(fitted.data, 80, 5, y)).toEqual(y % 3 === 0 ? [255, 255, 255] : [0, 0, 0]);
    // Screen rows 3–6 (4 pixels) are the middle mosaic row.
    const middle = fitToRegion(drawnImage(320, 240, (_x, y) => (y % 10 >= 3 && y % 10 < 7 ? [255, 255, 255] : [0, 0, 0])), FULL_PAGE);
    for (let y = 0; y < 72; y++) expect(pixel(middle.data, 80, 5, y)).toEqual(y % 3 === 1 ? [255, 255, 255] : [0, 0, 0]);
  });

  it('averages the picture over each mosaic pixel when it shrinks it', () => {
    // Alternating columns of black and white average to mid grey.
    const fitted = fitToRegion(drawnImage(640, 480, (x) => (x % 2 ? [255, 255, 255] : [0, 0, 0])), FULL_PAGE);
    expect(pixel(fitted.data, 80, 40, 30)).toEqual([128, 128, 128]);
  });

  it('letterboxes a tall picture with black at the left and right', () => {
    const fitted = fitToRegion(solidImage(10, 30, [255, 255, 255]), FULL_PAGE);
    // 240 screen pixels high → 80 wide, centred: screen x 120–200, mosaic columns 30–49.
    expect(pixel(fitted.data, 80, 29, 36)).toEqual([0, 0, 0]);
    expect(pixel(fitted.data, 80, 30, 36)).toEqual([255, 255, 255]);
    expect(pixel(fitted.data, 80, 49, 36)).toEqual([255, 255, 255]);
    expect(pixel(fitted.data, 80, 50, 36)).toEqual([0, 0, 0]);
  });

  it('draws transparent pixels over black', () => {
    const fitted = fitToRegion(solidImage(4, 3, [255, 255, 255, 0]), FULL_PAGE);
    expect(fitted.data.every((v) => v === 0)).toBe(true);
    const half = fitToRegion(solidImage(4, 3, [200, 100, 50, 128]), FULL_PAGE);
    expect(pixel(half.data, 80, 0, 0)).toEqual([100, 50, 25]);
  });

  it('enlarges a one-pixel picture to the whole region', () => {
    const fitted = fitToRegion(solidImage(1, 1, [0, 0, 255]), { row: 1, column: 1, rows: 2, columns: 3 });
    // 24×20 screen pixels: the square fills 20×20 in the middle, 2 screen pixels of black each side.
    expect(pixel(fitted.data, 6, 2, 1)).toEqual([0, 0, 255]);
    expect(pixel(fitted.data, 6, 0, 1)).toEqual([0, 0, 128]);
  });

  it('keeps only luma in grey mode', () => {
    const fitted = fitToRegion(solidImage(4, 3, [255, 0, 0]), FULL_PAGE, 'grey');
    expect(pixel(fitted.data, 80, 0, 0)).toEqual([76, 76, 76]);
  });
});
