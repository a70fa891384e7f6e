import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../videotex/terminal.js';
import { targetScreen } from './convert.js';
import { emitCells } from './emit.js';
import { FULL_PAGE, isFullPage, type Region } from './geometry.js';
import { FULL } from './mosaic.js';
import { sameMosaicPixels } from './metrics.js';
import { orientCells } from './orient.js';
import type { CellColours } from './quantise.js';

const regionArbitrary = fc
  .record({ row: fc.integer({ min: 1, max: 24 }), column: fc.integer({ min: 1, max: 40 }) })
  .chain(({ row, column }) =>
    fc.record({
      row: fc.constant(row),
      column: fc.constant(column),
      rows: fc.integer({ min: 1, max: 25 - row }),
      columns: fc.integer({ min: 1, max: 41 - column }),
    }),
  );

/** Random cells, biased to runs of equal cells so that REP and colour reuse are exercised. */
function coloursArbitrary(cells: number): fc.Arbitrary<CellColours> {
  const cell = fc.record({ a: fc.integer({ min: 0, max: 7 }), b: fc.integer({ min: 0, max: 7 }), pixels: fc.integer({ min: 1, max: FULL - 1 }), run: fc.integer({ min: 1, max: 90 }) });
  return fc.array(cell, { minLength: 1, maxLength: cells }).map((runs) => {
    const colours: CellColours = { columns: 0, rows: 0, a: new Uint8Array(cells), b: new Uint8Array(cells), pixels: new Uint8Array(cells) };
    let i = 0;
    for (const run of runs.length ? runs : []) {
      for (let k = 0; k < run.run && i < cells; k++, i++) {
        const solid = run.a === run.b;
        colours.a[i] = run.a;
        colours.b[i] = run.b;
        colours.pixels[i] = solid ? 0 : run.pixels;
      }
    }
    return colours;
  });
}

function encode(colours: CellColours, region: Region): { bytes: Uint8Array; screen: ReturnType<typeof targetScreen> } {
  const full = isFullPage(region);
  const cells = orientCells(colours, { breakBefore: (i) => !full && i % region.columns === 0 });
  return { bytes: emitCells(cells, region, { clear: full }), screen: targetScreen(cells, region) };
}

describe('emit: cells to bytes', () => {
  it('decodes to exactly the target cells, for any region and any cells', () => {
    fc.assert(
      fc.property(
        regionArbitrary.chain((region) => fc.tuple(fc.constant(region), coloursArbitrary(region.rows * region.columns))),
        ([region, colours]) => {
          const { bytes, screen } = encode(colours, region);
          const terminal = new Terminal();
          terminal.write(Uint8Array.of(0x0c));
          terminal.write(bytes);
          expect(sameMosaicPixels(terminal.screen, screen, FULL_PAGE)).toBe(true);
          expect(bytes.every((b) => b < 0x80)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes to the target on a full page, whatever was on screen before', () => {
    fc.assert(
      fc.property(coloursArbitrary(960), (colours) => {
        const { bytes, screen } = encode(colours, FULL_PAGE);
        const terminal = new Terminal();
        terminal.write(Uint8Array.of(0x0e, 0x1b, 0x45, 0x7f, 0x12, 0x7f));
        terminal.write(bytes);
        expect(sameMosaicPixels(terminal.screen, screen, FULL_PAGE)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('chooses the encoding that keeps colours: a pattern and its inverse in swapped colours need no colour change', () => {
    const colours: CellColours = { columns: 8, rows: 1, a: new Uint8Array(8), b: new Uint8Array(8), pixels: new Uint8Array(8) };
    for (let i = 0; i < 8; i++) {
      colours.a[i] = i % 2 ? 4 : 1;
      colours.b[i] = i % 2 ? 1 : 4;
      colours.pixels[i] = i % 2 ? 0b110011 : 0b001100;
    }
    const cells = orientCells(colours);
    expect(new Set(cells.fg).size).toBe(1);
    expect(new Set(cells.bg).size).toBe(1);
    // All eight cells are now the same character: one literal and REP 7.
    const bytes = emitCells(cells, { row: 1, column: 1, rows: 1, columns: 8 }, { clear: false });
    expect(Array.from(bytes.subarray(-3))).toEqual([0x12, 0x47, 0x0f]);
  });

  it('writes a one-colour cell as an empty or full mosaic in whichever colour slot is already set', () => {
    // Red on blue with a pattern, then a solid red cell: 0x7F in the red foreground, no colour change.
    const colours: CellColours = { columns: 2, rows: 1, a: Uint8Array.of(1, 1), b: Uint8Array.of(4, 1), pixels: Uint8Array.of(0b000011, 0) };
    const cells = orientCells(colours);
    expect([cells.fg[1], cells.bg[1]]).toEqual([cells.fg[0], cells.bg[0]]);
    expect(cells.code[1]).toBe(cells.fg[0] === 1 ? 0x7f : 0x20);
  });

  it('gives the last cell of a region row a black background when text may follow it (p.86)', () => {
    // White and blue, then black and blue: from white on blue, black on blue is one change away.
    const colours: CellColours = { columns: 2, rows: 1, a: Uint8Array.of(7, 0), b: Uint8Array.of(4, 4), pixels: Uint8Array.of(0b000011, 0b000011) };
    const free = orientCells(colours);
    const edge = orientCells(colours, { beforeText: (i) => i === 1 });
    expect([free.fg[1], free.bg[1]]).toEqual([0, 4]);
    expect([edge.fg[1], edge.bg[1]]).toEqual([4, 0]);
  });

  it('leaves out trailing black cells of a full page, which FF already drew', () => {
    const colours: CellColours = { columns: 40, rows: 24, a: new Uint8Array(960), b: new Uint8Array(960), pixels: new Uint8Array(960) };
    colours.a[0] = 7;
    colours.b[0] = 7;
    const bytes = encode(colours, FULL_PAGE).bytes;
    // One white cell: a full block in the default white foreground, then nothing.
    expect(Array.from(bytes)).toEqual([0x0c, 0x0e, 0x7f, 0x0f]);
  });
});

describe('emit: a full page that ends in black', () => {
  it('leaves out a trailing full block in black, which looks like what FF left', () => {
    const colours: CellColours = { columns: 40, rows: 24, a: new Uint8Array(960), b: new Uint8Array(960), pixels: new Uint8Array(960) };
    colours.a.set([5, 7, 7]);
    colours.b.set([0, 5, 0]);
    colours.pixels.set([1, 1, 1]);
    const { bytes, screen } = encode(colours, FULL_PAGE);
    const terminal = new Terminal();
    terminal.write(bytes);
    expect(sameMosaicPixels(terminal.screen, screen, FULL_PAGE)).toBe(true);
  });
});
