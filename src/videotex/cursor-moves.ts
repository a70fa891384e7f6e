/**
 * The cheapest bytes that move the cursor (p.94–97). Relative moves (BS, HT,
 * LF, VT, CR, CSI A–D, CSI H) keep the character attributes; US and RS reset
 * them (p.96). Nothing here relies on wrapping past row 24 or on LF/VT at the
 * page edges, which scroll in roll mode (p.97); CSI never works in row 0.
 */
import { C0, COLUMNS, ESC_ATTR } from './codes.js';

/** Runs of HT/BS that wrap across rows are only worth trying when short. */
const LINEAR_LIMIT = 6;

export interface CursorPosition {
  row: number;
  column: number;
}

export interface CursorMoves {
  /** The cheapest move that keeps the attributes, when there is one. */
  keep?: number[];
  /** The cheapest move that resets them (US or RS, p.95–96); it always exists. */
  reset: number[];
}

/** `US r c` (p.96). */
export function usBytes(row: number, column: number): number[] {
  return [C0.US, 0x40 + row, 0x40 + column];
}

function digits(n: number): number[] {
  return Array.from(String(n), (ch) => ch.charCodeAt(0));
}

/** `CSI n X`, with the parameter left out when it is 1 (its default, p.95). */
function csi(n: number, final: number): number[] {
  return n === 1 ? [C0.ESC, ESC_ATTR.CSI, final] : [C0.ESC, ESC_ATTR.CSI, ...digits(n), final];
}

function times(byte: number, n: number): number[] {
  return new Array<number>(n).fill(byte);
}

function shortest(options: number[][]): number[] {
  let best = options[0];
  for (const option of options) if (option.length < best.length) best = option;
  return best;
}

/** Along one row: HT/BS or CSI C/D, or CR first (p.94–97). */
function horizontal(from: number, to: number, csiAllowed: boolean): number[] {
  if (to === from) return [];
  if (to > from) {
    const n = to - from;
    return csiAllowed && n > 3 ? shortest([times(C0.HT, n), csi(n, 0x43)]) : times(C0.HT, n);
  }
  const n = from - to;
  const options = [times(C0.BS, n), [C0.CR, ...horizontal(1, to, csiAllowed)]];
  if (csiAllowed) options.push(csi(n, 0x44));
  return shortest(options);
}

/** Between rows 1–24: LF/VT or CSI A/B, never past the page edges. */
function vertical(from: number, to: number): number[] {
  if (to === from) return [];
  const n = Math.abs(to - from);
  return to > from ? shortest([times(C0.LF, n), csi(n, 0x42)]) : shortest([times(C0.VT, n), csi(n, 0x41)]);
}

/** The cheapest attribute-keeping move between two positions in rows 1–24. */
function relative(from: CursorPosition, to: CursorPosition): number[] {
  const options = [[...vertical(from.row, to.row), ...horizontal(from.column, to.column, true)]];
  const linear = (to.row - from.row) * COLUMNS + (to.column - from.column);
  // HT at column 40 goes to column 1 of the next row, BS the other way (p.97).
  if (linear > 0 && linear <= LINEAR_LIMIT) options.push(times(C0.HT, linear));
  if (linear < 0 && -linear <= LINEAR_LIMIT) options.push(times(C0.BS, -linear));
  if (options[0].length > 6) {
    // CSI r ; c H: absolute, but keeps the attributes (p.95).
    options.push([C0.ESC, ESC_ATTR.CSI, ...digits(to.row), 0x3b, ...digits(to.column), 0x48]);
  }
  return shortest(options);
}

/**
 * The cheapest moves from `from` (undefined when unknown) to `to`. A move into
 * row 0 is always `US 40 c` (p.97); a move out of it is US or RS here (the
 * caller knows when LF would restore the position it wants).
 */
export function cursorMoves(from: CursorPosition | undefined, to: CursorPosition): CursorMoves {
  if (to.row === 0) {
    const reset = usBytes(0, to.column);
    if (from && from.row === 0) return { keep: horizontal(from.column, to.column, false), reset };
    return { reset };
  }
  let reset = usBytes(to.row, to.column);
  if (to.row <= 2 && to.column <= 2) {
    // RS goes home (p.95); one LF or HT more still beats US.
    const viaHome = [C0.RS, ...relative({ row: 1, column: 1 }, to)];
    if (viaHome.length < reset.length) reset = viaHome;
  }
  if (!from || from.row === 0) return { reset };
  return { keep: relative(from, to), reset };
}

