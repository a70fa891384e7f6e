/**
 * A virtual Minitel for tests: an in-process TerminalLink whose output is
 * decoded by a Terminal, the user's screen, so a test types keys and reads
 * the screen a user would see.
 *
 *   const m = connect(myService, { store });
 *   await m.waitForText(/Bienvenue/);
 *   await m.type('ana');
 *   await m.press('Envoi');
 *   expect(m.screenText()).toContain('Bonjour ana');
 *
 * The bytes sent are what the gateway sends: `encodeDiff(mirror, wanted)`
 * after each `update()`, decoded by the user's Terminal. Should the result
 * not look like the wanted screen (an encoder bug), the difference is kept
 * in `encoderMismatches` and the screen is copied so the test can go on.
 *
 * Deterministic, without sleeping: `type` and `press` deliver one key at a
 * time and resolve when the service is waiting for the next key with none
 * queued (or has ended); `waitForText` re-checks the screen after each
 * update the service sends. Their time limit only turns a hang into a
 * failure that shows the screen.
 */
import { Terminal } from '../videotex/terminal.js';
import { encodeDiff } from '../videotex/encode.js';
import { KeyParser, keysFromText, type InputEvent } from '../videotex/key-parser.js';
import { keyBytes, type CursorKeyName, type FunctionKeyName, type Key, FUNCTION_KEY_NAMES, CURSOR_KEY_NAMES } from '../videotex/keyboard.js';
import type { TextOptions } from '../videotex/screen.js';
import type { Store } from '../store/store.js';
import type { TerminalCapabilities, TerminalLink } from './link.js';
import type { Service, ServiceContext, ServiceInfo, ServiceLogger } from './service.js';
import { SdkError } from './errors.js';
import { observeIdle, waitingForInput } from './input.js';

export interface VirtualMinitelOptions {
  id?: string;
  address?: string;
  capabilities?: Partial<TerminalCapabilities>;
  /** Longest wait of `type`, `press` and `waitForText` before they fail with the screen in the message (default 5000 ms). */
  timeoutMs?: number;
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

let nextId = 1;

/** Row 0 cleared (US 40 41, CAN, LF), then FF for rows 1–24 and cursor off: what the gateway sends before a redraw. */
const CLEAR_SCREEN = Uint8Array.of(0x1f, 0x40, 0x41, 0x18, 0x0a, 0x0c, 0x14);

export class VirtualMinitel {
  /** The link a service runs on. */
  readonly link: TerminalLink;
  /** The user's Minitel: what it shows is what the service sent. */
  readonly terminal: Terminal;
  /** The run of the service (set by `connect`). */
  done: Promise<void> = Promise.resolve();
  /** What the run threw, if it did. */
  error: unknown;
  /** Bytes sent to the user so far (screen updates and commands). */
  bytesSent = 0;
  /** Commands sent with sendCommand (BEL, Protocole), in order. */
  readonly commands: Uint8Array[] = [];
  /** Times the page was sent again for Répétition (link.repeat). */
  repeats = 0;
  /** Why the service hung up, if it did. */
  hangUpReason: string | undefined;
  /** Updates after which the user's screen did not look like the wanted one: [row, column] of the first difference. */
  readonly encoderMismatches: [number, number][] = [];

  private readonly wanted = new Terminal();
  private readonly parser = new KeyParser();
  private readonly listeners = new Set<(event: InputEvent) => void | Promise<void>>();
  private log: ServiceLogger | undefined;
  private readonly controller = new AbortController();
  private readonly updateWaiters = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private readonly timeoutMs: number;

  constructor(options: VirtualMinitelOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.terminal = new Terminal({
      // What the terminal answers (ENQROM, statuses) goes back to the service as input.
      onReply: (bytes) => this.deliver(bytes),
    });
    this.terminal.connected = true;
    const capabilities: TerminalCapabilities = { model: 'emulator', speed: 0, drcs: true, columns80: false, ...options.capabilities };
    this.link = {
      id: options.id ?? `virtual-${nextId++}`,
      transport: 'virtual',
      address: options.address ?? 'virtual',
      capabilities,
      wanted: this.wanted,
      mirror: this.terminal.screen,
      update: () => this.flush(),
      sendCommand: (bytes) => {
        if (this.controller.signal.aborted) return;
        this.flush();
        this.commands.push(Uint8Array.from(bytes));
        this.bytesSent += bytes.length;
        this.terminal.write(bytes);
      },
      drained: () => Promise.resolve(),
      onInput: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      closed: this.controller.signal,
      hangUp: (reason) => {
        this.hangUpReason = reason ?? '';
        this.controller.abort(new Error(reason ?? 'hang-up'));
      },
      // As the gateway does: row 0 and the page cleared, then the whole wanted screen from blank.
      repeat: () => {
        if (this.controller.signal.aborted) return;
        this.repeats++;
        this.link.sendCommand(CLEAR_SCREEN);
        this.flush();
      },
    };
    observeIdle(this.link, () => {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    });
  }

  /** Gives an event to every input listener; a promise one returns that rejects is logged, as the gateway does. */
  private notify(event: InputEvent): void {
    for (const listener of [...this.listeners]) {
      const result = listener(event);
      if (result instanceof Promise) {
        result.catch((error: unknown) => this.log?.error('service input listener threw', { error: error instanceof Error ? error.message : String(error) }));
      }
    }
  }

  /** Starts `service` on this Minitel (what `connect` does). */
  run(service: Service, context: ServiceContext): this {
    this.running = true;
    this.log = context.log;
    this.done = service.run(this.link, context).then(
      () => {
        this.running = false;
        this.wakeIdle();
      },
      (error: unknown) => {
        this.running = false;
        this.error = error;
        this.wakeIdle();
      },
    );
    return this;
  }

  /** The screen as text: rows 0–24 joined with newlines, trailing spaces dropped. */
  screenText(options: TextOptions = {}): string {
    return this.terminal.screen.text(options);
  }

  rowText(row: number, options: TextOptions = {}): string {
    return this.terminal.screen.rowText(row, options);
  }

  /** Row 0, where services put their messages. */
  rowZero(): string {
    return this.terminal.screen.rowText(0);
  }

  /** True while the service's run has not ended. */
  get active(): boolean {
    return this.running;
  }

  /**
   * Types text: each character as the key (with TS where needed) that sends
   * it; accented letters as accent + letter. Characters no Minitel key types
   * (emoji…) send nothing, as on a real keyboard; use `send` for raw bytes.
   */
  async type(text: string): Promise<void> {
    for (const key of keysFromText(text)) await this.sendKey(key);
  }

  /** Presses function keys (Envoi, Suite, …), cursor keys (Up, Left, …) or Enter (⏎), one after the other. */
  async press(...names: (FunctionKeyName | CursorKeyName | 'Enter')[]): Promise<void> {
    for (const name of names) {
      if (name === 'Enter') await this.sendKey({ type: 'enter' });
      else if ((FUNCTION_KEY_NAMES as readonly string[]).includes(name)) await this.sendKey({ type: 'function', name: name as FunctionKeyName });
      else if ((CURSOR_KEY_NAMES as readonly string[]).includes(name)) await this.sendKey({ type: 'cursor', name: name as CursorKeyName });
      else throw new SdkError('TELETEL_E_FIELD', `no key named '${String(name)}'`);
    }
  }

  /**
   * One key, sent as a Minitel with the extended keyboard sends it. Letters
   * arrive in the case given, whatever the keyboard's case mode.
   */
  async sendKey(key: Key): Promise<void> {
    const modes = this.terminal.modes;
    await this.send(keyBytes(key, { lowercase: true, extended: true, c0Cursor: modes.c0CursorKeys }));
  }

  /**
   * Raw bytes from the terminal, as a transport would pass them (for hostile
   * input: UTF-8, control codes, broken sequences). Resolves when the service
   * has handled what they mean.
   */
  async send(bytes: ArrayLike<number>): Promise<void> {
    await this.settleAfter(() => this.deliver(bytes));
  }

  /** Delivers input events as they are, bypassing the byte parser (a buggy or hostile gateway). */
  async sendEvents(...events: InputEvent[]): Promise<void> {
    await this.settleAfter(() => {
      for (const event of events) this.notify(event);
      return events.length;
    });
  }

  /** Waits until the screen matches (text anywhere on rows 0–24, or a RegExp); resolves with the screen text. */
  async waitForText(pattern: string | RegExp, options: { timeoutMs?: number; row?: number } = {}): Promise<string> {
    const matches = (): boolean => {
      const text = options.row === undefined ? this.screenText() : this.rowText(options.row);
      return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
    };
    if (matches()) return this.screenText();
    await this.waitFor(
      (resolve) => {
        const check = (): void => {
          if (matches()) resolve();
        };
        this.updateWaiters.add(check);
        return () => this.updateWaiters.delete(check);
      },
      options.timeoutMs,
      () => `the screen never showed ${String(pattern)}`,
    );
    return this.screenText();
  }

  /** Resolves when the service is waiting for a key with none queued, or has ended. */
  async idle(): Promise<void> {
    if (!this.running || waitingForInput(this.link)) return;
    await this.nextIdle();
  }

  /** Resolves at the next moment the service waits for a key with none queued, or ends. */
  private nextIdle(): Promise<void> {
    return this.waitFor(
      (resolve) => {
        this.idleWaiters.push(resolve);
        return () => {};
      },
      undefined,
      () => 'the service did not come back to waiting for a key',
    );
  }

  /** The user hangs up; resolves when the service's run has ended. */
  async hangUp(): Promise<void> {
    this.controller.abort(new Error('the user hung up'));
    await this.done;
  }

  private deliver(bytes: ArrayLike<number>): number {
    if (this.controller.signal.aborted) return 0;
    const events = this.parser.push(Uint8Array.from(bytes));
    let keys = 0;
    for (const event of events) {
      if (event.type !== 'status' && event.type !== 'reply') keys++;
      this.notify(event);
    }
    return keys;
  }

  private async settleAfter(action: () => number): Promise<void> {
    if (!this.running) {
      action();
      return;
    }
    const idle = this.nextIdle();
    const delivered = action();
    if (delivered === 0) {
      this.wakeIdle();
      // Let a waiting idle() resolve; nothing was delivered, so nothing changes.
    }
    await idle;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private flush(): void {
    if (this.controller.signal.aborted) return;
    const bytes = encodeDiff(this.terminal, this.wanted.screen);
    if (bytes.length > 0) {
      this.bytesSent += bytes.length;
      this.terminal.write(bytes);
    }
    const user = this.terminal.screen;
    const difference = user.firstVisualDifference(this.wanted.screen);
    if (difference !== undefined) {
      this.encoderMismatches.push(difference);
      user.copyFrom(this.wanted.screen);
    }
    for (const check of [...this.updateWaiters]) check();
  }

  private waitFor(arm: (resolve: () => void) => () => void, timeoutMs: number | undefined, describe: () => string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let disarm = (): void => {};
      const timer = setTimeout(() => {
        disarm();
        reject(new SdkError('TELETEL_E_TEST_TIMEOUT', `${describe()} within ${timeoutMs ?? this.timeoutMs} ms. Screen:\n${this.screenText()}`));
      }, timeoutMs ?? this.timeoutMs);
      disarm = arm(() => {
        clearTimeout(timer);
        disarm();
        resolve();
      });
    });
  }
}

export interface ConnectOptions extends VirtualMinitelOptions {
  /** The store services see (for example openSqliteStore(':memory:')); without one, using s.store fails with a clear message. */
  store?: Store;
  /** Receives the service's logs; by default they are kept in `logs`. */
  log?: ServiceLogger;
  /** What `context.services()` returns (GUIDE lists it); default just this service. */
  services?: () => readonly ServiceInfo[];
  /** A whole context instead (overrides store, log and services). */
  context?: ServiceContext;
}

/** A virtual Minitel connected to `service`. Logs are kept in `logs` unless `log` is given. */
export function connect(service: Service, options: ConnectOptions = {}): VirtualMinitel & { logs: LogEntry[] } {
  const minitel = new VirtualMinitel(options) as VirtualMinitel & { logs: LogEntry[] };
  minitel.logs = [];
  const context = options.context ?? {
    store: options.store ?? missingStore(),
    log: options.log ?? memoryLogger(minitel.logs),
    services: options.services ?? (() => [service]),
  };
  return minitel.run(service, context);
}

export function memoryLogger(entries: LogEntry[]): ServiceLogger {
  return {
    info: (message, fields) => entries.push({ level: 'info', message, fields }),
    warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
    error: (message, fields) => entries.push({ level: 'error', message, fields }),
  };
}

function missingStore(): Store {
  const fail = (): never => {
    throw new SdkError('TELETEL_E_SERVICE_DEFINITION', 'this virtual Minitel has no store: pass { store } to connect()');
  };
  return {
    get sessions() {
      return fail();
    },
    get accounts() {
      return fail();
    },
    get mail() {
      return fail();
    },
    get checkpoints() {
      return fail();
    },
    keyValue: fail,
    close: async () => {},
  };
}
