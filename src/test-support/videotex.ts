/** Small helpers for tests that feed bytes to a Terminal and look at the screen. */
import { Terminal, type TerminalOptions } from '../videotex/terminal.js';
import type { CellAppearance } from '../videotex/screen.js';

/** Bytes from a hex string with spaces ("1B 41 42") or from text. */
export function hex(source: string): Uint8Array {
  const parts = source.trim().split(/\s+/).filter(Boolean);
  return Uint8Array.from(parts.map((p) => {
    const value = Number.parseInt(p, 16);
    if (!/^[0-9a-fA-F]{1,2}$/.test(p) || Number.isNaN(value)) throw new Error(`bad hex byte '${p}'`);
    return value;
  }));
}

/** A terminal after FF (the state every example of docs §10 starts from) and the given hex bytes. */
export function afterClear(source: string, options: TerminalOptions = {}): Terminal {
  const terminal = new Terminal(options);
  terminal.write(Uint8Array.of(0x0c));
  terminal.write(hex(source));
  return terminal;
}

export function decode(bytes: ArrayLike<number>, options: TerminalOptions = {}): Terminal {
  const terminal = new Terminal(options);
  terminal.write(bytes);
  return terminal;
}

export function cell(terminal: Terminal, row: number, column: number): CellAppearance {
  return terminal.screen.appearance(row, column);
}

export function cursor(terminal: Terminal): [number, number] {
  return [terminal.screen.cursorRow, terminal.screen.cursorColumn];
}

export function replies(source: string, options: TerminalOptions = {}): number[][] {
  const out: number[][] = [];
  const terminal = new Terminal({ ...options, onReply: (bytes) => out.push(Array.from(bytes)) });
  terminal.write(hex(source));
  return out;
}
