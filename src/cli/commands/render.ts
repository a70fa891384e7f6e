/** `teletel render FILE [-o OUT]`: the page as a PNG picture, as a Minitel screen shows it. */
import { Terminal } from '../../videotex/terminal.js';
import { stripFilePadding } from '../../videotex/vdt-file.js';
import { MAX_BORDER, MAX_SCALE, renderScreen, type Frame, type RasterOptions } from '../../render/raster.js';
import { encodeAnimatedPng, encodePng } from '../../render/png.js';
import { choiceOption, CliError, EXIT, numberOption, type Command } from '../command.js';
import { readInput, writeOutput } from '../files.js';

/**
 * Each blink phase lasts one second: STUM1B gives "about 0.5 Hz" (p.84, docs
 * §9.1), a two-second on/off cycle.
 */
export const BLINK_PHASE_MS = 1000;

export const renderCommand: Command = {
  name: 'render',
  summary: 'draw a Videotex page as a PNG picture (colour or grey, optionally animated)',
  help: `Usage: teletel render FILE [-o OUT.png] [--grey] [--scale N] [--border N]
                      [--blink on|off] [--reveal] [--cursor]

Decodes FILE (a .vdt page; - reads standard input) as a Minitel does and draws
the 320×250-pixel screen, 40×25 cells of 8×10 pixels, as a PNG.

  -o, --output OUT  where to write the PNG (- for standard output);
                    default: FILE with .vdt replaced by .png (or .png added)
  --grey            the grey levels of a monochrome Minitel instead of colour
  --scale N         multiply the size by N (1 to ${MAX_SCALE}; default 1)
  --border N        black border of N pixels around the picture, before
                    scaling (0 to ${MAX_BORDER}; default 0)
  --blink on|off    on: if the page has blinking characters, write an animated
                    PNG alternating both phases every ${BLINK_PHASE_MS / 1000} s; off (default): a
                    still picture with blinking characters shown
  --reveal          show masked zones as if the user had revealed them
  --cursor          draw the cursor where the page leaves it, if it is shown
`,
  options: {
    output: { type: 'string', short: 'o' },
    grey: { type: 'boolean' },
    scale: { type: 'string' },
    border: { type: 'string' },
    blink: { type: 'string' },
    reveal: { type: 'boolean' },
    cursor: { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const input = args.positionals[0];
    const options: RasterOptions = {
      colour: args.values.grey ? 'grey' : 'colour',
      scale: numberOption(args.values.scale, 'scale', 1, MAX_SCALE) ?? 1,
      border: numberOption(args.values.border, 'border', 0, MAX_BORDER) ?? 0,
      revealMasked: Boolean(args.values.reveal),
      cursor: Boolean(args.values.cursor),
    };
    const animate = (choiceOption(args.values.blink, 'blink', ['on', 'off'] as const) ?? 'off') === 'on';
    const output = typeof args.values.output === 'string' ? args.values.output : defaultOutput(input);

    const terminal = new Terminal();
    terminal.write(stripFilePadding(await readInput(input, io)));
    const screen = terminal.screen;
    // Without --blink on, the still shows blinking characters: the 'on' phase.
    const on = renderScreen(screen, { ...options, blinkPhase: 'on' });
    let png = encodePng(on);
    if (animate) {
      // Compare the phases rather than look for blink bits: a blinking space shows no change.
      const off = renderScreen(screen, { ...options, blinkPhase: 'off' });
      if (!samePixels(on, off)) {
        png = encodeAnimatedPng([
          { frame: on, delayMs: BLINK_PHASE_MS },
          { frame: off, delayMs: BLINK_PHASE_MS },
        ]);
      }
    }
    await writeOutput(output, png, io);
  },
};

/** page.vdt → page.png; any other name gets .png added (corpus names contain dots). */
function defaultOutput(input: string): string {
  if (input === '-') {
    throw new CliError(
      "reading standard input: say where to write the PNG with -o FILE (or -o - for standard output).\nTry 'teletel help render'.",
      EXIT.USAGE,
      'TELETEL_E_USAGE',
    );
  }
  return /\.vdt$/i.test(input) ? input.replace(/\.vdt$/i, '.png') : `${input}.png`;
}

function samePixels(a: Frame, b: Frame): boolean {
  const x = a.data;
  const y = b.data;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
