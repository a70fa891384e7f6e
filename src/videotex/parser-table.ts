/**
 * The decoder's state machine as a transition table: for every state and
 * 7-bit byte, `TABLE[state << 7 | byte]` gives an action (low 8 bits) and the
 * next state (high bits). Actions that need to look at data (US rows, CSI
 * finals, DRCS bytes…) pick their own next state in Terminal.
 *
 * Sequence rules (p.98–99): NUL never reaches this table (it is dropped before,
 * even inside sequences); a C0 byte inside any sequence drops the sequence and
 * is executed (resynchronisation), except in screen transparency, which ignores
 * everything up to its terminator.
 */

export const enum State {
  GROUND,
  ESC,
  /** ISO 2022 `ESC 2x … F`: intermediates collected, waiting for the final (p.99). */
  ESC_ISO,
  /** `ESC 35|36|37 x`: one more byte swallowed (p.99). */
  ESC_SKIP,
  CSI,
  US_ROW,
  US_COLUMN,
  US_LEGACY_COLUMN,
  SS2,
  SS2_ACCENT,
  REP,
  /** SEP x, SS3 x, an invalid US's second byte: one byte swallowed. */
  SKIP,
  /** `ESC 25` screen transparency (p.99). */
  TRANSPARENT,
  /** After `US 23`: a DRCS header or the first code of a download. */
  DRCS_START,
  DRCS_HEADER,
  DRCS_DATA,
  /** `ESC 70`: a Photo-Videotex picture block header (see Terminal.photoByte). */
  PHOTO_HEADER,
  COUNT,
}

export const enum Action {
  /** Swallow the byte; go to the table's next state. */
  IGNORE,
  PRINT,
  EXECUTE,
  /** C0 inside a sequence: drop the sequence, execute the byte. */
  ABORT_EXECUTE,
  ESC_ATTRIBUTE,
  ESC_INTERMEDIATE,
  ISO_INTERMEDIATE,
  ISO_FINAL,
  CSI_PARAMETER,
  CSI_INTERMEDIATE,
  CSI_FINAL,
  US_ROW,
  US_COLUMN,
  US_LEGACY_COLUMN,
  SS2_CODE,
  SS2_LETTER,
  REP_COUNT,
  TRANSPARENT_BYTE,
  DRCS_START,
  DRCS_HEADER,
  DRCS_DATA,
  PHOTO_START,
  PHOTO_HEADER,
}

export const STATE_SHIFT = 7;
const ACTION_BITS = 8;

function entry(action: Action, next: State): number {
  return action | (next << ACTION_BITS);
}

export function actionOf(transition: number): Action {
  return transition & 0xff;
}
export function nextStateOf(transition: number): State {
  return transition >>> ACTION_BITS;
}

function build(): Uint16Array {
  const table = new Uint16Array(State.COUNT << STATE_SHIFT);
  const set = (state: State, from: number, to: number, action: Action, next: State): void => {
    for (let b = from; b <= to; b++) table[(state << STATE_SHIFT) | b] = entry(action, next);
  };
  for (let state: State = 0; state < State.COUNT; state++) {
    if (state === State.TRANSPARENT) {
      set(state, 0x00, 0x7f, Action.TRANSPARENT_BYTE, State.TRANSPARENT);
      continue;
    }
    set(state, 0x00, 0x1f, state === State.GROUND ? Action.EXECUTE : Action.ABORT_EXECUTE, State.GROUND);
    set(state, 0x20, 0x7f, Action.IGNORE, State.GROUND);
  }

  set(State.GROUND, 0x20, 0x7f, Action.PRINT, State.GROUND);

  // ESC x (p.91–92, p.99).
  set(State.ESC, 0x20, 0x2f, Action.ESC_INTERMEDIATE, State.ESC_ISO);
  set(State.ESC, 0x35, 0x37, Action.IGNORE, State.ESC_SKIP);
  set(State.ESC, 0x40, 0x5f, Action.ESC_ATTRIBUTE, State.GROUND);
  set(State.ESC_ISO, 0x20, 0x2f, Action.ISO_INTERMEDIATE, State.ESC_ISO);
  set(State.ESC_ISO, 0x30, 0x7e, Action.ISO_FINAL, State.GROUND);
  set(State.ESC_SKIP, 0x20, 0x7f, Action.IGNORE, State.GROUND);
  set(State.ESC, 0x70, 0x70, Action.PHOTO_START, State.GROUND);
  set(State.PHOTO_HEADER, 0x20, 0x7f, Action.PHOTO_HEADER, State.PHOTO_HEADER);

  // CSI P… I… F (p.94–97).
  set(State.CSI, 0x30, 0x3f, Action.CSI_PARAMETER, State.CSI);
  set(State.CSI, 0x20, 0x2f, Action.CSI_INTERMEDIATE, State.CSI);
  set(State.CSI, 0x40, 0x7e, Action.CSI_FINAL, State.GROUND);

  // US r c (p.96) and DRCS downloads.
  set(State.US_ROW, 0x20, 0x7f, Action.US_ROW, State.US_COLUMN);
  set(State.US_COLUMN, 0x20, 0x7f, Action.US_COLUMN, State.GROUND);
  set(State.US_LEGACY_COLUMN, 0x20, 0x7f, Action.US_LEGACY_COLUMN, State.GROUND);
  set(State.DRCS_START, 0x20, 0x7f, Action.DRCS_START, State.GROUND);
  set(State.DRCS_HEADER, 0x20, 0x7f, Action.DRCS_HEADER, State.DRCS_HEADER);
  set(State.DRCS_DATA, 0x20, 0x7f, Action.DRCS_DATA, State.DRCS_DATA);

  // SS2 (p.88–90), REP (p.98), SEP/SS3 (p.99).
  set(State.SS2, 0x20, 0x7f, Action.SS2_CODE, State.GROUND);
  set(State.SS2_ACCENT, 0x20, 0x7f, Action.SS2_LETTER, State.GROUND);
  set(State.REP, 0x20, 0x7f, Action.REP_COUNT, State.GROUND);
  set(State.SKIP, 0x20, 0x7f, Action.IGNORE, State.GROUND);
  return table;
}

export const TABLE = build();
