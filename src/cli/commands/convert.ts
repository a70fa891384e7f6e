/** `teletel convert PICTURE|FOLDER -o OUT`: pictures to Videotex mosaic pages. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { convertFolder, PICTURE_EXTENSIONS, type BatchProgress } from '../../convert/batch.js';
import { convertPng, type ConvertOptions } from '../../convert/convert.js';
import { parseRegion } from '../../convert/geometry.js';
import { ImageError } from '../../convert/image.js';
import { choiceOption, CliError, EXIT, type CliIo, type Command } from '../command.js';
import { describeFsError, readInput, writeOutput } from '../files.js';

const REGION_MESSAGE = '--region must be row,col,rows,cols inside rows 1–24 and columns 1–40';
const PROGRESS_WIDTH = 24;

export const convertCommand: Command = {
  name: 'convert',
  summary: 'turn a PNG picture (or a folder of them) into a Videotex page of coloured mosaics',
  help: `Usage: teletel convert PICTURE.png [-o OUT.vdt] [--grey] [--dither floyd|none]
                       [--region row,col,rows,cols]
       teletel convert FOLDER -o OUT_FOLDER [options]

Fits a PNG picture to the Minitel's mosaic grid — 80×72 mosaic pixels for
the full page (40 columns × 2, rows 1–24 × 3) — keeping its proportions
(black bars fill the rest), with at most two colours per character cell as a
Minitel requires, and writes the page as 7-bit Videotex.

Only PNG is read (any PNG colour type; transparency is drawn over black).
JPEG and other formats are not supported: convert them to PNG first.

  -o, --output OUT   where to write the page (- for standard output); default
                     PICTURE with .png replaced by .vdt (or .vdt added). For a
                     folder: the output folder (created if missing), one
                     NAME.vdt per picture found in FOLDER (not in its
                     sub-folders)
  --grey             use the 8 grey levels of a monochrome Minitel (black 0 %,
                     blue 40 %, red 50 %, magenta 60 %, green 70 %, cyan 80 %,
                     yellow 90 %, white 100 %, STUM1B p.32) instead of colours
  --dither floyd     error diffusion over the mosaic pixels (the default)
  --dither none      nearest colours only: flatter, fewer bytes
  --region R         draw only inside cells R = row,col,rows,cols (rows 1–24,
                     columns 1–40), e.g. 5,21,10,20: no FF, the rest of the
                     screen is left as it is. Without it: a full page, FF first.
                     Text right of the region on its rows takes the background
                     of the region's last cell until its next delimiter (p.86);
                     those cells are kept black where their colours allow

How: each mosaic pixel averages the picture over its real screen area (a cell
is 8×10 screen pixels split 4+4 by 3+4+3, p.31); each cell then gets the
colour pair that best spans its six pixels, and the pixels are reduced to
that pair with Floyd–Steinberg error diffusion. Cells are written with the
fewest colour changes, choosing between equivalent encodings (colours swapped,
pattern inverted) so that REP repeats runs.

Exit code: 0 on success, 1 when a picture cannot be read or converted (in a
folder, the others are still converted and each failure is reported), 2 for
a usage mistake. A progress bar shows on standard error when it is a terminal.
`,
  options: {
    output: { type: 'string', short: 'o' },
    grey: { type: 'boolean' },
    dither: { type: 'string' },
    region: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const options: ConvertOptions = {
      mode: args.values.grey ? 'grey' : 'colour',
      dither: choiceOption(args.values.dither, 'dither', ['floyd', 'none'] as const) ?? 'floyd',
    };
    if (args.values.region !== undefined) {
      const region = typeof args.values.region === 'string' ? parseRegion(args.values.region) : undefined;
      if (!region) throw new CliError(`${REGION_MESSAGE}, not '${String(args.values.region)}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
      options.region = region;
    }
    const input = args.positionals[0];
    const output = typeof args.values.output === 'string' ? args.values.output : undefined;
    if (input !== '-' && (await isFolder(input, io))) return convertFolderCommand(input, output, options, io);

    const picture = await readInput(input, io);
    let conversion;
    try {
      conversion = convertPng(picture, options);
    } catch (error) {
      if (error instanceof ImageError) throw new CliError(`${input === '-' ? 'standard input' : input}: ${error.message}.`);
      throw error;
    }
    await writeOutput(output ?? defaultOutput(input), conversion.bytes, io);
    return EXIT.OK;
  },
};

async function isFolder(path: string, io: CliIo): Promise<boolean> {
  try {
    return (await stat(resolve(io.cwd, path))).isDirectory();
  } catch (error) {
    throw new CliError(describeFsError(error, path));
  }
}

function defaultOutput(input: string): string {
  if (input === '-') {
    throw new CliError(
      "reading standard input: say where to write the page with -o FILE (or -o - for standard output).\nTry 'teletel help convert'.",
      EXIT.USAGE,
      'TELETEL_E_USAGE',
    );
  }
  return /\.png$/i.test(input) ? input.replace(/\.png$/i, '.vdt') : `${input}.vdt`;
}

async function convertFolderCommand(input: string, output: string | undefined, options: ConvertOptions, io: CliIo): Promise<number> {
  if (output === undefined || output === '-') {
    throw new CliError(
      `${input} is a folder: say which folder the pages go to with -o FOLDER.\nTry 'teletel help convert'.`,
      EXIT.USAGE,
      'TELETEL_E_USAGE',
    );
  }
  const target = resolve(io.cwd, output);
  try {
    const info = await stat(target);
    if (!info.isDirectory()) throw new CliError(`${output} is a file; with a folder of pictures, -o must be a folder.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(describeFsError(error, output));
  }
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  let results;
  try {
    results = await convertFolder(resolve(io.cwd, input), target, options, tty ? (p) => drawProgress(p, io) : undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code !== undefined) throw new CliError(describeFsError(error, output));
    throw error;
  }
  const failed = results.filter((result) => result.error !== undefined);
  for (const result of failed) io.stderr.write(`teletel: ${input}/${result.name}: ${result.error}.\n`);
  const converted = results.length - failed.length;
  if (results.length === 0) io.stderr.write(`teletel: no pictures in ${input} (looked for ${PICTURE_EXTENSIONS.join(' ')} files).\n`);
  else io.stderr.write(`converted ${converted} of ${results.length} pictures into ${output}${failed.length ? ` (${failed.length} failed)` : ''}\n`);
  return failed.length > 0 ? EXIT.FAILURE : EXIT.OK;
}

/** One line, redrawn in place; cleared when the last picture is done. */
function drawProgress({ done, total, name }: BatchProgress, io: CliIo): void {
  if (done === total) {
    io.stderr.write('\r\x1b[K');
    return;
  }
  const filled = total === 0 ? 0 : Math.round((done / total) * PROGRESS_WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(PROGRESS_WIDTH - filled);
  io.stderr.write(`\r\x1b[K${bar} ${done + 1}/${total} ${name}`);
}
