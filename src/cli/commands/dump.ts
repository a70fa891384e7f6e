/** `teletel dump FILE [--json]`: the screen a Minitel shows after a page. */
import { Terminal } from '../../videotex/terminal.js';
import { describeCell } from '../../videotex/screen.js';
import { stripFilePadding } from '../../videotex/vdt-file.js';
import { choiceOption, type Command } from '../command.js';
import { readInput } from '../files.js';

const MODELS = ['minitel1b', 'minitel2', 'emulator'] as const;

export const dumpCommand: Command = {
  name: 'dump',
  summary: 'decode a Videotex page and print the screen (text, or every cell as JSON)',
  help: `Usage: teletel dump FILE [--json] [--mosaics] [--reveal] [--model minitel1b|minitel2]

Decodes FILE (a .vdt page; - reads standard input) as a Minitel does and prints
the 25 rows of the screen (row 0 first) as text, accents as Unicode.

  --json       print every cell's effective attributes (zones resolved) as JSON
  --mosaics    draw mosaics as Unicode sextants instead of spaces
  --reveal     show masked zones as if the user had revealed them
  --model M    terminal to emulate: minitel2 (default, with DRCS) or minitel1b
`,
  options: {
    json: { type: 'boolean' },
    mosaics: { type: 'boolean' },
    reveal: { type: 'boolean' },
    model: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const model = choiceOption(args.values.model, 'model', MODELS);
    const bytes = stripFilePadding(await readInput(args.positionals[0], io));
    const terminal = new Terminal({ model });
    terminal.write(bytes);
    const screen = terminal.screen;
    if (args.values.json) {
      const resolved = new Uint32Array(40);
      const rows = [];
      for (let row = 0; row < 25; row++) {
        screen.resolveRow(row, resolved);
        rows.push({ row, text: screen.rowText(row, { keepTrailingSpaces: true }), cells: Array.from(resolved, describeCell) });
      }
      const output = {
        cursor: { row: screen.cursorRow, column: screen.cursorColumn, visible: screen.cursorVisible },
        globalMask: screen.globalMask,
        rows,
      };
      io.stdout.write(`${JSON.stringify(output, null, 1)}\n`);
      return;
    }
    io.stdout.write(`${screen.text({ mosaics: Boolean(args.values.mosaics), revealMasked: Boolean(args.values.reveal) })}\n`);
  },
};
