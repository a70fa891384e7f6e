/**
 * `teletel` argument handling: dispatch to a sub-command, help, exit codes.
 * Every failure a user can cause ends in one clear message on stderr and a
 * non-zero exit code; only a bug in Teletel prints a stack trace.
 */
import { createRequire } from 'node:module';
import { CliError, EXIT, parseCommandArgs, type CliIo, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';

/** The package's version, from package.json (two folders up from both src/cli and dist/cli). */
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: teletel <command> [options]',
    '',
    'Teletel: a Minitel platform. Commands:',
    ...lines,
    '',
    "Run 'teletel help <command>' for a command's options.",
    'Files may be given as - for standard input (and -o - for standard output).',
    '',
  ].join('\n');
}

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout.write(mainHelp());
      return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`teletel ${VERSION}\n`);
      return EXIT.OK;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(mainHelp());
        return EXIT.OK;
      }
      const command = findCommand(topic);
      if (!command) throw new CliError(`There is no command '${topic}'.\nRun 'teletel --help' for the list.`, EXIT.USAGE);
      io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return EXIT.OK;
    }
    const command = findCommand(name);
    if (!command) throw new CliError(`There is no command '${name}'.\nRun 'teletel --help' for the list.`, EXIT.USAGE);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return EXIT.OK;
    }
    const args = parseCommandArgs(command, rest);
    const code = await command.run(args, io);
    return code ?? EXIT.OK;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`teletel: ${error.message}\n`);
      return error.exitCode;
    }
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return EXIT.OK;
    io.stderr.write(`teletel: internal error, please report it:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.FAILURE;
  }
}
