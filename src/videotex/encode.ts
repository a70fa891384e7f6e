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
import { DRCS_FIRST_CODE, Screen } from './screen.js';
import { Terminal } from './terminal.js';
import type { TerminalModel } from './protocol.js';
import { cursorMoves, usBytes, type CursorMoves, type CursorPosition } from './cursor-moves.js';
import { drcsDownloadBytes } from './drcs-download.js';
import * as model from './encode-model.js';
import { Care } from './encode-model.js';

// Module-level copies of the bindings used per cell: tsx and the test runner
// turn imported bindings into getters, which dominated the encoder's profile.
const { C0, COLUMNS, ESC_ATTR, ESC_OTHER, ROWS, SP } = codes;
const { BG_SHIFT, CLEARED_CELL, DELIMITER, DOUBLE_HEIGHT, DOUBLE_WIDTH, ERROR, LINING, MASK, RIGHT_HALF, SET_SHIFT, SIZE_BITS, TOP_HALF } =
  cellModule;
const { cellCode, cellSet } = cellModule;
const { DESIGNATION_DRCS, DESIGNATION_STANDARD, DESIGNATION_UNKNOWN, DEFAULT_STATE, S_MOSAIC, Z_BG, Z_MASK, Z_UL } = model;
const { advance, afterPrint, canWord, careFor, cellKey, characterBytes, characterLength, isBlankKey } = model;
const { printedGlyph, printedWord, resetState, transition, withDesignations, wrapsPastLastRow, zoneAfter, zoneNeeds, zonePasses } = model;

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

const CELLS = ROWS * COLUMNS;
const ZONE_STRIDE = COLUMNS + 1;
const G1_BITS = CharSet.G1 << SET_SHIFT;
const CSI_INSERT_ON = [C0.ESC, ESC_ATTR.CSI, 0x34, 0x68];
const CSI_INSERT_OFF = [C0.ESC, ESC_ATTR.CSI, 0x34, 0x6c];
const CSI_ERASE_TO_END_OF_ROW = [C0.ESC, ESC_ATTR.CSI, 0x4b];
/** REP repeats at most 63 times (count byte 0x40–0x7F, p.98). */
const REP_MAX = 63;
/** A cell gets this many attempts per pass; the checking pass repairs the rest. */
const TRIES_PER_CELL = 2;
const REPAIR_PASSES = 6;

/** What the encoder starts from: the screen shown and what is known of the decoder. */
interface Origin {
  screen: Screen;
  model: TerminalModel;
  /** `CSI 4 h` in force. */
  insertMode: boolean;
  /** Roll mode may be on: never wrap past row 24. */
  rollSafe: boolean;
  /** G0 / G1 designations (DESIGNATION_*). */
  g0: number;
  g1: number;
  /** Download every DRCS shape the target uses, even if the terminal seems to have it. */
  downloadAllShapes: boolean;
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

/** Bytes of REP for `count` repetitions, 63 at most per REP (p.98). */
function repBytes(count: number): number {
  return 2 * Math.ceil(count / REP_MAX);
}

function pushRep(body: number[], count: number): void {
  for (let left = count; left > 0; left -= REP_MAX) body.push(C0.REP, 0x40 + Math.min(left, REP_MAX));
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

function isDrcsCell(cell: number): boolean {
  const set = cellSet(cell);
  return (set === CharSet.DRCS0 || set === CharSet.DRCS1) && !(cell & (DELIMITER | ERROR));
}

/** REP copies that pay: how many, how many of them fix a cell, and where the cursor ends. */
interface Run {
  copies: number;
  needed: number;
  state: number;
  row: number;
  column: number;
}

/** A move to a cell and what follows it there. */
interface Approach {
  move: number[];
  /** The move is US or RS: attributes reset (p.96). */
  reset: boolean;
  /** Attribute bytes, character bytes, REP bytes: everything after the move. */
  body: number[];
  /** Attribute state after the body. */
  state: number;
}

/** The last character a plan displays, which REP would repeat (p.98). */
interface Printed {
  glyph: number;
  mosaic: boolean;
}

/** One way to fix the cell under consideration, with its cost. */
interface Plan extends Approach {
  printed?: Printed;
  /** Cells it fixes that needed fixing. */
  covered: number;
  /** Bytes, plus what it makes the next cell pay. */
  score: number;
}

class Encoder {
  private readonly out: number[] = [];
  private readonly shadow: Terminal;
  private readonly screen: Screen;
  private state: number;
  /** The decoder's attributes are known (after US, RS or FF). */
  private attributesKnown: boolean;
  /** A DRCS download is open: the next byte must be a C0 (a US or RS ends it). */
  private downloadOpen = false;
  /** The last character displayed, which REP repeats (p.98); −1 when unknown. */
  private lastGlyph = -1;
  private lastMosaic = false;
  /** Attributes and position saved when we entered row 0, restored by LF (p.97). */
  private saved: { state: number; known: boolean } | undefined;

  // The target, analysed once.
  private readonly keys = new Uint32Array(CELLS);
  /** Zone after each column of the target (index row × 41 + column, column 0 = row start). */
  private readonly zones = new Uint8Array(ROWS * ZONE_STRIDE);
  /** Zone components that matter after each column of the target. */
  private readonly needs = new Uint8Array(ROWS * ZONE_STRIDE);

  /** Cells of the row above that a pending double-height anchor will write. */
  private readonly reserved = new Uint8Array(CELLS);
  /** Every cell a pending anchored write will write (reserved ones and those on the anchor's row). */
  private readonly claimed = new Uint8Array(CELLS);
  /** Pending anchored writes of enlarged characters, by anchor cell, in the order to write them. */
  private readonly jobs = new Map<number, number[]>();
  private readonly tries = new Uint8Array(CELLS);
  /** needsWrite answers, valid while `version` (bumped by every emit) is unchanged. */
  private version = 1;
  private readonly needVersion = new Uint32Array(CELLS);
  private readonly needValue = new Uint8Array(CELLS);
  /** The last cursorMoves answer: every plan for one cell starts with the same move. */
  private movesKey = -1;
  private movesValue: CursorMoves = { reset: [] };

  constructor(
    private readonly origin: Origin,
    private readonly target: Screen,
    private readonly clear: boolean,
  ) {
    this.shadow = new Terminal({ model: origin.model });
    this.screen = this.shadow.screen;
    this.screen.copyFrom(origin.screen);
    // Put the shadow's decoder where the terminal's is: the cursor, and the sets it has designated.
    // (Its attributes do not matter: nothing is written before a US, RS or FF resets them.)
    const sync = usBytes(origin.screen.cursorRow, origin.screen.cursorColumn);
    if (origin.g0 === DESIGNATION_DRCS) sync.push(C0.ESC, 0x28, SP, 0x42);
    if (origin.g1 === DESIGNATION_DRCS) sync.push(C0.ESC, 0x29, SP, 0x43);
    this.shadow.write(sync);
    this.state = withDesignations(DEFAULT_STATE, origin.g0, origin.g1);
    this.attributesKnown = false;
    this.analyseTarget();
  }

  run(): { bytes: number[]; ok: boolean } {
    if (this.origin.insertMode) {
      // CSI does nothing in row 0 (p.95): leave it first; RS is the shortest way.
      if (this.screen.cursorRow === 0) this.moveWith([C0.RS], true);
      this.emit(CSI_INSERT_OFF);
    }
    if (this.clear) {
      this.emit([C0.FF]); // rows 1–24 cleared, home, default attributes (p.95–96)
      this.state = resetState(this.state);
      this.attributesKnown = true;
    }
    if (this.screen.globalMask !== this.target.globalMask) {
      this.emit([C0.ESC, ESC_OTHER.GLOBAL, SP, this.target.globalMask ? 0x58 : 0x5f]); // p.94
    }
    this.downloadShapes();
    if (this.clear) this.placeHalvesAtPageEdges();
    this.planJobs(1, 24);
    for (let row = 1; row <= 24; row++) this.processRow(row);
    this.repair();
    this.finish();
    const ok =
      this.screen.looksLike(this.target) &&
      this.screen.cursorVisible === this.target.cursorVisible &&
      this.screen.cursorRow === this.target.cursorRow &&
      this.screen.cursorColumn === this.target.cursorColumn;
    return { bytes: this.out, ok };
  }

  // ---- output ----------------------------------------------------------------------

  private emit(bytes: number[]): void {
    if (bytes.length === 0) return;
    for (const b of bytes) this.out.push(b);
    this.shadow.write(bytes);
    this.version++;
    if (bytes[0] < SP) this.downloadOpen = false;
  }

  private get position(): CursorPosition {
    return { row: this.screen.cursorRow, column: this.screen.cursorColumn };
  }

  // ---- the target --------------------------------------------------------------------

  private analyseTarget(): void {
    const cells = this.target.cells;
    for (let row = 0; row < ROWS; row++) {
      const base = row * COLUMNS;
      const zbase = row * ZONE_STRIDE;
      let zone = 0;
      for (let i = 0; i < COLUMNS; i++) {
        this.keys[base + i] = cellKey(cells[base + i], zone);
        zone = zoneAfter(cells[base + i], zone);
        this.zones[zbase + i + 1] = zone;
      }
      let need = 0;
      this.needs[zbase + COLUMNS] = 0;
      for (let i = COLUMNS - 1; i >= 0; i--) {
        const cell = cells[base + i];
        need = (need & zonePasses(cell)) | zoneNeeds(cell, this.keys[base + i]);
        this.needs[zbase + i] = need;
      }
    }
  }

  /** `raw` at (row, column), with `zone` on its left, looks like the target and leaves a zone that suits the cells on its right. */
  private accepts(raw: number, row: number, column: number, zone: number): boolean {
    const index = row * COLUMNS + column - 1;
    if (cellKey(raw, zone) !== this.keys[index]) return false;
    const z = row * ZONE_STRIDE + column;
    return ((zoneAfter(raw, zone) ^ this.zones[z]) & this.needs[z]) === 0;
  }

  /** The cell needs writing, judged with the target's zone on its left. */
  private needsWrite(row: number, column: number): boolean {
    const index = row * COLUMNS + column - 1;
    if (this.needVersion[index] === this.version) return this.needValue[index] === 1;
    const needed = !this.reserved[index] && !this.accepts(this.screen.cells[index], row, column, this.zones[row * ZONE_STRIDE + column - 1]);
    this.needVersion[index] = this.version;
    this.needValue[index] = needed ? 1 : 0;
    return needed;
  }

  /** The cheapest moves from the cursor to (row, column); unknown position while a download is open. */
  private movesTo(row: number, column: number): CursorMoves {
    const here = this.screen.cursorRow * COLUMNS + this.screen.cursorColumn - 1;
    const key = ((this.downloadOpen ? CELLS : here) * ROWS + row) * COLUMNS + column - 1;
    if (key !== this.movesKey) {
      this.movesKey = key;
      this.movesValue = cursorMoves(this.downloadOpen ? undefined : this.position, { row, column });
    }
    return this.movesValue;
  }

  // ---- DRCS (docs §6.3) ----------------------------------------------------------------

  private downloadShapes(): void {
    const wanted: [Map<number, Uint8Array>, Map<number, Uint8Array>] = [new Map(), new Map()];
    for (const cell of this.target.cells) {
      if (!isDrcsCell(cell)) continue;
      const set = cellSet(cell) === CharSet.DRCS0 ? 0 : 1;
      const code = cellCode(cell);
      if (code < DRCS_FIRST_CODE || code > 0x7e || wanted[set].has(code)) continue;
      const shape = this.target.drcsShape(set, code);
      const current = this.screen.drcsShape(set, code);
      if (this.origin.downloadAllShapes || shape.some((b, i) => b !== current[i])) wanted[set].set(code, shape);
    }
    for (const set of [0, 1] as const) {
      if (wanted[set].size === 0) continue;
      this.emit(drcsDownloadBytes(set, wanted[set]));
      this.downloadOpen = true;
    }
  }

  // ---- enlarged characters (p.91, p.93–94) ---------------------------------------------

  /**
   * Finds the anchored writes the target needs in rows first…last: one per
   * enlarged character that draws something and is not already on screen.
   * Cells of the row above that they will write are reserved.
   */
  private planJobs(first: number, last: number): void {
    const cells = this.target.cells;
    const found = new Map<number, number[]>();
    for (let row = Math.max(1, first - 1); row <= last; row++) {
      for (let column = 1; column <= COLUMNS; column++) {
        const index = row * COLUMNS + column - 1;
        const cell = cells[index];
        if (!(cell & (DOUBLE_WIDTH | DOUBLE_HEIGHT)) || isBlankKey(this.keys[index])) continue;
        const anchorRow = row + (cell & TOP_HALF ? 1 : 0);
        const anchorColumn = column - (cell & RIGHT_HALF ? 1 : 0);
        if (anchorRow < first || anchorRow > last || anchorRow > 24 || anchorColumn < 1) continue;
        const word = cell & ~(TOP_HALF | RIGHT_HALF);
        const anchor = anchorRow * COLUMNS + anchorColumn - 1;
        const list = found.get(anchor) ?? [];
        if (!list.includes(word)) list.push(word);
        found.set(anchor, list);
      }
    }
    for (const [anchor, words] of found) {
      const row = Math.floor(anchor / COLUMNS);
      const column = (anchor % COLUMNS) + 1;
      const needed = words.filter((word) => this.jobNeeded(row, column, word));
      if (needed.length === 0) continue;
      // The character that owns the anchor cell itself must be written last.
      needed.sort((a, b) => Number(cells[anchor] === a) - Number(cells[anchor] === b));
      this.jobs.set(anchor, needed);
      for (const word of needed) {
        for (const [r, c] of footprint(row, column, word)) {
          if (r < row) this.reserved[r * COLUMNS + c - 1] = 1;
          this.claimed[r * COLUMNS + c - 1] = 1;
        }
      }
    }
    this.version++;
  }

  /** Some visible part the anchored character owns in the target is not on screen yet. */
  private jobNeeded(row: number, column: number, word: number): boolean {
    for (const [r, c, part] of footprint(row, column, word)) {
      const index = r * COLUMNS + c - 1;
      if (this.target.cells[index] === part && !isBlankKey(this.keys[index]) && this.screen.cells[index] !== part) return true;
    }
    return false;
  }

  // ---- rows ----------------------------------------------------------------------------

  /** Left to right, keeping the zone on the left of each cell as the target needs it. */
  private processRow(row: number): void {
    if (row !== 0) this.placeHalvesAtRowEdges(row);
    const base = row * COLUMNS;
    let zone = 0;
    let column = 1;
    while (column <= COLUMNS) {
      const index = base + column - 1;
      const jobs = this.jobs.get(index);
      if (jobs && jobs.length > 0) {
        this.writeJob(row, column, jobs);
        continue;
      }
      if (this.reserved[index]) {
        // An anchor below will write this cell; plan with what it will be.
        zone = zoneAfter(this.target.cells[index], zone);
        column++;
        continue;
      }
      const current = this.screen.cells[index];
      if (this.accepts(current, row, column, zone) || this.tries[index] >= TRIES_PER_CELL || !this.fixCell(row, column, zone)) {
        zone = zoneAfter(this.screen.cells[index], zone);
        column++;
        continue;
      }
      this.tries[index]++;
    }
  }

  /** Writes something at (row, column) that makes it look right; false when nothing can. */
  private fixCell(row: number, column: number, zone: number): boolean {
    const index = row * COLUMNS + column - 1;
    const wanted = this.target.cells[index];
    const key = this.keys[index];
    const blank = isBlankKey(key);
    if (wanted & (DOUBLE_WIDTH | DOUBLE_HEIGHT) && !blank) return false; // only its anchor can draw it
    let best: Plan | undefined;
    const consider = (plan: Plan | undefined): void => {
      if (plan && (!best || plan.score < best.score || (plan.score === best.score && plan.covered > best.covered))) best = plan;
    };
    const plain = wanted & ~SIZE_BITS;
    consider(this.planWrite(row, column, zone, plain, careFor(plain, blank)));
    if (blank) {
      const shown = key & 7;
      const after = this.zones[row * ZONE_STRIDE + column];
      // Any space that shows the same colour will do: a text SP, an empty mosaic, a delimiter.
      consider(this.planWrite(row, column, zone, SP, Care.MODE | Care.SIZE | Care.NO_PENDING));
      consider(this.planWrite(row, column, zone, SP | G1_BITS, Care.MODE));
      consider(this.planWrite(row, column, zone, SP | G1_BITS | (shown << BG_SHIFT), Care.MODE | Care.MOSAIC_BG));
      const delimiter = SP | DELIMITER | ((after & Z_BG) << BG_SHIFT) | (after & Z_MASK ? MASK : 0) | (after & Z_UL ? LINING : 0);
      consider(this.planWrite(row, column, zone, delimiter, Care.MODE | Care.SIZE | Care.INVERSE | Care.ZONE));
      // Or the whole rest of the row at once.
      consider(this.planCan(row, column, zone, SP, 0));
      consider(this.planCan(row, column, zone, SP, Care.MODE));
      consider(this.planCan(row, column, zone, SP | G1_BITS, Care.MODE));
      consider(this.planCan(row, column, zone, SP | G1_BITS | (shown << BG_SHIFT), Care.MODE | Care.MOSAIC_BG));
      if (row !== 0) consider(this.planEraseRow(row, column, zone));
    }
    if (!best) return false;
    this.perform(best);
    return true;
  }

  /** The cheapest move to (row, column) followed by the attributes for `word`. */
  private approach(row: number, column: number, word: number, care: number): Approach | undefined {
    const moves = this.movesTo(row, column);
    let best: Approach | undefined;
    const options: [number[], boolean][] = [[moves.reset, true]];
    if (moves.keep && this.attributesKnown) options.unshift([moves.keep, false]);
    for (const [move, reset] of options) {
      const start = reset ? resetState(this.state) : this.state;
      const body: number[] = [];
      const state = transition(start, word, care, row, column, body);
      if (state < 0) continue;
      if (!best || move.length + body.length < best.move.length + best.body.length) best = { move, reset, body, state };
    }
    return best;
  }

  /**
   * Writing `word` (with the attributes in `care`) at (row, column), then
   * repeating it with REP over the following cells while that is right and
   * pays (p.98).
   */
  private planWrite(row: number, column: number, zone: number, word: number, care: number): Plan | undefined {
    const approach = this.approach(row, column, word, care);
    if (!approach) return undefined;
    const glyph = printedGlyph(approach.state, word);
    const written = printedWord(approach.state, glyph, row, column);
    if (written & SIZE_BITS || !this.accepts(written, row, column, zone)) return undefined;
    const body = approach.body;
    const mosaic = (approach.state & S_MOSAIC) !== 0;
    const printed = { glyph, mosaic };
    let state = afterPrint(approach.state, glyph);
    let [nextRow, nextColumn] = advance(row, column, written, false);
    if (this.origin.rollSafe && wrapsPastLastRow(row, column, written)) {
      // Insert mode never wraps, so nothing scrolls even in roll mode (p.95, p.97).
      body.unshift(...CSI_INSERT_ON);
      characterBytes(written, body);
      body.push(...CSI_INSERT_OFF);
      return this.plan(approach, body, state, 1, nextRow, nextColumn, printed);
    }
    const run = this.extendRun(row, column, zone, written, glyph, state);
    const length = characterLength(written);
    // The character then REP for the copies, when REP pays (p.98)…
    const withCharacter = run.copies > 0 && repBytes(run.copies) < run.copies * length ? length + repBytes(run.copies) : length;
    // …or REP alone when the last character displayed is this one: REP repeats it
    // with the current attributes, even after a move (p.98).
    const repeatOnly = glyph === this.lastGlyph && mosaic === this.lastMosaic ? repBytes(run.copies + 1) : Infinity;
    if (repeatOnly - run.needed <= withCharacter - (withCharacter > length ? run.needed : 0)) {
      pushRep(body, run.copies + 1);
      return this.plan(approach, body, run.state, 1 + run.needed, run.row, run.column, printed);
    }
    characterBytes(written, body);
    let covered = 1;
    if (withCharacter > length) {
      pushRep(body, run.copies);
      covered += run.needed;
      state = run.state;
      nextRow = run.row;
      nextColumn = run.column;
    }
    return this.plan(approach, body, state, covered, nextRow, nextColumn, printed);
  }

  private plan(approach: Approach, body: number[], state: number, covered: number, row: number, column: number, printed: Printed): Plan {
    const bytes = approach.move.length + body.length;
    return { move: approach.move, reset: approach.reset, body, state, covered, printed, score: bytes + this.lookahead(row, column, state) - covered };
  }

  /** How far REP copies of `written` stay right: copies up to the last one that fixes something. */
  private extendRun(row: number, column: number, zone: number, written: number, glyph: number, start: number): Run {
    let state = start;
    let z = zoneAfter(written, zone);
    let [r, c] = advance(row, column, written, false);
    if (r < row || (r === row && c <= column)) return { copies: 0, needed: 0, state: start, row, column: column + 1 };
    if (r !== row) z = 0;
    let copies = 0;
    let needed = 0;
    let best = { copies: 0, needed: 0, state: start, row, column: column + 1 };
    for (;;) {
      const index = r * COLUMNS + c - 1;
      const copy = printedWord(state, glyph, r, c);
      if (copy & SIZE_BITS) break;
      if (this.origin.rollSafe && wrapsPastLastRow(r, c, copy)) break;
      if (this.claimed[index]) {
        // An anchored write will cover this cell later: a copy here costs nothing and changes nothing.
        z = zoneAfter(this.target.cells[index], z);
      } else {
        if (!this.accepts(copy, r, c, z)) break;
        z = zoneAfter(copy, z);
      }
      const fixes = this.needsWrite(r, c);
      copies++;
      state = afterPrint(state, glyph);
      const [nr, nc] = advance(r, c, copy, false);
      if (fixes) {
        needed++;
        best = { copies, needed, state, row: nr, column: nc };
      }
      if (nr < r || (nr === r && nc <= c)) break;
      if (nr !== r) z = 0;
      r = nr;
      c = nc;
    }
    return best;
  }

  /**
   * What the next cell to fix (after those this plan covers) will pay to set
   * its own attributes from `state`: a plan that leaves the decoder in the
   * wrong set or colour costs more than its own bytes.
   */
  private lookahead(row: number, column: number, state: number): number {
    let c = column;
    for (; c <= COLUMNS; c++) if (this.needsWrite(row, c)) break;
    if (c > COLUMNS) return 0;
    const index = row * COLUMNS + c - 1;
    const wanted = this.target.cells[index] & ~SIZE_BITS;
    const body: number[] = [];
    const next = transition(state, wanted, careFor(wanted, isBlankKey(this.keys[index])), row, c, body);
    return next < 0 ? 0 : body.length;
  }

  /** CAN: spaces of the current set and attributes from the cursor to the end of the row; no move, no delimiter (p.95). */
  private planCan(row: number, column: number, zone: number, word: number, care: number): Plan | undefined {
    const approach = this.approach(row, column, word, care);
    if (!approach) return undefined;
    approach.body.push(C0.CAN);
    return this.planTail(row, column, zone, approach, canWord(approach.state));
  }

  /** CSI K: cleared cells (black empty mosaics) from the cursor to the end of the row; attributes kept (p.96). */
  private planEraseRow(row: number, column: number, zone: number): Plan | undefined {
    const moves = this.movesTo(row, column);
    const reset = !(moves.keep && this.attributesKnown);
    const move = reset ? moves.reset : (moves.keep ?? moves.reset);
    const state = reset ? resetState(this.state) : this.state;
    return this.planTail(row, column, zone, { move, reset, body: [...CSI_ERASE_TO_END_OF_ROW], state }, CLEARED_CELL);
  }

  /** A plan that fills columns column…40 with `fill`, if every one of them then looks right. */
  private planTail(row: number, column: number, zone: number, approach: Approach, fill: number): Plan | undefined {
    let z = zone;
    let covered = 0;
    for (let c = column; c <= COLUMNS; c++) {
      const index = row * COLUMNS + c - 1;
      if (this.claimed[index]) {
        z = zoneAfter(this.target.cells[index], z);
        continue;
      }
      if (!this.accepts(fill, row, c, z)) return undefined;
      if (this.needsWrite(row, c)) covered++;
      z = zoneAfter(fill, z);
    }
    if (covered === 0) return undefined;
    const bytes = approach.move.length + approach.body.length;
    return { ...approach, covered, score: bytes - covered };
  }

  private perform(plan: Plan): void {
    this.moveWith(plan.move, plan.reset);
    this.emit(plan.body);
    this.state = plan.state;
    if (plan.printed) {
      this.lastGlyph = plan.printed.glyph;
      this.lastMosaic = plan.printed.mosaic;
    }
  }

  /** Emits a move and updates what is known: US and RS reset attributes; US 40 c saves them (p.96–97). */
  private moveWith(move: number[], reset: boolean): void {
    if (move.length === 0) return;
    const fromRow = this.screen.cursorRow;
    if (reset) {
      if (move[0] === C0.US && move[1] === 0x40 && fromRow !== 0) this.saved = { state: this.state, known: this.attributesKnown };
      this.state = resetState(this.state);
      this.attributesKnown = true;
    }
    this.emit(move);
  }

  // ---- enlarged characters: writing ----------------------------------------------------

  private writeJob(row: number, column: number, jobs: number[]): void {
    const word = jobs[0];
    const approach = this.approach(row, column, word, careFor(word, false));
    const glyph = approach ? printedGlyph(approach.state, word) : 0;
    if (!approach || printedWord(approach.state, glyph, row, column) !== word) {
      jobs.shift(); // cannot be drawn from here; the checking pass reports it
      return;
    }
    const body = approach.body;
    characterBytes(word, body);
    jobs.shift();
    if (this.origin.rollSafe && wrapsPastLastRow(row, column, word)) {
      body.unshift(...CSI_INSERT_ON);
      body.push(...CSI_INSERT_OFF);
    } else {
      // Identical enlarged characters side by side: REP (p.98).
      const width = word & DOUBLE_WIDTH ? 2 : 1;
      let copies = 0;
      for (let c = column + width; c + width - 1 <= COLUMNS; c += width) {
        const next = this.jobs.get(row * COLUMNS + c - 1);
        if (!next || next[0] !== word || wrapsPastLastRow(row, c, word)) break;
        copies++;
      }
      const length = characterLength(word);
      if (copies > 0 && repBytes(copies) < copies * length) {
        pushRep(body, copies);
        for (let k = 1; k <= copies; k++) this.jobs.get(row * COLUMNS + column + k * width - 1)?.shift();
      }
    }
    this.perform({ ...approach, body, covered: 0, score: 0, printed: { glyph, mosaic: (approach.state & S_MOSAIC) !== 0 } });
  }

  // ---- halves no write can make in place ---------------------------------------------------

  /**
   * Scrolling, row insertion and deletion can leave the bottom of a
   * double-height character on row 1 or its top on row 24, which no write can
   * make, since double height is refused on row 1 (p.93). Right after FF they
   * are drawn a row away and moved: CSI M on row 1 pulls row 2 up, CSI L on
   * row 23 pushes it down (p.96).
   */
  private placeHalvesAtPageEdges(): void {
    const bottoms = this.edgeAnchors(1, (cell) => !(cell & TOP_HALF) && (cell & DOUBLE_HEIGHT) !== 0);
    if (bottoms.length > 0) {
      for (const [column, word] of bottoms) this.writeAnchor(2, column, word);
      this.placeCursorThen(1, 1, [C0.ESC, ESC_ATTR.CSI, 0x4d]);
    }
    const tops = this.edgeAnchors(24, (cell) => (cell & TOP_HALF) !== 0);
    if (tops.length > 0) {
      for (const [column, word] of tops) this.writeAnchor(24, column, word);
      this.placeCursorThen(23, 1, [C0.ESC, ESC_ATTR.CSI, 0x4c]);
    }
  }

  /** Enlarged characters whose visible part in `row` passes `test`, as [anchor column, word]. */
  private edgeAnchors(row: number, test: (cell: number) => boolean): [number, number][] {
    const found: [number, number][] = [];
    for (let column = 1; column <= COLUMNS; column++) {
      const index = row * COLUMNS + column - 1;
      const cell = this.target.cells[index];
      if (!(cell & (DOUBLE_WIDTH | DOUBLE_HEIGHT)) || isBlankKey(this.keys[index]) || !test(cell)) continue;
      const anchor = column - (cell & RIGHT_HALF ? 1 : 0);
      const word = cell & ~(TOP_HALF | RIGHT_HALF);
      if (anchor >= 1 && !found.some(([c, w]) => c === anchor && w === word)) found.push([anchor, word]);
    }
    return found;
  }

  /**
   * Insert mode and CSI P/@ can push a double-width character half off the
   * row: its right half alone in column 1, or its left half in column 40 still
   * marked double width, which no write can make (a double-width character is
   * refused at column 40, p.97). It is drawn one column in, then the row is
   * shifted with CSI P at column 1 or CSI @ at column 39 (p.95), before the
   * rest of the row is written.
   */
  private placeHalvesAtRowEdges(row: number): void {
    const first = row * COLUMNS;
    const left = this.target.cells[first];
    if (left & RIGHT_HALF && this.edgeHalfMissing(row, first)) {
      this.writeAnchor(row + (left & TOP_HALF ? 1 : 0), 1, left & ~(RIGHT_HALF | TOP_HALF));
      this.placeCursorThen(row, 1, [C0.ESC, ESC_ATTR.CSI, 0x50]);
    }
    const last = first + COLUMNS - 1;
    const right = this.target.cells[last];
    if (right & DOUBLE_WIDTH && !(right & RIGHT_HALF) && this.edgeHalfMissing(row, last)) {
      this.writeAnchor(row + (right & TOP_HALF ? 1 : 0), COLUMNS - 1, right & ~TOP_HALF);
      this.placeCursorThen(row, COLUMNS - 1, [C0.ESC, ESC_ATTR.CSI, 0x40]);
    }
  }

  /** The target's part of an enlarged character at `index` (in `row`) shows something and is not there yet. */
  private edgeHalfMissing(row: number, index: number): boolean {
    const cell = this.target.cells[index];
    if (isBlankKey(this.keys[index]) || this.screen.cells[index] === cell) return false;
    return !(cell & TOP_HALF) || row < 24;
  }

  /** Writes an enlarged character at (row, column), whatever it covers. */
  private writeAnchor(row: number, column: number, word: number): void {
    const approach = this.approach(row, column, word, careFor(word, false));
    if (!approach) return;
    const body = approach.body;
    characterBytes(word, body);
    if (this.origin.rollSafe && wrapsPastLastRow(row, column, word)) {
      body.unshift(...CSI_INSERT_ON);
      body.push(...CSI_INSERT_OFF);
    }
    const glyph = printedGlyph(approach.state, word);
    this.perform({ ...approach, body, covered: 0, score: 0, printed: { glyph, mosaic: (approach.state & S_MOSAIC) !== 0 } });
  }

  /** Moves to (row, column) by the cheapest way, then sends `bytes` (a CSI, which keeps attributes). */
  private placeCursorThen(row: number, column: number, bytes: number[]): void {
    const moves = this.movesTo(row, column);
    // Nothing is written here, so unknown attributes do not matter.
    if (moves.keep && moves.keep.length <= moves.reset.length) this.moveWith(moves.keep, false);
    else this.moveWith(moves.reset, true);
    this.emit(bytes);
  }

  // ---- checking pass ---------------------------------------------------------------------

  /**
   * Rows that still look wrong are done again, bottom up, so anchors come
   * before the rows they overlap. A pass that leaves as many wrong cells as
   * the one before is the last: what it could not fix, the next would only
   * send again (a target no bytes can make, say).
   */
  private repair(): void {
    let before = Infinity;
    for (let pass = 0; pass < REPAIR_PASSES; pass++) {
      const rows: number[] = [];
      let wrong = 0;
      for (let row = 24; row >= 1; row--) {
        const cells = this.wrongCells(row);
        if (cells > 0) rows.push(row);
        wrong += cells;
      }
      if (wrong === 0 || wrong >= before) return;
      before = wrong;
      this.reserved.fill(0);
      this.claimed.fill(0);
      this.jobs.clear();
      for (const row of rows) {
        this.tries.fill(0, row * COLUMNS, (row + 1) * COLUMNS);
        this.planJobs(row, row);
        this.reserved.fill(0);
        this.version++;
        this.processRow(row);
        this.jobs.clear();
        this.claimed.fill(0);
      }
    }
  }

  /** Cells of the row that do not look like the target yet (the test of Screen.looksLike, per row). */
  private wrongCells(row: number): number {
    const base = row * COLUMNS;
    const cells = this.screen.cells;
    let zone = 0;
    let wrong = 0;
    for (let i = 0; i < COLUMNS; i++) {
      const cell = cells[base + i];
      if (cellKey(cell, zone) !== this.keys[base + i]) wrong++;
      zone = zoneAfter(cell, zone);
    }
    return wrong;
  }

  // ---- row 0, cursor ----------------------------------------------------------------------

  /**
   * Row 0 last, entered with `US 40 c` and left with LF, which returns to
   * where the cursor was (p.97): so when the cursor can cheaply reach its
   * final place first, leaving row 0 costs one byte.
   */
  private finish(): void {
    const row = this.target.cursorRow;
    const column = this.target.cursorColumn;
    if (this.wrongCells(0) > 0) {
      const toFinal = cursorMoves(this.downloadOpen ? undefined : this.position, { row, column });
      const keep = toFinal.keep && !this.downloadOpen ? toFinal.keep : undefined;
      if (row !== 0 && keep !== undefined && keep.length + 1 < 3) {
        this.moveWith(keep, false);
        this.processRow(0);
        if (this.screen.cursorRow === 0 && this.saved) {
          this.emit([C0.LF]);
          this.state = this.saved.state;
          this.attributesKnown = this.saved.known;
        }
      } else {
        this.processRow(0);
      }
    }
    this.placeCursor(row, column);
    if (this.screen.cursorVisible !== this.target.cursorVisible) this.emit([this.target.cursorVisible ? C0.CON : C0.COF]);
  }

  private placeCursor(row: number, column: number): void {
    const here = this.position;
    if (!this.downloadOpen && here.row === row && here.column === column) return;
    const moves = cursorMoves(this.downloadOpen ? undefined : here, { row, column });
    // Nothing is written after this move, so unknown attributes do not matter.
    if (moves.keep && moves.keep.length <= moves.reset.length) this.moveWith(moves.keep, false);
    else this.moveWith(moves.reset, true);
  }
}

/** Cells an enlarged character written at (row, column) covers, with the word each gets (p.91, p.94). */
function footprint(row: number, column: number, word: number): [number, number, number][] {
  const cells: [number, number, number][] = [[row, column, word]];
  const wide = (word & DOUBLE_WIDTH) !== 0;
  const tall = (word & DOUBLE_HEIGHT) !== 0;
  if (wide) cells.push([row, column + 1, word | RIGHT_HALF]);
  if (tall) {
    cells.push([row - 1, column, word | TOP_HALF]);
    if (wide) cells.push([row - 1, column + 1, word | TOP_HALF | RIGHT_HALF]);
  }
  return cells;
}
