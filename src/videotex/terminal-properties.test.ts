/**
 * Whole-decoder properties: any bytes are accepted, chunking never matters,
 * memory stays bounded, and every corpus page decodes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPUS_SKIP_MESSAGE, corpusAvailable, corpusPages, readCorpusPage } from '../test-support/reference-pages.js';
import { hex } from '../test-support/videotex.js';
import { cellCode, cellSet, DELIMITER, RIGHT_HALF, TOP_HALF } from './cell.js';
import { Terminal } from './terminal.js';
import { stripFilePadding } from './vdt-file.js';

interface Run {
  terminal: Terminal;
  replies: number[];
  bells: number;
}

function run(chunks: Uint8Array[]): Run {
  const replies: number[] = [];
  let bells = 0;
  const terminal = new Terminal({ onReply: (b) => replies.push(...b), onBell: () => bells++ });
  for (const chunk of chunks) terminal.write(chunk);
  return { terminal, replies, bells };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

function expectSameRun(a: Run, b: Run): void {
  expect(b.terminal.screen.equals(a.terminal.screen, { cursor: true })).toBe(true);
  expect([b.terminal.screen.cursorRow, b.terminal.screen.cursorColumn]).toEqual([
    a.terminal.screen.cursorRow,
    a.terminal.screen.cursorColumn,
  ]);
  expect(b.replies).toEqual(a.replies);
  expect(b.bells).toBe(a.bells);
  expect(b.terminal.modes).toEqual(a.terminal.modes);
}

/** Every cell is a well-formed word and the cursor is on the screen. */
function expectValidScreen(terminal: Terminal): void {
  const screen = terminal.screen;
  expect(screen.cursorRow).toBeGreaterThanOrEqual(0);
  expect(screen.cursorRow).toBeLessThanOrEqual(24);
  expect(screen.cursorColumn).toBeGreaterThanOrEqual(1);
  expect(screen.cursorColumn).toBeLessThanOrEqual(40);
  for (const word of screen.cells) {
    const code = cellCode(word);
    if (code < 0x20 || Number(cellSet(word)) > 4) throw new Error(`invalid cell word ${word.toString(16)}`);
    if (word & DELIMITER && code !== 0x20) throw new Error(`delimiter that is not a space: ${word.toString(16)}`);
  }
  // Row 0 holds no enlarged halves, and column 1 no right half.
  for (let column = 1; column <= 40; column++) {
    if (screen.get(0, column) & (TOP_HALF | RIGHT_HALF) && column === 1) throw new Error('right half in column 1');
  }
}

/** Bytes weighted toward the codes that start sequences, so that fast-check explores them. */
const videotexByte = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 3, arbitrary: fc.constantFrom(0x1b, 0x1f, 0x12, 0x19, 0x0e, 0x0f, 0x13, 0x0a, 0x08, 0x0c, 0x18, 0x20) },
  { weight: 2, arbitrary: fc.constantFrom(0x39, 0x3a, 0x3b, 0x5b, 0x23, 0x25, 0x28, 0x29, 0x30, 0x40, 0x41, 0x42, 0x4d, 0x4f, 0x54, 0x58, 0x5a, 0x7b) },
);
const videotexStream = fc.array(videotexByte, { maxLength: 600, size: 'max' }).map((a) => Uint8Array.from(a));

describe('decoder properties', () => {
  it('random byte streams never throw and always leave a valid screen', () => {
    fc.assert(
      fc.property(videotexStream, (bytes) => {
        const { terminal } = run([bytes]);
        expectValidScreen(terminal);
      }),
      { numRuns: 2000 },
    );
  });

  it('decoding is the same whatever the chunking', () => {
    fc.assert(
      fc.property(videotexStream, fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
        expectSameRun(run([bytes]), run(splitAt(bytes, cuts)));
      }),
      { numRuns: 1000 },
    );
  });

  it('a stream split at every byte decodes as the whole stream', () => {
    const streams = [
      hex('0C 1B 54 20 41 0E 1B 5A 7F 0F 19 42 65 12 45 1F 40 41 48 49 0A 1B 5B 32 3B 35 48 58'),
      hex('1F 23 20 20 20 42 49 1F 23 21 30 7F 7F 7F 7F 7F 7F 7F 7F 7F 7F 7F 7F 7F 70 1F 41 41 1B 28 20 42 21'),
      hex('12 1B 39 7B 43 1B 3A 69 43 1B 3B 61 58 51 1B 61 1B 25 41 1B 25 40 1B 23 20 5F'),
    ];
    if (corpusAvailable()) for (const name of corpusPages().slice(0, 12)) streams.push(readCorpusPage(name));
    for (const bytes of streams) {
      const whole = run([bytes]);
      const single: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
      expectSameRun(whole, run(single));
    }
  });

  it('megabytes of open sequences do not grow memory (CSI, ISO 2022, DRCS, transparency)', () => {
    const t = new Terminal();
    const before = process.memoryUsage().heapUsed;
    const chunk = new Uint8Array(1 << 16);
    const openers = [hex('1B 5B'), hex('1B 20'), hex('1F 23 20 20 20 42 49 1F 23 21 30'), hex('1B 25')];
    const fillers = [0x3b, 0x20, 0x7f, 0x41];
    for (let k = 0; k < openers.length; k++) {
      t.write(openers[k]);
      chunk.fill(fillers[k]);
      for (let i = 0; i < 64; i++) t.write(chunk);
      t.write(hex('1B 25 40 0C'));
    }
    global.gc?.();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    t.write(hex('41'));
    expect(t.screen.rowText(1)).toBe('A');
  });
});

describe.skipIf(!corpusAvailable())('corpus pages', () => {
  if (!corpusAvailable()) console.warn(CORPUS_SKIP_MESSAGE);

  it('every page decodes to a valid screen with text on it, deterministically', () => {
    const pages = corpusPages();
    expect(pages.length).toBeGreaterThan(100);
    let withText = 0;
    for (const name of pages) {
      const bytes = stripFilePadding(readCorpusPage(name));
      const first = run([bytes]);
      expectValidScreen(first.terminal);
      if (/[A-Za-z]{3}/.test(first.terminal.screen.text())) withText++;
      const second = run(splitAt(bytes, [7, 100, 1000, 1001]));
      expectSameRun(first, second);
    }
    // Nearly every page of a Minitel service shows some words.
    expect(withText / pages.length).toBeGreaterThan(0.8);
  });
});
