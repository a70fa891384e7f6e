/**
 * A Screen as a plain JSON value and back, for session checkpoints: the
 * mirror a gateway keeps of what the user sees must come back cell for cell
 * on another process. Cells are run-length coded (a page is mostly runs of
 * the same word: a few hundred numbers instead of a thousand), DRCS tables
 * likewise. Restoring checks everything: a snapshot from a damaged or forged
 * row is refused with a ScreenSnapshotError, never half applied.
 */
import { COLUMNS, ROWS } from './codes.js';
import { ACCENT_MASK, ACCENT_SHIFT, SET_MASK, SET_SHIFT } from './cell.js';
import { DRCS_CODES, DRCS_SHAPE_BYTES, DRCS_FIRST_CODE, Screen } from './screen.js';

export interface ScreenSnapshot {
  /** Cells, row-major, as [count, word, count, word, …]. */
  cells: number[];
  /** G'0 and G'1 shapes as [count, byte, …], when any were downloaded. */
  drcs?: [number[], number[]];
  cursor: { row: number; column: number; visible: boolean };
  globalMask: boolean;
}

export class ScreenSnapshotError extends Error {
  readonly code = 'TELETEL_E_SCREEN_SNAPSHOT';
  constructor(message: string) {
    super(message);
    this.name = 'ScreenSnapshotError';
  }
}

const CELLS = ROWS * COLUMNS;
const DRCS_BYTES = DRCS_CODES * DRCS_SHAPE_BYTES;
/** Bits above the top one a cell uses (bit 28, cell.ts). */
const UNUSED_BITS = ~((1 << 29) - 1);
const SET_LAST = 4;
const ACCENT_LAST = 5;

export function snapshotScreen(screen: Screen): ScreenSnapshot {
  const snapshot: ScreenSnapshot = {
    cells: runs(screen.cells),
    cursor: { row: screen.cursorRow, column: screen.cursorColumn, visible: screen.cursorVisible },
    globalMask: screen.globalMask,
  };
  if (screen.hasDrcs) snapshot.drcs = [runs(screen.drcs[0]), runs(screen.drcs[1])];
  return snapshot;
}

/** The screen a snapshot describes; throws ScreenSnapshotError when it is not one snapshotScreen could have made. */
export function restoreScreen(value: unknown): Screen {
  if (typeof value !== 'object' || value === null) throw new ScreenSnapshotError('a screen snapshot is an object');
  const snapshot = value as Partial<ScreenSnapshot>;
  const screen = new Screen();
  expand(snapshot.cells, screen.cells, CELLS, isCellWord, 'cells');
  const cursor = snapshot.cursor;
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    !isWhole(cursor.row, 0, ROWS - 1) ||
    !isWhole(cursor.column, 1, COLUMNS) ||
    typeof cursor.visible !== 'boolean'
  ) {
    throw new ScreenSnapshotError('the cursor is a row 0–24, a column 1–40 and a visibility');
  }
  if (typeof snapshot.globalMask !== 'boolean') throw new ScreenSnapshotError('globalMask is true or false');
  screen.cursorRow = cursor.row;
  screen.cursorColumn = cursor.column;
  screen.cursorVisible = cursor.visible;
  screen.globalMask = snapshot.globalMask;
  if (snapshot.drcs !== undefined) {
    if (!Array.isArray(snapshot.drcs) || snapshot.drcs.length !== 2) throw new ScreenSnapshotError('drcs holds the two tables G\'0 and G\'1');
    for (const set of [0, 1] as const) {
      const table = new Uint8Array(DRCS_BYTES);
      expand(snapshot.drcs[set], table, DRCS_BYTES, (b) => isWhole(b, 0, 255), `drcs[${set}]`);
      for (let code = 0; code < DRCS_CODES; code++) {
        screen.writableDrcsShape(set, DRCS_FIRST_CODE + code).set(table.subarray(code * DRCS_SHAPE_BYTES, (code + 1) * DRCS_SHAPE_BYTES));
      }
    }
  }
  screen.markAllDirty();
  return screen;
}

function runs(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < values.length) {
    const value = values[i];
    let end = i + 1;
    while (end < values.length && values[end] === value) end++;
    out.push(end - i, value);
    i = end;
  }
  return out;
}

function expand(encoded: unknown, into: Uint32Array | Uint8Array, length: number, valid: (value: number) => boolean, what: string): void {
  if (!Array.isArray(encoded) || encoded.length % 2 !== 0 || encoded.length > 2 * length) {
    throw new ScreenSnapshotError(`${what} is a list of [count, value] pairs`);
  }
  let at = 0;
  for (let i = 0; i < encoded.length; i += 2) {
    const count: unknown = encoded[i];
    const value: unknown = encoded[i + 1];
    if (!isWhole(count, 1, length - at)) throw new ScreenSnapshotError(`${what}: run ${i / 2} has a bad count`);
    if (typeof value !== 'number' || !valid(value)) throw new ScreenSnapshotError(`${what}: run ${i / 2} has a bad value`);
    into.fill(value, at, at + count);
    at += count;
  }
  if (at !== length) throw new ScreenSnapshotError(`${what} covers ${at} of ${length} places`);
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** A word the cell layout allows (cell.ts): no bits above 28, a known set and accent. */
function isCellWord(word: number): boolean {
  return (
    Number.isInteger(word) &&
    word >= 0 &&
    word <= 0xffffffff &&
    (word & UNUSED_BITS) === 0 &&
    (word & SET_MASK) >> SET_SHIFT <= SET_LAST &&
    (word & ACCENT_MASK) >> ACCENT_SHIFT <= ACCENT_LAST
  );
}
