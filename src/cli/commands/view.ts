/** `teletel view FILE`: the page in this terminal, optionally drawn at the speed of a real line. */
import { setTimeout as sleep } from 'node:timers/promises';
import { BITS_PER_CHARACTER, ROWS } from '../../videotex/codes.js';
import { Terminal } from '../../videotex/terminal.js';
import { stripFilePadding } from '../../videotex/vdt-file.js';
import { AnsiRenderer, type AnsiOptions } from '../../render/ansi.js';
import { numberOption, type CliIo, type Command } from '../command.js';
import { readInput } from '../files.js';

/** Slowest and fastest line speeds accepted, in baud (75 = the Minitel's uplink, p.46). */
const MIN_BAUD = 75;
const MAX_BAUD = 1_000_000;
/** Redraw at most at the Minitel's 50 Hz frame rate (p.28): faster is invisible. */
const FRAME_MS = 20;

export const viewCommand: Command = {
  name: 'view',
  summary: 'show a Videotex page in this terminal (24-bit colour, Unicode mosaics)',
  help: `Usage: teletel view FILE [--ascii] [--grey] [--reveal] [--speed BAUD]

Decodes FILE (a .vdt page; - reads standard input) as a Minitel does and shows
the 25 rows in this terminal, which needs 24-bit colour and 40 columns.
Mosaics are Unicode sextants; double-size characters are shown once, in bold.

  --ascii        draw mosaics with the older quadrant block characters
                 (▘ ▀ ▄ ▌ █ …), for fonts without sextants
  --grey         the grey levels of a monochrome Minitel instead of colour
  --reveal       show masked zones as if the user had revealed them
  --speed BAUD   replay at a real line speed, like a Minitel drawing the page:
                 10 bits per character, so 1200 (the Minitel's downlink) is
                 120 characters per second; from ${MIN_BAUD} to ${MAX_BAUD}
`,
  options: {
    ascii: { type: 'boolean' },
    grey: { type: 'boolean' },
    reveal: { type: 'boolean' },
    speed: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const speed = numberOption(args.values.speed, 'speed', MIN_BAUD, MAX_BAUD);
    const options: AnsiOptions = {
      ascii: Boolean(args.values.ascii),
      colour: args.values.grey ? 'grey' : 'colour',
      revealMasked: Boolean(args.values.reveal),
    };
    const bytes = stripFilePadding(await readInput(args.positionals[0], io));
    const renderer = new AnsiRenderer(options);
    const terminal = new Terminal();
    if (speed === undefined) {
      terminal.write(bytes);
      await write(io, renderer.screen(terminal.screen));
      return;
    }
    await replay(bytes, speed, terminal, renderer, io);
  },
};

/**
 * Feeds the decoder at `baud` / 10 characters per second and redraws the rows
 * that changed in place. The rows are first printed once; each redraw moves
 * up to its row and back down with relative cursor moves (CUU/CUD), so the
 * picture stays where it was printed even if the terminal had scrolled.
 */
async function replay(bytes: Uint8Array, baud: number, terminal: Terminal, renderer: AnsiRenderer, io: CliIo): Promise<void> {
  const screen = terminal.screen;
  const charactersPerSecond = baud / BITS_PER_CHARACTER;
  await write(io, renderer.screen(screen));
  screen.dirty.fill(0);
  let globalMask = screen.globalMask;
  const start = performance.now();
  let fed = 0;
  while (fed < bytes.length) {
    const elapsed = (performance.now() - start) / 1000;
    // A character is shown once it has fully arrived.
    const due = Math.min(bytes.length, Math.floor(elapsed * charactersPerSecond));
    if (due > fed) {
      terminal.write(bytes.subarray(fed, due));
      fed = due;
      // Unmasking changes how rows look without touching their cells.
      if (screen.globalMask !== globalMask) {
        globalMask = screen.globalMask;
        screen.markAllDirty();
      }
      let out = '';
      for (const row of screen.takeDirtyRows()) {
        const up = ROWS - row;
        out += `\x1b[${up}A\r${renderer.row(screen, row)}\x1b[${up}B\r`;
      }
      if (out) await write(io, out);
    }
    if (fed < bytes.length) {
      const nextDue = ((fed + 1) / charactersPerSecond - elapsed) * 1000;
      await sleep(Math.max(FRAME_MS, nextDue));
    }
  }
}

function write(io: CliIo, text: string): Promise<void> {
  return new Promise((done, fail) => io.stdout.write(text, (error) => (error ? fail(error) : done())));
}
