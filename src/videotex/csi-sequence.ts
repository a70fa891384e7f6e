/**
 * CSI sequences (`ESC 5B …`, p.94–97): the parameters collected, bounded
 * (limits.ts), and what the final byte does to the screen: cursor moves,
 * erasing, inserting and deleting characters and rows, insert mode.
 */
import { LIMITS } from './limits.js';
import type { ScreenWriter } from './screen-writer.js';

export class CsiSequence {
  private readonly parameters: number[] = [];
  /** A private parameter byte (3C–3F): not a Videotex sequence. */
  private privateForm = false;
  /** An intermediate byte (20–2F): not a Videotex sequence either. */
  intermediate = false;

  start(): void {
    this.parameters.length = 0;
    this.privateForm = false;
    this.intermediate = false;
  }

  parameter(b: number): void {
    const p = this.parameters;
    if (b >= 0x30 && b <= 0x39) {
      if (p.length === 0) p.push(0);
      const last = p.length - 1;
      // Values saturate: a flood of digits costs no memory (limits.ts).
      p[last] = Math.min(p[last] * 10 + (b - 0x30), LIMITS.csiParameterValue);
    } else if (b === 0x3b) {
      if (p.length === 0) p.push(0);
      if (p.length < LIMITS.csiParameters) p.push(0);
    } else {
      this.privateForm = true;
    }
  }

  /** The final byte: the sequence acts on `writer`. */
  final(final: number, writer: ScreenWriter): void {
    // CSI never acts in row 0 (p.95); private or intermediate forms are not Videotex.
    if (writer.inRowZero || this.privateForm || this.intermediate) return;
    const p = this.parameters;
    const first = p.length > 0 ? p[0] : 0;
    const count = Math.max(1, first);
    switch (final) {
      case 0x41:
        writer.cursorUp(count);
        break;
      case 0x42:
        writer.cursorDown(count);
        break;
      case 0x43:
        writer.cursorRight(count);
        break;
      case 0x44:
        writer.cursorLeft(count);
        break;
      case 0x48:
        writer.cursorPosition(Math.max(1, first), Math.max(1, p.length > 1 ? p[1] : 1));
        break;
      case 0x4a:
        writer.eraseInScreen(first);
        break;
      case 0x4b:
        writer.eraseInRow(first);
        break;
      case 0x50:
        writer.deleteCharacters(count);
        break;
      case 0x40:
        writer.insertCharacters(count);
        break;
      case 0x4c:
        writer.insertRows(count);
        break;
      case 0x4d:
        writer.deleteRows(count);
        break;
      case 0x68:
        if (first === 4) writer.insertMode = true;
        break;
      case 0x6c:
        if (first === 4) writer.insertMode = false;
        break;
      default:
        // Unknown CSI sequences are swallowed (p.97).
        break;
    }
  }
}
