/**
 * Input zones, Minitel style. The service echoes every key (a connected
 * Minitel shows nothing by itself, docs/videotex.md §8): each keystroke
 * changes the `wanted` screen and calls `update()`.
 *
 * Keys in a form:
 * - a character: typed at the cursor if the field allows it and has room
 *   (otherwise a beep); characters no Minitel shows are refused;
 * - Correction: erases the character before the cursor;
 * - Annulation: clears the field;
 * - Suite, ↓, ⏎: next field; Retour, ↑: previous field; ←, →: move in the field;
 *   TS + ←: deletes the character under the cursor;
 * - Envoi (or ⏎ in the last field): checks required fields and returns.
 */
import type { FunctionKeyName, Key } from '../videotex/keyboard.js';
import { sanitizeText } from '../videotex/text.js';
import { Painter, type TextStyle } from './draw.js';
import { SdkError } from './errors.js';

/** Which characters a field takes; a RegExp is tested on each character. */
export type AllowedChars = 'any' | 'digits' | 'letters' | 'alphanumeric' | 'name' | RegExp;

export interface FieldSpec {
  /** Position of the zone's first cell: rows 1–24, columns 1–40. */
  row: number;
  column: number;
  /** Width in cells (the zone must end by column 40). */
  length: number;
  /** Rows the zone spans (default 1): the value wraps from one row to the next, `length` cells each. */
  lines?: number;
  allowed?: AllowedChars;
  default?: string;
  /** Password entry: '*' is shown for each character. */
  hidden?: boolean;
  required?: boolean;
  minLength?: number;
  /** Letters are turned to capitals as they are typed. */
  uppercase?: boolean;
  /** Spaces around the value are removed from the result (default true, except hidden fields). */
  trim?: boolean;
  /** The character shown in empty cells (default '.'). */
  fill?: string;
  /** Drawn just left of the zone, ending one column before it. */
  label?: string;
  /** Colours of the typed text. */
  style?: Pick<TextStyle, 'fg'>;
  /** Name used in messages ("Nom : obligatoire"); default the label or the field's key. */
  title?: string;
}

export interface FormOptions<K extends string = string> {
  /** Function keys that end the form without checking it; the result says which. Sommaire is one of them if listed. */
  keys?: readonly FunctionKeyName[];
  /** The field the cursor starts in (default the first). */
  focus?: K;
  /** Row-0 messages (French by default). */
  messages?: Partial<FormMessages>;
}

export interface FormMessages {
  required: string;
  tooShort: string;
}

const DEFAULT_MESSAGES: FormMessages = {
  required: '{field} : obligatoire',
  tooShort: '{field} : {min} caractères minimum',
};

export interface FormResult<K extends string> {
  values: Record<K, string>;
  /** 'Envoi', or the listed key that ended the form. */
  key: FunctionKeyName;
}

/**
 * A form being typed in, as a checkpoint keeps it: which form (its fields'
 * names and places), what each field holds and where the cursor is. Hidden
 * fields (passwords) are never kept.
 */
export interface FormSnapshot {
  layout: string;
  values: Record<string, string>;
  carets: Record<string, number>;
  current: number;
}

/** What a form needs from the session (kept apart so forms, lists and menus share it). */
export interface PromptHost {
  write(painter: Painter): void;
  /** A form opened: `read` says what is typed in it until the returned function is called (it closed). */
  formOpened?(read: () => FormSnapshot): () => void;
  /** What a checkpoint kept of a form of this layout, given once: the first such form of a resumed visit starts with it. */
  resumedForm?(layout: string): unknown;
  /** Where the cursor shows after each drawing; null hides it. */
  setFocus(position: { row: number; column: number } | null): void;
  /** The next key; Sommaire, Connexion/Fin and intercepted keys are handled unless listed in `handles`. */
  readKey(handles: ReadonlySet<FunctionKeyName>): Promise<Key>;
  notify(text: string): void;
  bell(): void;
}

interface Field {
  name: string;
  spec: FieldSpec;
  lines: number;
  capacity: number;
  fill: string;
  chars: string[];
  caret: number;
  title: string;
}

export const FORM_LIMITS = {
  /** Fields in one form. */
  fields: 64,
} as const;

const FORM_KEYS: readonly FunctionKeyName[] = ['Envoi', 'Correction', 'Annulation', 'Suite', 'Retour'];

/** Runs a form to its end; see the file comment for the keys. */
export async function runForm<K extends string>(
  host: PromptHost,
  specs: Readonly<Record<K, FieldSpec>>,
  options: FormOptions<K> = {},
): Promise<FormResult<K>> {
  const fields = prepareFields(specs);
  const exitKeys = new Set<FunctionKeyName>(options.keys ?? []);
  const handles = new Set<FunctionKeyName>([...FORM_KEYS, ...exitKeys]);
  const messages = { ...DEFAULT_MESSAGES, ...options.messages };
  let current = options.focus === undefined ? 0 : Math.max(0, fields.findIndex((f) => f.name === options.focus));
  const layout = layoutOf(fields);
  const kept = host.resumedForm?.(layout);
  if (kept !== undefined) current = restoreTyped(fields, kept, current);
  const closeSnapshot = host.formOpened?.(() => snapshotOf(layout, fields, current));

  const painter = new Painter();
  for (const field of fields) drawField(painter, field);
  host.setFocus(caretPosition(fields[current]));
  host.write(painter);

  const redraw = (field: Field): void => {
    const p = new Painter();
    drawField(p, field);
    host.setFocus(caretPosition(fields[current]));
    host.write(p);
  };
  const move = (to: number): void => {
    current = (to + fields.length) % fields.length;
    host.setFocus(caretPosition(fields[current]));
    host.write(new Painter());
  };

  /** A row-0 message of this form is showing; the next key clears it. */
  let message = false;
  try {
    for (;;) {
      const key = await host.readKey(handles);
      if (message) {
        host.notify('');
        message = false;
      }
      const field = fields[current];
      if (key.type === 'function' && exitKeys.has(key.name) && key.name !== 'Envoi') {
        return { values: valuesOf(fields), key: key.name };
      }
      if (key.type === 'char') {
        const char = acceptedChar(field, key.char);
        if (char === null || field.chars.length >= field.capacity) {
          host.bell();
          continue;
        }
        field.chars.splice(field.caret, 0, char);
        field.caret++;
        redraw(field);
        continue;
      }
      const action = actionOf(key, current === fields.length - 1);
      switch (action) {
        case 'erase':
          if (field.caret === 0) host.bell();
          else {
            field.chars.splice(field.caret - 1, 1);
            field.caret--;
            redraw(field);
          }
          break;
        case 'delete':
          if (field.caret >= field.chars.length) host.bell();
          else {
            field.chars.splice(field.caret, 1);
            redraw(field);
          }
          break;
        case 'clear':
          field.chars = [];
          field.caret = 0;
          redraw(field);
          break;
        case 'next':
          move(current + 1);
          break;
        case 'previous':
          move(current - 1);
          break;
        case 'left':
          if (field.caret > 0) field.caret--;
          move(current);
          break;
        case 'right':
          if (field.caret < field.chars.length) field.caret++;
          move(current);
          break;
        case 'submit': {
          const problem = firstProblem(fields, messages);
          if (problem === null) return { values: valuesOf(fields), key: 'Envoi' };
          current = problem.index;
          host.bell();
          host.setFocus(caretPosition(fields[current]));
          host.notify(problem.message);
          message = true;
          break;
        }
        case 'none':
          host.bell();
          break;
      }
    }
  } finally {
    closeSnapshot?.();
    host.setFocus(null);
    host.write(new Painter());
  }
}

/** A form's identity across a checkpoint: its fields' names and places (a form drawn elsewhere is another form). */
function layoutOf(fields: readonly Field[]): string {
  return JSON.stringify(fields.map((f) => [f.name, f.spec.row, f.spec.column, f.spec.length, f.lines]));
}

function snapshotOf(layout: string, fields: readonly Field[], current: number): FormSnapshot {
  const values: Record<string, string> = {};
  const carets: Record<string, number> = {};
  for (const field of fields) {
    if (field.spec.hidden || field.chars.length === 0) continue;
    values[field.name] = field.chars.join('');
    carets[field.name] = field.caret;
  }
  return { layout, values, carets, current };
}

/**
 * Puts back what a checkpoint kept of this form (it comes from a database:
 * every character goes through the field's own rules again, and nothing goes
 * past its capacity); returns the field the cursor is in.
 */
function restoreTyped(fields: Field[], kept: unknown, current: number): number {
  if (typeof kept !== 'object' || kept === null) return current;
  const { values, carets, current: keptCurrent } = kept as Partial<Record<keyof FormSnapshot, unknown>>;
  const table = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const typed = table(values);
  const caretOf = table(carets);
  for (const field of fields) {
    const value = typed[field.name];
    if (field.spec.hidden || typeof value !== 'string') continue;
    // Character by character up to the field's capacity: the stored text may be any length.
    field.chars = [];
    for (const typedChar of value) {
      if (field.chars.length >= field.capacity) break;
      const char = acceptedChar(field, typedChar);
      if (char !== null) field.chars.push(char);
    }
    const caret = caretOf[field.name];
    field.caret = typeof caret === 'number' && Number.isSafeInteger(caret) ? Math.min(Math.max(caret, 0), field.chars.length) : field.chars.length;
  }
  return typeof keptCurrent === 'number' && Number.isSafeInteger(keptCurrent) && keptCurrent >= 0 && keptCurrent < fields.length ? keptCurrent : current;
}

type Action = 'erase' | 'delete' | 'clear' | 'next' | 'previous' | 'left' | 'right' | 'submit' | 'none';

function actionOf(key: Key, lastField: boolean): Action {
  switch (key.type) {
    case 'function':
      switch (key.name) {
        case 'Correction':
          return 'erase';
        case 'Annulation':
          return 'clear';
        case 'Suite':
          return 'next';
        case 'Retour':
          return 'previous';
        case 'Envoi':
          return 'submit';
        default:
          return 'none';
      }
    case 'cursor':
      switch (key.name) {
        case 'Down':
          return 'next';
        case 'Up':
          return 'previous';
        case 'Left':
          return 'left';
        case 'Right':
          return 'right';
        case 'DeleteChar':
          return 'delete';
        default:
          return 'none';
      }
    case 'enter':
      return lastField ? 'submit' : 'next';
    default:
      return 'none';
  }
}

const DIGIT = /^[0-9]$/;
const LETTER = /^\p{L}$/u;
const NAME = /^[\p{L}0-9._-]$/u;

/**
 * The character as stored, or null when the field refuses it. Only what a
 * Minitel shows as one cell gets in: sanitizeText gives that cell, so an
 * emoji, a control code or a combining mark alone is refused.
 */
export function acceptedChar(field: Pick<Field, 'spec'>, typed: string): string | null {
  if (typeof typed !== 'string' || Array.from(typed).length !== 1) return null;
  let char = sanitizeText(typed);
  if (Array.from(char).length !== 1) return null;
  if (char === '?' && typed !== '?') return null; // no Minitel glyph for it
  if (field.spec.uppercase) char = sanitizeText(char.toUpperCase());
  const allowed = field.spec.allowed ?? 'any';
  switch (allowed) {
    case 'any':
      return char;
    case 'digits':
      return DIGIT.test(char) ? char : null;
    case 'letters':
      return LETTER.test(char) || char === ' ' || char === '-' || char === "'" ? char : null;
    case 'alphanumeric':
      return LETTER.test(char) || DIGIT.test(char) ? char : null;
    case 'name':
      return NAME.test(char) ? char : null;
    default:
      return allowed.test(char) ? char : null;
  }
}

/** The problem with a set of field specs, or null when a form can use them (for loaders that validate ahead). */
export function fieldSpecsProblem(specs: Readonly<Record<string, FieldSpec>>): string | null {
  try {
    prepareFields(specs);
    return null;
  } catch (error) {
    return error instanceof SdkError ? error.message : String(error);
  }
}

function prepareFields(specs: Readonly<Record<string, FieldSpec>>): Field[] {
  const names = Object.keys(specs);
  if (names.length === 0) throw new SdkError('TELETEL_E_FIELD', 'a form needs at least one field');
  if (names.length > FORM_LIMITS.fields) throw new SdkError('TELETEL_E_FIELD', `a form has at most ${FORM_LIMITS.fields} fields`);
  const used = new Map<number, string>();
  return names.map((name) => {
    const spec = specs[name];
    checkField(name, spec);
    const lines = spec.lines ?? 1;
    const capacity = spec.length * lines;
    for (let line = 0; line < lines; line++) {
      for (let c = 0; c < spec.length; c++) {
        const cell = (spec.row + line) * 64 + spec.column + c;
        const other = used.get(cell);
        if (other !== undefined) {
          throw new SdkError('TELETEL_E_FIELD', `fields '${other}' and '${name}' overlap at row ${spec.row + line}, column ${spec.column + c}`);
        }
        used.set(cell, name);
      }
    }
    const chars: string[] = [];
    for (const ch of Array.from(spec.default ?? '')) {
      const accepted = acceptedChar({ spec }, ch);
      if (accepted !== null && chars.length < capacity) chars.push(accepted);
    }
    const fill = spec.fill === undefined ? '.' : sanitizeText(spec.fill, { maxLength: 1 }) || ' ';
    return { name, spec, lines, capacity, fill, chars, caret: chars.length, title: spec.title ?? spec.label?.replace(/\s*:\s*$/, '') ?? name };
  });
}

function checkField(name: string, spec: FieldSpec): void {
  const bad = (message: string): never => {
    throw new SdkError('TELETEL_E_FIELD', `field '${name}': ${message}`);
  };
  if (typeof spec !== 'object' || spec === null) bad('needs { row, column, length }');
  const lines = spec.lines ?? 1;
  if (!Number.isInteger(spec.row) || spec.row < 1 || spec.row > 24) bad(`row must be 1–24, not ${String(spec.row)}`);
  if (!Number.isInteger(spec.column) || spec.column < 1 || spec.column > 40) bad(`column must be 1–40, not ${String(spec.column)}`);
  if (!Number.isInteger(spec.length) || spec.length < 1) bad(`length must be a whole number ≥ 1, not ${String(spec.length)}`);
  if (spec.column + spec.length - 1 > 40) bad(`it ends at column ${spec.column + spec.length - 1}, past column 40`);
  if (!Number.isInteger(lines) || lines < 1 || spec.row + lines - 1 > 24) bad(`lines must keep the zone within row 24`);
  if (spec.label !== undefined) {
    const width = Array.from(sanitizeText(spec.label)).length;
    if (width > spec.column - 2) bad(`the label '${spec.label}' does not fit left of column ${spec.column}`);
  }
}

function drawField(p: Painter, field: Field): void {
  const { spec } = field;
  if (spec.label !== undefined) {
    const label = sanitizeText(spec.label);
    p.at(spec.row, spec.column - Array.from(label).length - 1).text(label);
  }
  for (let line = 0; line < field.lines; line++) {
    p.at(spec.row + line, spec.column);
    if (spec.style?.fg !== undefined) p.style({ fg: spec.style.fg });
    let text = '';
    for (let i = line * spec.length; i < (line + 1) * spec.length; i++) {
      text += i < field.chars.length ? (spec.hidden ? '*' : field.chars[i]) : field.fill;
    }
    p.text(text);
  }
}

function caretPosition(field: Field): { row: number; column: number } {
  const index = Math.min(field.caret, field.capacity - 1);
  return { row: field.spec.row + Math.floor(index / field.spec.length), column: field.spec.column + (index % field.spec.length) };
}

function valueOf(field: Field): string {
  const value = field.chars.join('');
  return (field.spec.trim ?? !field.spec.hidden) ? value.trim() : value;
}

function valuesOf<K extends string>(fields: Field[]): Record<K, string> {
  const values = {} as Record<K, string>;
  for (const field of fields) values[field.name as K] = valueOf(field);
  return values;
}

function firstProblem(fields: Field[], messages: FormMessages): { index: number; message: string } | null {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const length = Array.from(valueOf(field)).length;
    if (field.spec.required && length === 0) return { index: i, message: format(messages.required, field) };
    if (field.spec.minLength !== undefined && length > 0 && length < field.spec.minLength) {
      return { index: i, message: format(messages.tooShort, field) };
    }
  }
  return null;
}

function format(template: string, field: Field): string {
  return template.replace('{field}', field.title).replace('{min}', String(field.spec.minLength ?? 0));
}
