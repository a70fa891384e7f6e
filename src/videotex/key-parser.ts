/**
 * Terminal → server bytes read back as key events: what the user typed
 * (p.110–124), plus the status codes and Protocole replies a Minitel mixes into
 * the same stream (p.126, p.134–146). The server feeds it every byte it
 * receives from a session.
 *
 * The parser is streaming: `push` takes chunks cut anywhere and returns the
 * events completed by that chunk; an unfinished sequence waits for the next
 * chunk. At 75 baud the bytes of one key arrive 133 ms apart (p.47), so a
 * timeout must never cut a sequence short: call `flush` only when the input
 * ends.
 *
 * Every byte sequence has a defined outcome and nothing throws:
 * - Bit 7 (parity, p.47) is cleared on every byte; NUL is padding and ignored
 *   everywhere, even inside a sequence (p.98).
 * - A prefix (SOH, SEP, SS2, ESC, US) followed by a byte that cannot be the
 *   second byte of any sequence it starts was a key typed alone on the
 *   extended keyboard (Ctrl + A, Ctrl + S, Ctrl + Y, Esc, Ctrl + ?; p.114): it
 *   is reported as that control key and the byte is read afresh.
 * - A sequence broken later is dropped. A C0 code or DEL that broke it is read
 *   afresh, as a Minitel resynchronises on C0 (p.99); any other byte is
 *   dropped with it.
 * - Well-formed sequences that mean nothing known (an SS2 code with no glyph,
 *   an unknown CSI final or Protocole reply) are dropped.
 * - At most `PENDING_MAX_BYTES` are ever held.
 *
 * Some bytes mean two keys and the stream cannot tell which was pressed:
 * BS HT LF VT RS FF are reported as the cursor keys of the C0 coding (←, →, ↓,
 * ↑, TS + ⏎, Ctrl + ⏎; p.124) although Ctrl + H, I, J, K, L and Ctrl + . send
 * them too (p.114); SEP + 41 is Envoi even if it was Ctrl + S then A.
 *
 * Not decoded: the PAD-X3 setting (p.111, p.145), which turns SEP XY into
 * `ESC 2Y 3X CR`; its function keys arrive as Esc, two characters and enter.
 */
import { C0, DEL, ESC_ATTR, ESC_OTHER, PRO2, PRO3, SEP_STATUS, SP } from './codes.js';
import {
  ACCENTED_LETTERS,
  CURSOR_KEY_C0,
  CURSOR_KEY_CSI,
  CURSOR_KEY_NAMES,
  FUNCTION_KEY_CODES,
  FUNCTION_KEY_NAMES,
  KEYBOARD_G2,
} from './keyboard.js';
import type { CursorKeyName, FunctionKeyName, Key } from './keyboard.js';

/** A SEP code that is not a function key: connection, reversal, reset ack… (p.126, p.144–146). */
export interface StatusEvent {
  type: 'status';
  code: number;
}

/**
 * A Protocole reply or cursor position the terminal sent back (p.98, p.134–146):
 * `ESC 3A x s`, `ESC 3B x y s`, `US r c`, the ENQROM reply `SOH m t v EOT`
 * (see `parseEnqrom`) or the Téléinformatique switch ack `CSI ? z` (p.144). The bytes
 * are 7-bit, without NUL.
 */
export interface ReplyEvent {
  type: 'reply';
  bytes: Uint8Array;
}

/**
 * What the parser reports. Keys are what a user typed and can be typed again
 * with `keyBytes`; status and reply events come from the terminal itself.
 */
export type InputEvent = Key | StatusEvent | ReplyEvent;

// Bounds. Each sequence has a fixed or capped length, so pending state never
// grows with the input.

/** A PRO2 reply `ESC 3A x s` is 4 bytes (p.134, p.138–146). */
export const PRO2_REPLY_BYTES = 4;
/** A PRO3 reply `ESC 3B x y s` is 5 bytes (p.134–136, p.142). */
export const PRO3_REPLY_BYTES = 5;
/**
 * An ENQROM reply `SOH m t v EOT` is 5 bytes (p.139). Up to 8 are accepted so
 * that an emulator sending a longer version still gets through; past that, the
 * bytes held are dropped and reading starts again with the next byte.
 */
export const ENQROM_REPLY_MAX_BYTES = 8;
/**
 * Parameter and intermediate bytes kept in a CSI sequence. No key sends more
 * than one (`CSI 4 h`, `CSI 2 J`, p.124; `CSI ? z`, p.144); a longer sequence is
 * skipped to its final byte without being stored.
 */
export const CSI_MAX_PARAMETER_BYTES = 2;
/** The most bytes the parser ever holds: the longest sequence above. */
export const PENDING_MAX_BYTES = Math.max(
  ENQROM_REPLY_MAX_BYTES,
  PRO3_REPLY_BYTES,
  2 + CSI_MAX_PARAMETER_BYTES + 1,
);

/** Parser states, one per prefix and sequence position. */
/** Where events go between push and flush calls: frozen, so an event produced outside them fails loudly instead of being shared. */
const NO_EVENTS: InputEvent[] = Object.freeze([]) as unknown as InputEvent[];

const State = {
  GROUND: 0,
  /** After SOH: ENQROM reply payload until EOT. */
  ENQROM: 1,
  /** After SEP: one code. */
  SEP: 2,
  /** After SS2: an accent or a G2 code. */
  SS2: 3,
  /** After ESC: `[`, `:` or `;`, else the Esc key. */
  ESC: 4,
  /** After ESC [: parameters then a final byte. */
  CSI: 5,
  /** A CSI too long to be a key: skipped to its final byte. */
  CSI_SKIP: 6,
  /** After ESC : or ESC ;: a fixed-length reply. */
  PRO: 7,
  /** After US: the row byte. */
  US: 8,
  /** After US r: the column byte. */
  US_ROW: 9,
} as const;
type State = (typeof State)[keyof typeof State];

/** The Minitel screen's G2 glyphs (p.103), the keyboard's plus those no key sends. */
const G2_GLYPHS: ReadonlyMap<number, string> = new Map<number, string>([
  ...Object.entries(KEYBOARD_G2).map(([char, code]) => [code, char] as const),
  [0x24, '$'],
  [0x26, '#'],
  [0x2d, '↑'],
  [0x3c, '¼'],
  [0x3d, '½'],
  [0x3e, '¾'],
]);

/** `accent << 8 | letter` → the composed letter (p.90). */
const COMPOSED: ReadonlyMap<number, string> = new Map<number, string>(
  Object.entries(ACCENTED_LETTERS).map(([char, [accent, letter]]) => [(accent << 8) | letter, char] as const),
);

const ACCENT_CODES: ReadonlySet<number> = new Set(Object.values(ACCENTED_LETTERS).map(([accent]) => accent));

const FUNCTION_KEY_BY_CODE: ReadonlyMap<number, FunctionKeyName> = new Map<number, FunctionKeyName>([
  ...FUNCTION_KEY_NAMES.map((name) => [FUNCTION_KEY_CODES[name], name] as const),
  // A Minitel sends SEP 59 to its DIN port when the user connects the modem
  // (p.126); terminals bridged to a server send it for the Connexion/Fin key.
  [SEP_STATUS.CONNECTION_ATTEMPT, 'ConnexionFin'],
]);

const CURSOR_KEY_BY_C0: ReadonlyMap<number, CursorKeyName> = new Map<number, CursorKeyName>(
  CURSOR_KEY_NAMES.flatMap((name) => {
    const code = CURSOR_KEY_C0[name];
    return code === undefined ? [] : [[code, name] as const];
  }),
);

/** Téléinformatique switch ack `CSI ? z` (p.144), the only CSI a terminal sends that is not a key. */
const TELINFO_ACK = [0x3f, 0x7a] as const;

/** A SEP sequence is SEP + any byte of columns 2–7; a C0 code resynchronises (p.99). */
function isSepCode(b: number): boolean {
  return b >= SP;
}

function isControl(b: number): boolean {
  return b < SP || b === DEL;
}

/**
 * Streaming reader of what a Minitel sends. One instance per connection; not
 * shared between connections.
 */
export class KeyParser {
  private state: State = State.GROUND;
  private readonly pending = new Uint8Array(PENDING_MAX_BYTES);
  private length = 0;
  /** Bytes expected for the PRO reply being read. */
  private proLength = 0;
  /**
   * An accent key waiting for its letter (0 when none). It is kept apart from
   * `state` because the user may take their time: a status or reply arriving
   * meanwhile does not cancel it, any other key does (p.40: the accent shows
   * only once its letter is typed).
   */
  private accent = 0;
  private out: InputEvent[] = NO_EVENTS;

  /** The events completed by `chunk`, in order. */
  push(chunk: Uint8Array): InputEvent[] {
    const out: InputEvent[] = (this.out = []);
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i] & 0x7f);
    // Not kept: a gateway holds thousands of parsers between keys.
    this.out = NO_EVENTS;
    return out;
  }

  /**
   * The input has ended: settle what is pending. A prefix alone is the key
   * that sends it (Esc, Ctrl + A…); a partial sequence or accent is dropped.
   */
  flush(): InputEvent[] {
    const out: InputEvent[] = (this.out = []);
    if (this.length === 1) this.prefixAlone();
    this.reset();
    this.out = NO_EVENTS;
    return out;
  }

  /** Forget everything pending, as after a new connection. */
  reset(): void {
    this.state = State.GROUND;
    this.length = 0;
    this.proLength = 0;
    this.accent = 0;
  }

  /** How many bytes are held for an unfinished sequence (never above `PENDING_MAX_BYTES`). */
  get pendingBytes(): number {
    return this.length;
  }

  private byte(b: number): void {
    if (b === C0.NUL) return;
    switch (this.state) {
      case State.GROUND:
        return this.ground(b);
      case State.ENQROM:
        return this.enqrom(b);
      case State.SEP:
        return this.sep(b);
      case State.SS2:
        return this.ss2(b);
      case State.ESC:
        return this.esc(b);
      case State.CSI:
        return this.csi(b);
      case State.CSI_SKIP:
        return this.csiSkip(b);
      case State.PRO:
        return this.pro(b);
      case State.US:
        return this.us(b);
      case State.US_ROW:
        return this.usRow(b);
    }
  }

  private ground(b: number): void {
    switch (b) {
      case C0.SOH:
        return this.begin(State.ENQROM, b);
      case C0.SEP:
        return this.begin(State.SEP, b);
      case C0.SS2:
        return this.begin(State.SS2, b);
      case C0.ESC:
        return this.begin(State.ESC, b);
      case C0.US:
        return this.begin(State.US, b);
      case C0.CR:
        return this.key({ type: 'enter' });
    }
    if (isControl(b)) {
      const cursor = CURSOR_KEY_BY_C0.get(b);
      return this.key(cursor === undefined ? { type: 'control', code: b } : { type: 'cursor', name: cursor });
    }
    let char = String.fromCharCode(b);
    if (this.accent !== 0) {
      // An accent before a letter it does not fit shows the letter alone (p.90).
      char = COMPOSED.get((this.accent << 8) | b) ?? char;
      this.accent = 0;
    }
    this.out.push({ type: 'char', char });
  }

  /** SOH m t v EOT (p.139). */
  private enqrom(b: number): void {
    if (b === C0.EOT && this.length > 1) {
      this.hold(b);
      return this.reply();
    }
    if (b < SP) {
      return this.length === 1 ? this.prefixAlone(b) : this.broken(b);
    }
    if (this.length >= ENQROM_REPLY_MAX_BYTES - 1) {
      // No room left for EOT: not a reply this parser accepts.
      return this.drop();
    }
    this.hold(b);
  }

  /** SEP x: a function key or a status code (p.123, p.126). */
  private sep(b: number): void {
    if (!isSepCode(b)) return this.prefixAlone(b);
    this.drop();
    const name = FUNCTION_KEY_BY_CODE.get(b);
    if (name !== undefined) this.key({ type: 'function', name });
    else this.out.push({ type: 'status', code: b });
  }

  /** SS2 x: an accent waiting for its letter, or a G2 character (p.88–90, p.118). */
  private ss2(b: number): void {
    if (b < SP) return this.prefixAlone(b);
    this.drop();
    if (ACCENT_CODES.has(b)) {
      this.accent = b;
      return;
    }
    const glyph = G2_GLYPHS.get(b);
    if (glyph === undefined) return; // no glyph: a low bar on screen (p.90), nothing typed
    this.accent = 0;
    this.out.push({ type: 'char', char: glyph });
  }

  private esc(b: number): void {
    switch (b) {
      case ESC_ATTR.CSI:
        this.hold(b);
        this.state = State.CSI;
        return;
      case ESC_OTHER.PRO2:
      case ESC_OTHER.PRO3:
        this.hold(b);
        this.proLength = b === ESC_OTHER.PRO2 ? PRO2_REPLY_BYTES : PRO3_REPLY_BYTES;
        this.state = State.PRO;
        return;
    }
    this.prefixAlone(b);
  }

  /** CSI P… F (p.124): parameters and intermediates in columns 2–3, final in 4–7. */
  private csi(b: number): void {
    if (isControl(b)) return this.broken(b);
    if (b < 0x40) {
      if (this.length - 2 >= CSI_MAX_PARAMETER_BYTES) {
        this.drop();
        this.state = State.CSI_SKIP;
        return;
      }
      this.hold(b);
      return;
    }
    const params = this.pending.subarray(2, this.length);
    this.drop();
    const name = CURSOR_KEY_NAMES.find((n) => sameBytes(CURSOR_KEY_CSI[n], params, b));
    if (name !== undefined) return this.key({ type: 'cursor', name });
    if (sameBytes(TELINFO_ACK, params, b)) {
      this.out.push({ type: 'reply', bytes: Uint8Array.of(C0.ESC, ESC_ATTR.CSI, ...TELINFO_ACK) });
    }
  }

  private csiSkip(b: number): void {
    if (isControl(b)) return this.broken(b);
    if (b >= 0x40) this.state = State.GROUND;
  }

  /** ESC 3A x s / ESC 3B x y s: status replies (p.134–146). */
  private pro(b: number): void {
    if (b < SP) return this.broken(b);
    this.hold(b);
    if (this.length < this.proLength) return;
    const command = this.pending[1];
    const code = this.pending[2];
    const known =
      command === ESC_OTHER.PRO2
        ? code === PRO2.REP_STATUS_TERMINAL ||
          code === PRO2.REP_STATUS_FONCTIONNEMENT ||
          code === PRO2.REP_STATUS_VITESSE ||
          code === PRO2.REP_STATUS_PROTOCOLE
        : code === PRO3.REP_ROUTING || code === PRO3.REP_STATUS_KEYBOARD;
    if (known) this.reply();
    else this.drop();
  }

  /** US r c: the cursor position reply to ESC 61, both bytes offset by 0x40 (p.98, p.139). */
  private us(b: number): void {
    if (b < 0x40) return this.prefixAlone(b);
    this.hold(b);
    this.state = State.US_ROW;
  }

  private usRow(b: number): void {
    if (b < 0x40) return this.broken(b);
    this.hold(b);
    this.reply();
  }

  private begin(state: State, b: number): void {
    this.state = state;
    this.pending[0] = b;
    this.length = 1;
  }

  private hold(b: number): void {
    // Every state bounds its own length; this guard keeps the buffer safe regardless.
    if (this.length < PENDING_MAX_BYTES) this.pending[this.length++] = b;
  }

  private drop(): void {
    this.length = 0;
    this.state = State.GROUND;
  }

  private reply(): void {
    const bytes = this.pending.slice(0, this.length);
    this.drop();
    this.out.push({ type: 'reply', bytes });
  }

  /** The prefix held was a key typed alone (p.114); `next`, if any, is read afresh. */
  private prefixAlone(next?: number): void {
    const code = this.pending[0];
    this.drop();
    this.key({ type: 'control', code });
    if (next !== undefined) this.ground(next);
  }

  /** A sequence cut short: dropped; a C0 code or DEL that cut it is read afresh (p.99). */
  private broken(b: number): void {
    this.drop();
    if (isControl(b)) this.ground(b);
  }

  /** A key other than a character: it cancels a pending accent (p.99). */
  private key(key: Key): void {
    this.accent = 0;
    this.out.push(key);
  }
}

function sameBytes(expected: readonly number[], params: Uint8Array, final: number): boolean {
  if (expected.length !== params.length + 1 || expected[params.length] !== final) return false;
  for (let i = 0; i < params.length; i++) if (expected[i] !== params[i]) return false;
  return true;
}

/**
 * Typed text as char keys, e.g. "3615 ULLA" for a test or a bot. CR, LF and
 * CR LF become one `enter` each; everything else is one char key per code
 * point (characters no key types are kept: `keyBytes` sends nothing for them).
 */
export function keysFromText(text: string): Key[] {
  const keys: Key[] = [];
  const chars = [...text.normalize('NFC')];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '\r' || char === '\n') {
      if (char === '\r' && chars[i + 1] === '\n') i++;
      keys.push({ type: 'enter' });
    } else {
      keys.push({ type: 'char', char });
    }
  }
  return keys;
}

/** Minitel families as the ENQROM type byte tells them (p.139). */
export type MinitelModel =
  | 'minitel1'
  | 'minitel1b'
  | 'minitel2'
  | 'minitel10'
  | 'minitel10b'
  | 'minitel5'
  | 'minitel12'
  | 'emulator'
  | 'unknown';

/** A terminal's identity from its ENQROM reply (p.139). */
export interface EnqromInfo {
  /** Maker letter: 'A' Matra, 'B' RTIC (Philips), 'C' Telic-Alcatel… */
  maker: string;
  /** Type byte, the one servers key on. */
  type: number;
  /** Software version character, as sent (in PAD-X3 mode it is shifted by 0x40, p.111). */
  version: string;
  model: MinitelModel;
}

/**
 * Type byte → model (p.139). 0x6D is not in STUM1B: it is the type the MiniPavi
 * and miedit emulators send (`01 45 6D 55 04`, "EmU") and no Minitel uses it,
 * so it is reported as an emulator rather than unknown.
 */
const MODEL_BY_TYPE: ReadonlyMap<number, MinitelModel> = new Map<number, MinitelModel>([
  [0x62, 'minitel1'],
  [0x63, 'minitel1'],
  [0x72, 'minitel1'],
  [0x73, 'minitel1'], // colour Minitel 1
  [0x64, 'minitel10'],
  [0x66, 'minitel10'],
  [0x75, 'minitel1b'],
  [0x77, 'minitel10b'],
  [0x76, 'minitel2'],
  [0x79, 'minitel5'],
  [0x7a, 'minitel12'],
  [0x67, 'emulator'],
  [0x6d, 'emulator'],
]);

/** The ENQROM reply is exactly SOH m t v EOT (p.139). */
const ENQROM_REPLY_BYTES = 5;

/**
 * Reads an ENQROM reply `01 m t v 04` (p.139), parity bits ignored. Returns
 * null when the bytes are not one; an unlisted type gives model 'unknown'.
 */
export function parseEnqrom(bytes: Uint8Array): EnqromInfo | null {
  if (bytes.length !== ENQROM_REPLY_BYTES) return null;
  const [soh, maker, type, version, eot] = Array.from(bytes, (b) => b & 0x7f);
  if (soh !== C0.SOH || eot !== C0.EOT) return null;
  if ([maker, type, version].some((b) => b < SP)) return null;
  return {
    maker: String.fromCharCode(maker),
    type,
    version: String.fromCharCode(version),
    model: MODEL_BY_TYPE.get(type) ?? 'unknown',
  };
}
