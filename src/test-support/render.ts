/** Helpers for renderer tests: pages from hex bytes, and frames read back as colour indices. */
import { Terminal } from '../videotex/terminal.js';
import type { Screen } from '../videotex/screen.js';
import { palette, type ColourMode } from '../render/palette.js';
import type { Frame } from '../render/raster.js';

/** Bytes from hex pairs separated by spaces ("1B 41 42"). */
export function bytes(source: string): Uint8Array {
  const parts = source.trim().split(/\s+/).filter(Boolean);
  return Uint8Array.from(
    parts.map((p) => {
      if (!/^[0-9a-fA-F]{2}$/.test(p)) throw new Error(`bad hex byte '${p}'`);
      return Number.parseInt(p, 16);
    }),
  );
}

/** Hex of a text's characters, for readable page sources: ascii('AB') = '41 42'. */
export function ascii(text: string): string {
  return Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
}

/** The screen after FF (as every example of docs §10 starts) and the given hex bytes. */
export function page(source: string): Screen {
  const terminal = new Terminal();
  terminal.write(Uint8Array.of(0x0c));
  terminal.write(bytes(source));
  return terminal.screen;
}

/**
 * A cell of a frame as 10 strings of 8 colour indices ('0'–'7'), read back
 * through the palette; '?' for a colour outside it. Cells at scale 1, no border,
 * unless given.
 */
export function cellColours(
  frame: Frame,
  row: number,
  column: number,
  options: { scale?: number; border?: number; colour?: ColourMode } = {},
): string[] {
  const scale = options.scale ?? 1;
  const border = options.border ?? 0;
  const colours = palette(options.colour ?? 'colour');
  const lines: string[] = [];
  for (let y = 0; y < 10; y++) {
    let line = '';
    for (let x = 0; x < 8; x++) {
      const px = (border + (column - 1) * 8 + x) * scale;
      const py = (border + row * 10 + y) * scale;
      const i = (py * frame.width + px) * 4;
      const d = frame.data;
      const index = colours.findIndex(([r, g, b]) => d[i] === r && d[i + 1] === g && d[i + 2] === b);
      line += index < 0 || d[i + 3] !== 255 ? '?' : String(index);
    }
    lines.push(line);
  }
  return lines;
}

/** A packed glyph (10 bytes, bit 7 leftmost) drawn as digit rows: ink and paper colour indices. */
export function glyphColours(glyph: ArrayLike<number>, ink: number, paper: number): string[] {
  const lines: string[] = [];
  for (let y = 0; y < 10; y++) {
    let line = '';
    for (let x = 0; x < 8; x++) line += glyph[y] & (0x80 >> x) ? ink : paper;
    lines.push(line);
  }
  return lines;
}

/**
 * A DRCS shape as the 14 bytes that download it (docs §6.3): 80 bits cut
 * MSB-first into 6-bit groups sent as 0x40|g, the last byte carrying 2 bits.
 */
export function drcsBytes(shape: readonly number[]): string {
  let bits = '';
  for (const row of shape) bits += row.toString(2).padStart(8, '0');
  bits += '0000';
  const out: string[] = [];
  for (let i = 0; i < 84; i += 6) out.push((0x40 | Number.parseInt(bits.slice(i, i + 6), 2)).toString(16));
  return out.join(' ');
}
