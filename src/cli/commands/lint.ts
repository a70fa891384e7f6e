/** `teletel lint FILE… [--json]`: what real terminals trip on in a page, with byte offsets. */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lintPage, MAX_FINDINGS_PER_RULE } from '../../lint/analyse.js';
import { formatReport, formatSummary, reportJson, rulesHelp } from '../../lint/format.js';
import type { LintReport } from '../../lint/analyse.js';
import { CliError, EXIT, type CliIo, type Command } from '../command.js';
import { describeFsError, readInput } from '../files.js';

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check Videotex pages for what real Minitels trip on (with byte offsets and line time)',
  help: `Usage: teletel lint FILE|FOLDER… [--verbose] [--json]

Walks each page (a .vdt file; - reads standard input; a folder: every file in
it) and reports, with byte offsets, what real terminals trip on, and the time
the page takes on the line at 1200 baud (bytes × 10 / 1200 s: 10 bits per
character, p.47), and at 4800 and 9600.

Findings are grouped: one line per rule with its count, its first message
and first offsets, errors first; several pages end with a summary line.

  --verbose  list every finding with its offset instead
  --json     print the reports as JSON (one object, or an array for several files)

Exit code: 0 when no page has errors (warnings alone give 0), 1 when a page
has at least one error or a file cannot be read, 2 for a usage mistake.
At most ${MAX_FINDINGS_PER_RULE} findings per rule are listed; all are counted.

Rules (id, severity, STUM1B page or docs/videotex.md section):
${rulesHelp()}
`,
  options: {
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  positionals: [1, Infinity],
  async run(args, io) {
    const json = Boolean(args.values.json);
    const verbose = Boolean(args.values.verbose);
    const linted: LintReport[] = [];
    const files: string[] = [];
    let failed = false;
    for (const path of args.positionals) {
      try {
        files.push(...(await expand(path, io)));
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr.write(`teletel: ${error.message}\n`);
        failed = true;
      }
    }
    const reports: object[] = [];
    for (const file of files) {
      let bytes;
      try {
        bytes = await readInput(file, io);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr.write(`teletel: ${error.message}\n`);
        failed = true;
        continue;
      }
      const name = file === '-' ? 'standard input' : file;
      const report = lintPage(bytes);
      if (report.errors > 0) failed = true;
      linted.push(report);
      if (json) reports.push(reportJson(name, report));
      else io.stdout.write(formatReport(name, report, { verbose }));
    }
    if (!json && linted.length > 1) io.stdout.write(formatSummary(linted));
    if (json) {
      const value = args.positionals.length === 1 && reports.length === 1 && files[0] === args.positionals[0] ? reports[0] : reports;
      io.stdout.write(`${JSON.stringify(value, null, 1)}\n`);
    }
    return failed ? EXIT.FAILURE : EXIT.OK;
  },
};

/** A file stays itself; a folder becomes its files, sorted (not recursive). */
async function expand(path: string, io: CliIo): Promise<string[]> {
  if (path === '-') return [path];
  const full = resolve(io.cwd, path);
  let info;
  try {
    info = await stat(full);
  } catch (error) {
    throw new CliError(describeFsError(error, path));
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(full, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  return names.map((name) => join(path, name));
}
