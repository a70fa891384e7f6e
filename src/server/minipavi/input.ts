/**
 * The input zones the MiniPavi protocol leaves to the gateway (InputTxt,
 * InputMsg, InputForm): drawn where the service said with its space
 * character and prefill, edited locally — typed characters echoed (or masked
 * with `char`), Correction erases the last one, Annulation the whole input,
 * Suite/Retour move between lines or fields when they do not end the input —
 * and ended by a function key of `validwith`, when the gateway sends what was
 * typed. Text is sanitised: only Minitel characters reach the screen.
 */
import { C0 } from '../../videotex/codes.js';
import { encodeText, sanitizeText } from '../../videotex/text.js';
import type { InputForm, InputMsg, InputTxt } from './protocol.js';
import { VALID_WITH } from './protocol.js';

interface Field {
  row: number;
  column: number;
  length: number;
  text: string;
}

/** What a key did to the input. */
export type InputOutcome = { type: 'edited' } | { type: 'ignored' } | { type: 'submit'; key: string; content: string[] };

export class InputZones {
  private readonly fields: Field[];
  private current = 0;
  /** InputMsg: the fields are the lines of one text, typing flows from one to the next. */
  private readonly flowing: boolean;

  constructor(
    private readonly command: InputTxt | InputMsg | InputForm,
    /** Echo on: typed characters are shown (masked for InputTxt with `char`). */
    private readonly echo: boolean,
  ) {
    if (command.name === 'InputTxt') {
      this.fields = [{ row: command.y, column: command.x, length: command.length, text: clean(command.prefill, command.length) }];
    } else if (command.name === 'InputMsg') {
      this.fields = Array.from({ length: command.height }, (_, i) => ({
        row: command.y + i,
        column: command.x,
        length: command.width,
        text: clean(command.prefill[i] ?? '', command.width),
      }));
    } else {
      this.fields = command.fields.map((f, i) => ({ row: f.y, column: f.x, length: f.length, text: clean(command.prefill[i] ?? '', f.length) }));
    }
    this.flowing = command.name === 'InputMsg';
    if (this.flowing) {
      for (let i = this.fields.length - 1; i > 0; i--) {
        if (this.fields[i].text !== '') {
          this.current = i;
          break;
        }
      }
    }
  }

  /** The bytes that draw every field, then put the cursor where typing goes. */
  draw(): Uint8Array {
    const bytes: number[] = [];
    for (const field of this.fields) this.drawField(field, bytes);
    this.placeCursor(bytes);
    return Uint8Array.from(bytes);
  }

  /** A typed character. */
  type(char: string): Uint8Array | undefined {
    const safe = sanitizeText(char);
    if (safe === '') return undefined;
    let field = this.fields[this.current];
    if ([...field.text].length >= field.length) {
      if (!this.flowing || this.current === this.fields.length - 1) return undefined;
      this.current++;
      field = this.fields[this.current];
    }
    field.text += safe;
    return this.redraw(field);
  }

  /** A function key (MiniPavi's name: ENVOI, SUITE…). */
  key(name: string): InputOutcome & { bytes?: Uint8Array } {
    if ((this.command.validWith & (VALID_WITH[name] ?? 0)) !== 0) {
      return { type: 'submit', key: name, content: this.fields.map((f) => f.text) };
    }
    switch (name) {
      case 'CORRECTION': {
        let field = this.fields[this.current];
        if (field.text === '' && this.flowing && this.current > 0) {
          this.current--;
          field = this.fields[this.current];
        }
        if (field.text === '') return { type: 'ignored' };
        field.text = [...field.text].slice(0, -1).join('');
        return { type: 'edited', bytes: this.redraw(field) };
      }
      case 'ANNULATION': {
        const bytes: number[] = [];
        for (const field of this.fields) {
          field.text = '';
          this.drawField(field, bytes);
        }
        this.current = 0;
        this.placeCursor(bytes);
        return { type: 'edited', bytes: Uint8Array.from(bytes) };
      }
      case 'SUITE':
      case 'RETOUR': {
        const next = this.current + (name === 'SUITE' ? 1 : -1);
        if (next < 0 || next >= this.fields.length) return { type: 'ignored' };
        this.current = next;
        const bytes: number[] = [];
        this.placeCursor(bytes);
        return { type: 'edited', bytes: Uint8Array.from(bytes) };
      }
      default:
        return { type: 'ignored' };
    }
  }

  private redraw(field: Field): Uint8Array {
    const bytes: number[] = [];
    this.drawField(field, bytes);
    this.placeCursor(bytes);
    return Uint8Array.from(bytes);
  }

  private drawField(field: Field, bytes: number[]): void {
    // US row column (p.96), then what was typed (or its mask), then the space character to the end.
    bytes.push(C0.US, 0x40 + field.row, 0x40 + field.column);
    const typed = [...field.text];
    // Mask and space characters made safe before they are repeated: one that sanitises to several ('€' → "EUR")
    // would draw the zone several times too wide.
    const masked = this.command.name === 'InputTxt' && this.command.char !== '';
    const shown = !this.echo ? '' : masked ? oneCharacter(this.command.char, '*').repeat(typed.length) : sanitizeText(field.text);
    const fill = oneCharacter(this.command.spaceChar, ' ').repeat(field.length - (this.echo ? typed.length : 0));
    bytes.push(...encodeText(shown + fill));
  }

  private placeCursor(bytes: number[]): void {
    const field = this.fields[this.current];
    const column = Math.min(40, field.column + (this.echo ? [...field.text].length : 0));
    bytes.push(C0.US, 0x40 + field.row, 0x40 + column, this.command.cursor ? C0.CON : C0.COF);
  }
}

function clean(text: string, length: number): string {
  return [...sanitizeText(text)].slice(0, length).join('');
}

/** `character` as one safe character on the screen, or `fallback` when it is empty or sanitises to more than one. */
function oneCharacter(character: string, fallback: string): string {
  const safe = sanitizeText(character.slice(0, 2), { maxLength: 1 });
  return [...safe].length === 1 ? safe : fallback;
}
