import { describe, expect, it } from 'vitest';
import {
  CURSOR_KEY_NAMES,
  DEFAULT_KEYBOARD_MODE,
  FUNCTION_KEY_NAMES,
  keyBytes,
  type CursorKeyName,
  type FunctionKeyName,
  type Key,
  type KeyboardMode,
} from './keyboard.js';

const STANDARD: KeyboardMode = { lowercase: false, extended: false, c0Cursor: false };
const EXTENDED: KeyboardMode = { lowercase: false, extended: true, c0Cursor: false };
const EXTENDED_C0: KeyboardMode = { lowercase: false, extended: true, c0Cursor: true };
const LOWERCASE: KeyboardMode = { lowercase: true, extended: false, c0Cursor: false };
const ALL_MODES: KeyboardMode[] = [STANDARD, EXTENDED, EXTENDED_C0, LOWERCASE, { ...EXTENDED_C0, lowercase: true }];

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function char(c: string, mode?: KeyboardMode): string {
  return hex(keyBytes({ type: 'char', char: c }, mode));
}

describe('keyboard mode defaults', () => {
  it('starts uppercase, standard, CSI cursor coding, as at power-on and RESET (p.110, p.145)', () => {
    expect(DEFAULT_KEYBOARD_MODE).toEqual({ lowercase: false, extended: false, c0Cursor: false });
  });

  it('uses the default mode when none is given (p.110)', () => {
    expect(char('a')).toBe('41');
    expect(hex(keyBytes({ type: 'cursor', name: 'Up' }))).toBe('');
  });

  it('names the nine function keys and eleven cursor keys (p.38, p.124)', () => {
    expect(FUNCTION_KEY_NAMES).toHaveLength(9);
    expect(CURSOR_KEY_NAMES).toHaveLength(11);
  });
});

describe('function keys send SEP + code (p.123)', () => {
  const expected: [FunctionKeyName, string][] = [
    ['Envoi', '13 41'],
    ['Retour', '13 42'],
    ['Repetition', '13 43'],
    ['Guide', '13 44'],
    ['Annulation', '13 45'],
    ['Sommaire', '13 46'],
    ['Correction', '13 47'],
    ['Suite', '13 48'],
    ['ConnexionFin', '13 49'],
  ];
  it.each(expected)('%s sends %s', (name, bytes) => {
    expect(hex(keyBytes({ type: 'function', name }, STANDARD))).toBe(bytes);
  });

  it('function keys send the same bytes in every keyboard mode (p.110–111, p.123)', () => {
    for (const mode of ALL_MODES) {
      for (const [name, bytes] of expected) expect(hex(keyBytes({ type: 'function', name }, mode))).toBe(bytes);
    }
  });

  it('an unknown function name sends nothing', () => {
    expect(hex(keyBytes({ type: 'function', name: 'Break' as FunctionKeyName }))).toBe('');
  });
});

describe('letters and the case mode (p.43, p.110–111, p.116–117)', () => {
  it('uppercase mode: an unshifted key (typed lowercase) sends the capital', () => {
    expect(char('a', STANDARD)).toBe('41');
    expect(char('z', STANDARD)).toBe('5A');
  });

  it('uppercase mode: TS + letter (typed capital) sends the small letter', () => {
    expect(char('A', STANDARD)).toBe('61');
    expect(char('Z', STANDARD)).toBe('7A');
  });

  it('lowercase mode: letters are sent as typed', () => {
    expect(char('a', LOWERCASE)).toBe('61');
    expect(char('A', LOWERCASE)).toBe('41');
  });

  it('the case mode does not touch digits and punctuation', () => {
    for (const c of '0123456789*#,.\';-:?!"$%&()^[]<=>@+/\\{}|~`_ ') {
      const code = c.charCodeAt(0).toString(16).toUpperCase();
      expect(char(c, STANDARD)).toBe(code);
      expect(char(c, LOWERCASE)).toBe(code);
    }
  });

  it('every printable ASCII character has a key (p.114–117)', () => {
    for (let code = 0x20; code < 0x7f; code++) {
      expect(keyBytes({ type: 'char', char: String.fromCharCode(code) }, LOWERCASE)).toEqual(Uint8Array.of(code));
    }
  });

  it('↑ is TS + 0, sent as 0x5E, the code a Minitel draws as ↑ (p.116)', () => {
    expect(char('↑')).toBe('5E');
  });
});

describe('accented letters: SS2 accent letter (p.88–90, p.118)', () => {
  const expected: [string, string][] = [
    ['à', '19 41 61'],
    ['è', '19 41 65'],
    ['ù', '19 41 75'],
    ['é', '19 42 65'],
    ['â', '19 43 61'],
    ['ê', '19 43 65'],
    ['î', '19 43 69'],
    ['ô', '19 43 6F'],
    ['û', '19 43 75'],
    ['ä', '19 48 61'],
    ['ë', '19 48 65'],
    ['ï', '19 48 69'],
    ['ö', '19 48 6F'],
    ['ü', '19 48 75'],
    ['ç', '19 4B 63'],
  ];
  it.each(expected)('%s sends %s', (c, bytes) => {
    expect(char(c)).toBe(bytes);
  });

  it('the base letter is small in every case mode, since capitals take no accent (p.90)', () => {
    for (const mode of ALL_MODES) expect(char('é', mode)).toBe('19 42 65');
  });

  it('a decomposed accent (e + U+0301) is the same key as é', () => {
    expect(char('e\u0301')).toBe('19 42 65');
  });

  it('capital accented letters have no key (p.90)', () => {
    for (const c of 'ÀÉÈÊÇÔ') expect(char(c)).toBe('');
  });

  it('accents a Minitel cannot compose have no key (p.90)', () => {
    for (const c of 'áíóúìòñÿ') expect(char(c)).toBe('');
  });
});

describe('G2 specials: SS2 code (p.39–40, p.118)', () => {
  const expected: [string, string][] = [
    ['£', '19 23'],
    ['§', '19 27'],
    ['←', '19 2C'],
    ['→', '19 2E'],
    ['↓', '19 2F'],
    ['°', '19 30'],
    ['±', '19 31'],
    ['÷', '19 38'],
    ['Œ', '19 6A'],
    ['œ', '19 7A'],
    ['ß', '19 7B'],
  ];
  it.each(expected)('%s sends %s', (c, bytes) => {
    expect(char(c)).toBe(bytes);
  });

  it('G2 glyphs with no key (¼ ½ ¾) send nothing (p.103, p.118)', () => {
    for (const c of '¼½¾') expect(char(c)).toBe('');
  });
});

describe('characters no Minitel key types', () => {
  it.each(['€', '中', '😀', '\t', '\u00a0', 'æ'])('%j sends nothing', (c) => {
    expect(char(c)).toBe('');
  });

  it('a char key must hold exactly one character', () => {
    expect(char('')).toBe('');
    expect(char('ab')).toBe('');
  });
});

describe('cursor and editing keys (p.110–111, p.124)', () => {
  const csi: [CursorKeyName, string][] = [
    ['Up', '1B 5B 41'],
    ['Down', '1B 5B 42'],
    ['Right', '1B 5B 43'],
    ['Left', '1B 5B 44'],
    ['DeleteRow', '1B 5B 4D'],
    ['InsertRow', '1B 5B 4C'],
    ['InsertModeOn', '1B 5B 34 68'],
    ['InsertModeOff', '1B 5B 34 6C'],
    ['DeleteChar', '1B 5B 50'],
    ['Home', '1B 5B 48'],
    ['ClearScreen', '1B 5B 32 4A'],
  ];
  it.each(csi)('extended keyboard, CSI coding: %s sends %s (p.124)', (name, bytes) => {
    expect(hex(keyBytes({ type: 'cursor', name }, EXTENDED))).toBe(bytes);
  });

  const c0: [CursorKeyName, string][] = [
    ['Up', '0B'],
    ['Down', '0A'],
    ['Right', '09'],
    ['Left', '08'],
    ['Home', '1E'],
    ['ClearScreen', '0C'],
    ['DeleteRow', ''],
    ['InsertRow', ''],
    ['InsertModeOn', ''],
    ['InsertModeOff', ''],
    ['DeleteChar', ''],
  ];
  it.each(c0)('extended keyboard, C0 coding: %s sends [%s] (p.111, p.124)', (name, bytes) => {
    expect(hex(keyBytes({ type: 'cursor', name }, EXTENDED_C0))).toBe(bytes);
  });

  it('the standard keyboard disables every cursor and editing key (p.110)', () => {
    for (const name of CURSOR_KEY_NAMES) {
      expect(hex(keyBytes({ type: 'cursor', name }, STANDARD))).toBe('');
      expect(hex(keyBytes({ type: 'cursor', name }, { ...STANDARD, c0Cursor: true }))).toBe('');
    }
  });

  it('⏎ alone sends CR in every mode, the standard keyboard included (p.110, p.124)', () => {
    for (const mode of ALL_MODES) expect(hex(keyBytes({ type: 'enter' }, mode))).toBe('0D');
  });
});

describe('Ctrl and Esc keys (p.110, p.114, p.117)', () => {
  it('the extended keyboard sends the C0 code: Ctrl + A = 01, Esc = 1B, Ctrl + ? = 1F', () => {
    expect(hex(keyBytes({ type: 'control', code: 0x01 }, EXTENDED))).toBe('01');
    expect(hex(keyBytes({ type: 'control', code: 0x1b }, EXTENDED))).toBe('1B');
    expect(hex(keyBytes({ type: 'control', code: 0x1f }, EXTENDED_C0))).toBe('1F');
  });

  it('Ctrl + ← sends DEL (p.117, p.124)', () => {
    expect(hex(keyBytes({ type: 'control', code: 0x7f }, EXTENDED))).toBe('7F');
  });

  it('the standard keyboard sends no control code (p.110)', () => {
    for (let code = 0; code < 0x20; code++) expect(hex(keyBytes({ type: 'control', code }, STANDARD))).toBe('');
    expect(hex(keyBytes({ type: 'control', code: 0x7f }, LOWERCASE))).toBe('');
  });

  it.each([0x20, 0x41, 0x80, -1, 1.5, NaN])('code %d is not a control key and sends nothing', (code) => {
    expect(hex(keyBytes({ type: 'control', code }, EXTENDED))).toBe('');
  });
});

describe('keyBytes results', () => {
  it('are fresh arrays the caller may keep or change', () => {
    const key: Key = { type: 'function', name: 'Envoi' };
    const first = keyBytes(key);
    first[1] = 0;
    expect(hex(keyBytes(key))).toBe('13 41');
  });
});
