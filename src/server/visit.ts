/**
 * A service visit: the TerminalLink (src/sdk/link.ts) a service runs on. It
 * is a child of the session: its own `wanted` terminal and listeners, the
 * session's line and mirror (through VisitContext, line.ts). Its `closed`
 * signal aborts when the user leaves the service (Connexion/Fin) or hangs
 * up; after that it is inert, so a service finishing late cannot draw over
 * the home page.
 *
 * The gateway calls service code in two places: input listeners (`deliver`)
 * and the listeners of `closed`. A listener that throws is the service's
 * bug and is logged; it must not reach Node, which rethrows an abort
 * listener's error as an uncaught exception and stops the process.
 */
import { RESUME_LIMITS } from './limits.js';
import type { Terminal } from '../videotex/terminal.js';
import { RecordingTerminal } from './recording-terminal.js';
import type { InputEvent } from '../videotex/key-parser.js';
import type { Screen } from '../videotex/screen.js';
import type { TerminalCapabilities, TerminalLink } from '../sdk/link.js';
import { decoderModelOf } from './capabilities.js';
import type { VisitContext } from './line.js';

type Listener = (event: InputEvent) => void | Promise<void>;

export class Visit implements TerminalLink {
  readonly wanted: Terminal;
  private readonly controller = new AbortController();
  private listeners: Listener[] = [];

  private readonly line: VisitContext['line'];
  private declared: { version: number; read: () => unknown } | undefined;
  private declaredInput: (() => unknown) | undefined;
  /** Checkpoint problems already logged for this visit. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly context: VisitContext,
    /** What a checkpoint kept of this service's state (a handed-over session). */
    readonly resumedState?: { version: number; state: unknown; input?: unknown },
    /** The screen the checkpoint kept, with that state: the service goes on from it, as it left it (a service that refuses the state clears it). */
    resumedScreen?: Screen,
  ) {
    const line = context.line;
    this.line = line;
    this.wanted = new RecordingTerminal({ model: decoderModelOf(line.capabilities) });
    if (resumedState !== undefined && resumedScreen !== undefined) this.wanted.screen.copyFrom(resumedScreen);
    guardListeners(this.controller.signal, (error) => {
      context.log.error({ session: line.id, err: error }, 'service abort listener threw');
    });
  }

  get id(): string {
    return this.line.id;
  }

  get transport(): 'websocket' | 'tcp' | 'serial' {
    return this.line.transport;
  }

  get address(): string {
    return this.line.address;
  }

  get capabilities(): TerminalCapabilities {
    return this.line.capabilities;
  }

  get mirror(): Screen {
    return this.line.mirror.screen;
  }

  get closed(): AbortSignal {
    return this.controller.signal;
  }

  keepState(version: number, read: () => unknown): void {
    if (Number.isSafeInteger(version) && version >= 0) this.declared = { version, read };
  }

  keepInput(read: () => unknown): void {
    this.declaredInput = read;
  }

  /**
   * The state the service declared, now, as a checkpoint keeps it, with what
   * is typed in its open form; undefined when it declared none, or when
   * reading it failed or gave no JSON (the visit then resumes at the
   * service's start, as an undeclared one). Past the size limit the typed
   * input goes first, then the state. Each problem is logged once per visit:
   * a running checkpoint reads the state every few seconds.
   */
  declaredState(): { version: number; state: unknown; input?: unknown } | undefined {
    const declared = this.declared;
    if (declared === undefined) return undefined;
    let state: string | undefined;
    try {
      state = JSON.stringify(declared.read());
    } catch (error) {
      this.warnOnce('not-json', { err: error }, 'service state not checkpointed: it is not JSON');
      return undefined;
    }
    if (state === undefined) return undefined;
    if (state.length > RESUME_LIMITS.serviceStateBytes) {
      this.warnOnce('too-big', { bytes: state.length }, `service state not checkpointed: over ${RESUME_LIMITS.serviceStateBytes} characters`);
      return undefined;
    }
    const kept: { version: number; state: unknown; input?: unknown } = { version: declared.version, state: JSON.parse(state) as unknown };
    const input = this.inputJson();
    if (input !== undefined && state.length + input.length <= RESUME_LIMITS.serviceStateBytes) kept.input = JSON.parse(input) as unknown;
    return kept;
  }

  /** What is typed in the service's open form, as JSON, or undefined (none, or unreadable: typed text is not worth a failed checkpoint). */
  private inputJson(): string | undefined {
    try {
      return JSON.stringify(this.declaredInput?.());
    } catch {
      return undefined;
    }
  }

  private warnOnce(problem: string, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(problem)) return;
    this.warned.add(problem);
    this.context.log.warn({ session: this.line.id, ...fields }, message);
  }

  get active(): boolean {
    return !this.controller.signal.aborted;
  }

  update(): void {
    if (this.active) this.line.update();
  }

  sendCommand(bytes: Uint8Array): void {
    if (this.active) this.line.queueCommand(bytes);
  }

  drained(): Promise<void> {
    return this.active ? this.line.drained() : Promise.resolve();
  }

  onInput(listener: Listener): () => void {
    if (!this.active) return () => {};
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  hangUp(reason?: string): void {
    if (!this.active) return;
    this.line.hangUp(`service hung up${reason ? `: ${reason}` : ''}`, reason ?? 'Au revoir');
  }

  repeat(): void {
    if (this.active) this.line.redraw();
  }

  goTo(code: string): boolean {
    return this.active && this.context.goTo(code);
  }

  /** An input event for the service; a listener that throws (or whose promise rejects) is the service's bug, logged. */
  deliver(event: InputEvent): void {
    for (const listener of this.listeners) {
      try {
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.listenerThrew(error));
      } catch (error) {
        this.listenerThrew(error);
      }
    }
  }

  private listenerThrew(error: unknown): void {
    this.context.log.error({ session: this.line.id, err: error }, 'service input listener threw');
  }

  /** The visit is over: the service's `closed` aborts and the link goes inert. */
  close(reason: string): void {
    if (!this.active) return;
    this.listeners = [];
    this.controller.abort(new Error(reason));
  }
}

const ONABORT = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'onabort')!;

/**
 * Makes the listeners later given to `signal` (addEventListener, onabort)
 * hand what they throw, or the promise they return rejects with, to `report`.
 */
function guardListeners(signal: AbortSignal, report: (error: unknown) => void): void {
  const guarded = new WeakMap<EventListenerOrEventListenerObject, EventListener>();
  const guard = (listener: EventListenerOrEventListenerObject): EventListener => {
    let wrapper = guarded.get(listener);
    if (wrapper === undefined) {
      wrapper = (event) => {
        try {
          const result: unknown = typeof listener === 'function' ? listener.call(signal, event) : listener.handleEvent(event);
          if (result instanceof Promise) result.catch(report);
        } catch (error) {
          report(error);
        }
      };
      guarded.set(listener, wrapper);
    }
    return wrapper;
  };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  // (A null listener, which JavaScript callers may pass, is ignored as EventTarget ignores it.)
  signal.addEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void => {
    if (listener) add(type, guard(listener), options);
  };
  signal.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void => {
    if (listener) remove(type, guarded.get(listener) ?? listener, options);
  };
  let handler: AbortSignal['onabort'] = null;
  Object.defineProperty(signal, 'onabort', {
    get: () => handler,
    set: (value: AbortSignal['onabort']) => {
      handler = value;
      ONABORT.set!.call(signal, typeof value === 'function' ? guard(value) : null);
    },
    enumerable: true,
    configurable: true,
  });
}
