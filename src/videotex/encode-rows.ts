/**
 * How the encoder writes cells (encode.ts says the rules and why): it plans
 * each cell's bytes from what its shadow Terminal shows and feeds every byte
 * it emits to that shadow. The passes over the page are in encoder.ts.
 */
import * as codes from './codes.js';
import * as cellModule from './cell.js';
import { CharSet } from './cell.js';
import type { Screen } from './screen.js';
import { Terminal } from './terminal.js';
import type { TerminalModel } from './protocol.js';
import { cursorMoves, usBytes, type CursorMoves, type CursorPosition } from './cursor-moves.js';
import * as model from './encode-model.js';
import { Care } from './encode-model.js';
import { analyseTarget, ZONE_STRIDE } from './encode-target.js';

// Module-level copies of the bindings used per cell: tsx and the test runner
// turn imported bindings into getters, which dominated the encoder's profile.
const { C0, COLUMNS, ESC_ATTR, ROWS, SP } = codes;
const { BG_SHIFT, CLEARED_CELL, DELIMITER, DOUBLE_HEIGHT, DOUBLE_WIDTH, ERROR, LINING, MASK, RIGHT_HALF, SET_SHIFT, SIZE_BITS, TOP_HALF } =
  cellModule;
const { cellSet } = cellModule;
const { DESIGNATION_DRCS, DEFAULT_STATE, S_MOSAIC, Z_BG, Z_MASK, Z_UL } = model;
const { advance, afterPrint, canWord, careFor, cellKey, characterBytes, characterLength, isBlankKey } = model;
const { printedGlyph, printedWord, resetState, transition, withDesignations, wrapsPastLastRow, zoneAfter } = model;

const CELLS = ROWS * COLUMNS;
const G1_BITS = CharSet.G1 << SET_SHIFT;
const CSI_INSERT_ON = [C0.ESC, ESC_ATTR.CSI, 0x34, 0x68];
export const CSI_INSERT_OFF = [C0.ESC, ESC_ATTR.CSI, 0x34, 0x6c];
const CSI_ERASE_TO_END_OF_ROW = [C0.ESC, ESC_ATTR.CSI, 0x4b];
/** REP repeats at most 63 times (count byte 0x40–0x7F, p.98). */
const REP_MAX = 63;
/** A cell gets this many attempts per pass; the checking pass repairs the rest. */
const TRIES_PER_CELL = 2;

/** What the encoder starts from: the screen shown and what is known of the decoder. */
export interface Origin {
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

/** Bytes of REP for `count` repetitions, 63 at most per REP (p.98). */
function repBytes(count: number): number {
  return 2 * Math.ceil(count / REP_MAX);
}

function pushRep(body: number[], count: number): void {
  for (let left = count; left > 0; left -= REP_MAX) body.push(C0.REP, 0x40 + Math.min(left, REP_MAX));
}

export function isDrcsCell(cell: number): boolean {
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

/**
 * Writes the cells of one row as the target wants them, cheapest plan first,
 * every byte checked on the shadow. Encoder (encoder.ts) orders the passes
 * over the page: downloads, rows, the checking pass, row 0 and the cursor.
 */
export class RowWriter {
  protected readonly out: number[] = [];
  protected readonly shadow: Terminal;
  protected readonly screen: Screen;
  protected state: number;
  /** The decoder's attributes are known (after US, RS or FF). */
  protected attributesKnown: boolean;
  /** A DRCS download is open: the next byte must be a C0 (a US or RS ends it). */
  protected downloadOpen = false;
  /** The last character displayed, which REP repeats (p.98); −1 when unknown. */
  protected lastGlyph = -1;
  protected lastMosaic = false;
  /** Attributes and position saved when we entered row 0, restored by LF (p.97). */
  protected saved: { state: number; known: boolean } | undefined;

  // The target, analysed once.
  protected readonly keys = new Uint32Array(CELLS);
  /** Zone after each column of the target (index row × 41 + column, column 0 = row start). */
  protected readonly zones = new Uint8Array(ROWS * ZONE_STRIDE);
  /** Zone components that matter after each column of the target. */
  protected readonly needs = new Uint8Array(ROWS * ZONE_STRIDE);

  /** Cells of the row above that a pending double-height anchor will write. */
  protected readonly reserved = new Uint8Array(CELLS);
  /** Every cell a pending anchored write will write (reserved ones and those on the anchor's row). */
  protected readonly claimed = new Uint8Array(CELLS);
  /** Pending anchored writes of enlarged characters, by anchor cell, in the order to write them. */
  protected readonly jobs = new Map<number, number[]>();
  protected readonly tries = new Uint8Array(CELLS);
  /** needsWrite answers, valid while `version` (bumped by every emit) is unchanged. */
  protected version = 1;
  protected readonly needVersion = new Uint32Array(CELLS);
  protected readonly needValue = new Uint8Array(CELLS);
  /** The last cursorMoves answer: every plan for one cell starts with the same move. */
  protected movesKey = -1;
  protected movesValue: CursorMoves = { reset: [] };

  constructor(
    protected readonly origin: Origin,
    protected readonly target: Screen,
    protected readonly clear: boolean,
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
    analyseTarget(target, this.keys, this.zones, this.needs);
  }

  // ---- output ----------------------------------------------------------------------

  protected emit(bytes: number[]): void {
    if (bytes.length === 0) return;
    for (const b of bytes) this.out.push(b);
    this.shadow.write(bytes);
    this.version++;
    if (bytes[0] < SP) this.downloadOpen = false;
  }

  protected get position(): CursorPosition {
    return { row: this.screen.cursorRow, column: this.screen.cursorColumn };
  }

  // ---- the target --------------------------------------------------------------------

  /** `raw` at (row, column), with `zone` on its left, looks like the target and leaves a zone that suits the cells on its right. */
  protected accepts(raw: number, row: number, column: number, zone: number): boolean {
    const index = row * COLUMNS + column - 1;
    if (cellKey(raw, zone) !== this.keys[index]) return false;
    const z = row * ZONE_STRIDE + column;
    return ((zoneAfter(raw, zone) ^ this.zones[z]) & this.needs[z]) === 0;
  }

  /** The cell needs writing, judged with the target's zone on its left. */
  protected needsWrite(row: number, column: number): boolean {
    const index = row * COLUMNS + column - 1;
    if (this.needVersion[index] === this.version) return this.needValue[index] === 1;
    const needed = !this.reserved[index] && !this.accepts(this.screen.cells[index], row, column, this.zones[row * ZONE_STRIDE + column - 1]);
    this.needVersion[index] = this.version;
    this.needValue[index] = needed ? 1 : 0;
    return needed;
  }

  /** The cheapest moves from the cursor to (row, column); unknown position while a download is open. */
  protected movesTo(row: number, column: number): CursorMoves {
    const here = this.screen.cursorRow * COLUMNS + this.screen.cursorColumn - 1;
    const key = ((this.downloadOpen ? CELLS : here) * ROWS + row) * COLUMNS + column - 1;
    if (key !== this.movesKey) {
      this.movesKey = key;
      this.movesValue = cursorMoves(this.downloadOpen ? undefined : this.position, { row, column });
    }
    return this.movesValue;
  }

  // ---- rows ----------------------------------------------------------------------------

  /** Left to right, keeping the zone on the left of each cell as the target needs it. */
  protected processRow(row: number): void {
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
  protected fixCell(row: number, column: number, zone: number): boolean {
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
  protected approach(row: number, column: number, word: number, care: number): Approach | undefined {
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
  protected planWrite(row: number, column: number, zone: number, word: number, care: number): Plan | undefined {
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

  protected plan(approach: Approach, body: number[], state: number, covered: number, row: number, column: number, printed: Printed): Plan {
    const bytes = approach.move.length + body.length;
    return { move: approach.move, reset: approach.reset, body, state, covered, printed, score: bytes + this.lookahead(row, column, state) - covered };
  }

  /** How far REP copies of `written` stay right: copies up to the last one that fixes something. */
  protected extendRun(row: number, column: number, zone: number, written: number, glyph: number, start: number): Run {
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
  protected lookahead(row: number, column: number, state: number): number {
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
  protected planCan(row: number, column: number, zone: number, word: number, care: number): Plan | undefined {
    const approach = this.approach(row, column, word, care);
    if (!approach) return undefined;
    approach.body.push(C0.CAN);
    return this.planTail(row, column, zone, approach, canWord(approach.state));
  }

  /** CSI K: cleared cells (black empty mosaics) from the cursor to the end of the row; attributes kept (p.96). */
  protected planEraseRow(row: number, column: number, zone: number): Plan | undefined {
    const moves = this.movesTo(row, column);
    const reset = !(moves.keep && this.attributesKnown);
    const move = reset ? moves.reset : (moves.keep ?? moves.reset);
    const state = reset ? resetState(this.state) : this.state;
    return this.planTail(row, column, zone, { move, reset, body: [...CSI_ERASE_TO_END_OF_ROW], state }, CLEARED_CELL);
  }

  /** A plan that fills columns column…40 with `fill`, if every one of them then looks right. */
  protected planTail(row: number, column: number, zone: number, approach: Approach, fill: number): Plan | undefined {
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

  protected perform(plan: Plan): void {
    this.moveWith(plan.move, plan.reset);
    this.emit(plan.body);
    this.state = plan.state;
    if (plan.printed) {
      this.lastGlyph = plan.printed.glyph;
      this.lastMosaic = plan.printed.mosaic;
    }
  }

  /** Emits a move and updates what is known: US and RS reset attributes; US 40 c saves them (p.96–97). */
  protected moveWith(move: number[], reset: boolean): void {
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

  protected writeJob(row: number, column: number, jobs: number[]): void {
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
   * Insert mode and CSI P/@ can push a double-width character half off the
   * row: its right half alone in column 1, or its left half in column 40 still
   * marked double width, which no write can make (a double-width character is
   * refused at column 40, p.97). It is drawn one column in, then the row is
   * shifted with CSI P at column 1 or CSI @ at column 39 (p.95), before the
   * rest of the row is written.
   */
  protected placeHalvesAtRowEdges(row: number): void {
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
  protected edgeHalfMissing(row: number, index: number): boolean {
    const cell = this.target.cells[index];
    if (isBlankKey(this.keys[index]) || this.screen.cells[index] === cell) return false;
    return !(cell & TOP_HALF) || row < 24;
  }

  /** Writes an enlarged character at (row, column), whatever it covers. */
  protected writeAnchor(row: number, column: number, word: number): void {
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
  protected placeCursorThen(row: number, column: number, bytes: number[]): void {
    const moves = this.movesTo(row, column);
    // Nothing is written here, so unknown attributes do not matter.
    if (moves.keep && moves.keep.length <= moves.reset.length) this.moveWith(moves.keep, false);
    else this.moveWith(moves.reset, true);
    this.emit(bytes);
  }
}
