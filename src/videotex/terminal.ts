/**
 * A Minitel in Videotex mode: fed the bytes a server sends, it keeps the
 * screen a real terminal would show and produces the replies a real terminal
 * would send. The same class is the browser emulator's engine and each server
 * session's mirror.
 *
 * Input flows through two layers, as in the terminal (p.134, p.148):
 *  1. the Protocole filter takes PRO1/PRO2/PRO3 and `ESC 61` out of the stream,
 *     wherever they sit, even inside another sequence, which then resumes;
 *  2. the screen decoder, a table-driven state machine (parser-table.ts)
 *     with fast paths for printable runs, attributes, US and REP; its
 *     handlers by family: C0 and the common sequences here, CSI in
 *     csi-sequence.ts, DRCS downloads in drcs-loader.ts, ISO 2022,
 *     transparency and photo blocks in escape-sequences.ts, Protocole
 *     commands and their replies in protocol.ts.
 * Chunks may split anything anywhere; the result is the same.
 */
import { C0, ESC_ATTR, ESC_OTHER } from './codes.js';
import { ACCENT_SHIFT, CharSet, ERROR, SET_SHIFT } from './cell.js';
import { accentOfCode, composedLetter } from './charset.js';
import { Accent } from './cell.js';
import { Screen } from './screen.js';
import { CsiSequence } from './csi-sequence.js';
import { DrcsLoader } from './drcs-loader.js';
import { isoSequence, PhotoBlockHeader, TransparencyMatcher } from './escape-sequences.js';
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
  private readonly csi = new CsiSequence();
  private readonly isoIntermediates: number[] = [];
  private readonly transparency = new TransparencyMatcher();
  private readonly drcs: DrcsLoader;
  private readonly photo = new PhotoBlockHeader();
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
    this.drcs = new DrcsLoader(this.screen);
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
        if (this.state === State.DRCS_DATA) this.drcs.commit();
        this.state = State.GROUND;
        this.execute(b);
        return;
      case Action.ESC_ATTRIBUTE:
        this.state = State.GROUND;
        if (b === ESC_ATTR.CSI) {
          this.state = State.CSI;
          this.csi.start();
        } else {
          this.writer.attribute(b);
        }
        return;
      case Action.ESC_INTERMEDIATE:
        if (b === ESC_OTHER.TRANSPARENCY) {
          this.state = State.TRANSPARENT;
          this.transparency.start();
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
        isoSequence(this.isoIntermediates, b, this.writer, this.screen, this.options.model !== 'minitel1b');
        return;
      case Action.CSI_PARAMETER:
        this.csi.parameter(b);
        return;
      case Action.CSI_INTERMEDIATE:
        this.csi.intermediate = true;
        return;
      case Action.CSI_FINAL:
        this.state = State.GROUND;
        this.csi.final(b, this.writer);
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
        if (this.transparency.byte(b)) this.state = State.GROUND;
        return;
      case Action.DRCS_START:
        this.state = this.drcs.start(b);
        return;
      case Action.DRCS_HEADER:
        this.state = this.drcs.header(b);
        return;
      case Action.DRCS_DATA:
        if (this.drcs.data(b)) return;
        // Any other byte ends the download; it is then decoded normally.
        this.state = State.GROUND;
        this.screenByte(b);
        return;
      case Action.PHOTO_START:
        // A 1B has no photo mode: ESC 70 is filtered like any ESC final, and what follows is text.
        this.state = State.GROUND;
        if (this.options.model !== 'minitel1b') {
          this.photo.start();
          this.state = State.PHOTO_HEADER;
        }
        return;
      case Action.PHOTO_HEADER: {
        const skip = this.photo.byte(b);
        if (skip !== undefined) {
          this.state = State.GROUND;
          this.photoSkip = skip;
        }
        return;
      }
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
