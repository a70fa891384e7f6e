/** PC keyboard events (plain objects shaped like KeyboardEvent) → Minitel keys → bytes (p.110–124). */
import { describe, expect, it } from 'vitest';
import { keyBytes, type KeyboardMode } from '../videotex/keyboard.js';
import { FUNCTION_KEY_BAR, keyAction, textActions, type KeyAction, type KeyEventLike } from './keymap.js';

const STANDARD: KeyboardMode = { lowercase: false, extended: false, c0Cursor: false };
const EXTENDED: KeyboardMode = { lowercase: false, extended: true, c0Cursor: false };
const EXTENDED_C0: KeyboardMode = { lowercase: false, extended: true, c0Cursor: true };
const LOWERCASE: KeyboardMode = { lowercase: true, extended: false, c0Cursor: false };

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function bytesOf(action: KeyAction | undefined, mode: KeyboardMode, insertOn = false): string | undefined {
  if (action === undefined) return undefined;
  switch (action.type) {
    case 'key':
      return hex(keyBytes(action.key, mode));
    case 'bytes':
      return hex(action.bytes);
    case 'insert-toggle':
      return hex(keyBytes({ type: 'cursor', name: insertOn ? 'InsertModeOff' : 'InsertModeOn' }, mode));
  }
}

/** What a key event sends: `key('a')`, `key('Enter', { shiftKey: true })`. */
function press(key: string, modifiers: Partial<KeyEventLike> = {}, mode: KeyboardMode = STANDARD): string | undefined {
  return bytesOf(keyAction({ key, ...modifiers }), mode);
}

describe('function keys (p.123)', () => {
  it.each([
    ['Enter', '13 41'],
    ['Backspace', '13 47'],
    ['Escape', '13 45'],
    ['PageDown', '13 48'],
    ['PageUp', '13 42'],
  ])('%s sends %s', (key, bytes) => {
    expect(press(key)).toBe(bytes);
  });

  it('F1–F9 follow the on-screen bar: Sommaire, Annulation, Retour, Répétition, Guide, Correction, Suite, Envoi, Connexion/Fin', () => {
    const sent = Array.from({ length: 9 }, (_, i) => press(`F${i + 1}`));
    expect(sent).toEqual(['13 46', '13 45', '13 42', '13 43', '13 44', '13 47', '13 48', '13 41', '13 49']);
    expect(FUNCTION_KEY_BAR.map((k) => k.shortcuts[0])).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9']);
    expect(FUNCTION_KEY_BAR.map((k) => k.label)).toEqual([
      'Sommaire',
      'Annulation',
      'Retour',
      'Répétition',
      'Guide',
      'Correction',
      'Suite',
      'Envoi',
      'Connexion/Fin',
    ]);
  });

  it('function keys send the same in every keyboard mode (p.110)', () => {
    for (const mode of [STANDARD, EXTENDED, EXTENDED_C0, LOWERCASE]) expect(press('Enter', {}, mode)).toBe('13 41');
  });

  it('Shift + F-key is TS + that key: the accent keys and § \\ { } (p.39–40, p.118)', () => {
    expect(press('F7', { shiftKey: true })).toBe('19 41'); // TS + Suite: grave
    expect(press('F3', { shiftKey: true })).toBe('19 42'); // TS + Retour: acute
    expect(press('F1', { shiftKey: true })).toBe('19 43'); // TS + Sommaire: circumflex
    expect(press('F5', { shiftKey: true })).toBe('19 48'); // TS + Guide: diaeresis
    expect(press('F6', { shiftKey: true })).toBe('19 27'); // TS + Correction: §
    expect(press('F2', { shiftKey: true })).toBe('5C'); // TS + Annulation
    expect(press('F4', { shiftKey: true })).toBe('7B'); // TS + Répétition
    expect(press('F8', { shiftKey: true })).toBe('7D'); // TS + Envoi
  });

  it('Ctrl + F-key is Ctrl + that key: ç Œ œ ß £ (p.39–40, p.118)', () => {
    expect(press('F6', { ctrlKey: true })).toBe('19 4B 63');
    expect(press('F3', { ctrlKey: true })).toBe('19 6A');
    expect(press('F4', { ctrlKey: true })).toBe('19 7A');
    expect(press('F7', { ctrlKey: true })).toBe('19 7B');
    expect(press('F2', { ctrlKey: true })).toBe('19 23');
  });
});

describe('characters (p.43, p.88–90, p.116)', () => {
  it('letters follow the case mode: unshifted sends capitals in uppercase mode, as typed in lowercase mode', () => {
    expect(press('a')).toBe('41');
    expect(press('A', { shiftKey: true })).toBe('61');
    expect(press('a', {}, LOWERCASE)).toBe('61');
    expect(press('A', { shiftKey: true }, LOWERCASE)).toBe('41');
  });

  it('Caps Lock is not TS: the letter is sent as if Caps Lock were off', () => {
    expect(press('A', { capsLock: true })).toBe('41');
    expect(press('a', { capsLock: true, shiftKey: true })).toBe('61');
    expect(press('1', { capsLock: true })).toBe('31');
  });

  it('digits, space and punctuation are sent as they are', () => {
    expect(press('3')).toBe('33');
    expect(press(' ')).toBe('20');
    expect(press('*')).toBe('2A');
    expect(press('#')).toBe('23');
    expect(press('?')).toBe('3F');
  });

  it('a composed character (dead key or AltGr) arrives as one key and is sent as SS2 accent letter', () => {
    expect(press('Dead')).toBeUndefined();
    expect(press('é')).toBe('19 42 65');
    expect(press('è')).toBe('19 41 65');
    expect(press('ê')).toBe('19 43 65');
    expect(press('ï')).toBe('19 48 69');
    expect(press('ç')).toBe('19 4B 63');
    // AltGr on Windows is Ctrl + Alt: the key is still the character.
    expect(press('€', { ctrlKey: true, altKey: true })).toBe('');
    expect(press('£', { ctrlKey: true, altKey: true })).toBe('19 23');
    expect(press('{', { ctrlKey: true, altKey: true })).toBe('7B');
  });

  it('a Minitel has no capital accented letters: É sends nothing (p.90)', () => {
    expect(press('É', { shiftKey: true })).toBe('');
  });

  it('keys being composed by an input method are left to it', () => {
    expect(keyAction({ key: 'Process' })).toBeUndefined();
    expect(keyAction({ key: 'Unidentified' })).toBeUndefined();
    expect(keyAction({ key: 'e', isComposing: true })).toBeUndefined();
  });

  it('browser and system shortcuts are left alone: Cmd, Alt + ASCII, Tab', () => {
    expect(keyAction({ key: 'c', metaKey: true })).toBeUndefined();
    expect(keyAction({ key: 'f', altKey: true })).toBeUndefined();
    expect(keyAction({ key: 'Tab' })).toBeUndefined();
    expect(keyAction({ key: 'Shift', shiftKey: true })).toBeUndefined();
    // macOS Option composes characters: Option + s is ß, sent as the G2 ß (p.118).
    expect(press('ß', { altKey: true })).toBe('19 7B');
  });
});

describe('cursor and editing keys need the extended keyboard (p.110, p.124)', () => {
  it('arrows send nothing on the standard keyboard', () => {
    expect(press('ArrowUp')).toBe('');
  });

  it.each([
    ['ArrowUp', {}, '1B 5B 41', '0B'],
    ['ArrowDown', {}, '1B 5B 42', '0A'],
    ['ArrowRight', {}, '1B 5B 43', '09'],
    ['ArrowLeft', {}, '1B 5B 44', '08'],
    ['ArrowUp', { shiftKey: true }, '1B 5B 4D', ''],
    ['ArrowDown', { shiftKey: true }, '1B 5B 4C', ''],
    ['ArrowLeft', { shiftKey: true }, '1B 5B 50', ''],
    ['Delete', {}, '1B 5B 50', ''],
    ['Home', {}, '1B 5B 48', '1E'],
    ['Enter', { ctrlKey: true }, '1B 5B 32 4A', '0C'],
  ] as [string, Partial<KeyEventLike>, string, string][])('%s %o sends %s (CSI coding) / %s (C0 coding)', (key, modifiers, csi, c0) => {
    expect(press(key, modifiers, EXTENDED)).toBe(csi);
    expect(press(key, modifiers, EXTENDED_C0)).toBe(c0);
  });

  it('⏎ alone (Shift + Enter) sends CR in every mode (p.110)', () => {
    expect(press('Enter', { shiftKey: true })).toBe('0D');
    expect(press('Enter', { shiftKey: true }, EXTENDED_C0)).toBe('0D');
  });

  it('TS + → (Shift + → or Insert) alternates insert mode on and off', () => {
    const action = keyAction({ key: 'ArrowRight', shiftKey: true });
    expect(action).toEqual({ type: 'insert-toggle' });
    expect(keyAction({ key: 'Insert' })).toEqual({ type: 'insert-toggle' });
    expect(bytesOf(action, EXTENDED, false)).toBe('1B 5B 34 68');
    expect(bytesOf(action, EXTENDED, true)).toBe('1B 5B 34 6C');
  });

  it('Ctrl + letter sends its C0 code on the extended keyboard only (p.114)', () => {
    expect(press('a', { ctrlKey: true }, EXTENDED)).toBe('01');
    expect(press('Z', { ctrlKey: true, shiftKey: true }, EXTENDED)).toBe('1A');
    // Standard keyboard: nothing sent, so the browser keeps Ctrl + C for copying.
    expect(press('c', { ctrlKey: true })).toBe('');
  });

  it('Ctrl + punctuation sends the other C0 codes; Ctrl + [ is Esc; Ctrl + ← is DEL (p.114, p.117)', () => {
    expect(press("'", { ctrlKey: true }, EXTENDED)).toBe('00');
    expect(press(':', { ctrlKey: true }, EXTENDED)).toBe('0A');
    expect(press('?', { ctrlKey: true }, EXTENDED)).toBe('1F');
    expect(press('[', { ctrlKey: true }, EXTENDED)).toBe('1B');
    expect(press('ArrowLeft', { ctrlKey: true }, EXTENDED)).toBe('7F');
    expect(press('/', { ctrlKey: true }, EXTENDED)).toBeUndefined();
  });
});

describe('text from an input element (phone keyboard, paste)', () => {
  it('is one key per character, with line breaks as Envoi', () => {
    const sent = textActions('Ab é\r\nx').map((a) => bytesOf(a, STANDARD));
    expect(sent).toEqual(['61', '42', '20', '19 42 65', '13 41', '58']);
  });

  it('composes decomposed accents (NFC) and drops control characters', () => {
    expect(textActions('e\u0301').map((a) => bytesOf(a, STANDARD))).toEqual(['19 42 65']);
    expect(textActions('\t\u0007')).toEqual([]);
  });
});
