/**
 * The Encoder behind encodeScreen and encodeDiff (encode.ts): the passes over
 * the page, in order: DRCS downloads (docs §6.3), enlarged characters' anchors
 * (p.91, p.93–94), every row (RowWriter, encode-rows.ts), a checking pass that
 * repairs what enlarged characters clobbered, then row 0 and the cursor.
 */
import * as codes from './codes.js';
import * as cellModule from './cell.js';
import { CharSet } from './cell.js';
import { DRCS_FIRST_CODE } from './screen.js';
import { cursorMoves } from './cursor-moves.js';
import { drcsDownloadBytes } from './drcs-download.js';
import * as model from './encode-model.js';
import { edgeAnchors, footprint, wrongCells } from './encode-target.js';
import { CSI_INSERT_OFF, isDrcsCell, RowWriter } from './encode-rows.js';

// Module-level copies of the bindings used per cell: tsx and the test runner
// turn imported bindings into getters, which dominated the encoder's profile.
const { C0, COLUMNS, ESC_ATTR, ESC_OTHER, SP } = codes;
const { DOUBLE_HEIGHT, DOUBLE_WIDTH, RIGHT_HALF, TOP_HALF } = cellModule;
const { cellCode, cellSet } = cellModule;
const { isBlankKey, resetState } = model;

/** Rounds of the checking pass at most (each must leave fewer wrong cells than the one before). */
const REPAIR_PASSES = 6;

export class Encoder extends RowWriter {
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

  // ---- DRCS (docs §6.3) ----------------------------------------------------------------

  private downloadShapes(): void {
    const wanted: [Map<number, Uint8Array>, Map<number, Uint8Array>] = [new Map<number, Uint8Array>(), new Map<number, Uint8Array>()];
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

  /**
   * Scrolling, row insertion and deletion can leave the bottom of a
   * double-height character on row 1 or its top on row 24, which no write can
   * make, since double height is refused on row 1 (p.93). Right after FF they
   * are drawn a row away and moved: CSI M on row 1 pulls row 2 up, CSI L on
   * row 23 pushes it down (p.96).
   */
  private placeHalvesAtPageEdges(): void {
    const bottoms = edgeAnchors(this.target.cells, this.keys, 1, (cell) => !(cell & TOP_HALF) && (cell & DOUBLE_HEIGHT) !== 0);
    if (bottoms.length > 0) {
      for (const [column, word] of bottoms) this.writeAnchor(2, column, word);
      this.placeCursorThen(1, 1, [C0.ESC, ESC_ATTR.CSI, 0x4d]);
    }
    const tops = edgeAnchors(this.target.cells, this.keys, 24, (cell) => (cell & TOP_HALF) !== 0);
    if (tops.length > 0) {
      for (const [column, word] of tops) this.writeAnchor(24, column, word);
      this.placeCursorThen(23, 1, [C0.ESC, ESC_ATTR.CSI, 0x4c]);
    }
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
        const cells = wrongCells(this.screen.cells, this.keys, row);
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

  // ---- row 0, cursor ----------------------------------------------------------------------

  /**
   * Row 0 last, entered with `US 40 c` and left with LF, which returns to
   * where the cursor was (p.97): so when the cursor can cheaply reach its
   * final place first, leaving row 0 costs one byte.
   */
  private finish(): void {
    const row = this.target.cursorRow;
    const column = this.target.cursorColumn;
    if (wrongCells(this.screen.cells, this.keys, 0) > 0) {
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
