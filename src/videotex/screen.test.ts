/**
 * Screen comparison: firstVisualDifference skips rows whose stored cells are
 * equal, so it must still find exactly the cell a full comparison of every
 * resolved row finds, downloaded shapes included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMNS, ROWS } from './codes.js';
import { drcsDownloadBytes } from './drcs-download.js';
import { Screen, visualKey } from './screen.js';
import { Terminal } from './terminal.js';

/** The comparison written out the slow way: every row resolved, every cell's look and shape compared. */
function referenceDifference(a: Screen, b: Screen): [number, number] | undefined {
  if (a.globalMask !== b.globalMask) return [0, 0];
  for (let row = 0; row < ROWS; row++) {
    const mine = a.resolveRow(row, new Uint32Array(COLUMNS));
    const theirs = b.resolveRow(row, new Uint32Array(COLUMNS));
    for (let i = 0; i < COLUMNS; i++) {
      if (visualKey(mine[i]) !== visualKey(theirs[i])) return [row, i + 1];
      const look = a.appearance(row, i + 1);
      if (look.set !== 'DRCS0' && look.set !== 'DRCS1') continue;
      if (look.delimiter || look.error || look.code < 0x21 || look.code > 0x7e) continue;
      const set = look.set === 'DRCS0' ? 0 : 1;
      if (Array.from(a.drcsShape(set, look.code)).join() !== Array.from(b.drcsShape(set, look.code)).join()) return [row, i + 1];
    }
  }
  return undefined;
}

function decoded(bytes: ArrayLike<number>): Screen {
  const terminal = new Terminal();
  terminal.write(bytes);
  return terminal.screen;
}

const SHAPE_A = [0xff, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xff];
const SHAPE_B = [0xff, 0x81, 0x81, 0x99, 0x99, 0x81, 0x81, 0x81, 0x81, 0xff];
/** Writes G'0 code 0x21 at row `row`, column 1 (designation ESC 28 20 42, docs §6.3). */
const drcsAt = (row: number) => [0x1f, 0x40 + row, 0x41, 0x1b, 0x28, 0x20, 0x42, 0x21, 0x1b, 0x28, 0x42];

describe('Screen.firstVisualDifference', () => {
  it('finds a shape downloaded differently under the same stored cells', () => {
    const a = decoded([0x0c, ...drcsDownloadBytes(0, new Map([[0x21, SHAPE_A]])), ...drcsAt(7)]);
    const b = decoded([0x0c, ...drcsDownloadBytes(0, new Map([[0x21, SHAPE_B]])), ...drcsAt(7)]);
    expect(Array.from(a.cells)).toEqual(Array.from(b.cells));
    expect(a.firstVisualDifference(b)).toEqual([7, 1]);
    expect(b.firstVisualDifference(a)).toEqual([7, 1]);
  });

  it('ignores shapes that no cell on screen uses', () => {
    const a = decoded([0x0c, ...drcsDownloadBytes(0, new Map([[0x21, SHAPE_A]])), 0x1f, 0x41, 0x41, 0x41]);
    const b = decoded([0x0c, 0x1f, 0x41, 0x41, 0x41]);
    expect(a.hasDrcs).toBe(true);
    expect(a.firstVisualDifference(b)).toBeUndefined();
  });

  it('tells stored-apart cells that look alike from ones that do not', () => {
    // A black text space looks like the empty mosaic FF leaves; a mosaic 0x40 does not.
    expect(decoded([0x0c, 0x1f, 0x45, 0x41, 0x20]).firstVisualDifference(decoded([0x0c]))).toBeUndefined();
    expect(decoded([0x0c, 0x1f, 0x45, 0x41, 0x0e, 0x40]).firstVisualDifference(decoded([0x0c]))).toEqual([5, 1]);
  });

  it('agrees with a full comparison of every resolved row on random screens sharing a page', () => {
    // Bytes biased to what changes the look of a row: moves, attributes, mosaics, spaces, delimiters.
    const byte = fc.oneof(
      fc.constantFrom(0x1f, 0x0e, 0x0f, 0x1b, 0x20, 0x40, 0x60, 0x41, 0x48, 0x4d, 0x5d, 0x5a, 0x59, 0x0a, 0x0d),
      fc.integer({ min: 0x20, max: 0x7f }),
      fc.integer({ min: 0, max: 255 }),
    );
    const stream = fc.array(byte, { maxLength: 120 });
    fc.assert(
      fc.property(stream, stream, stream, fc.boolean(), (page, left, right, withShapes) => {
        const common = [0x0c, ...(withShapes ? drcsDownloadBytes(0, new Map([[0x21, SHAPE_A]])) : []), ...page];
        const a = decoded([...common, ...left]);
        const b = decoded([...common, ...right]);
        expect(a.firstVisualDifference(b)).toEqual(referenceDifference(a, b));
        expect(a.firstVisualDifference(a.clone())).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });
});
