/**
 * Videotex protocol constants, named as STUM1B names them, each with its page.
 * Every other module takes its numbers from here.
 */

/** C0 control codes in Videotex mode (STUM1B p.87–99). */
export const C0 = {
  NUL: 0x00, // padding, ignored everywhere (p.98)
  SOH: 0x01, // starts the ENQROM reply (p.139)
  EOT: 0x04, // ends the ENQROM reply (p.139)
  ENQ: 0x05,
  BEL: 0x07, // beep (p.98)
  BS: 0x08, // cursor left (p.97)
  HT: 0x09, // cursor right (p.97)
  LF: 0x0a, // cursor down; leaves row 0 (p.97)
  VT: 0x0b, // cursor up (p.97)
  FF: 0x0c, // clear rows 1–24, cursor home (p.95)
  CR: 0x0d, // column 1 (p.94)
  SO: 0x0e, // select G1 mosaics (p.90)
  SI: 0x0f, // select G0 text (p.90)
  DLE: 0x10,
  CON: 0x11, // DC1: cursor on (p.99)
  REP: 0x12, // DC2: repeat last character (p.98)
  SEP: 0x13, // DC3: function key / status prefix (p.99)
  COF: 0x14, // DC4: cursor off (p.99)
  NAK: 0x15,
  SYN: 0x16,
  ETB: 0x17,
  CAN: 0x18, // fill to end of row (p.95)
  SS2: 0x19, // single shift to G2 (p.90)
  SUB: 0x1a, // error block (p.99)
  ESC: 0x1b,
  FS: 0x1c,
  SS3: 0x1d, // swallowed with its next byte (p.99)
  RS: 0x1e, // home, default attributes (p.95)
  US: 0x1f, // addressing, DRCS (p.96)
} as const;

export const SP = 0x20;
export const DEL = 0x7f;

/** Second byte of `ESC x` attribute sequences (the C1 grid, p.91–92). */
export const ESC_ATTR = {
  FOREGROUND: 0x40, // + colour 0–7
  BLINK_ON: 0x48,
  BLINK_OFF: 0x49,
  NORMAL_SIZE: 0x4c,
  DOUBLE_HEIGHT: 0x4d,
  DOUBLE_WIDTH: 0x4e,
  DOUBLE_SIZE: 0x4f,
  BACKGROUND: 0x50, // + colour 0–7
  MASK_ON: 0x58,
  LINING_OFF: 0x59, // underline off (G0) / solid mosaics (G1)
  LINING_ON: 0x5a, // underline on (G0) / separated mosaics (G1)
  CSI: 0x5b,
  INVERSE_OFF: 0x5c,
  INVERSE_ON: 0x5d,
  MASK_OFF: 0x5f,
} as const;

/** Other ESC finals the terminal recognises. */
export const ESC_OTHER = {
  /** `ESC 23 20 58` / `ESC 23 20 5F`: global mask / unmask (p.94). */
  GLOBAL: 0x23,
  /** `ESC 25`: screen transparency, ended by `ESC 25 40` or `ESC 2F 3F` (p.99). */
  TRANSPARENCY: 0x25,
  /** `ESC 28 …` / `ESC 29 …`: G0 / G1 designation (DRCS, Minitel 2). */
  DESIGNATE_G0: 0x28,
  DESIGNATE_G1: 0x29,
  PRO1: 0x39,
  PRO2: 0x3a,
  PRO3: 0x3b,
  /** `ESC 61`: cursor position request (p.98, p.139). */
  CURSOR_REQUEST: 0x61,
} as const;

/** G2 accents (non-spacing, p.88). */
export const ACCENT = {
  GRAVE: 0x41,
  ACUTE: 0x42,
  CIRCUMFLEX: 0x43,
  DIAERESIS: 0x48,
  CEDILLA: 0x4b,
} as const;

/** Function keys: the byte after SEP (p.123). */
export const SEP_KEY = {
  ENVOI: 0x41,
  RETOUR: 0x42,
  REPETITION: 0x43,
  GUIDE: 0x44,
  ANNULATION: 0x45,
  SOMMAIRE: 0x46,
  CORRECTION: 0x47,
  SUITE: 0x48,
  CONNEXION_FIN: 0x49,
} as const;

/** Other SEP codes a terminal sends (p.126, p.144–146). */
export const SEP_STATUS = {
  OPPOSED: 0x50,
  REVERSAL_DONE: 0x51,
  CONNECTION: 0x53,
  PT_CHANGED: 0x54,
  MODE_CHANGED: 0x56,
  TRANSPARENCY_ACK: 0x57,
  /** Connection attempt / hang-up; also sent by some terminals for Connexion/Fin. */
  CONNECTION_ATTEMPT: 0x59,
  RESET_ACK: 0x5e,
  ENTERED_MIXTE: 0x70,
  ENTERED_VIDEOTEX: 0x71,
} as const;

/** PRO1 `ESC 39 x` commands (p.134–146). */
export const PRO1 = {
  DECONNEXION: 0x67,
  CONNEXION: 0x68,
  RET1: 0x6c,
  RET2: 0x6d,
  OPPO: 0x6f,
  STATUS_TERMINAL: 0x70,
  STATUS_FONCTIONNEMENT: 0x72,
  STATUS_VITESSE: 0x74,
  STATUS_PROTOCOLE: 0x76,
  ENQROM: 0x7b,
  RESET: 0x7f,
} as const;

/** PRO2 `ESC 3A x y` commands (p.134–146). */
export const PRO2 = {
  START: 0x69,
  STOP: 0x6a,
  PROG: 0x6b,
  OPPORE: 0x6f,
  TO: 0x62,
  ACK_OFF: 0x64,
  ACK_ON: 0x65,
  TRANSPARENCE: 0x66,
  STATUS: 0x72,
  COPIE: 0x7c,
  MIXTE_SWITCH: 0x32,
  TELINFO: 0x31,
  /** Replies. */
  REP_STATUS_TERMINAL: 0x71,
  REP_STATUS_FONCTIONNEMENT: 0x73,
  REP_STATUS_VITESSE: 0x75,
  REP_STATUS_PROTOCOLE: 0x77,
} as const;

/** Second PRO2 byte of START/STOP: which mode (p.140–143). */
export const PRO2_MODE = {
  ROULEAU: 0x43,
  PROCEDURE: 0x44,
  MINUSCULES: 0x45,
} as const;

/** PRO3 `ESC 3B x y z` commands (p.135–142). */
export const PRO3 = {
  OFF: 0x60,
  ON: 0x61,
  START: 0x69,
  STOP: 0x6a,
  /** Replies. */
  REP_ROUTING: 0x63,
  REP_STATUS_KEYBOARD: 0x73,
} as const;

/** Module codes (p.134): transmitters and receivers. */
export const MODULE = {
  SCREEN_TX: 0x50,
  KEYBOARD_TX: 0x51,
  MODEM_TX: 0x52,
  DIN_TX: 0x53,
  SCREEN_RX: 0x58,
  KEYBOARD_RX: 0x59,
  MODEM_RX: 0x5a,
  DIN_RX: 0x5b,
} as const;

/** Keyboard modes of PRO3 START/STOP on the keyboard (p.142). */
export const KEYBOARD_MODE = {
  EXTENDED: 0x41,
  C0_CURSOR: 0x43,
} as const;

/** Line speeds (baud) and their PROG/status codes (p.141; 9600 is Minitel 2). */
export const SPEED_CODE: Readonly<Record<number, number>> = {
  300: 0x52,
  1200: 0x64,
  4800: 0x76,
  9600: 0x7f,
};

/** Colours by index: bit 0 red, bit 1 green, bit 2 blue (p.32, p.92). */
export const COLOUR = {
  BLACK: 0,
  RED: 1,
  GREEN: 2,
  YELLOW: 3,
  BLUE: 4,
  MAGENTA: 5,
  CYAN: 6,
  WHITE: 7,
} as const;

/** Grey level (0–100 %) a monochrome Minitel shows for each colour index (p.32). */
export const GREY_PERCENT: readonly number[] = [0, 50, 70, 90, 40, 60, 80, 100];

/** Screen geometry (p.29). */
export const ROWS = 25; // row 0 plus rows 1–24
export const COLUMNS = 40;

/** Bits on the wire per character: start, 7 data, parity, stop (p.47). */
export const BITS_PER_CHARACTER = 10;
