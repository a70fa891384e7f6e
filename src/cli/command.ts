/**
 * The shape of a `teletel` sub-command and the errors the CLI reports.
 * Commands get their streams through CliIo so tests run them in-process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  /** One line for `teletel --help`. */
  summary: string;
  /** Usage lines and option descriptions for `teletel help NAME`. */
  help: string;
  options: OptionsConfig;
  /** Positional arguments: minimum and maximum count (Infinity for no maximum). */
  positionals: [number, number];
  run(args: ParsedArgs, io: CliIo): Promise<number | void>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** An error the user can act on: printed as one message, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly code = 'TELETEL_E_CLI',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes, as users of Unix tools expect them. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify .*$/s, '') : String(error);
    throw new CliError(`${message}\nTry 'teletel help ${command.name}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  }
  const [min, max] = command.positionals;
  if (parsed.positionals.length < min) {
    throw new CliError(`'${command.name}' needs ${min === 1 ? 'a file' : `${min} arguments`}.\nTry 'teletel help ${command.name}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  }
  if (parsed.positionals.length > max) {
    throw new CliError(`'${command.name}' takes at most ${max} argument${max === 1 ? '' : 's'}, got: ${parsed.positionals.join(' ')}\nTry 'teletel help ${command.name}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

/** An option's value as the user wrote it, for a message (a repeated flag arrives as an array). */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? typeof value;
}

/** A numeric option, validated with a message that says what to fix. */
export function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || n > max || !Number.isInteger(n)) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not '${shown(value)}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  }
  return n;
}

/** An option restricted to a few words. */
export function choiceOption<T extends string>(value: unknown, name: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new CliError(`--${name} must be one of ${choices.join(', ')}, not '${shown(value)}'.`, EXIT.USAGE, 'TELETEL_E_USAGE');
  }
  return value as T;
}
