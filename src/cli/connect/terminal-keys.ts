/**
 * Keys typed in a PC terminal (xterm, GNOME Terminal, iTerm2, the Linux
 * console, tmux…) read as Minitel keys, with the browser emulator's map:
 * Enter = Envoi, Backspace = Correction, Escape = Annulation, Page Down/Up =
 * Suite/Retour, F1–F9 the nine function keys in the emulator's order
 * (Sommaire, Annulation, Retour, Répétition, Guide, Correction, Suite, Envoi,
 * Connexion/Fin), arrows the cursor keys, Ctrl-C to quit.
 *
 * A terminal sends most of these as escape sequences (ECMA-48 CSI and SS3
 * forms), and Escape alone as a lone ESC: a chunk that ends in the middle of a
 * sequence is held until more comes or the caller says the line went quiet
 * (`flush`), when a lone ESC is Annulation. Bytes it does not know are
 * dropped: nothing from the PC keyboard reaches the line but Minitel keys.
 */
import type { Key } from '../../videotex/keyboard.js';

/** What a PC key means here: a Minitel key, or leaving the client. */
export type TerminalInput = { type: 'key'; key: Key } | { type: 'quit' };

const ESC = 0x1b;
/** The longest escape sequence we read ("ESC [ 2 0 ; 5 ~"); a longer one is dropped. */
const SEQUENCE_MAX = 12;

const fn = (name: Extract<Key, { type: 'function' }>['name']): TerminalInput => ({ type: 'key', key: { type: 'function', name } });
const cursor = (name: Extract<Key, { type: 'cursor' }>['name']): TerminalInput => ({ type: 'key', key: { type: 'cursor', name } });

/** Sequences after ESC, as the terminal sends them (without modifiers). */
const SEQUENCES: Readonly<Record<string, TerminalInput>> = {
  '[A': cursor('Up'),
  '[B': cursor('Down'),
  '[C': cursor('Right'),
  '[D': cursor('Left'),
  OA: cursor('Up'),
  OB: cursor('Down'),
  OC: cursor('Right'),
  OD: cursor('Left'),
  '[5~': fn('Retour'),
  '[6~': fn('Suite'),
  OP: fn('Sommaire'),
  OQ: fn('Annulation'),
  OR: fn('Retour'),
  OS: fn('Repetition'),
  '[11~': fn('Sommaire'),
  '[12~': fn('Annulation'),
  '[13~': fn('Retour'),
  '[14~': fn('Repetition'),
  '[[A': fn('Sommaire'), // the Linux console's F1–F5
  '[[B': fn('Annulation'),
  '[[C': fn('Retour'),
  '[[D': fn('Repetition'),
  '[[E': fn('Guide'),
  '[15~': fn('Guide'),
  '[17~': fn('Correction'),
  '[18~': fn('Suite'),
  '[19~': fn('Envoi'),
  '[20~': fn('ConnexionFin'),
  '[3~': fn('Correction'), // Delete
};

export class TerminalKeyReader {
  private pending: number[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private text: number[] = [];

  /** The inputs these bytes complete; a sequence cut at the end is kept for the next call. */
  push(bytes: Uint8Array): TerminalInput[] {
    const out: TerminalInput[] = [];
    for (const b of bytes) this.byte(b, out);
    this.flushText(out);
    return out;
  }

  /** The line went quiet: what is held is taken as typed (a lone ESC is Escape). */
  flush(): TerminalInput[] {
    const out: TerminalInput[] = [];
    if (this.pending.length > 0) {
      const held = this.pending;
      this.pending = [];
      if (held.length === 1) out.push(fn('Annulation'));
      // A cut sequence we cannot finish means nothing: dropped.
    }
    this.flushText(out);
    return out;
  }

  private byte(b: number, out: TerminalInput[]): void {
    if (this.pending.length > 0) {
      this.pending.push(b);
      this.sequenceStep(out);
      return;
    }
    if (b === ESC) {
      this.flushText(out);
      this.pending = [b];
      return;
    }
    if (b >= 0x20 && b !== 0x7f) {
      // Printable, possibly part of a UTF-8 letter ('é' is C3 A9): decoded as a run.
      this.text.push(b);
      return;
    }
    this.flushText(out);
    if (b === 0x0d || b === 0x0a) out.push(fn('Envoi'));
    else if (b === 0x7f || b === 0x08) out.push(fn('Correction'));
    else if (b === 0x03) out.push({ type: 'quit' });
    // Other control bytes from the PC keyboard have no Minitel meaning here.
  }

  private sequenceStep(out: TerminalInput[]): void {
    const body = String.fromCharCode(...this.pending.slice(1));
    const known = SEQUENCES[body];
    if (known !== undefined) {
      out.push(known);
      this.pending = [];
      return;
    }
    const last = this.pending[this.pending.length - 1];
    if (this.pending.length === 2) {
      if (last === 0x5b || last === 0x4f) return; // ESC [ or ESC O: a sequence starts
      if (last === ESC) {
        // ESC ESC: the first was Escape pressed alone.
        out.push(fn('Annulation'));
        this.pending = [ESC];
        return;
      }
      // Alt + key: the key alone.
      this.pending = [];
      this.byte(last, out);
      return;
    }
    const finished = body.startsWith('O') ? this.pending.length >= 3 : last >= 0x40 && last <= 0x7e && !(body === '[[');
    if (finished || this.pending.length >= SEQUENCE_MAX) this.pending = []; // a sequence we do not map (Home, modifiers…)
  }

  private flushText(out: TerminalInput[]): void {
    if (this.text.length === 0) return;
    const text = this.decoder.decode(Uint8Array.from(this.text), { stream: true });
    this.text = [];
    for (const char of text) out.push({ type: 'key', key: { type: 'char', char } });
  }
}
