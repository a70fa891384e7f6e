/**
 * What `teletel connect` shows of the Minitel screen:
 *
 * - on a terminal: the 25 rows drawn in place on the alternate screen with
 *   the ANSI renderer (24-bit colour, sextant mosaics), only the rows that
 *   changed, at most at the Minitel's 50 Hz frame rate (p.28), with the
 *   terminal's cursor where the Minitel's is when it is shown;
 * - into a pipe or a file: the screen as plain text each time the line has
 *   been quiet for a moment after a change, so scripts can read what a user
 *   would see.
 */
import type { Writable } from 'node:stream';
import { ROWS } from '../../videotex/codes.js';
import type { Screen } from '../../videotex/screen.js';
import { AnsiRenderer, type AnsiOptions } from '../../render/ansi.js';

/** Redraws at most this often on a terminal (50 Hz, p.28). */
const FRAME_MS = 20;
/** In text mode, the screen is printed once the line has been quiet this long. */
export const QUIET_MS = 150;

export interface ScreenOutput {
  /** The screen changed (bytes were decoded). */
  changed(): void;
  /** Draws what is pending now and leaves the terminal as it found it. */
  close(): void;
}

export function terminalOutput(screen: Screen, out: Writable, options: AnsiOptions): ScreenOutput {
  const renderer = new AnsiRenderer(options);
  let timer: NodeJS.Timeout | undefined;
  let globalMask = screen.globalMask;
  // Alternate screen, cleared, cursor hidden until the Minitel shows its own.
  out.write('\x1b[?1049h\x1b[2J\x1b[?25l');
  screen.markAllDirty();
  const draw = (): void => {
    timer = undefined;
    // Unmasking changes how every row looks without touching their cells.
    if (screen.globalMask !== globalMask) {
      globalMask = screen.globalMask;
      screen.markAllDirty();
    }
    let text = '';
    for (const row of screen.takeDirtyRows()) text += `\x1b[${row + 1};1H${renderer.row(screen, row)}`;
    text += screen.cursorVisible ? `\x1b[${screen.cursorRow + 1};${screen.cursorColumn}H\x1b[?25h` : '\x1b[?25l';
    out.write(text);
  };
  draw();
  return {
    changed: () => {
      timer ??= setTimeout(draw, FRAME_MS);
    },
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
      draw();
      out.write(`\x1b[${ROWS + 1};1H\x1b[0m\x1b[?25h\x1b[?1049l`);
    },
  };
}

export function textOutput(screen: Screen, out: Writable, onQuiet: () => void): ScreenOutput {
  let timer: NodeJS.Timeout | undefined;
  let printed = '';
  const print = (): void => {
    timer = undefined;
    const text = screen.text();
    if (text !== printed) {
      printed = text;
      out.write(`${text.replace(/ +$/gm, '')}\n${'-'.repeat(40)}\n`);
    }
    onQuiet();
  };
  return {
    changed: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(print, QUIET_MS);
    },
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const text = screen.text();
      if (text !== printed) out.write(`${text.replace(/ +$/gm, '')}\n${'-'.repeat(40)}\n`);
      printed = text;
    },
  };
}
