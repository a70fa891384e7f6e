/**
 * The Minitel keyboard in Vidéotex mode: which bytes a key sends (STUM1B
 * p.36–44, p.110–124). The browser emulator uses `keyBytes` to type; the
 * server's KeyParser (key-parser.ts) reads the same bytes back into keys.
 *
 * A `Key` names what the user pressed, not the bytes: the same key sends
 * different bytes depending on the keyboard mode (case, extended, cursor
 * coding), which the terminal and the service change at run time (p.110–111).
 */
import { ACCENT, C0, DEL, ESC_ATTR, SEP_KEY, SP } from './codes.js';

/** The nine Télétel function keys, in the order of their SEP codes (p.123). */
export const FUNCTION_KEY_NAMES = [
  'Envoi',
  'Retour',
  'Repetition',
  'Guide',
  'Annulation',
  'Sommaire',
  'Correction',
  'Suite',
  'ConnexionFin',
] as const;
export type FunctionKeyName = (typeof FUNCTION_KEY_NAMES)[number];

/**
 * Cursor and editing keys (p.41, p.124). TS + → alternates between starting and
 * ending insert mode, so the two presses are two names. Home is TS + ⏎ and
 * ClearScreen is Ctrl + ⏎; ⏎ alone is the separate `enter` key.
 */
export const CURSOR_KEY_NAMES = [
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'DeleteChar',
  'InsertRow',
  'DeleteRow',
  'InsertModeOn',
  'InsertModeOff',
  'ClearScreen',
] as const;
export type CursorKeyName = (typeof CURSOR_KEY_NAMES)[number];

/**
 * One printable character as the user typed it: ASCII, an accented letter
 * ('é') or a G2 special ('£'). Letters keep the case the user typed (see
 * `keyBytes` for how the case mode changes what is sent).
 */
export interface CharKey {
  type: 'char';
  char: string;
}
export interface FunctionKey {
  type: 'function';
  name: FunctionKeyName;
}
export interface CursorKey {
  type: 'cursor';
  name: CursorKeyName;
}
/**
 * A C0 code (0x00–0x1F) or DEL (0x7F) typed on the extended keyboard: Ctrl +
 * letter or punctuation, Esc, Ctrl + ← (p.114, p.117).
 */
export interface ControlKey {
  type: 'control';
  code: number;
}
/** The ⏎ key alone: CR, the only editing key of the standard keyboard (p.110, p.124). */
export interface EnterKey {
  type: 'enter';
}
export type Key = CharKey | FunctionKey | CursorKey | ControlKey | EnterKey;

/** The keyboard state that decides what a key sends (p.110–111, p.142). */
export interface KeyboardMode {
  /** Unshifted letters send lowercase (PRO2 START MINUSCULES, Fnct C + M). */
  lowercase: boolean;
  /** Extended keyboard: cursor keys, Ctrl and Esc enabled (PRO3 `69 59 41`, Fnct C + E). */
  extended: boolean;
  /** Cursor keys send C0 codes instead of CSI sequences (PRO3 `69 59 43`, Fnct C + C). */
  c0Cursor: boolean;
}

/** Power-on, RESET and connection state: uppercase, standard keyboard, CSI coding (p.110, p.145). */
export const DEFAULT_KEYBOARD_MODE: Readonly<KeyboardMode> = Object.freeze({
  lowercase: false,
  extended: false,
  c0Cursor: false,
});

/** The byte after SEP for each function key (p.123). */
export const FUNCTION_KEY_CODES: Readonly<Record<FunctionKeyName, number>> = {
  Envoi: SEP_KEY.ENVOI,
  Retour: SEP_KEY.RETOUR,
  Repetition: SEP_KEY.REPETITION,
  Guide: SEP_KEY.GUIDE,
  Annulation: SEP_KEY.ANNULATION,
  Sommaire: SEP_KEY.SOMMAIRE,
  Correction: SEP_KEY.CORRECTION,
  Suite: SEP_KEY.SUITE,
  ConnexionFin: SEP_KEY.CONNEXION_FIN,
};

/** What each cursor key sends after `ESC [` in the default CSI coding (p.124). */
export const CURSOR_KEY_CSI: Readonly<Record<CursorKeyName, readonly number[]>> = {
  Up: [0x41],
  Down: [0x42],
  Right: [0x43],
  Left: [0x44],
  DeleteRow: [0x4d], // TS + ↑
  InsertRow: [0x4c], // TS + ↓
  InsertModeOn: [0x34, 0x68], // TS + →, first press: CSI 4 h
  InsertModeOff: [0x34, 0x6c], // TS + →, second press: CSI 4 l
  DeleteChar: [0x50], // TS + ←
  Home: [0x48], // TS + ⏎
  ClearScreen: [0x32, 0x4a], // Ctrl + ⏎: CSI 2 J
};

/**
 * The C0 code each cursor key sends in C0 coding (p.124). The editing keys
 * have none: "insertion and deletion are then no longer available from the
 * keyboard" (p.111).
 */
export const CURSOR_KEY_C0: Readonly<Partial<Record<CursorKeyName, number>>> = {
  Up: C0.VT,
  Down: C0.LF,
  Right: C0.HT,
  Left: C0.BS,
  Home: C0.RS,
  ClearScreen: C0.FF,
};

/**
 * Accented letters a Minitel composes, as `SS2 accent letter` (p.88–90). The
 * accent keys (TS + Suite / Retour / Sommaire / Guide) send `SS2 accent` and the
 * letter follows as its own key (p.39–40, p.118); ç has its own key, Ctrl +
 * Correction, which sends all three bytes. There are no capital accented
 * letters (p.90).
 */
export const ACCENTED_LETTERS: Readonly<Record<string, readonly [accent: number, letter: number]>> = {
  à: [ACCENT.GRAVE, 0x61],
  è: [ACCENT.GRAVE, 0x65],
  ù: [ACCENT.GRAVE, 0x75],
  é: [ACCENT.ACUTE, 0x65],
  â: [ACCENT.CIRCUMFLEX, 0x61],
  ê: [ACCENT.CIRCUMFLEX, 0x65],
  î: [ACCENT.CIRCUMFLEX, 0x69],
  ô: [ACCENT.CIRCUMFLEX, 0x6f],
  û: [ACCENT.CIRCUMFLEX, 0x75],
  ä: [ACCENT.DIAERESIS, 0x61],
  ë: [ACCENT.DIAERESIS, 0x65],
  ï: [ACCENT.DIAERESIS, 0x69],
  ö: [ACCENT.DIAERESIS, 0x6f],
  ü: [ACCENT.DIAERESIS, 0x75],
  ç: [ACCENT.CEDILLA, 0x63],
};

/**
 * G2 characters that have a key, and their code after SS2 (p.39–40, p.118).
 * ¼ ½ ¾ and the G2 forms of $ # ↑ exist on screen but on no key.
 */
export const KEYBOARD_G2: Readonly<Record<string, number>> = {
  '£': 0x23, // Ctrl + Annulation
  '§': 0x27, // TS + Correction (a low bar on VGP2 screens)
  '←': 0x2c, // Ctrl + 8
  '→': 0x2e, // Ctrl + 9
  '↓': 0x2f, // Ctrl + #
  '°': 0x30, // Ctrl + 0
  '±': 0x31, // Ctrl + *
  '÷': 0x38, // Ctrl + 7
  Œ: 0x6a, // Ctrl + Retour
  œ: 0x7a, // Ctrl + Répétition
  ß: 0x7b, // Ctrl + Suite (drawn like β on VGP5, a low bar on VGP2)
};

/** TS + 0 sends 0x5E, which a Minitel draws as ↑ (p.116); accepted as another spelling of '^'. */
const UP_ARROW = '↑';
const CARET = 0x5e;

/** Nothing sent: a fresh empty array, so callers may keep what they get. */
function nothing(): Uint8Array {
  return new Uint8Array(0);
}

/**
 * The bytes a Minitel sends for `key` in keyboard `mode` (p.110–124), or an
 * empty array when that key sends nothing in that mode or no Minitel key
 * types it (a capital accented letter, '€', …).
 *
 * - Letters follow the case mode (p.43, p.111): the typed case says whether TS
 *   was held. In uppercase mode (the default) an unshifted key — typed as a
 *   lowercase letter — sends the capital and TS + letter sends the small
 *   letter; in lowercase mode letters are sent as typed.
 * - Accented letters are always sent with a small base letter (`é` = 19 42 65),
 *   since a Minitel shows no accent on a capital (p.90).
 * - Function keys and ⏎ work in every mode (p.110). Cursor, Ctrl and Esc keys
 *   need the extended keyboard (p.110).
 */
export function keyBytes(key: Key, mode: KeyboardMode = DEFAULT_KEYBOARD_MODE): Uint8Array {
  switch (key.type) {
    case 'char':
      return charBytes(key.char, mode);
    case 'function': {
      const code = FUNCTION_KEY_CODES[key.name];
      return code === undefined ? nothing() : Uint8Array.of(C0.SEP, code);
    }
    case 'cursor':
      return cursorBytes(key.name, mode);
    case 'control':
      return controlBytes(key.code, mode);
    case 'enter':
      return Uint8Array.of(C0.CR);
    default:
      return nothing();
  }
}

function charBytes(char: string, mode: KeyboardMode): Uint8Array {
  // NFC so that 'e' + U+0301 is the same key as 'é'.
  const text = typeof char === 'string' ? char.normalize('NFC') : '';
  const code = text.codePointAt(0);
  if (code === undefined || [...text].length !== 1) return nothing();
  if (code >= SP && code < DEL) {
    return Uint8Array.of(isAsciiLetter(code) && !mode.lowercase ? code ^ 0x20 : code);
  }
  if (text === UP_ARROW) return Uint8Array.of(CARET);
  const accented = ACCENTED_LETTERS[text];
  if (accented !== undefined) return Uint8Array.of(C0.SS2, accented[0], accented[1]);
  const g2 = KEYBOARD_G2[text];
  if (g2 !== undefined) return Uint8Array.of(C0.SS2, g2);
  return nothing();
}

function cursorBytes(name: CursorKeyName, mode: KeyboardMode): Uint8Array {
  if (!mode.extended) return nothing();
  if (mode.c0Cursor) {
    const code = CURSOR_KEY_C0[name];
    return code === undefined ? nothing() : Uint8Array.of(code);
  }
  const tail = CURSOR_KEY_CSI[name];
  return tail === undefined ? nothing() : Uint8Array.of(C0.ESC, ESC_ATTR.CSI, ...tail);
}

function controlBytes(code: number, mode: KeyboardMode): Uint8Array {
  if (!mode.extended || !isControlCode(code)) return nothing();
  return Uint8Array.of(code);
}

/** A code a Ctrl or Esc key can send: C0 (0x00–0x1F) or DEL from Ctrl + ← (p.114, p.117). */
function isControlCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 0 && code < SP) || code === DEL);
}

function isAsciiLetter(code: number): boolean {
  const upper = code & ~0x20;
  return upper >= 0x41 && upper <= 0x5a;
}
