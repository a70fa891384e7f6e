import { describe, expect, it } from 'vitest';
import { TerminalKeyReader, type TerminalInput } from './terminal-keys.js';

function read(...chunks: string[]): TerminalInput[] {
  const reader = new TerminalKeyReader();
  const out: TerminalInput[] = [];
  for (const chunk of chunks) out.push(...reader.push(new TextEncoder().encode(chunk)));
  out.push(...reader.flush());
  return out;
}

const fn = (name: string): TerminalInput => ({ type: 'key', key: { type: 'function', name } }) as TerminalInput;
const char = (c: string): TerminalInput => ({ type: 'key', key: { type: 'char', char: c } });

describe('keys typed in a PC terminal', () => {
  it('map Enter, Backspace, Delete and Escape as the emulator does', () => {
    expect(read('\r', '\n', '\x7f', '\x08', '\x1b[3~')).toEqual([fn('Envoi'), fn('Envoi'), fn('Correction'), fn('Correction'), fn('Correction')]);
    expect(read('\x1b')).toEqual([fn('Annulation')]);
    expect(read('\x1b\x1b[6~')).toEqual([fn('Annulation'), fn('Suite')]);
  });

  it('map Page Down/Up and F1–F9 (xterm and Linux console forms) to the nine function keys', () => {
    expect(read('\x1b[6~\x1b[5~')).toEqual([fn('Suite'), fn('Retour')]);
    const nine = ['Sommaire', 'Annulation', 'Retour', 'Repetition', 'Guide', 'Correction', 'Suite', 'Envoi', 'ConnexionFin'].map(fn);
    expect(read('\x1bOP\x1bOQ\x1bOR\x1bOS\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~')).toEqual(nine);
    expect(read('\x1b[[A\x1b[[E')).toEqual([fn('Sommaire'), fn('Guide')]);
  });

  it('map the arrows to the cursor keys and Ctrl-C to leaving', () => {
    expect(read('\x1b[A\x1bOB\x1b[C\x1b[D\x03')).toEqual([
      { type: 'key', key: { type: 'cursor', name: 'Up' } },
      { type: 'key', key: { type: 'cursor', name: 'Down' } },
      { type: 'key', key: { type: 'cursor', name: 'Right' } },
      { type: 'key', key: { type: 'cursor', name: 'Left' } },
      { type: 'quit' },
    ]);
  });

  it('read text, UTF-8 letters even when cut between chunks', () => {
    const reader = new TerminalKeyReader();
    const e = new TextEncoder().encode('é');
    expect(reader.push(Uint8Array.of(0x41, e[0]))).toEqual([char('A')]);
    expect(reader.push(Uint8Array.of(e[1], 0x42))).toEqual([char('é'), char('B')]);
  });

  it('wait for the rest of a sequence cut between chunks', () => {
    const reader = new TerminalKeyReader();
    expect(reader.push(Uint8Array.of(0x1b, 0x5b))).toEqual([]);
    expect(reader.push(Uint8Array.of(0x36, 0x7e))).toEqual([fn('Suite')]);
  });

  it('drop what has no Minitel meaning: unknown sequences, other control bytes, endless sequences', () => {
    expect(read('\x1b[1;5H', '\x01\x02', 'A')).toEqual([char('A')]);
    // A sequence that never ends is given up after a few bytes: what follows is read as typed.
    const endless = read(`\x1b[${'1'.repeat(100)}`, 'B');
    expect(endless.every((input) => input.type === 'key' && input.key.type === 'char')).toBe(true);
    expect(endless.length).toBeGreaterThan(80);
    expect(endless.at(-1)).toEqual(char('B'));
  });
});
