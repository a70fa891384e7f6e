/**
 * Screen → bytes. `encodeScreen` redraws a whole screen from the power-on
 * state; `encodeDiff` turns what a terminal shows into another screen. Both
 * are correct by construction *and* by check: every byte planned is also fed
 * to a real Terminal (the shadow), plans are made from what that terminal
 * shows, and the result is compared with the wanted screen (Screen.looksLike).
 *
 * Fewest bytes matters (1200 baud is 120 characters a second, p.47):
 *  - cells that already look right are skipped, as long as the zone state
 *    they leave suits the cells on their right (p.84, p.86, p.93–94);
 *  - blank cells may be written with whatever space is cheapest in the
 *    current state (a text space, an empty mosaic, a delimiter, CAN, CSI K);
 *  - attributes are sent only when they change (p.91–92), runs use REP (p.98),
 *    and moves are the cheapest of HT/BS/LF/VT/CR, CSI, US and RS (p.94–97);
 *  - encodeDiff also tries FF and a full redraw and keeps the shorter.
 *
 * Double-height and double-width characters are written from their
 * bottom-left anchor (p.91, p.94); cells of the row above that they cover are
 * left for them, and anything they clobber is repaired by a checking pass.
 * Halves that scrolling or CSI L/M/P/@ left at the page or row edges are
 * drawn a row or column away and shifted into place. Not covered: enlarged
 * characters cut apart by inserting or deleting characters in the middle of
 * a row (STUM1B p.95 says to avoid it), where two halves each need to be
 * written after the other; those are drawn as closely as the checks allow.
 */
import * as codes from './codes.js';
import * as cellModule from './cell.js';
import { CharSet } from './cell.js';
import { Screen } from './screen.js';
import { Terminal } from './terminal.js';
import * as model from './encode-model.js';
import type { Origin } from './encode-rows.js';
import { Encoder } from './encoder.js';

const { COLUMNS } = codes;
const { CLEARED_CELL, RIGHT_HALF, TOP_HALF } = cellModule;
const { cellSet } = cellModule;
const { DESIGNATION_DRCS, DESIGNATION_STANDARD, DESIGNATION_UNKNOWN } = model;
const { cellKey, zoneAfter } = model;

export interface EncodeOptions {
  /**
   * Whether the terminal is known to be in page mode, so that writing the
   * last cell of row 24 may wrap to row 1. When roll mode may be on, that
   * write would scroll the page (p.97), so the encoder writes that cell in
   * insert mode (`CSI 4 h` … `CSI 4 l`, p.95), which never wraps.
   * encodeScreen: true by default (page mode is the power-on state, p.87).
   * encodeDiff: a Terminal's own mode; for a Screen, false by default.
   */
  pageMode?: boolean;
}

/**
 * The bytes that draw `screen` on a terminal in its power-on state (p.82):
 * FF, then the DRCS shapes in use (download and designation, docs §6.3), the
 * global unmask when the screen has it (p.94), every cell, row 0, and finally
 * the cursor position and visibility.
 */
export function encodeScreen(screen: Screen, options: EncodeOptions = {}): Uint8Array {
  const origin: Origin = {
    screen: new Screen(),
    model: 'minitel2',
    insertMode: false,
    rollSafe: options.pageMode === false,
    g0: DESIGNATION_STANDARD,
    g1: DESIGNATION_STANDARD,
    downloadAllShapes: true,
  };
  const result = new Encoder(origin, screen, true).run();
  return Uint8Array.from(result.bytes);
}

/**
 * The bytes that turn what `from` shows into `to`. With a Terminal (a
 * session's mirror), its insert mode, roll mode and designations are known.
 * With only a Screen, the decoder state is not: the bytes start with an
 * absolute move that resets attributes (US or RS, p.96), never rely on page
 * mode, and assume insert mode is off and the standard sets are designated
 * unless the screen shows or holds downloaded characters. Either way the
 * decoder must be in its ground state (no sequence half received).
 *
 * The bytes are checked on a copy of the terminal. When the diff does not
 * check out, a redraw after FF is tried; when neither makes `to` (a screen no
 * bytes can make, such as downloaded characters for a Minitel 1B), the
 * shorter is returned, not an error: fed to the caller's mirror, it shows
 * what the terminal really shows, and the next diff starts from there.
 */
export function encodeDiff(from: Screen | Terminal, to: Screen, options: EncodeOptions = {}): Uint8Array {
  const origin = originOf(from, options);
  const direct = new Encoder(origin, to, false).run();
  // A redraw starts with FF and rewrites everything: not worth trying when it can hardly be shorter.
  if (direct.ok && direct.bytes.length <= redrawLowerBound(to)) return Uint8Array.from(direct.bytes);
  const redraw = new Encoder(origin, to, true).run();
  // Prefer what checks out; among those, the shorter.
  let best = direct;
  if ((redraw.ok && !direct.ok) || (redraw.ok === direct.ok && redraw.bytes.length < direct.bytes.length)) best = redraw;
  return Uint8Array.from(best.bytes);
}

/**
 * About the least a redraw can cost: FF plus one byte per run of identical
 * cells that do not look cleared, in rows 1–24 (halves of enlarged
 * characters come with their anchor).
 */
function redrawLowerBound(to: Screen): number {
  const cleared = cellKey(CLEARED_CELL, 0);
  const cells = to.cells;
  let bound = 1;
  for (let row = 1; row <= 24; row++) {
    let previous = cleared;
    let zone = 0;
    for (let i = row * COLUMNS; i < (row + 1) * COLUMNS; i++) {
      const key = cellKey(cells[i], zone);
      zone = zoneAfter(cells[i], zone);
      if (cells[i] & (TOP_HALF | RIGHT_HALF)) continue;
      if (key !== cleared && key !== previous) bound++;
      previous = key;
    }
  }
  return bound;
}

function originOf(from: Screen | Terminal, options: EncodeOptions): Origin {
  if (from instanceof Terminal) {
    const designations = from.drcsDesignations;
    return {
      screen: from.screen,
      model: from.model,
      insertMode: from.insertMode,
      rollSafe: from.modes.roll,
      g0: designations.g0 ? DESIGNATION_DRCS : DESIGNATION_STANDARD,
      g1: designations.g1 ? DESIGNATION_DRCS : DESIGNATION_STANDARD,
      downloadAllShapes: false,
    };
  }
  const unknown = usesDrcs(from) ? DESIGNATION_UNKNOWN : DESIGNATION_STANDARD;
  return {
    screen: from,
    model: 'minitel2',
    insertMode: false,
    rollSafe: !options.pageMode,
    g0: unknown,
    g1: unknown,
    downloadAllShapes: false,
  };
}

/** A screen that shows or holds downloaded characters may have G'0/G'1 designated. */
function usesDrcs(screen: Screen): boolean {
  for (const cell of screen.cells) {
    const set = cellSet(cell);
    if (set === CharSet.DRCS0 || set === CharSet.DRCS1) return true;
  }
  return screen.drcs[0].some((b) => b !== 0) || screen.drcs[1].some((b) => b !== 0);
}
