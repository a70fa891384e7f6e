/** `teletel text FILE`: only the words of a page, for search, diff or a screen reader. */
import { Terminal } from '../../videotex/terminal.js';
import { stripFilePadding } from '../../videotex/vdt-file.js';
import type { Command } from '../command.js';
import { readInput } from '../files.js';

export const textCommand: Command = {
  name: 'text',
  summary: 'print the text of a Videotex page (row 0, then rows 1–24), without colours',
  help: `Usage: teletel text FILE [--reveal]

Decodes FILE (a .vdt page; - reads standard input) as a Minitel does and prints
what it says: the service row (row 0) first when it holds text, then rows 1 to
24 in screen order, accented letters as Unicode. Mosaics, colours and sizes are
left out; blank rows at the end are dropped.

  --reveal     include masked zones, as if the user had revealed them
`,
  options: {
    reveal: { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const terminal = new Terminal();
    terminal.write(stripFilePadding(await readInput(args.positionals[0], io)));
    const screen = terminal.screen;
    const options = { revealMasked: Boolean(args.values.reveal) };
    const lines: string[] = [];
    const rowZero = screen.rowText(0, options);
    if (rowZero.trim() !== '') lines.push(rowZero);
    for (let row = 1; row <= 24; row++) lines.push(screen.rowText(row, options));
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  },
};
