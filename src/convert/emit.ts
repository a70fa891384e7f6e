/**
 * Writes a rectangle of G1 mosaic cells as Videotex bytes, left to right and
 * top to bottom, following the byte model of orient.ts:
 *   - SO once (G1, p.90), then for each cell `ESC 4x` / `ESC 5x` only when
 *     the foreground or background differs from the current one (in G1 both
 *     apply to the next mosaic at once, p.91–93), then the mosaic code;
 *   - a character equal to the previous one with the same colours is
 *     counted and sent as `REP n` (p.98), in chunks of at most 63;
 *   - between rows of a narrow region, the cheapest cursor move: one that
 *     keeps the attributes (LF, CR, BS, HT, CSI C/D, p.94–97) or `US r c`,
 *     which resets them and G0 (p.96) so SO and colours are sent again;
 *   - SI at the end, so the page does not leave the next one in G1 (docs §11).
 * Every byte is 7-bit.
 */
import { C0, COLUMNS, ESC_ATTR } from '../videotex/codes.js';
import type { Region } from './geometry.js';
import { DEFAULT_BG, DEFAULT_FG, type CellEncodings } from './orient.js';

/** REP repeats 0–63 times (count byte 0x40–0x7F, p.98). */
const MAX_REPEAT = 63;
const REP_BASE = 0x40;
const EMPTY = 0x20;
const FULL_BLOCK = 0x7f;

export interface EmitOptions {
  /** Start with FF (clear rows 1–24, p.95) and leave out trailing black cells, which FF already drew. */
  clear: boolean;
}

/** True when a written cell looks like what FF leaves: a black mosaic (p.95–96). */
export function looksCleared(fg: number, bg: number, code: number): boolean {
  return (code === EMPTY && bg === 0) || (code === FULL_BLOCK && fg === 0);
}

function csi(n: number, final: number): number[] {
  const digits = n === 1 ? [] : Array.from(String(n), (d) => d.charCodeAt(0));
  return [C0.ESC, ESC_ATTR.CSI, ...digits, final];
}

function repeatBytes(byte: number, n: number): number[] {
  return new Array<number>(n).fill(byte);
}

/** Cursor moves right by n on the same row without wrapping: HT×n or CSI n C. */
function right(n: number): number[] {
  if (n === 0) return [];
  const tabs = repeatBytes(C0.HT, n);
  const sequence = csi(n, 0x43);
  return tabs.length <= sequence.length ? tabs : sequence;
}

function left(n: number): number[] {
  const spaces = repeatBytes(C0.BS, n);
  const sequence = csi(n, 0x44);
  return spaces.length <= sequence.length ? spaces : sequence;
}

/** The cheapest attribute-keeping move from the end of a region row to the start of the next. */
function keepMove(region: Region): number[] {
  const last = region.column + region.columns - 1;
  if (last === COLUMNS) {
    // Writing column 40 wrapped the cursor to column 1 of the next row (p.97).
    return right(region.column - 1);
  }
  const back = [C0.LF, ...left(region.columns)];
  const fromStart = [C0.CR, C0.LF, ...right(region.column - 1)];
  return back.length <= fromStart.length ? back : fromStart;
}

export function emitCells(cells: CellEncodings, region: Region, options: EmitOptions): Uint8Array {
  const out: number[] = [];
  const contiguous = region.column === 1 && region.columns === COLUMNS;
  let end = cells.code.length;
  if (options.clear) {
    while (end > 0 && looksCleared(cells.fg[end - 1], cells.bg[end - 1], cells.code[end - 1])) end--;
    out.push(C0.FF);
  } else {
    out.push(C0.US, 0x40 + region.row, 0x40 + region.column);
  }
  let fg = DEFAULT_FG;
  let bg = DEFAULT_BG;
  let mosaic = false;
  let last = -1; // code of the last character written, -1 when a run cannot continue
  let repeats = 0;

  const flush = (): void => {
    while (repeats > 0) {
      const n = Math.min(repeats, MAX_REPEAT);
      if (n <= 2) out.push(...repeatBytes(last, n));
      else out.push(C0.REP, REP_BASE + n);
      repeats -= n;
    }
  };

  for (let i = 0; i < end; i++) {
    if (i > 0 && i % region.columns === 0 && !contiguous) {
      flush();
      last = -1;
      const row = region.row + i / region.columns;
      const keep = keepMove(region);
      const nextFg = cells.fg[i];
      const nextBg = cells.bg[i];
      const keepCost = keep.length + (nextFg !== fg ? 2 : 0) + (nextBg !== bg ? 2 : 0);
      const resetCost = 3 + 1 + (nextFg !== DEFAULT_FG ? 2 : 0) + (nextBg !== DEFAULT_BG ? 2 : 0);
      if (keepCost <= resetCost) {
        out.push(...keep);
      } else {
        out.push(C0.US, 0x40 + row, 0x40 + region.column);
        fg = DEFAULT_FG;
        bg = DEFAULT_BG;
        mosaic = false;
      }
    }
    if (!mosaic) {
      out.push(C0.SO);
      mosaic = true;
    }
    const code = cells.code[i];
    if (code === last && cells.fg[i] === fg && cells.bg[i] === bg) {
      repeats++;
      continue;
    }
    flush();
    if (cells.fg[i] !== fg) {
      fg = cells.fg[i];
      out.push(C0.ESC, ESC_ATTR.FOREGROUND + fg);
    }
    if (cells.bg[i] !== bg) {
      bg = cells.bg[i];
      out.push(C0.ESC, ESC_ATTR.BACKGROUND + bg);
    }
    out.push(code);
    last = code;
  }
  flush();
  if (mosaic) out.push(C0.SI);
  return Uint8Array.from(out);
}
