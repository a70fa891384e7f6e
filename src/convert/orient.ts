/**
 * Chooses how each cell is written. A two-colour cell has two equivalent
 * encodings: colours (a, b) with its pattern, or (b, a) with the pattern
 * inverted. A one-colour cell c is either the empty mosaic 0x20 on
 * background c (any foreground) or the full block 0x7F in foreground c (any
 * background). The choice decides how many `ESC 4x`/`ESC 5x` a row needs and
 * whether neighbours are the same character, which REP repeats (p.98).
 *
 * A shortest-path search over each cell's encodings with this byte model of
 * a left-to-right writer in G1 (p.91–92, p.98):
 *   - a foreground or background change costs 2 bytes (`ESC 4x`, `ESC 5x`);
 *   - a character costs 1 byte;
 *   - the same character with the same colours as the one before is a
 *     repeat: the first two repeats cost 1 byte each, further ones nothing
 *     (`REP n` is 2 bytes for up to 63 repeats).
 * The state is (encoding of the cell, repeats so far capped at 2). At a
 * break (the writer moves to another row) colours carry over but runs stop.
 *
 * A mosaic also sets the zone background of the text to its right (p.86,
 * p.93), so when a region stops short of column 40 its last cell on each row
 * prefers a black background (the usual text zone), at up to
 * EDGE_PENALTY bytes.
 */
import { mosaicCode, FULL } from './mosaic.js';
import type { CellColours } from './quantise.js';

/** A G1 cell as written: foreground, background, mosaic code. */
export interface CellEncodings {
  fg: Uint8Array;
  bg: Uint8Array;
  code: Uint8Array;
}

export const COST = { colour: 2, character: 1 } as const;
/** What a non-black background on a region's right edge is worth avoiding, in bytes. */
const EDGE_PENALTY = 4;

export interface OrientOptions {
  /** The writer moves before this cell (a region row that does not follow on from the previous one). */
  breakBefore?: (cell: number) => boolean;
  /** Text may follow this cell on its row: a black background is preferred. */
  beforeText?: (cell: number) => boolean;
}

/** Encodings of a cell at most: 8 foregrounds for 0x20 and 8 backgrounds for 0x7F. */
const MAX_OPTIONS = 16;
const EMPTY = 0x20;
const FULL_BLOCK = 0x7f;
const RUN_STATES = 3;

/** Colours after FF, RS or US: white on black (p.95–96). */
export const DEFAULT_FG = 7;
export const DEFAULT_BG = 0;

function optionsOf(colours: CellColours, cell: number, fg: Uint8Array, bg: Uint8Array, code: Uint8Array): number {
  const a = colours.a[cell];
  const b = colours.b[cell];
  if (a === b) {
    for (let x = 0; x < 8; x++) {
      fg[x] = x;
      bg[x] = a;
      code[x] = EMPTY;
      fg[8 + x] = a;
      bg[8 + x] = x;
      code[8 + x] = FULL_BLOCK;
    }
    return 16;
  }
  const mask = colours.pixels[cell];
  fg[0] = a;
  bg[0] = b;
  code[0] = mosaicCode(mask);
  fg[1] = b;
  bg[1] = a;
  code[1] = mosaicCode(~mask & FULL);
  return 2;
}

/** The cheapest encodings for `colours`, written in reading order. */
export function orientCells(colours: CellColours, options: OrientOptions = {}): CellEncodings {
  const breakBefore = options.breakBefore ?? (() => false);
  const beforeText = options.beforeText ?? (() => false);
  const cells = colours.a.length;
  const optFg = new Uint8Array(cells * MAX_OPTIONS);
  const optBg = new Uint8Array(cells * MAX_OPTIONS);
  const optCode = new Uint8Array(cells * MAX_OPTIONS);
  const count = new Uint8Array(cells);
  const states = MAX_OPTIONS * RUN_STATES;
  const cost = new Float64Array(cells * states).fill(Infinity);
  const from = new Int16Array(cells * states).fill(-1);

  for (let i = 0; i < cells; i++) {
    const o = i * MAX_OPTIONS;
    count[i] = optionsOf(colours, i, optFg.subarray(o), optBg.subarray(o), optCode.subarray(o));
    const cutRun = i === 0 || breakBefore(i);
    const edge = beforeText(i);
    for (let j = 0; j < count[i]; j++) {
      const fg = optFg[o + j];
      const bg = optBg[o + j];
      const code = optCode[o + j];
      const penalty = edge && bg !== 0 ? EDGE_PENALTY : 0;
      if (i === 0) {
        const c = (fg !== DEFAULT_FG ? COST.colour : 0) + (bg !== DEFAULT_BG ? COST.colour : 0) + COST.character + penalty;
        cost[i * states + j * RUN_STATES] = c;
        continue;
      }
      const p = (i - 1) * MAX_OPTIONS;
      for (let k = 0; k < count[i - 1]; k++) {
        const colourCost = (fg !== optFg[p + k] ? COST.colour : 0) + (bg !== optBg[p + k] ? COST.colour : 0);
        const same = !cutRun && colourCost === 0 && code === optCode[p + k];
        for (let r = 0; r < RUN_STATES; r++) {
          const before = cost[(i - 1) * states + k * RUN_STATES + r];
          if (before === Infinity) continue;
          let run = 0;
          let step = colourCost + COST.character + penalty;
          if (same) {
            run = Math.min(r + 1, RUN_STATES - 1);
            step = (r === RUN_STATES - 1 ? 0 : COST.character) + penalty;
          }
          const target = i * states + j * RUN_STATES + run;
          if (before + step < cost[target]) {
            cost[target] = before + step;
            from[target] = k * RUN_STATES + r;
          }
        }
      }
    }
  }

  const out: CellEncodings = { fg: new Uint8Array(cells), bg: new Uint8Array(cells), code: new Uint8Array(cells) };
  if (cells === 0) return out;
  let state = 0;
  let best = Infinity;
  for (let s = 0; s < states; s++) {
    if (cost[(cells - 1) * states + s] < best) {
      best = cost[(cells - 1) * states + s];
      state = s;
    }
  }
  for (let i = cells - 1; i >= 0; i--) {
    const j = Math.floor(state / RUN_STATES);
    out.fg[i] = optFg[i * MAX_OPTIONS + j];
    out.bg[i] = optBg[i * MAX_OPTIONS + j];
    out.code[i] = optCode[i * MAX_OPTIONS + j];
    state = from[i * states + state];
  }
  return out;
}
