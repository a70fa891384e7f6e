/**
 * The PC keyboard mapped to the Minitel keyboard (STUM1B p.36–44, p.110–124).
 *
 * The map reads KeyboardEvent.key, never the physical key code: the browser
 * has already applied the user's layout, Shift, AltGr and dead keys, so 'é'
 * typed on a French keyboard, or composed with a dead ´ then e, arrives as
 * one key 'é'. `keyBytes` (videotex/keyboard.ts) then turns the Minitel key
 * into bytes for the terminal's current keyboard mode.
 *
 * Function keys have no PC equivalent, so each gets an F-key (F1–F9, in the
 * order of the on-screen bar) and the obvious ones a named key as well:
 * Enter = Envoi, Backspace = Correction, Escape = Annulation, Page Down/Up =
 * Suite/Retour. Shift and Ctrl with an F-key give the Minitel's TS and Ctrl
 * combinations of that function key (p.39–40, p.118).
 */
import { C0 } from '../videotex/codes.js';
import type { FunctionKeyName, Key } from '../videotex/keyboard.js';

/** The fields of a KeyboardEvent the map reads; tests pass plain objects. */
export interface KeyEventLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  metaKey?: boolean;
  /** Inside an IME composition: the composed text comes later, as one key or an input event. */
  isComposing?: boolean;
  /** Caps Lock on (KeyboardEvent.getModifierState('CapsLock')). */
  capsLock?: boolean;
}

/**
 * What a PC key does on the Minitel:
 * - `key`: a Minitel key, sent as keyBytes(key, mode);
 * - `insert-toggle`: TS + →, which alternates insert mode on and off (p.124);
 * - `bytes`: a Minitel key combination that keyBytes has no name for (the
 *   accent keys, which send `SS2 accent` alone, p.118).
 */
export type KeyAction =
  | { type: 'key'; key: Key }
  | { type: 'insert-toggle' }
  | { type: 'bytes'; bytes: Uint8Array };

/** One key of the on-screen bar: its Minitel name, label, and PC shortcuts. */
export interface FunctionKeyInfo {
  name: FunctionKeyName;
  label: string;
  /** F-key first, then the named key if any; shown on the button. */
  shortcuts: readonly string[];
}

/** The nine function keys in the order of a Minitel 1B keyboard's key block, with their PC shortcuts. */
export const FUNCTION_KEY_BAR: readonly FunctionKeyInfo[] = [
  { name: 'Sommaire', label: 'Sommaire', shortcuts: ['F1'] },
  { name: 'Annulation', label: 'Annulation', shortcuts: ['F2', 'Échap'] },
  { name: 'Retour', label: 'Retour', shortcuts: ['F3', 'PgPréc'] },
  { name: 'Repetition', label: 'Répétition', shortcuts: ['F4'] },
  { name: 'Guide', label: 'Guide', shortcuts: ['F5'] },
  { name: 'Correction', label: 'Correction', shortcuts: ['F6', '⌫'] },
  { name: 'Suite', label: 'Suite', shortcuts: ['F7', 'PgSuiv'] },
  { name: 'Envoi', label: 'Envoi', shortcuts: ['F8', 'Entrée'] },
  { name: 'ConnexionFin', label: 'Connexion/Fin', shortcuts: ['F9'] },
];

const F_KEYS: ReadonlyMap<string, FunctionKeyName> = new Map(
  FUNCTION_KEY_BAR.map((info, i) => [`F${i + 1}`, info.name] as const),
);

/** Named PC keys that are a Minitel function key whatever the modifiers. */
const NAMED_FUNCTION_KEYS: Readonly<Record<string, FunctionKeyName>> = {
  Enter: 'Envoi',
  Backspace: 'Correction',
  Escape: 'Annulation',
  PageDown: 'Suite',
  PageUp: 'Retour',
};

/** TS + function key (p.39–40, p.118): accents sent at once, and three characters. */
const SHIFT_FUNCTION: Partial<Record<FunctionKeyName, KeyAction>> = {
  Suite: { type: 'bytes', bytes: Uint8Array.of(C0.SS2, 0x41) }, // grave
  Retour: { type: 'bytes', bytes: Uint8Array.of(C0.SS2, 0x42) }, // acute
  Sommaire: { type: 'bytes', bytes: Uint8Array.of(C0.SS2, 0x43) }, // circumflex
  Guide: { type: 'bytes', bytes: Uint8Array.of(C0.SS2, 0x48) }, // diaeresis
  Correction: { type: 'key', key: { type: 'char', char: '§' } },
  Annulation: { type: 'key', key: { type: 'char', char: '\\' } },
  Repetition: { type: 'key', key: { type: 'char', char: '{' } },
  Envoi: { type: 'key', key: { type: 'char', char: '}' } },
};

/** Ctrl + function key (p.39–40, p.118). */
const CTRL_FUNCTION: Partial<Record<FunctionKeyName, KeyAction>> = {
  Correction: { type: 'key', key: { type: 'char', char: 'ç' } },
  Retour: { type: 'key', key: { type: 'char', char: 'Œ' } },
  Repetition: { type: 'key', key: { type: 'char', char: 'œ' } },
  Suite: { type: 'key', key: { type: 'char', char: 'ß' } },
  Annulation: { type: 'key', key: { type: 'char', char: '£' } },
};

/** Ctrl + punctuation on the extended keyboard (p.114): the C0 codes letters cannot reach. */
const CTRL_PUNCTUATION: Readonly<Record<string, number>> = {
  "'": 0x00,
  ':': 0x0a,
  ';': 0x0b,
  ',': 0x1c,
  '-': 0x1d,
  '.': 0x1e,
  '?': 0x1f,
  // Not on a Minitel key cap: Ctrl + [ is how a PC types ESC, the Minitel's Esc key (p.117).
  '[': C0.ESC,
};

function functionKey(name: FunctionKeyName): KeyAction {
  return { type: 'key', key: { type: 'function', name } };
}

function cursorKey(name: Extract<Key, { type: 'cursor' }>['name']): KeyAction {
  return { type: 'key', key: { type: 'cursor', name } };
}

/** A single Unicode character (one code point), as KeyboardEvent.key gives for printable keys. */
function isPrintable(key: string): boolean {
  if (key.length === 0 || key.length > 2) return false;
  const code = key.codePointAt(0) ?? 0;
  return [...key].length === 1 && code >= 0x20 && code !== 0x7f;
}

/** Caps Lock is not TS: undo it so that the typed case says whether Shift was held (p.43). */
function undoCapsLock(char: string, event: KeyEventLike): string {
  if (!event.capsLock) return char;
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (lower === upper) return char;
  return char === upper ? lower : upper;
}

/**
 * The Minitel action of a PC key event, or undefined when the key is not the
 * Minitel's (Tab, Cmd shortcuts, dead keys still composing…) and the browser
 * should keep it.
 */
export function keyAction(event: KeyEventLike): KeyAction | undefined {
  const { key } = event;
  const ctrl = Boolean(event.ctrlKey);
  const alt = Boolean(event.altKey);
  const shift = Boolean(event.shiftKey);
  if (event.isComposing || key === 'Dead' || key === 'Process' || key === 'Unidentified') return undefined;
  if (event.metaKey) return undefined;

  const fKey = F_KEYS.get(key);
  if (fKey !== undefined && !alt) {
    if (shift) return SHIFT_FUNCTION[fKey] ?? functionKey(fKey);
    if (ctrl) return CTRL_FUNCTION[fKey] ?? functionKey(fKey);
    return functionKey(fKey);
  }

  switch (key) {
    case 'Enter':
      // ⏎ is its own Minitel key; TS + ⏎ = cursor home, Ctrl + ⏎ = clear screen (p.124).
      if (shift) return { type: 'key', key: { type: 'enter' } };
      if (ctrl) return cursorKey('ClearScreen');
      return functionKey('Envoi');
    case 'ArrowUp':
      return cursorKey(shift ? 'DeleteRow' : 'Up');
    case 'ArrowDown':
      return cursorKey(shift ? 'InsertRow' : 'Down');
    case 'ArrowRight':
      return shift ? { type: 'insert-toggle' } : cursorKey('Right');
    case 'ArrowLeft':
      if (ctrl) return { type: 'key', key: { type: 'control', code: 0x7f } }; // Ctrl + ← = DEL (p.117)
      return cursorKey(shift ? 'DeleteChar' : 'Left');
    case 'Home':
      return cursorKey('Home');
    case 'Insert':
      return { type: 'insert-toggle' };
    case 'Delete':
      return cursorKey('DeleteChar');
  }
  const named = NAMED_FUNCTION_KEYS[key];
  if (named !== undefined) return functionKey(named);

  if (!isPrintable(key)) return undefined;
  // Ctrl + Alt is AltGr on Windows: the key is the character it composed.
  if (ctrl && !alt) {
    const letter = key.toUpperCase();
    if (letter.length === 1 && letter >= 'A' && letter <= 'Z') {
      return { type: 'key', key: { type: 'control', code: letter.charCodeAt(0) & 0x1f } };
    }
    const code = CTRL_PUNCTUATION[key];
    return code === undefined ? undefined : { type: 'key', key: { type: 'control', code } };
  }
  if (alt && !ctrl) {
    // Alt + key is a browser or system shortcut, except where the layout composes a character with it (macOS Option).
    if (/^[\x20-\x7e]$/.test(key)) return undefined;
  }
  return { type: 'key', key: { type: 'char', char: undoCapsLock(key, event) } };
}

/**
 * Text typed through an input element (a phone's keyboard, a paste, an IME):
 * one Minitel key per character. Line breaks are Envoi; other controls are dropped.
 */
export function textActions(text: string): KeyAction[] {
  const actions: KeyAction[] = [];
  for (const char of text.replace(/\r\n/g, '\n').normalize('NFC')) {
    if (char === '\n' || char === '\r') actions.push(functionKey('Envoi'));
    else if (isPrintable(char)) actions.push({ type: 'key', key: { type: 'char', char } });
  }
  return actions;
}
