/**
 * A Minitel in Videotex mode: fed the bytes a server sends, it keeps the
 * screen a real terminal would show and produces the replies a real terminal
 * would send. The same class is the browser emulator's engine and each server
 * session's mirror.
 *
 * Input flows through two layers, as in the terminal (p.134, p.148):
 *  1. the Protocole filter takes PRO1/PRO2/PRO3 and `ESC 61` out of the stream,
 *     wherever they sit, even inside another sequence, which then resumes;
 *  2. the screen decoder, a table-driven state machine (parser-table.ts).
 * Chunks may split anything anywhere; the result is the same.
 */
import { C0, ESC_ATTR, ESC_OTHER } from './codes.js';
import { ACCENT_SHIFT, CharSet, ERROR, SET_SHIFT } from './cell.js';
import { accentOfCode, composedLetter } from './charset.js';
import { Accent } from './cell.js';
import { DRCS_CODES, DRCS_FIRST_CODE, DRCS_SHAPE_BYTES, Screen } from './screen.js';
import { ScreenWriter } from './screen-writer.js';
import { resetAttributes } from './attributes.js';
import { type Link, Protocol, type ProtocolHost, type TerminalModel, type TerminalModes } from './protocol.js';
import { Action, actionOf, nextStateOf, State, STATE_SHIFT, TABLE } from './parser-table.js';
import { LIMITS } from './limits.js';

export interface TerminalOptions {
  /** ENQROM identity and features: 'minitel1b' filters DRCS as a 1B does. Default 'minitel2'. */
  model?: TerminalModel;
  /** Where the host is: on the network (modem) or the DIN socket. Default 'network'. */
  link?: Link;
  /**
   * 'strip' (default) drops bit 7 of every byte, as files and most links need.
   * 'check' treats a byte whose even parity is wrong as an error: the SUB block (p.48).
   */
  parity?: 'strip' | 'check';
  /** Bytes the terminal sends back to its host (ENQROM reply, statuses, acknowledgements). */
  onReply?: (bytes: Uint8Array) => void;
  /** BEL received (p.98). */
  onBell?: () => void;
  /** PRO1 DECONNEXION received: the host asks the terminal to hang up (p.146). */
  onDisconnect?: () => void;
}

const SP = 0x20;
const G0_BITS = CharSet.G0 << SET_SHIFT;
const G1_BITS = CharSet.G1 << SET_SHIFT;
const G2_BITS = CharSet.G2 << SET_SHIFT;
const DRCS0_BITS = CharSet.DRCS0 << SET_SHIFT;
const DRCS1_BITS = CharSet.DRCS1 << SET_SHIFT;

/** Bytes expected after `ESC 39`, `ESC 3A`, `ESC 3B` (p.134); 0 for other bytes. */
const PROTOCOL_LENGTH = new Uint8Array(128);
PROTOCOL_LENGTH[ESC_OTHER.PRO1] = 1;
PROTOCOL_LENGTH[ESC_OTHER.PRO2] = 2;
PROTOCOL_LENGTH[ESC_OTHER.PRO3] = 3;

export class Terminal implements ProtocolHost {
  readonly screen: Screen;
  private readonly writer: ScreenWriter;
  private readonly protocol: Protocol;
  private readonly options: Required<Pick<TerminalOptions, 'model' | 'link' | 'parity'>>;
  private readonly onReply: (bytes: Uint8Array) => void;
  private readonly onBell: () => void;
  private readonly onDisconnect: () => void;

  private state: State = State.GROUND;
  /** PRO3 OFF 58 50 blocked the screen module: it ignores what it receives (p.135). */
  private screenBlocked = false;
  /** An ESC seen by the Protocole filter, waiting for the byte that says whose it is. */
  private escapeHeld = false;
  /** The Protocole sequence being collected: its intro byte and parameters. */
  private protocolIntro = 0;
  private readonly protocolBytes: number[] = [];
  /** PRO2 TRANSPARENCE: bytes left that bypass the Protocole filter (p.137). */
  private protocolTransparent = 0;

  // Sequence parameters, bounded (limits.ts).
  private usRow = 0;
  private accent: Accent = Accent.NONE;
  private readonly csiParameters: number[] = [];
  private csiPrivate = false;
  private csiIntermediate = false;
  private readonly isoIntermediates: number[] = [];
  /** Progress through a transparency terminator: 0 none, 1 after ESC, 2 after ESC 25 / ESC 2F. */
  private transparentMatch = 0;
  private transparentFinal = 0;
  private drcsSet: 0 | 1 = 0;
  private drcsCode = 0;
  private drcsHeaderBytes = 0;
  private drcsBytes = 0;
  private readonly drcsShape = new Uint8Array(LIMITS.drcsBytesPerShape);
  private photoHeaderBytes = 0;
  private photoLength = 0;
  /** Bytes of a Photo-Videotex picture block still to skip, before any other processing. */
  private photoSkip = 0;

  constructor(options: TerminalOptions = {}) {
    this.options = {
      model: options.model ?? 'minitel2',
      link: options.link ?? 'network',
      parity: options.parity ?? 'strip',
    };
    this.onReply = options.onReply ?? noop;
    this.onBell = options.onBell ?? noop;
    this.onDisconnect = options.onDisconnect ?? noop;
    this.screen = new Screen();
    this.writer = new ScreenWriter(this.screen);
    this.protocol = new Protocol(
      {
        model: this.options.model,
        link: this.options.link,
        maxSpeed: this.options.model === 'minitel1b' ? 4800 : 9600,
      },
      this,
    );
  }

  get model(): TerminalModel {
    return this.options.model;
  }

  /** Modes switched by the Protocole layer: roll, keyboard case and extension, DIN speed. */
  get modes(): Readonly<TerminalModes> {
    return this.protocol.modes;
  }

  /** Keyboard linked to the screen: typed keys show without the server's echo (p.81). */
  get localEcho(): boolean {
    return this.protocol.localEcho;
  }

  /** `CSI 4 h` in force: written characters push the row right (p.95). */
  get insertMode(): boolean {
    return this.writer.insertMode;
  }

  /** Whether G0 / G1 are currently designated to the downloaded sets G'0 / G'1 (Minitel 2, docs §6.3). */
  get drcsDesignations(): { readonly g0: boolean; readonly g1: boolean } {
    return { g0: this.writer.drcsG0, g1: this.writer.drcsG1 };
  }

  /** Connected to a service or not, as reported by STATUS TERMINAL (p.146). */
  set connected(value: boolean) {
    this.protocol.connected = value;
  }

  /** Back to the power-on state (p.82, p.145): cleared screen, page mode, G0, cursor off. */
  reset(): void {
    this.state = State.GROUND;
    this.escapeHeld = false;
    this.protocolIntro = 0;
    this.protocolTransparent = 0;
    this.protocol.resetModes();
    this.screenBlocked = false;
    this.writer.rollMode = false;
    this.writer.drcsG0 = false;
    this.writer.drcsG1 = false;
    this.writer.reset();
    const screen = this.screen;
    screen.clearRows(0, 24);
    screen.clearDrcs();
    screen.cursorVisible = false;
    screen.globalMask = true;
  }

  /** Feeds bytes received from the host. Any byte sequence is accepted; nothing throws. */
  write(data: ArrayLike<number>): void {
    const check = this.options.parity === 'check';
    for (let i = 0; i < data.length; i++) {
      if (this.photoSkip > 0) {
        // Picture data is binary (JPEG): it must not reach the Protocole filter or the screen.
        const skip = Math.min(this.photoSkip, data.length - i);
        this.photoSkip -= skip;
        i += skip - 1;
        continue;
      }
      let b = data[i] & 0xff;
      if (check && !evenParity(b)) b = C0.SUB;
      b &= 0x7f;
      if (this.protocolTransparent > 0) {
        // NUL from the modem is not counted (p.137).
        if (b !== 0) this.protocolTransparent--;
        if (b !== 0) this.screenByte(b);
        continue;
      }
      if (b === C0.NUL) continue; // padding, ignored even inside sequences (p.98)
      if (this.protocolIntro !== 0) {
        if (b >= 0x20) {
          this.protocolByte(b);
          continue;
        }
        // A control inside a Protocole command: the command is dropped (p.148).
        this.protocolIntro = 0;
      }
      if (this.escapeHeld) {
        this.escapeHeld = false;
        if (this.startProtocol(b)) continue;
        this.screenByte(C0.ESC);
        if (b === C0.ESC) {
          this.escapeHeld = true;
          continue;
        }
      } else if (this.state === State.GROUND && !check) {
        // Fast paths for what pages are made of, when the whole sequence is in this chunk
        // and nothing else is pending; any other case takes the general path below.
        if (b >= 0x20) {
          // A run of printable bytes.
          let end = i + 1;
          while (end < data.length && (data[end] & 0x7f) >= 0x20) end++;
          if (!this.screenBlocked) this.writer.printRun(data, i, end);
          i = end - 1;
          continue;
        }
        if (i + 1 < data.length) {
          const x = data[i + 1] & 0x7f;
          if (b === C0.ESC) {
            // `ESC 40–5F` attributes (never a Protocole intro, which is 39–3B or 61).
            if (x >= 0x40 && x <= 0x5f && x !== ESC_ATTR.CSI) {
              if (!this.screenBlocked) this.writer.attribute(x);
              i++;
              continue;
            }
          } else if (b === C0.US) {
            if (x >= 0x40 && i + 2 < data.length) {
              const y = data[i + 2] & 0x7f;
              if (y >= 0x40) {
                this.usRow = x;
                if (!this.screenBlocked) this.usColumnByte(y);
                i += 2;
                continue;
              }
            }
          } else if (b === C0.REP && x >= 0x40) {
            if (!this.screenBlocked) this.writer.repeat(x - 0x40);
            i++;
            continue;
          }
        }
        if (b === C0.ESC) {
          this.escapeHeld = true;
          continue;
        }
        if (!this.screenBlocked) this.execute(b);
        continue;
      } else if (b === C0.ESC) {
        this.escapeHeld = true;
        continue;
      }
      if (this.state === State.GROUND && b >= 0x20) {
        if (!this.screenBlocked) this.printCode(b);
        continue;
      }
      this.screenByte(b);
    }
    this.writer.syncCursor();
  }

  /** Convenience for tests and tools: each UTF-16 code unit is one byte (Latin-1). */
  writeString(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    this.write(bytes);
  }

  // ---- Protocole filter (p.134–148) ------------------------------------------

  private startProtocol(b: number): boolean {
    if (b === ESC_OTHER.CURSOR_REQUEST) {
      // `ESC 61`: cursor position, answered even when the screen is blocked (p.98, p.139).
      this.writer.syncCursor();
      this.onReply(Uint8Array.of(C0.US, 0x40 + this.writer.row, 0x40 + this.writer.column));
      return true;
    }
    if (PROTOCOL_LENGTH[b] === 0) return false;
    this.protocolIntro = b;
    this.protocolBytes.length = 0;
    return true;
  }

  private protocolByte(b: number): void {
    const bytes = this.protocolBytes;
    bytes.push(b);
    if (bytes.length < PROTOCOL_LENGTH[this.protocolIntro]) return;
    const intro = this.protocolIntro;
    this.protocolIntro = 0;
    this.writer.syncCursor();
    if (intro === ESC_OTHER.PRO1) this.protocol.pro1(bytes[0]);
    else if (intro === ESC_OTHER.PRO2) this.protocol.pro2(bytes[0], bytes[1]);
    else this.protocol.pro3(bytes[0], bytes[1], bytes[2]);
    this.writer.rollMode = this.protocol.modes.roll;
    this.screenBlocked = this.protocol.screenBlocked;
  }

  // ---- ProtocolHost: what Protocole commands do to the rest of the terminal ----
  // Methods rather than closures, so a Terminal (thousands per server) costs no extra objects.

  /** @internal */
  protocolReply(bytes: number[]): void {
    this.onReply(Uint8Array.from(bytes));
  }

  /** @internal */
  protocolDisconnect(): void {
    this.onDisconnect();
  }

  /** @internal PRO2 TRANSPARENCE: the next n bytes bypass the Protocole filter. */
  protocolTransparency(n: number): void {
    this.protocolTransparent = n;
  }

  /** @internal PRO1 RESET (p.145–146): modes and attributes to standard, cursor off, screen kept. */
  protocolReset(): void {
    this.writer.rollMode = false;
    this.writer.insertMode = false;
    resetAttributes(this.writer.attributes);
    this.screen.cursorVisible = false;
    this.state = State.GROUND;
  }

  // ---- screen decoder ------------------------------------------------------------

  private screenByte(b: number): void {
    if (this.screenBlocked) return;
    const transition = TABLE[(this.state << STATE_SHIFT) | b];
    const next = nextStateOf(transition);
    switch (actionOf(transition)) {
      case Action.IGNORE:
        this.state = next;
        return;
      case Action.PRINT:
        this.printCode(b);
        return;
      case Action.EXECUTE:
        this.state = State.GROUND;
        this.execute(b);
        return;
      case Action.ABORT_EXECUTE:
        // Resynchronisation (p.99): the pending sequence is dropped and the C0 executed.
        if (this.state === State.DRCS_DATA) this.commitDrcsShape();
        this.state = State.GROUND;
        this.execute(b);
        return;
      case Action.ESC_ATTRIBUTE:
        this.state = State.GROUND;
        if (b === ESC_ATTR.CSI) this.startCsi();
        else this.writer.attribute(b);
        return;
      case Action.ESC_INTERMEDIATE:
        if (b === ESC_OTHER.TRANSPARENCY) {
          this.state = State.TRANSPARENT;
          this.transparentMatch = 0;
          return;
        }
        this.isoIntermediates.length = 0;
        this.isoIntermediates.push(b);
        this.state = next;
        return;
      case Action.ISO_INTERMEDIATE:
        if (this.isoIntermediates.length < LIMITS.isoIntermediates) this.isoIntermediates.push(b);
        this.state = next;
        return;
      case Action.ISO_FINAL:
        this.state = State.GROUND;
        this.isoSequence(b);
        return;
      case Action.CSI_PARAMETER:
        this.csiParameter(b);
        return;
      case Action.CSI_INTERMEDIATE:
        this.csiIntermediate = true;
        return;
      case Action.CSI_FINAL:
        this.state = State.GROUND;
        this.csiFinal(b);
        return;
      case Action.US_ROW:
        this.usRowByte(b);
        return;
      case Action.US_COLUMN:
        this.state = State.GROUND;
        this.usColumnByte(b);
        return;
      case Action.US_LEGACY_COLUMN:
        this.state = State.GROUND;
        this.usLegacyColumnByte(b);
        return;
      case Action.SS2_CODE:
        this.state = State.GROUND;
        this.ss2Code(b);
        return;
      case Action.SS2_LETTER:
        this.state = State.GROUND;
        this.ss2Letter(b);
        return;
      case Action.REP_COUNT:
        this.state = State.GROUND;
        // REP n repeats n − 0x40 more times; a count below 0x40 is malformed and ignored (p.98).
        if (b >= 0x40) this.writer.repeat(b - 0x40);
        return;
      case Action.TRANSPARENT_BYTE:
        this.transparentByte(b);
        return;
      case Action.DRCS_START:
        this.drcsStart(b);
        return;
      case Action.DRCS_HEADER:
        this.drcsHeader(b);
        return;
      case Action.DRCS_DATA:
        this.drcsData(b);
        return;
      case Action.PHOTO_START:
        // A 1B has no photo mode: ESC 70 is filtered like any ESC final, and what follows is text.
        this.state = State.GROUND;
        if (this.options.model !== 'minitel1b') {
          this.photoHeaderBytes = 0;
          this.photoLength = 0;
          this.state = State.PHOTO_HEADER;
        }
        return;
      case Action.PHOTO_HEADER:
        this.photoByte(b);
        return;
    }
  }

  /** A printable byte in the ground state, in the selected set (p.90, p.98). */
  private printCode(b: number): void {
    const writer = this.writer;
    if (writer.attributes.mosaic) {
      const set = writer.drcsG1 && b !== SP && b !== 0x7f ? DRCS1_BITS : G1_BITS;
      writer.print(b | set);
    } else {
      const set = writer.drcsG0 && b !== SP && b !== 0x7f ? DRCS0_BITS : G0_BITS;
      writer.print(b | set);
    }
  }

  private execute(b: number): void {
    const writer = this.writer;
    switch (b) {
      case C0.BEL:
        this.onBell();
        return;
      case C0.BS:
        writer.backspace();
        return;
      case C0.HT:
        writer.horizontalTab();
        return;
      case C0.LF:
        writer.lineFeed();
        return;
      case C0.VT:
        writer.verticalTab();
        return;
      case C0.FF:
        writer.formFeed();
        return;
      case C0.CR:
        writer.carriageReturn();
        return;
      case C0.SO:
        writer.shiftOut();
        return;
      case C0.SI:
        writer.shiftIn();
        return;
      case C0.CON:
        this.screen.cursorVisible = true;
        return;
      case C0.COF:
        this.screen.cursorVisible = false;
        return;
      case C0.REP:
        this.state = State.REP;
        return;
      case C0.SEP:
      case C0.SS3:
        this.state = State.SKIP;
        return;
      case C0.CAN:
        writer.fillToEndOfRow();
        return;
      case C0.SS2:
      case C0.SYN:
        // SS2 is ignored in G1: the next byte is a mosaic (p.90). STUM1B gives SYN no
        // action, but most service pages of the era (over half of our corpus) send SYN
        // where they mean SS2, and period emulators honour it; we follow the pages.
        // Our encoder never sends SYN.
        if (!writer.attributes.mosaic) this.state = State.SS2;
        return;
      case C0.SUB: {
        // The error block, in the current set, with the current attributes (p.99).
        const set = writer.attributes.mosaic ? G1_BITS : G0_BITS;
        writer.print(0x7f | set | ERROR);
        return;
      }
      case C0.ESC:
        this.state = State.ESC;
        return;
      case C0.RS:
        writer.recordSeparator();
        return;
      case C0.US:
        this.state = State.US_ROW;
        return;
      default:
        // Other C0 codes have no screen action (p.87–88).
        return;
    }
  }

  // ---- ISO 2022 sequences: global mask, DRCS designation (p.94, p.99) -----------

  private isoSequence(final: number): void {
    const i = this.isoIntermediates;
    const writer = this.writer;
    const drcs = this.options.model !== 'minitel1b';
    if (i.length === 2 && i[0] === ESC_OTHER.GLOBAL && i[1] === SP) {
      if (final === 0x58) this.setGlobalMask(true);
      else if (final === 0x5f) this.setGlobalMask(false);
    } else if (drcs && i[0] === ESC_OTHER.DESIGNATE_G0) {
      if (i.length === 1 && final === 0x40) writer.drcsG0 = false;
      else if (i.length === 2 && i[1] === SP && final === 0x42) writer.drcsG0 = true;
    } else if (drcs && i[0] === ESC_OTHER.DESIGNATE_G1) {
      if (i.length === 1 && final === 0x63) writer.drcsG1 = false;
      else if (i.length === 2 && i[1] === SP && final === 0x43) writer.drcsG1 = true;
    }
    // Anything else in ISO 2022 form is filtered (p.99).
  }

  private setGlobalMask(on: boolean): void {
    if (this.screen.globalMask === on) return;
    this.screen.globalMask = on;
    this.screen.markAllDirty();
  }

  /** `ESC 25` … `ESC 25 40` or `ESC 2F 3F`: everything between is ignored (p.99). */
  private transparentByte(b: number): void {
    if (this.transparentMatch === 1) {
      if (b === 0x25 || b === 0x2f) {
        this.transparentMatch = 2;
        this.transparentFinal = b === 0x25 ? 0x40 : 0x3f;
        return;
      }
    } else if (this.transparentMatch === 2 && b === this.transparentFinal) {
      this.state = State.GROUND;
      this.transparentMatch = 0;
      return;
    }
    this.transparentMatch = b === C0.ESC ? 1 : 0;
  }

  // ---- CSI (p.94–97) ---------------------------------------------------------------

  private startCsi(): void {
    this.state = State.CSI;
    this.csiParameters.length = 0;
    this.csiPrivate = false;
    this.csiIntermediate = false;
  }

  private csiParameter(b: number): void {
    const p = this.csiParameters;
    if (b >= 0x30 && b <= 0x39) {
      if (p.length === 0) p.push(0);
      const last = p.length - 1;
      // Values saturate: a flood of digits costs no memory (limits.ts).
      p[last] = Math.min(p[last] * 10 + (b - 0x30), LIMITS.csiParameterValue);
    } else if (b === 0x3b) {
      if (p.length === 0) p.push(0);
      if (p.length < LIMITS.csiParameters) p.push(0);
    } else {
      this.csiPrivate = true;
    }
  }

  private csiFinal(final: number): void {
    const writer = this.writer;
    // CSI never acts in row 0 (p.95); private or intermediate forms are not Videotex.
    if (writer.inRowZero || this.csiPrivate || this.csiIntermediate) return;
    const p = this.csiParameters;
    const first = p.length > 0 ? p[0] : 0;
    const count = Math.max(1, first);
    switch (final) {
      case 0x41:
        writer.cursorUp(count);
        break;
      case 0x42:
        writer.cursorDown(count);
        break;
      case 0x43:
        writer.cursorRight(count);
        break;
      case 0x44:
        writer.cursorLeft(count);
        break;
      case 0x48:
        writer.cursorPosition(Math.max(1, first), Math.max(1, p.length > 1 ? p[1] : 1));
        break;
      case 0x4a:
        writer.eraseInScreen(first);
        break;
      case 0x4b:
        writer.eraseInRow(first);
        break;
      case 0x50:
        writer.deleteCharacters(count);
        break;
      case 0x40:
        writer.insertCharacters(count);
        break;
      case 0x4c:
        writer.insertRows(count);
        break;
      case 0x4d:
        writer.deleteRows(count);
        break;
      case 0x68:
        if (first === 4) writer.insertMode = true;
        break;
      case 0x6c:
        if (first === 4) writer.insertMode = false;
        break;
      default:
        // Unknown CSI sequences are swallowed (p.97).
        break;
    }
  }

  // ---- US: addressing and DRCS (p.96–97) -----------------------------------------

  private usRowByte(b: number): void {
    this.usRow = b;
    if (b >= 0x40) {
      this.state = State.US_COLUMN;
    } else if (b >= 0x30 && b <= 0x39) {
      this.state = State.US_LEGACY_COLUMN;
    } else if (b === 0x23 && this.options.model !== 'minitel1b') {
      this.state = State.DRCS_START;
    } else {
      // An invalid US is ignored with its two bytes (p.96).
      this.state = State.SKIP;
    }
  }

  private usColumnByte(c: number): void {
    const row = this.usRow - 0x40;
    const column = c - 0x40;
    // An off-screen target makes the whole US void: no move, no reset (p.96).
    if (row > 24 || column < 1 || column > 40) return;
    this.writer.moveTo(row, column);
  }

  /**
   * Legacy `US 3X 3Y`: row XY in decimal, column 1 (p.96). Pages of the era use
   * `US 30 30` to reach row 0 (then clear it with 40 spaces), so row 00 is accepted.
   */
  private usLegacyColumnByte(b: number): void {
    if (b < 0x30 || b > 0x39) return;
    const row = (this.usRow - 0x30) * 10 + (b - 0x30);
    if (row > 24) return;
    this.writer.moveTo(row, 1);
  }

  // ---- DRCS downloads (Minitel 2; docs/videotex.md §6.3) ---------------------------

  private drcsStart(b: number): void {
    if (b === SP) {
      this.drcsHeaderBytes = 0;
      this.state = State.DRCS_HEADER;
    } else if (b >= DRCS_FIRST_CODE && b <= 0x7e) {
      this.drcsCode = b;
      this.drcsBytes = 0;
      this.state = State.DRCS_DATA;
    } else {
      this.state = State.GROUND;
    }
  }

  /** `US 23 20 20 20 42 49` (G'0) or `… 43 49` (G'1): which set the shapes load into. */
  private drcsHeader(b: number): void {
    if (b === 0x42) this.drcsSet = 0;
    else if (b === 0x43) this.drcsSet = 1;
    if (b === 0x49 || ++this.drcsHeaderBytes >= LIMITS.drcsHeaderBytes) this.state = State.GROUND;
  }

  /** Shape bytes 0x40–0x7F carry 6 bits each; 0x30 closes one shape and opens the next. */
  private drcsData(b: number): void {
    if (b === 0x30) {
      if (this.drcsBytes > 0) {
        this.commitDrcsShape();
        this.drcsCode++;
      }
      this.drcsBytes = 0;
      this.drcsShape.fill(0);
      return;
    }
    if (b >= 0x40) {
      if (this.drcsBytes < LIMITS.drcsBytesPerShape) this.drcsShape[this.drcsBytes++] = b & 0x3f;
      return;
    }
    // Any other byte ends the download; the byte is then decoded normally.
    this.commitDrcsShape();
    this.state = State.GROUND;
    this.screenByte(b);
  }

  /** Unpacks the 6-bit groups (MSB first) into 10 rows of 8 pixels and stores the shape. */
  private commitDrcsShape(): void {
    const count = this.drcsBytes;
    this.drcsBytes = 0;
    if (count === 0 || this.drcsCode < DRCS_FIRST_CODE || this.drcsCode >= DRCS_FIRST_CODE + DRCS_CODES) return;
    const target = this.screen.writableDrcsShape(this.drcsSet, this.drcsCode);
    // A bit accumulator: 6 bits in per group, 8 bits out per row.
    let bits = 0;
    let pending = 0;
    let group = 0;
    for (let row = 0; row < DRCS_SHAPE_BYTES; row++) {
      while (pending < 8) {
        bits = (bits << 6) | (group < count ? this.drcsShape[group] : 0);
        group++;
        pending += 6;
      }
      pending -= 8;
      target[row] = (bits >> pending) & 0xff;
      bits &= (1 << pending) - 1;
    }
    this.drcsShape.fill(0);
    this.screen.drcsVersion++;
    this.screen.markAllDirty();
  }

  // ---- Photo-Videotex blocks (docs/videotex.md §11) ------------------------------

  /**
   * Pages for photo terminals embed pictures as `ESC 70`, three header bytes
   * (`23 40 7F` in every page we have), a length in 5-bit groups (bit 5 set on
   * all but the last group) and that many bytes of picture data, JPEG included.
   * We show no picture, but skip the block whole, as reference emulators do,
   * instead of printing its bytes as garbage.
   */
  private photoByte(b: number): void {
    if (this.photoHeaderBytes < 3) {
      this.photoHeaderBytes++;
      return;
    }
    this.photoLength = Math.min((this.photoLength << 5) | (b & 0x1f), LIMITS.photoBlockBytes);
    if (b & 0x20 && ++this.photoHeaderBytes < 3 + LIMITS.photoLengthBytes) return;
    this.state = State.GROUND;
    this.photoSkip = this.photoLength;
  }

  // ---- SS2: G2 characters and accents (p.88–90) ------------------------------------

  private ss2Code(b: number): void {
    const accent = accentOfCode(b);
    if (accent !== Accent.NONE) {
      this.accent = accent;
      this.state = State.SS2_ACCENT;
      return;
    }
    // A G2 code with no glyph still takes a cell and shows a low bar (p.90); the cell keeps the code.
    this.writer.print(b | G2_BITS);
  }

  private ss2Letter(b: number): void {
    if (composedLetter(this.accent, b) !== undefined) {
      this.writer.print(b | G0_BITS | (this.accent << ACCENT_SHIFT));
    } else {
      // An accent on an unsupported character shows the character alone (p.90).
      this.printCode(b);
    }
  }

  /** For tests and tools: the decoder is back in its ground state with nothing pending. */
  get idle(): boolean {
    return this.state === State.GROUND && !this.escapeHeld && this.protocolIntro === 0;
  }
}

function noop(): void {}

function evenParity(b: number): boolean {
  let v = b;
  v ^= v >> 4;
  v ^= v >> 2;
  v ^= v >> 1;
  return (v & 1) === 0;
}
