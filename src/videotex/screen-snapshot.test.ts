import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPUS_SKIP_MESSAGE, corpusAvailable, corpusPages, readCorpusPage } from '../test-support/reference-pages.js';
import { drcsDownloadBytes } from './drcs-download.js';
import { encodeScreen } from './encode.js';
import { Screen } from './screen.js';
import { restoreScreen, ScreenSnapshotError, snapshotScreen } from './screen-snapshot.js';
import { Terminal } from './terminal.js';
import { stripFilePadding } from './vdt-file.js';

/** Through JSON, as a checkpoint row carries it. */
function roundTrip(screen: Screen): Screen {
  return restoreScreen(JSON.parse(JSON.stringify(snapshotScreen(screen))));
}

function decoded(bytes: Uint8Array | number[]): Screen {
  const terminal = new Terminal();
  terminal.write(bytes);
  return terminal.screen;
}

describe('screen snapshots', () => {
  it('bring back a power-on screen exactly, in a few numbers', () => {
    const screen = new Screen();
    const snapshot = snapshotScreen(screen);
    expect(snapshot.cells).toEqual([1000, screen.cells[0]]);
    expect(roundTrip(screen).equals(screen, { cursor: true })).toBe(true);
  });

  it('bring back cells, cursor, global mask and downloaded DRCS shapes', () => {
    // FF, text, cursor on (p.99), a download of G'0 code 0x21 (docs §6.3), designated and used.
    const shape = Uint8Array.of(0xff, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xff);
    const screen = decoded([
      0x0c, 0x41, 0x42, 0x1b, 0x48, 0x43, 0x11,
      ...drcsDownloadBytes(0, new Map([[0x21, shape]])),
      0x1f, 0x41, 0x41, 0x1b, 0x28, 0x20, 0x42, 0x21, 0x1b, 0x28, 0x42,
    ]);
    expect(screen.hasDrcs).toBe(true);
    const back = roundTrip(screen);
    expect(back.equals(screen, { cursor: true })).toBe(true);
    expect(Array.from(back.drcs[0])).toEqual(Array.from(screen.drcs[0]));
    expect(back.cursorVisible).toBe(screen.cursorVisible);
    expect(back.globalMask).toBe(screen.globalMask);
  });

  it('bring back any screen a random stream leaves, byte for byte when encoded again', () => {
    const stream = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 });
    fc.assert(
      fc.property(stream, (bytes) => {
        const screen = decoded(bytes);
        const back = roundTrip(screen);
        expect(back.equals(screen, { cursor: true })).toBe(true);
        expect(Array.from(encodeScreen(back))).toEqual(Array.from(encodeScreen(screen)));
      }),
      { numRuns: 150 },
    );
  });

  it('refuse what snapshotScreen could not have made, saying what is wrong', () => {
    const good = snapshotScreen(decoded([0x0c, 0x41]));
    const bad: unknown[] = [
      null,
      'screen',
      { ...good, cells: [999, good.cells[1]] },
      { ...good, cells: [1000, 2 ** 30] },
      { ...good, cells: [1000, (7 << 7) | 0x41] },
      { ...good, cells: [500.5, 0x41, 499.5, 0x41] },
      { ...good, cells: [1001, 0x41] },
      { ...good, cells: Array.from({ length: 2002 }, () => 1) },
      { ...good, cursor: { row: 25, column: 1, visible: true } },
      { ...good, cursor: { row: 1, column: 0, visible: true } },
      { ...good, cursor: undefined },
      { ...good, globalMask: 'yes' },
      { ...good, drcs: [[940, 0]] },
      { ...good, drcs: [[940, 256], [940, 0]] },
    ];
    for (const value of bad) expect(() => restoreScreen(value), JSON.stringify(value)).toThrow(ScreenSnapshotError);
  });

  it.skipIf(!corpusAvailable())('bring back every corpus page cell for cell', () => {
    const sizes: number[] = [];
    for (const name of corpusPages()) {
      const screen = decoded(stripFilePadding(readCorpusPage(name)));
      const json = JSON.stringify(snapshotScreen(screen));
      sizes.push(json.length);
      expect(restoreScreen(JSON.parse(json)).equals(screen, { cursor: true }), name).toBe(true);
    }
    sizes.sort((a, b) => a - b);
    // Bounded well inside a checkpoint (STORE_LIMITS.checkpointBytesMax, 64 KiB), whatever the page.
    expect(sizes[sizes.length - 1]).toBeLessThan(32 * 1024);
  });
  if (!corpusAvailable()) it.skip(CORPUS_SKIP_MESSAGE, () => {});
});
