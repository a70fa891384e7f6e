/**
 * `s`, what a service's handler works with during one user's visit: pages,
 * forms, lists, menus, row-0 messages, keys, timers, the store. Everything it
 * draws goes into the link's `wanted` terminal followed by `update()`, so
 * the gateway's mirror and diff decide what bytes to send.
 *
 * When the user hangs up, every pending `await s.…` rejects with
 * SessionClosedError and timers stop; the SDK ends the visit quietly.
 */
import { C0, ESC_OTHER, PRO2, PRO2_MODE, PRO3, MODULE, KEYBOARD_MODE } from '../videotex/codes.js';
import type { FunctionKeyName, Key } from '../videotex/keyboard.js';
import type { Screen } from '../videotex/screen.js';
import type { Store } from '../store/store.js';
import type { TerminalLink } from './link.js';
import type { ServiceContext, ServiceInfo, ServiceLogger } from './service.js';
import { Painter, type TextStyle } from './draw.js';
import { InputQueue } from './input.js';
import { LeaveSignal, SessionClosedError, SommaireSignal, isControlSignal } from './errors.js';
import { fillTemplate, pageBytes, type PageSource } from './pages.js';
import { runForm, type FieldSpec, type FormOptions, type FormResult, type FormSnapshot, type PromptHost } from './form.js';
import {
  runList,
  runMenu,
  type ListHost,
  type ListOptions,
  type ListResult,
  type MenuItem,
  type MenuOptions,
  type MenuResult,
} from './list.js';

export interface ShowOptions {
  /** Values for `{{name}}` placeholders in the page. */
  values?: Readonly<Record<string, string | number>>;
}

export interface NotifyOptions {
  /** Clears the message after this many milliseconds. */
  ms?: number;
  /** Also ring the bell. */
  bell?: boolean;
}

export interface KeyOptions {
  /**
   * Function keys the caller wants to receive even though the SDK has a
   * default for them: 'Sommaire' (default: back to the start of the
   * handler), 'ConnexionFin' (default: end the visit; the gateway ends the
   * visit itself and never passes this key on, so only links outside it,
   * such as the virtual Minitel, can deliver it), 'Repetition' (default:
   * the gateway sends the page again), or a key given to `s.onKey`
   * (default: its handler).
   */
  handles?: readonly FunctionKeyName[];
}

export interface SessionSetup<S> {
  info: ServiceInfo;
  pagesDir: string;
  state: S;
  help?: PageSource;
  /** The state comes from a checkpoint (defineService's `resume`). */
  resumed?: boolean;
  /** What was typed in the form open at the checkpoint (formSnapshot there): the first form of the same layout starts with it. */
  resumedInput?: unknown;
}

type Timer = ReturnType<typeof setTimeout>;

export class Session<S = Record<string, unknown>> {
  readonly link: TerminalLink;
  readonly context: ServiceContext;
  readonly store: Store;
  readonly log: ServiceLogger;
  /** Aborted when the user leaves. Pass it to fetch() and other cancellable work. */
  readonly signal: AbortSignal;
  /** This service's code, name, tariff… */
  readonly service: ServiceInfo;
  /** Kept across Sommaire restarts for the whole visit (the pseudonym of a logged-in user, …). */
  state: S;
  /**
   * True when this visit continues one that another instance checkpointed
   * (defineService's `resume`): `state` is as it was there, so the handler
   * can go back to where the user was. False again after Sommaire.
   */
  resumed: boolean;

  /** Keys read so far (the SDK uses it to tell a restart loop from a user pressing Sommaire). */
  keysRead = 0;

  private readonly input: InputQueue;
  private readonly pagesDir: string;
  private focus: { row: number; column: number } | null = null;
  private readonly timeouts = new Set<Timer>();
  private readonly intervals = new Set<Timer>();
  private readonly keyHandlers = new Map<FunctionKeyName, () => unknown>();
  private cancelNotify: (() => void) | undefined;
  private bellPending = false;
  private readonly endHandlers: (() => unknown)[] = [];
  private readonly host: ListHost;
  /** The form open now, as a checkpoint would keep it. */
  private liveForm: (() => FormSnapshot) | undefined;
  private resumedInput: unknown;

  constructor(link: TerminalLink, context: ServiceContext, setup: SessionSetup<S>) {
    this.link = link;
    this.context = context;
    this.store = context.store;
    this.log = context.log;
    this.signal = link.closed;
    this.service = setup.info;
    this.state = setup.state;
    this.resumed = setup.resumed ?? false;
    this.resumedInput = setup.resumedInput;
    this.pagesDir = setup.pagesDir;
    this.input = new InputQueue(link);
    if (setup.help !== undefined) {
      const help = setup.help;
      this.keyHandlers.set('Guide', () => this.overlay(help));
    }
    // Répétition redraws the page (the gateway resends the wanted screen) unless the service handles the key.
    if (link.repeat !== undefined) this.keyHandlers.set('Repetition', () => link.repeat?.());
    this.host = {
      write: (painter) => this.write(painter),
      setFocus: (position) => {
        this.focus = position;
      },
      readKey: (handles) => this.readKey(handles),
      notify: (text) => this.notify(text),
      bell: () => this.bell(),
      show: (page) => this.show(page),
      formOpened: (read) => {
        this.liveForm = read;
        return () => {
          if (this.liveForm === read) this.liveForm = undefined;
        };
      },
      resumedForm: (layout) => {
        const kept = this.resumedInput;
        // Once: whatever form comes first after the resume, the kept input is spent.
        this.resumedInput = undefined;
        return typeof kept === 'object' && kept !== null && (kept as { layout?: unknown }).layout === layout ? kept : undefined;
      },
    };
    link.closed.addEventListener('abort', () => this.stopTimers(), { once: true });
  }

  /** True once the user has left. */
  get closed(): boolean {
    return this.link.closed.aborted;
  }

  /** The screen as the service wants it (what the user will see once the line catches up). */
  get screen(): Screen {
    return this.link.wanted.screen;
  }

  // ---- output -----------------------------------------------------------------

  /**
   * Writes Videotex into the wanted screen and sends the difference. Accepts
   * bytes, a Painter or a builder. After drawing, the cursor goes back to the
   * field being edited, if any. Does nothing once the user has left.
   */
  write(data: Uint8Array | { toBytes(): Uint8Array }): void {
    if (this.closed) return;
    const wanted = this.link.wanted;
    wanted.write(data instanceof Uint8Array ? data : data.toBytes());
    const cursor = new Painter();
    if (this.focus === null) cursor.cursor(false);
    else cursor.at(this.focus.row, this.focus.column).cursor(true);
    wanted.write(cursor.bytes());
    this.link.update();
  }

  /** Draws with a Painter: `s.draw((p) => p.at(3, 1).text('Bonjour'))`. */
  draw(paint: (painter: Painter) => void): void {
    const painter = new Painter();
    paint(painter);
    this.write(painter);
  }

  /** Text at (row, column), made safe (any Unicode in, only Minitel characters out). */
  print(row: number, column: number, text: string, style?: TextStyle): void {
    this.draw((p) => p.at(row, column).text(text, style));
  }

  /** Clears the page (rows 1–24) and row 0. */
  clear(): void {
    this.draw((p) => p.clearScreen().rowZero(''));
  }

  /**
   * Shows a page: raw bytes, a .vdt path (relative to the service's
   * pagesDir), or a builder; with `values`, `{{name}}` placeholders are
   * filled. The cursor is hidden.
   */
  async show(page: PageSource, options: ShowOptions = {}): Promise<void> {
    this.ensureOpen();
    let bytes = await pageBytes(page, this.pagesDir);
    if (options.values !== undefined) bytes = fillTemplate(bytes, options.values);
    this.ensureOpen();
    this.focus = null;
    this.write(bytes);
  }

  /** A message on row 0 (columns 1–36); an empty text clears it. */
  notify(text: string, options: NotifyOptions = {}): void {
    this.cancelNotify?.();
    this.cancelNotify = undefined;
    this.draw((p) => p.rowZero(text));
    if (options.bell) this.bell();
    if (options.ms !== undefined && text !== '') {
      this.cancelNotify = this.setTimeout(() => {
        this.cancelNotify = undefined;
        this.draw((p) => p.rowZero(''));
      }, options.ms);
    }
  }

  /**
   * The Minitel's beep (BEL, p.98). A beep asked for while the last one is
   * still on its way is the same beep: keys refused faster than the line
   * carries beeps would otherwise queue them without end.
   */
  bell(): void {
    if (this.closed || this.bellPending) return;
    this.link.sendCommand(Uint8Array.of(C0.BEL));
    this.bellPending = true;
    const sent = (): void => {
      this.bellPending = false;
    };
    this.link.drained().then(sent, sent);
  }

  /**
   * Keyboard modes (STUM1B p.140–142): `lowercase` makes unshifted letters
   * arrive in lowercase; `extended` enables the cursor keys.
   */
  keyboard(modes: { lowercase?: boolean; extended?: boolean }): void {
    if (this.closed) return;
    if (modes.lowercase !== undefined) {
      this.link.sendCommand(
        Uint8Array.of(C0.ESC, ESC_OTHER.PRO2, modes.lowercase ? PRO2.START : PRO2.STOP, PRO2_MODE.MINUSCULES),
      );
    }
    if (modes.extended !== undefined) {
      this.link.sendCommand(
        Uint8Array.of(C0.ESC, ESC_OTHER.PRO3, modes.extended ? PRO3.START : PRO3.STOP, MODULE.KEYBOARD_RX, KEYBOARD_MODE.EXTENDED),
      );
    }
  }

  // ---- input ------------------------------------------------------------------

  /**
   * The next key the user presses: characters, ⏎, cursor keys and function
   * keys. Sommaire goes back to the start of the handler, Connexion/Fin
   * ends the visit and Répétition redraws the page, unless listed in `handles`.
   */
  key(options: KeyOptions = {}): Promise<Key> {
    return this.readKey(new Set(options.handles ?? []));
  }

  /** Waits for one of the given function keys (others beep) and says which. */
  async waitKey<K extends FunctionKeyName>(...names: K[]): Promise<K> {
    const wanted = new Set<FunctionKeyName>(names);
    for (;;) {
      const key = await this.readKey(wanted);
      if (key.type === 'function' && wanted.has(key.name)) return key.name as K;
      this.bell();
    }
  }

  /**
   * Runs `handler` whenever the user presses `name` while the service waits
   * for a key (unless that wait lists it in `handles`). Returns the function
   * that removes it. A `help` page given to defineService does this for Guide.
   */
  onKey(name: FunctionKeyName, handler: () => unknown): () => void {
    this.keyHandlers.set(name, handler);
    return () => {
      if (this.keyHandlers.get(name) === handler) this.keyHandlers.delete(name);
    };
  }

  /** Input zones; resolves with the values when the user presses Envoi. */
  form<K extends string>(fields: Readonly<Record<K, FieldSpec>>, options?: FormOptions<K> & { keys?: undefined }): Promise<Record<K, string>>;
  /** With `keys`: resolves on Envoi or one of those keys, and says which. */
  form<K extends string>(
    fields: Readonly<Record<K, FieldSpec>>,
    options: FormOptions<K> & { keys: readonly FunctionKeyName[] },
  ): Promise<FormResult<K>>;
  async form<K extends string>(
    fields: Readonly<Record<K, FieldSpec>>,
    options: FormOptions<K> = {},
  ): Promise<Record<K, string> | FormResult<K>> {
    this.ensureOpen();
    const result = await runForm(this.host, fields, options);
    return options.keys === undefined ? result.values : result;
  }

  /** A paged list; resolves with the item the user chose (number + Envoi). */
  list<T>(items: readonly T[], options?: ListOptions<T> & { keys?: undefined }): Promise<T>;
  /** With `keys`: resolves on a choice or one of those keys. */
  list<T>(items: readonly T[], options: ListOptions<T> & { keys: readonly FunctionKeyName[] }): Promise<ListResult<T>>;
  async list<T>(items: readonly T[], options: ListOptions<T> = {}): Promise<T | ListResult<T>> {
    this.ensureOpen();
    const result = await runList(this.host, items, options);
    if (options.keys !== undefined) return result;
    return result.item as T;
  }

  /** A menu: resolves with the value of the choice typed (key + Envoi). */
  menu<V>(items: readonly MenuItem<V>[] | Readonly<Record<string, V>>, options?: MenuOptions & { keys?: undefined }): Promise<V>;
  menu<V>(
    items: readonly MenuItem<V>[] | Readonly<Record<string, V>>,
    options: MenuOptions & { keys: readonly FunctionKeyName[] },
  ): Promise<MenuResult<V>>;
  async menu<V>(items: readonly MenuItem<V>[] | Readonly<Record<string, V>>, options: MenuOptions = {}): Promise<V | MenuResult<V>> {
    this.ensureOpen();
    const result = await runMenu(this.host, items, options);
    if (options.keys !== undefined) return result;
    return result.value as V;
  }

  // ---- control ----------------------------------------------------------------

  /**
   * Makes the key the service waits for (in s.key, a form, a list…) fail
   * with `error`, by default a LeaveSignal that ends the visit: for events
   * from elsewhere, such as an operator excluding a user from a chat.
   */
  interrupt(error: unknown = new LeaveSignal()): void {
    this.input.interrupt(error);
  }

  /** Runs `callback` when the visit ends, however it ends (returning, Connexion/Fin, hang-up, error). */
  onEnd(callback: () => unknown): void {
    this.endHandlers.push(callback);
  }


  /** Ends the visit now (as Connexion/Fin does). */
  leave(): never {
    throw new LeaveSignal();
  }

  /** Goes back to the start of the handler (as Sommaire does). */
  summary(): never {
    throw new SommaireSignal();
  }

  // ---- time -------------------------------------------------------------------

  /** Resolves after `ms`; rejects with SessionClosedError if the user leaves first. */
  sleep(ms: number): Promise<void> {
    return this.until(
      new Promise<void>((resolve) => {
        this.setTimeout(resolve, ms);
      }),
    );
  }

  /** Runs `callback` after `ms` unless the user has left; returns a cancel function. */
  setTimeout(callback: () => unknown, ms: number): () => void {
    if (this.closed) return () => {};
    const timer = setTimeout(() => {
      this.timeouts.delete(timer);
      this.guarded(callback);
    }, ms);
    this.timeouts.add(timer);
    return () => {
      clearTimeout(timer);
      this.timeouts.delete(timer);
    };
  }

  /**
   * Runs `callback` every `ms` until the user leaves or goes back to the
   * summary (Sommaire restarts the handler, which starts its own again);
   * returns a cancel function.
   */
  setInterval(callback: () => unknown, ms: number): () => void {
    if (this.closed) return () => {};
    const timer = setInterval(() => this.guarded(callback), ms);
    this.intervals.add(timer);
    return () => {
      clearInterval(timer);
      this.intervals.delete(timer);
    };
  }

  /** `promise`, or SessionClosedError as soon as the user leaves. */
  until<T>(promise: Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SessionClosedError(this.link.closed.reason));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new SessionClosedError(this.link.closed.reason));
      this.link.closed.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          this.link.closed.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.link.closed.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  // ---- internals used by defineService -----------------------------------------

  /** @internal What is typed in the form open now (defineService checkpoints it with the state), or undefined. */
  formSnapshot(): FormSnapshot | undefined {
    return this.liveForm?.();
  }

  /** @internal Before the handler starts again after Sommaire. */
  restart(): void {
    this.resumedInput = undefined;
    this.focus = null;
    this.resumed = false;
    // Intervals belong to the run that started them: left going, each Sommaire would add one more.
    for (const timer of this.intervals) clearInterval(timer);
    this.intervals.clear();
  }

  /** @internal After the visit. */
  dispose(): void {
    this.stopTimers();
    this.input.dispose();
    for (const handler of this.endHandlers.splice(0)) this.guarded(handler, true);
  }

  private ensureOpen(): void {
    if (this.closed) throw new SessionClosedError(this.link.closed.reason);
  }

  private async readKey(handles: ReadonlySet<FunctionKeyName>): Promise<Key> {
    for (;;) {
      const key = await this.input.next();
      this.keysRead++;
      if (key.type !== 'function' || handles.has(key.name)) return key;
      const handler = this.keyHandlers.get(key.name);
      if (handler !== undefined) {
        await handler();
        continue;
      }
      if (key.name === 'ConnexionFin') throw new LeaveSignal();
      if (key.name === 'Sommaire') throw new SommaireSignal();
      return key;
    }
  }

  /** Shows a page over the current screen until a key is pressed, then puts the screen back (Guide → help). */
  private async overlay(page: PageSource): Promise<void> {
    const saved = this.link.wanted.screen.clone();
    const focus = this.focus;
    await this.show(page);
    await this.input.next();
    this.keysRead++;
    this.link.wanted.screen.copyFrom(saved);
    this.focus = focus;
    this.write(new Uint8Array(0));
  }

  private guarded(callback: () => unknown, evenIfClosed = false): void {
    if (this.closed && !evenIfClosed) return;
    try {
      const result = callback();
      if (result instanceof Promise) result.catch((error: unknown) => this.report(error));
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    if (isControlSignal(error)) return;
    this.log.error('a callback of the service failed', { service: this.service.code, error: describe(error) });
  }

  private stopTimers(): void {
    for (const timer of this.timeouts) clearTimeout(timer);
    for (const timer of this.intervals) clearInterval(timer);
    this.timeouts.clear();
    this.intervals.clear();
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// PromptHost is implemented by the `host` object above; re-exported for authors of custom prompts.
export type { PromptHost };
