/**
 * The lint analyser's walk over a page's 7-bit bytes (analyse.ts feeds it):
 * its own small state — the sequence being parsed, the character set,
 * pending zone attributes, sizes, and the cursor as page mode moves it
 * (p.94–97) — and the findings it records against rules.ts, with offsets.
 * It never builds a screen and never touches the decoder (it must report what
 * the decoder silently fixes); its memory is fixed whatever the input, since
 * findings are capped per rule (counts are not).
 */
import { C0, COLUMNS, ESC_ATTR, ESC_OTHER, PRO2 } from '../videotex/codes.js';
import { RULES, type RuleId, type Severity } from './rules.js';
import { hex } from './bytes.js';

export interface Finding {
  offset: number;
  rule: RuleId;
  severity: Severity;
  reference: string;
  message: string;
}

/** Findings listed per rule; further occurrences are only counted. */
export const MAX_FINDINGS_PER_RULE = 50;
const LAST_ROW = 24;
const SP = 0x20;

const enum State {
  GROUND,
  ESC,
  CSI,
  ISO,
  SKIP_ONE, // ESC 35–37 x, SEP x, SS3 x
  PROTOCOL,
  US_ROW,
  US_COLUMN,
  US_LEGACY,
  DRCS,
  SS2,
  SS2_ACCENT,
  REP,
  TRANSPARENT,
}

/** Accents of SS2 (p.88): the next byte is the letter. */
const ACCENTS = new Set([0x41, 0x42, 0x43, 0x48, 0x4b]);
/** Known `ESC x` finals of the C1 grid (p.91–92); 4A, 4B and 5E are filtered. */
function isAttributeFinal(x: number): boolean {
  return x >= 0x40 && x <= 0x5f && x !== 0x4a && x !== 0x4b && x !== 0x5e;
}
const PROTOCOL_LENGTH: Readonly<Record<number, number>> = { [ESC_OTHER.PRO1]: 1, [ESC_OTHER.PRO2]: 2, [ESC_OTHER.PRO3]: 3 };

export class Walker {
  /** The page, for the look-ahead of a few messages. */
  constructor(private readonly page: Uint8Array) {}

  readonly findings: Finding[] = [];
  readonly counts: Partial<Record<RuleId, number>> = {};

  private state = State.GROUND;
  private sequenceStart = 0;
  /** The sequence an ESC interrupted, resumed if the ESC turns out to be Protocole (p.134, p.148). */
  private interrupted = State.GROUND;
  private protocolIntro = 0;
  private readonly protocolBytes: number[] = [];
  private readonly intermediates: number[] = [];
  private usRow = 0;
  private transparentMatch = 0;

  private mosaic = false;
  private pending = false;
  private doubleWidth = false;
  private doubleHeight = false;
  private row = 1;
  private column = 1;
  private saved: { row: number; column: number; mosaic: boolean; pending: boolean; doubleWidth: boolean; doubleHeight: boolean } | undefined;
  /** The last character displayed, which REP repeats (p.98): a mosaic, a text space, or other text. */
  private lastMosaic = false;
  private lastSpace = false;

  /** The next byte would be printed as G0 text (not a sequence parameter, not a mosaic). */
  get inText(): boolean {
    return this.state === State.GROUND && !this.mosaic;
  }

  /** Counts an occurrence; the message is only built for the ones listed. */
  report(rule: RuleId, offset: number, message: () => string): void {
    const count = (this.counts[rule] ?? 0) + 1;
    this.counts[rule] = count;
    if (count > MAX_FINDINGS_PER_RULE) return;
    const { severity, reference } = RULES[rule];
    this.findings.push({ offset, rule, severity, reference, message: message() });
  }

  /** One 7-bit byte of the page at `offset`. */
  byte(b: number, offset: number): void {
    if (b === C0.NUL && this.state !== State.TRANSPARENT) return; // padding, even inside sequences (p.98)
    switch (this.state) {
      case State.GROUND:
        if (b >= SP) this.print(b, offset);
        else this.control(b, offset);
        return;
      case State.TRANSPARENT:
        this.transparent(b);
        return;
      case State.PROTOCOL:
        this.protocol(b, offset);
        return;
    }
    if (b < SP) {
      this.abort(b, offset);
      return;
    }
    switch (this.state) {
      case State.ESC:
        this.escape(b);
        return;
      case State.CSI:
        this.csi(b);
        return;
      case State.ISO:
        this.iso(b);
        return;
      case State.SKIP_ONE:
        this.state = State.GROUND;
        return;
      case State.US_ROW:
        this.usRowByte(b);
        return;
      case State.US_COLUMN:
        this.state = State.GROUND;
        this.usColumn(b);
        return;
      case State.US_LEGACY:
        this.state = State.GROUND;
        this.usLegacy(b);
        return;
      case State.DRCS:
        return; // shape bytes; a control byte (normally US) ends the download
      case State.SS2:
        if (ACCENTS.has(b)) {
          this.state = State.SS2_ACCENT;
        } else {
          this.state = State.GROUND;
          this.display(false, false);
        }
        return;
      case State.SS2_ACCENT:
        this.state = State.GROUND;
        this.display(false, false);
        return;
      case State.REP:
        this.state = State.GROUND;
        if (b < 0x40) {
          this.report('bad-rep', this.sequenceStart, () => `REP ${hex(b)}: the count byte must be 40–7F; ignored`);
        } else {
          // The copies take the current attributes (p.98): sizes, and a pending zone for a space.
          for (let i = 0; i < b - 0x40; i++) this.display(this.lastMosaic, this.lastSpace);
        }
        return;
    }
  }

  /** A control byte inside a sequence: the sequence is dropped and the control executed (p.99). */
  private abort(b: number, offset: number): void {
    if (b === C0.ESC) {
      // It may be a Protocole command, after which the sequence resumes (p.148).
      this.interrupted = this.state;
      this.state = State.ESC;
      this.sequenceStart = offset;
      return;
    }
    if (this.state === State.DRCS) {
      this.state = State.GROUND;
      this.control(b, offset);
      return;
    }
    this.report('aborted-sequence', this.sequenceStart, () => `sequence at ${this.sequenceStart} cut by ${hex(b)} at ${offset}`);
    this.state = State.GROUND;
    this.control(b, offset);
  }

  private print(b: number, offset: number): void {
    if (this.mosaic && b >= 0x40 && b <= 0x5f) this.report('g1-blank', offset, () => `G1 code ${hex(b)}`);
    this.display(this.mosaic, b === SP);
  }

  /**
   * A character displayed with the current attributes (also a G2 character,
   * the SUB block and each REP copy): a text space after a zone attribute is
   * the delimiter (p.93); text takes the current size, which the terminal
   * refuses in row 0, for height on row 1 and for width at column 40 (p.93, p.97).
   */
  private display(mosaic: boolean, space: boolean): void {
    this.lastMosaic = mosaic;
    this.lastSpace = space;
    if (mosaic) {
      this.advance(1, 1);
      return;
    }
    if (space && this.pending) this.pending = false;
    const width = this.doubleWidth && this.row !== 0 && this.column < COLUMNS ? 2 : 1;
    const height = this.doubleHeight && this.row >= 2 ? 2 : 1;
    this.advance(width, height);
  }

  /** The cursor after a character, in page mode (p.97). */
  private advance(width: number, height: number): void {
    this.column += width;
    if (this.column <= COLUMNS) return;
    if (this.row === 0) {
      this.column = COLUMNS;
      return;
    }
    this.column = 1;
    this.row += height;
    if (this.row > LAST_ROW) this.row = height === 2 ? 2 : 1;
  }

  private resetAttributes(): void {
    this.mosaic = false;
    this.pending = false;
    this.doubleWidth = false;
    this.doubleHeight = false;
  }

  private control(b: number, offset: number): void {
    switch (b) {
      case C0.BS:
        if (this.row === 0) this.column = Math.max(1, this.column - 1);
        else if (this.column > 1) this.column--;
        else {
          this.column = COLUMNS;
          this.row = this.row > 1 ? this.row - 1 : LAST_ROW;
        }
        return;
      case C0.HT:
        if (this.row === 0) this.column = Math.min(COLUMNS, this.column + 1);
        else if (this.column < COLUMNS) this.column++;
        else {
          this.column = 1;
          this.row = this.row < LAST_ROW ? this.row + 1 : 1;
        }
        return;
      case C0.LF:
        if (this.row === 0) this.leaveRowZero();
        else this.row = this.row < LAST_ROW ? this.row + 1 : 1;
        return;
      case C0.VT:
        if (this.row !== 0) this.row = this.row > 1 ? this.row - 1 : LAST_ROW;
        return;
      case C0.CR:
        this.column = 1;
        return;
      case C0.FF:
      case C0.RS:
        this.resetAttributes();
        this.saved = undefined;
        this.row = 1;
        this.column = 1;
        return;
      case C0.SO:
        // SO cancels sizes for good (p.91).
        this.mosaic = true;
        this.doubleWidth = false;
        this.doubleHeight = false;
        return;
      case C0.SI:
        this.mosaic = false;
        return;
      case C0.REP:
        this.enter(State.REP, offset);
        return;
      case C0.SEP:
      case C0.SS3:
        this.enter(State.SKIP_ONE, offset);
        return;
      case C0.SS2:
        if (!this.mosaic) this.enter(State.SS2, offset);
        return;
      case C0.SUB:
        this.display(this.mosaic, false);
        return;
      case C0.ESC:
        this.interrupted = State.GROUND;
        this.enter(State.ESC, offset);
        return;
      case C0.US:
        this.enter(State.US_ROW, offset);
        return;
      case C0.SYN:
        this.report('syn', offset, () => this.synMessage(offset));
        // Follow the page as Teletel's decoder reads it (SYN as SS2), so later findings
        // point at the same cells the page shows.
        if (!this.mosaic) this.enter(State.SS2, offset);
        return;
      default:
        return;
    }
  }

  /**
   * Pages from some editors use SYN where SS2 belongs. Teletel's decoder and
   * period emulators honour it, but STUM1B gives SYN no action, so a terminal
   * that follows the spec shows the accent's letter code instead: say which.
   */
  private synMessage(offset: number): string {
    const accent = this.page[offset + 1] & 0x7f;
    const letter = this.page[offset + 2] & 0x7f;
    if (offset + 2 < this.page.length && ACCENTS.has(accent) && letter > SP && letter < 0x7f) {
      const shown = String.fromCharCode(accent, letter);
      return `SYN ${hex(accent)} ${hex(letter)} looks meant as SS2 (an accent); send 19 instead: a terminal that follows STUM1B shows '${shown}'`;
    }
    return 'SYN (16)';
  }

  private enter(state: State, offset: number): void {
    this.state = state;
    this.sequenceStart = offset;
  }

  private leaveRowZero(): void {
    const saved = this.saved;
    this.saved = undefined;
    if (!saved) {
      this.row = 1;
      return;
    }
    this.row = saved.row;
    this.column = saved.column;
    this.mosaic = saved.mosaic;
    this.pending = saved.pending;
    this.doubleWidth = saved.doubleWidth;
    this.doubleHeight = saved.doubleHeight;
  }

  private escape(x: number): void {
    const start = this.sequenceStart;
    const length = PROTOCOL_LENGTH[x];
    if (length !== undefined) {
      this.protocolIntro = x;
      this.protocolBytes.length = 0;
      this.state = State.PROTOCOL;
      return;
    }
    if (x === ESC_OTHER.CURSOR_REQUEST) {
      this.resume();
      return;
    }
    if (this.interrupted !== State.GROUND) {
      this.report('aborted-sequence', start, () => `sequence cut by ESC at ${start}`);
      this.interrupted = State.GROUND;
    }
    this.state = State.GROUND;
    if (isAttributeFinal(x)) {
      this.attribute(x, start);
      return;
    }
    if (x >= 0x20 && x <= 0x2f) {
      if (x === ESC_OTHER.TRANSPARENCY) {
        this.state = State.TRANSPARENT;
        this.transparentMatch = 0;
        return;
      }
      this.intermediates.length = 0;
      this.intermediates.push(x);
      this.state = State.ISO;
      return;
    }
    if (x >= 0x35 && x <= 0x37) {
      this.state = State.SKIP_ONE; // swallowed with the next byte (p.99)
      return;
    }
    this.report('unknown-esc', start, () => `ESC ${hex(x)}`);
  }

  /** Back to the sequence a Protocole command interrupted, or to the ground state. */
  private resume(): void {
    this.state = this.interrupted;
    this.interrupted = State.GROUND;
  }

  private protocol(b: number, offset: number): void {
    if (b < SP) {
      // A control inside a Protocole command drops it (p.148); the control is then decoded.
      this.interrupted = State.GROUND;
      this.state = State.GROUND;
      this.control(b, offset);
      return;
    }
    this.protocolBytes.push(b);
    if (this.protocolBytes.length < PROTOCOL_LENGTH[this.protocolIntro]) return;
    const [x, y] = this.protocolBytes;
    if (this.protocolIntro === ESC_OTHER.PRO2 && y === 0x7d && (x === PRO2.MIXTE_SWITCH || x === PRO2.TELINFO)) {
      const mode = x === PRO2.MIXTE_SWITCH ? 'Mixte (80 columns)' : 'Téléinformatique';
      this.report('mixte-teleinfo', this.sequenceStart, () => `ESC 3A ${hex(x)} ${hex(y)}: switches to ${mode}`);
    }
    this.resume();
  }

  private attribute(x: number, start: number): void {
    if (x === ESC_ATTR.CSI) {
      if (this.row === 0) this.report('csi-row-0', start, () => 'CSI in row 0');
      this.intermediates.length = 0;
      this.csiParameters = [];
      this.state = State.CSI;
      this.sequenceStart = start;
      return;
    }
    if (x >= ESC_ATTR.BACKGROUND && x <= ESC_ATTR.BACKGROUND + 7) {
      if (!this.mosaic) this.pending = true; // in G0 the background waits for a delimiter (p.93)
      return;
    }
    switch (x) {
      case ESC_ATTR.MASK_ON:
      case ESC_ATTR.MASK_OFF:
        this.pending = true;
        return;
      case ESC_ATTR.LINING_OFF:
      case ESC_ATTR.LINING_ON:
        if (!this.mosaic) this.pending = true;
        return;
      case ESC_ATTR.NORMAL_SIZE:
      case ESC_ATTR.DOUBLE_HEIGHT:
      case ESC_ATTR.DOUBLE_WIDTH:
      case ESC_ATTR.DOUBLE_SIZE: {
        if (this.mosaic) return; // sizes do not exist in G1 (p.91)
        const tall = x === ESC_ATTR.DOUBLE_HEIGHT || x === ESC_ATTR.DOUBLE_SIZE;
        if ((tall && this.row <= 1) || (x !== ESC_ATTR.NORMAL_SIZE && this.row === 0)) {
          this.report('size-rows-0-1', start, () => `ESC ${hex(x)} on row ${this.row}: ignored`);
          return;
        }
        this.doubleHeight = tall;
        this.doubleWidth = x === ESC_ATTR.DOUBLE_WIDTH || x === ESC_ATTR.DOUBLE_SIZE;
        return;
      }
      default:
        return;
    }
  }

  private csiParameters: number[] = [];

  private csi(b: number): void {
    if (b >= 0x30 && b <= 0x3f) {
      const p = this.csiParameters;
      if (b <= 0x39) {
        if (p.length === 0) p.push(0);
        p[p.length - 1] = Math.min(p[p.length - 1] * 10 + b - 0x30, 9999);
      } else if (b === 0x3b && p.length < 8) {
        if (p.length === 0) p.push(0);
        p.push(0);
      }
      return;
    }
    if (b >= 0x20 && b <= 0x2f) {
      // Only "were there any" matters here; kept to 4 like ESC sequences, so a file of ESC [ and spaces holds nothing.
      if (this.intermediates.length < 4) this.intermediates.push(b);
      return;
    }
    this.state = State.GROUND;
    if (this.row === 0 || this.intermediates.length > 0) return;
    const n = Math.max(1, this.csiParameters[0] ?? 1);
    switch (b) {
      case 0x41:
        this.row = Math.max(1, this.row - n);
        break;
      case 0x42:
        this.row = Math.min(LAST_ROW, this.row + n);
        break;
      case 0x43:
        this.column = Math.min(COLUMNS, this.column + n);
        break;
      case 0x44:
        this.column = Math.max(1, this.column - n);
        break;
      case 0x48:
        this.row = Math.min(LAST_ROW, n);
        this.column = Math.min(COLUMNS, Math.max(1, this.csiParameters[1] ?? 1));
        break;
      default:
        break;
    }
  }

  private iso(b: number): void {
    const i = this.intermediates;
    if (b <= 0x2f) {
      if (i.length < 4) i.push(b);
      return;
    }
    this.state = State.GROUND;
    const start = this.sequenceStart;
    const text = `ESC ${[...i, b].map(hex).join(' ')}`;
    if (i[0] === ESC_OTHER.GLOBAL && i[1] === SP && i.length === 2 && (b === 0x58 || b === 0x5f)) return; // global mask (p.94)
    if (i[0] === ESC_OTHER.DESIGNATE_G0 || i[0] === ESC_OTHER.DESIGNATE_G1) {
      this.report('drcs', start, () => `${text}: character set designation`);
      return;
    }
    if (i[0] === 0x2f && i.length === 1 && b === 0x3f) {
      this.report('transparency-stray-end', start, () => `${text} with no ESC 25 before it`);
      return;
    }
    this.report('iso2022', start, () => text);
  }

  private transparent(b: number): void {
    if (this.transparentMatch === 1 && (b === 0x25 || b === 0x2f)) {
      this.transparentMatch = b === 0x25 ? 2 : 3;
      return;
    }
    if ((this.transparentMatch === 2 && b === 0x40) || (this.transparentMatch === 3 && b === 0x3f)) {
      this.state = State.GROUND;
      this.transparentMatch = 0;
      return;
    }
    this.transparentMatch = b === C0.ESC ? 1 : 0;
  }

  private usRowByte(b: number): void {
    this.usRow = b;
    if (b >= 0x40) {
      this.state = State.US_COLUMN;
    } else if (b >= 0x30 && b <= 0x39) {
      this.report('legacy-us', this.sequenceStart, () => `US ${hex(b)} …: legacy addressing`);
      this.state = State.US_LEGACY;
    } else if (b === 0x23) {
      this.report('drcs', this.sequenceStart, () => 'US 23: DRCS download');
      this.state = State.DRCS;
    } else {
      this.report('bad-us', this.sequenceStart, () => `US ${hex(b)}: not an address`);
      this.state = State.SKIP_ONE;
    }
  }

  private usColumn(c: number): void {
    const row = this.usRow - 0x40;
    const column = c - 0x40;
    if (row > LAST_ROW || column < 1 || column > COLUMNS) {
      this.report('bad-us', this.sequenceStart, () => `US ${hex(this.usRow)} ${hex(c)}: off-screen (row ${row}, column ${column}), ignored`);
      return;
    }
    this.moveTo(row, column);
  }

  private usLegacy(b: number): void {
    if (b < 0x30 || b > 0x39) return;
    const row = (this.usRow - 0x30) * 10 + b - 0x30;
    // Row 00 reaches the service row, as the decoder (and period pages) take it.
    if (row <= LAST_ROW) this.moveTo(row, 1);
  }

  private moveTo(row: number, column: number): void {
    if (row === 0 && this.row !== 0) {
      // Saved before US resets them, restored by LF (p.97).
      const { mosaic, pending, doubleWidth, doubleHeight } = this;
      this.saved = { row: this.row, column: this.column, mosaic, pending, doubleWidth, doubleHeight };
    } else if (row !== 0) {
      this.saved = undefined;
    }
    this.resetAttributes();
    this.row = row;
    this.column = column;
  }

  /** State the page leaves for the next one (docs §11). */
  finish(offset: number): void {
    if (this.state === State.TRANSPARENT) {
      this.report('transparency-unclosed', this.sequenceStart, () => `ESC 25 at ${this.sequenceStart} never ended`);
    }
    if (this.mosaic) this.report('ends-in-g1', offset, () => 'the page ends in G1 (no SI)');
    if (this.pending) this.report('ends-pending-zone', offset, () => 'a zone attribute waits for a delimiter');
    if (this.doubleWidth || this.doubleHeight) this.report('ends-double-size', offset, () => 'a double size is still on');
    if (this.row === 0) this.report('ends-in-row-0', offset, () => 'the cursor is in row 0');
  }
}
