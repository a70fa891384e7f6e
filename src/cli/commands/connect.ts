/**
 * `teletel connect [HOST[:PORT] | ws://URL]`: a Minitel in this terminal.
 * It connects to a Teletel server (or any Videotex server on TCP or a
 * WebSocket), decodes what comes as a Minitel 2 does, draws it with the ANSI
 * renderer and sends the keys typed, mapped as in the browser emulator. The
 * quickest way to try a server from a shell, with nothing but the project.
 */
import type { ReadStream } from 'node:tty';
import { Terminal } from '../../videotex/terminal.js';
import { keyBytes, type KeyboardMode } from '../../videotex/keyboard.js';
import { CliError, EXIT, type Command } from '../command.js';
import { openLink, parseTarget, DEFAULT_TCP_PORT, type Link } from '../connect/link.js';
import { terminalOutput, textOutput, type ScreenOutput } from '../connect/screen-output.js';
import { TerminalKeyReader, type TerminalInput } from '../connect/terminal-keys.js';

/** A lone ESC is Escape once nothing follows it for this long. */
const ESCAPE_WAIT_MS = 40;
/** Piped input: once it has ended, the client waits for the line to go quiet, but never longer than this. */
const PIPE_LINGER_MS = 10_000;

export const connectCommand: Command = {
  name: 'connect',
  summary: 'a Minitel in this terminal: connect to a server over TCP or WebSocket',
  help: `Usage: teletel connect [HOST[:PORT] | ws://HOST:PORT/ws] [--text] [--ascii] [--grey]

Connects to a Teletel server (default localhost:${DEFAULT_TCP_PORT}, the TCP port of
'teletel serve'; a ws:// URL uses the WebSocket instead) and is a Minitel in
this terminal: the screen in 24-bit colour with Unicode mosaics, and your keys
as Minitel keys:

  Enter = Envoi        Backspace = Correction    Escape = Annulation
  Page Down = Suite    Page Up = Retour          arrows = cursor keys
  F1 Sommaire  F2 Annulation  F3 Retour  F4 Répétition  F5 Guide
  F6 Correction  F7 Suite  F8 Envoi  F9 Connexion/Fin       Ctrl-C quits

When standard output is not a terminal (or with --text), each screen is
printed as plain text once the line goes quiet; keys are then read from
standard input, so a script can drive a service:

  printf 'GUIDE\\r' | teletel connect localhost:${DEFAULT_TCP_PORT}

  --text    plain text screens instead of drawing in place
  --ascii   quadrant blocks instead of sextants, for fonts without them
  --grey    the grey levels of a monochrome Minitel
`,
  options: {
    text: { type: 'boolean' },
    ascii: { type: 'boolean' },
    grey: { type: 'boolean' },
  },
  positionals: [0, 1],
  async run(args, io) {
    const given = args.positionals[0] ?? `localhost:${DEFAULT_TCP_PORT}`;
    const target = parseTarget(given);
    if (target === undefined) {
      throw new CliError(`'${given}' is not a server: give HOST, HOST:PORT or a ws:// URL.`, EXIT.USAGE, 'TELETEL_E_USAGE');
    }
    const interactive = io.stdout.isTTY === true && args.values.text !== true;
    return new Promise<number>((resolve, reject) => {
      let settled = false;
      let stdinEnded = false;
      let firstQuiet = false;
      const queued: Uint8Array[] = [];
      let lingerTimer: NodeJS.Timeout | undefined;
      const terminal = new Terminal({
        onReply: (bytes) => link.write(bytes), // ENQROM and status answers, as a Minitel 2 gives them
        onBell: () => {
          if (interactive) io.stdout.write('\x07');
        },
      });
      terminal.connected = true;
      const reader = new TerminalKeyReader();
      let escapeTimer: NodeJS.Timeout | undefined;
      const stdin = io.stdin as Partial<ReadStream> & typeof io.stdin;
      const raw = interactive && stdin.isTTY === true && typeof stdin.setRawMode === 'function';

      const finish = (code: number, error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(escapeTimer);
        clearTimeout(lingerTimer);
        output.close();
        stdin.off('data', onStdin);
        stdin.off('end', onStdinEnd);
        if (raw) stdin.setRawMode?.(false);
        stdin.pause();
        link.close();
        if (error) reject(new CliError(`cannot reach ${given}: ${error.message}`, EXIT.FAILURE, 'TELETEL_E_CONNECT'));
        else {
          if (interactive) io.stderr.write('Connection closed.\n');
          resolve(code);
        }
      };

      const mode = (): KeyboardMode => ({
        lowercase: terminal.modes.lowercase,
        extended: terminal.modes.extendedKeyboard,
        c0Cursor: terminal.modes.c0CursorKeys,
      });
      const handle = (inputs: TerminalInput[]): void => {
        for (const input of inputs) {
          if (input.type === 'quit') return finish(EXIT.OK);
          const bytes = keyBytes(input.key, mode());
          if (bytes.length === 0) continue;
          // Piped keys wait for the first page: typed ahead of it, a gateway still probing would miss them.
          if (!interactive && !firstQuiet) queued.push(bytes);
          else link.write(bytes);
        }
      };
      const onStdin = (chunk: Buffer | string): void => {
        handle(reader.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk)));
        clearTimeout(escapeTimer);
        escapeTimer = setTimeout(() => handle(reader.flush()), ESCAPE_WAIT_MS);
      };
      const onStdinEnd = (): void => {
        stdinEnded = true;
        handle(reader.flush());
        if (interactive) return;
        // Piped: leave once the answer to the last key has come, or after a while.
        lingerTimer = setTimeout(() => finish(EXIT.OK), PIPE_LINGER_MS);
      };
      const onQuiet = (): void => {
        if (!firstQuiet) {
          firstQuiet = true;
          for (const bytes of queued.splice(0)) link.write(bytes);
          return;
        }
        if (stdinEnded && queued.length === 0) finish(EXIT.OK);
      };

      const output: ScreenOutput = interactive
        ? terminalOutput(terminal.screen, io.stdout, { ascii: args.values.ascii === true, colour: args.values.grey ? 'grey' : 'colour' })
        : textOutput(terminal.screen, io.stdout, onQuiet);
      const link: Link = openLink(target, {
        data: (bytes) => {
          terminal.write(bytes);
          output.changed();
        },
        closed: (error) => finish(EXIT.OK, error),
      });
      if (raw) stdin.setRawMode?.(true);
      stdin.on('data', onStdin);
      stdin.on('end', onStdinEnd);
      stdin.resume();
    });
  },
};


