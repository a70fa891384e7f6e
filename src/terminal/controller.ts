/**
 * The emulator without its page: the line (a LineLink, a WebSocket in the
 * browser), the pacer that feeds the decoder at the line's speed, the
 * Terminal, the recorder, and what a Minitel key does. No DOM here, so it is
 * tested in Node; the element (element.ts) gives it a canvas, a keyboard and
 * a tool bar, and hears back through ControllerEvents.
 *
 *   bytes from the line ──► recorder ──► LinePacer ──► Terminal ──► paint
 *   keys ──► keyBytes(key, terminal keyboard mode) ──► line
 *   Terminal replies (ENQROM, statuses, acks) ──► line
 *
 * Reconnection belongs here: `connect` and `reconnect` are the one place a
 * line is opened, so whatever a reconnection must carry (a resume token, a
 * backoff) is added in one place.
 */
import { keyBytes, type Key, type KeyboardMode } from '../videotex/keyboard.js';
import type { TerminalModel } from '../videotex/protocol.js';
import { Terminal } from '../videotex/terminal.js';
import { stripFilePadding } from '../videotex/vdt-file.js';
import type { FrameMode } from './framing.js';
import type { KeyAction } from './keymap.js';
import { LIMITS } from './limits.js';
import { SocketLink, type LinkHandlers, type LinkOptions, type LinkStatus } from './link.js';
import { LinePacer, UNTHROTTLED, type PacerClock } from './pacer.js';
import { SessionRecorder } from './recorder.js';

/** When bytes were decoded, to check the line pacing from a page or a test. */
export interface LineStats {
  bytesDecoded: number;
  /** performance.now() when the first and the last byte since the last reset were decoded. */
  firstDecodedAt: number;
  lastDecodedAt: number;
}

/** What the controller needs of a line: SocketLink in the browser. */
export interface LineLink {
  open(url: string): void;
  send(bytes: Uint8Array): boolean;
  close(reason?: string): void;
}

export type LinkFactory = (handlers: LinkHandlers, options: LinkOptions) => LineLink;

export interface ControllerEvents {
  /** The screen changed: paint it when convenient. */
  paint(): void;
  /** BEL (p.98). */
  bell(): void;
  /** The link's state changed. */
  status(status: LinkStatus): void;
  /** A passing message for the user (replaying, a refused file). */
  note(message: string): void;
  /** Events the element re-dispatches: reply, key, drain. */
  emit(type: 'reply' | 'key' | 'drain', detail: unknown): void;
}

export interface ControllerOptions {
  model: TerminalModel;
  speed: number;
  frames: FrameMode;
  protocols: string[];
  /** Reconnect and resume after a dropped line (SocketLink, teletel.resume.v1). */
  resume?: boolean;
  /** The line; a WebSocket (SocketLink) by default. */
  createLink?: LinkFactory;
  /** The pacer's clock and timers (tests). */
  clock?: PacerClock;
}

export class TerminalController {
  private term: Terminal;
  private readonly pacer: LinePacer;
  private readonly recorder = new SessionRecorder();
  private link: LineLink;
  private linkStatus: LinkStatus = { state: 'idle', url: '' };
  private readonly stats: LineStats = { bytesDecoded: 0, firstDecodedAt: 0, lastDecodedAt: 0 };
  /** The insert key alternates between starting and ending insert mode (p.124). */
  private insertKeyOn = false;
  /** Connexion/Fin pressed once while connected: the next press hangs up (p.123). */
  private finPressed = false;
  private linkOptions: LinkOptions;
  private readonly createLink: LinkFactory;

  constructor(
    options: ControllerOptions,
    private readonly events: ControllerEvents,
  ) {
    this.createLink = options.createLink ?? ((handlers, linkOptions) => new SocketLink(handlers, linkOptions));
    this.linkOptions = { frames: options.frames, protocols: options.protocols, resume: options.resume };
    this.term = this.makeTerminal(options.model);
    this.pacer = new LinePacer((bytes) => this.decode(bytes), { speed: options.speed, clock: options.clock });
    this.link = this.makeLink();
  }

  get terminal(): Terminal {
    return this.term;
  }

  get status(): Readonly<LinkStatus> {
    return this.linkStatus;
  }

  get speed(): number {
    return this.pacer.speed;
  }

  set speed(baud: number) {
    this.pacer.speed = baud;
  }

  /** Bytes received and not yet decoded. */
  get pending(): number {
    return this.pacer.pending;
  }

  get lineStats(): Readonly<LineStats> {
    return { ...this.stats };
  }

  get recording(): boolean {
    return this.recorder.recording;
  }

  /** How the next line is opened: frames and subprotocols (attributes). */
  setLinkOptions(options: LinkOptions): void {
    this.linkOptions = { ...options };
  }

  /** A model change: a new decoder showing the same screen. */
  setModel(model: TerminalModel): void {
    if (model === this.term.model) return;
    const old = this.term;
    this.term = this.makeTerminal(model);
    this.term.screen.copyFrom(old.screen);
    this.events.paint();
  }

  // ---- the line ----------------------------------------------------------------------------

  /** A new call to `address` (a ws:// or wss:// URL): the terminal resets as on a new connection (p.87, p.147). */
  connect(address: string): void {
    this.link.close();
    this.link = this.makeLink();
    // What the old line still had in transit is gone.
    this.pacer.clear();
    this.term.reset();
    this.insertKeyOn = false;
    this.finPressed = false;
    this.events.paint();
    this.link.open(address);
  }

  disconnect(): void {
    this.link.close();
  }

  /** Sends bytes to the server as they are, as if typed. */
  sendBytes(bytes: Uint8Array): boolean {
    return this.link.send(bytes);
  }

  /** Queues bytes as if received from the line: recorded, then decoded at the line speed. */
  receive(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.recorder.record(bytes);
    this.pacer.push(bytes);
  }

  /** A .vdt page or session, played at the current speed (file padding stripped, docs §11); false when refused. */
  replay(bytes: Uint8Array, name: string): boolean {
    if (bytes.length > LIMITS.replayFileBytes) {
      this.events.note(`${name} is larger than ${LIMITS.replayFileBytes >> 20} MiB: not replayed`);
      return false;
    }
    const page = stripFilePadding(bytes.slice());
    this.events.note(`Replaying ${name} (${page.length} bytes at ${this.pacer.speed === UNTHROTTLED ? 'full speed' : `${this.pacer.speed} baud`})`);
    this.receive(page);
    return true;
  }

  /** The element left the page for good: the line closes and the pacer's timer stops. */
  dispose(): void {
    this.link.close();
    this.pacer.dispose();
  }

  /** Decodes everything still queued now. */
  flush(): void {
    this.pacer.flush();
  }

  resetLineStats(): void {
    this.stats.bytesDecoded = 0;
    this.stats.firstDecodedAt = 0;
    this.stats.lastDecodedAt = 0;
  }

  startRecording(): void {
    this.recorder.start();
  }

  /** Stops recording; every byte received meanwhile. */
  stopRecording(): Uint8Array<ArrayBuffer> {
    return this.recorder.stop();
  }

  // ---- keys --------------------------------------------------------------------------------

  /**
   * Does what a Minitel key does. False when the key sends nothing in the
   * current keyboard mode, so the browser may keep it (Ctrl+C on the standard
   * keyboard, where Ctrl is disabled, copies as usual), and for Connexion/Fin
   * while not connected: the element then dials (it knows the address).
   */
  perform(action: KeyAction, repeat: boolean): boolean {
    if (action.type === 'key' && action.key.type === 'function' && action.key.name === 'ConnexionFin') {
      return repeat || this.connexionFin();
    }
    const mode = this.keyboardMode();
    let bytes: Uint8Array;
    let key: Key | undefined;
    switch (action.type) {
      case 'key':
        key = action.key;
        bytes = keyBytes(key, mode);
        break;
      case 'insert-toggle':
        key = { type: 'cursor', name: this.insertKeyOn ? 'InsertModeOff' : 'InsertModeOn' };
        bytes = keyBytes(key, mode);
        if (bytes.length > 0) this.insertKeyOn = !this.insertKeyOn;
        break;
      case 'bytes':
        bytes = action.bytes;
        break;
    }
    if (bytes.length === 0) return false;
    // The standard keyboard has no auto-repeat; the extended one repeats (p.42).
    if (repeat && !mode.extended) return true;
    const connected = this.linkStatus.state === 'connected';
    if (connected) this.link.send(bytes);
    // Connected, the screen shows keys only when the service links keyboard to
    // screen (PRO3, p.81); in local state the modem loops every key back (p.48).
    if (!connected || this.term.localEcho) {
      this.term.write(bytes);
      this.events.paint();
    }
    this.events.emit('key', { key, bytes });
    return true;
  }

  /** Connexion/Fin: connecting, it gives up; connected, SEP 49 and a second press hangs up (p.123). False when idle. */
  private connexionFin(): boolean {
    const state = this.linkStatus.state;
    if (state === 'connecting') {
      this.link.close();
      return true;
    }
    if (state !== 'connected') return false;
    if (this.finPressed) {
      this.link.close('hung up (Connexion/Fin)');
    } else {
      this.finPressed = true;
      const key: Key = { type: 'function', name: 'ConnexionFin' };
      const bytes = keyBytes(key);
      this.link.send(bytes);
      this.events.emit('key', { key, bytes });
    }
    return true;
  }

  private keyboardMode(): KeyboardMode {
    const modes = this.term.modes;
    return { lowercase: modes.lowercase, extended: modes.extendedKeyboard, c0Cursor: modes.c0CursorKeys };
  }

  // ---- inside ------------------------------------------------------------------------------

  private makeTerminal(model: TerminalModel): Terminal {
    const terminal = new Terminal({
      model,
      onReply: (bytes) => {
        // Replies go to the module that asked: for an emulator, the server socket (p.134).
        this.link.send(bytes);
        this.events.emit('reply', { bytes });
      },
      onBell: () => this.events.bell(),
      onDisconnect: () => this.link.close('hung up by the service (PRO1 DECONNEXION)'),
    });
    terminal.connected = this.linkStatus.state === 'connected';
    return terminal;
  }

  private makeLink(): LineLink {
    return this.createLink(
      {
        onBytes: (bytes) => this.receive(bytes),
        onStatus: (status) => this.onStatus(status),
      },
      this.linkOptions,
    );
  }

  private onStatus(status: LinkStatus): void {
    this.linkStatus = status;
    this.term.connected = status.state === 'connected';
    if (status.state !== 'connected') this.finPressed = false;
    this.events.status({ ...status });
  }

  /** Bytes whose time has come on the line. */
  private decode(bytes: Uint8Array): void {
    const now = performance.now();
    if (this.stats.bytesDecoded === 0) this.stats.firstDecodedAt = now;
    this.stats.bytesDecoded += bytes.length;
    this.stats.lastDecodedAt = now;
    this.term.write(bytes);
    this.events.paint();
    if (this.pacer.pending === 0) this.events.emit('drain', this.lineStats);
  }
}
