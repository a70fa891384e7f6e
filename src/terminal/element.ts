/**
 * `<minitel-terminal>`: a Minitel in a web page. No framework: a custom
 * element with a shadow root holding the screen (a canvas drawn by
 * render/raster.ts), the nine function keys, and a tool bar.
 *
 *   bytes from the WebSocket ──► recorder ──► LinePacer (120 chars/s at 1200 baud)
 *        ──► Terminal (the same decoder as the server's mirror) ──► CanvasView
 *   keys ──► keymap ──► keyBytes(key, terminal keyboard mode) ──► WebSocket
 *   Terminal replies (ENQROM, statuses, acks) ──► WebSocket
 *
 * Attributes (all optional):
 *   url          ws:// or wss:// address (or a path like /ws, taken relative to
 *                the page); connects as soon as the element is on the page
 *   speed        line speed in baud: 300, 1200 (default), 4800, 9600, or 0/max
 *   model        what ENQROM reports and which features exist: minitel2
 *                (default), minitel1b or emulator
 *   colour       colour (default) or grey (a monochrome Minitel's grey levels)
 *   scale        whole CSS pixels per Minitel pixel (1–16, default 2), or auto
 *                to fill the element's box (give it a height)
 *   bezel        draw the Minitel's case around the screen
 *   subprotocol  WebSocket subprotocol(s) to offer, comma-separated
 *   frames       auto (default: text until the server sends binary), text, binary
 *   hide-keys, hide-toolbar   hide the function key bar / the tool bar
 */
import { FUNCTION_KEY_NAMES, keyBytes, type FunctionKeyName, type Key, type KeyboardMode } from '../videotex/keyboard.js';
import type { TerminalModel } from '../videotex/protocol.js';
import type { Screen, TextOptions } from '../videotex/screen.js';
import { Terminal } from '../videotex/terminal.js';
import { stripFilePadding } from '../videotex/vdt-file.js';
import type { ColourMode } from '../render/palette.js';
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../render/raster.js';
import { Bell } from './bell.js';
import type { FrameMode } from './framing.js';
import { parseColour, parseFrames, parseModel, parseScale, parseSpeed } from './attributes.js';
import { FUNCTION_KEY_BAR, keyAction, textActions, type KeyAction } from './keymap.js';
import { LIMITS } from './limits.js';
import { SocketLink, socketUrl, type LinkStatus } from './link.js';
import { LINE_SPEEDS, LinePacer, UNTHROTTLED } from './pacer.js';
import { SessionRecorder } from './recorder.js';
import { STYLES } from './styles.js';
import { CanvasView } from './view.js';

export const ELEMENT_NAME = 'minitel-terminal';

/** Bezel proportions, as fractions of the screen's width: sides, top, bottom (which carries the badge). */
const BEZEL = { x: 0.075, top: 0.075, bottom: 0.13, glass: 0.075 * 0.28 } as const;

/** When bytes were decoded, to check the line pacing from a page or a test. */
export interface LineStats {
  bytesDecoded: number;
  /** performance.now() when the first and the last byte since the last reset were decoded. */
  firstDecodedAt: number;
  lastDecodedAt: number;
}

function timestamp(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

function describeStatus(status: LinkStatus): string {
  switch (status.state) {
    case 'idle':
      return 'Not connected';
    case 'connecting':
      return `Connecting to ${status.url}…`;
    case 'connected':
      return `Connected — ${status.url}`;
    case 'closed': {
      if (status.error) return `Connection failed — ${status.url}`;
      const reason = status.reason ? `: ${status.reason}` : '';
      return `Connection closed${status.code ? ` (${status.code})` : ''}${reason}`;
    }
  }
}

export class MinitelTerminalElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['url', 'speed', 'model', 'colour', 'color', 'scale', 'bezel', 'subprotocol', 'frames', 'hide-keys', 'hide-toolbar'];
  }

  private term: Terminal;
  private readonly pacer: LinePacer;
  private readonly recorder = new SessionRecorder();
  private readonly bell = new Bell();
  private link: SocketLink;
  private readonly view: CanvasView;
  private linkStatus: LinkStatus = { state: 'idle', url: '' };
  private readonly stats: LineStats = { bytesDecoded: 0, firstDecodedAt: 0, lastDecodedAt: 0 };
  /** TS + → alternates insert mode on and off on the keyboard itself (p.124). */
  private insertKeyOn = false;
  /** Connexion/Fin pressed once on this connection: the next press hangs up (p.123). */
  private finPressed = false;
  private resizeObserver: ResizeObserver | undefined;
  private statusNote = '';
  private statusNoteTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly root: HTMLDivElement;
  private readonly canvasElement: HTMLCanvasElement;
  private readonly stage: HTMLDivElement;
  private readonly ime: HTMLInputElement;
  private readonly statusElement: HTMLSpanElement;
  private readonly reconnectButton: HTMLButtonElement;
  private readonly connectForm: HTMLFormElement;
  private readonly connectInput: HTMLInputElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly recordButton: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open', delegatesFocus: false });
    shadow.innerHTML = `<style>${STYLES}</style>${TEMPLATE}`;
    const find = <T extends Element>(selector: string): T => {
      const found = shadow.querySelector<T>(selector);
      if (found === null) throw new Error(`minitel-terminal: template lacks ${selector}`);
      return found;
    };
    this.root = find('.root');
    this.stage = find('.stage');
    this.canvasElement = find('canvas');
    this.ime = find('.ime');
    this.statusElement = find('.status');
    this.reconnectButton = find('.reconnect');
    this.connectForm = find('.connect');
    this.connectInput = find('.connect input');
    this.speedSelect = find('.speed');
    this.recordButton = find('[data-action="record"]');
    this.fileInput = find('input[type="file"]');

    const keys = find<HTMLDivElement>('.keys');
    for (const info of FUNCTION_KEY_BAR) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.key = info.name;
      button.title = `${info.label} (${info.shortcuts.join(' or ')})`;
      const name = document.createElement('span');
      name.textContent = info.label;
      const kbd = document.createElement('kbd');
      kbd.textContent = info.shortcuts.join(' · ');
      button.append(name, kbd);
      keys.append(button);
    }

    this.term = this.makeTerminal(parseModel(this.getAttribute('model')));
    this.pacer = new LinePacer((bytes) => this.decode(bytes), { speed: parseSpeed(this.getAttribute('speed')) });
    this.link = this.makeLink();
    this.view = new CanvasView(this.canvasElement, this.term.screen, { colour: this.colourAttribute() });
    this.wire();
    this.renderStatus();
  }

  // ---- Lifecycle ----------------------------------------------------------------------------

  connectedCallback(): void {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.view.start();
    this.layout();
    this.resizeObserver ??= new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.stage);
    this.resizeObserver.observe(this);
    window.addEventListener('resize', this.onWindowResize);
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
    const url = this.getAttribute('url');
    if (url && this.linkStatus.state === 'idle') this.connect();
  }

  disconnectedCallback(): void {
    this.view.stop();
    this.resizeObserver?.disconnect();
    window.removeEventListener('resize', this.onWindowResize);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    // Moving the element in the page calls disconnect then connect: only hang up if it really left.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.link.close();
        this.pacer.dispose();
        this.bell.close();
      }
    });
  }

  attributeChangedCallback(name: string, oldValue: string | null, value: string | null): void {
    if (oldValue === value) return;
    switch (name) {
      case 'url':
        this.connectInput.value = value ?? '';
        if (this.isConnected && value) this.connect();
        break;
      case 'speed':
        this.pacer.speed = parseSpeed(value);
        this.speedSelect.value = String(this.pacer.speed);
        break;
      case 'model':
        this.swapTerminal(parseModel(value));
        break;
      case 'colour':
      case 'color':
        this.view.colour = this.colourAttribute();
        break;
      case 'scale':
      case 'bezel':
        this.layout();
        break;
      case 'subprotocol':
      case 'frames':
        // Applies from the next connection.
        if (this.linkStatus.state !== 'connected' && this.linkStatus.state !== 'connecting') this.link = this.makeLink();
        break;
      case 'hide-keys':
        this.shadowRoot?.querySelector('.keys')?.classList.toggle('hidden', value !== null);
        this.layout();
        break;
      case 'hide-toolbar':
        this.shadowRoot?.querySelector('.bar')?.classList.toggle('hidden', value !== null);
        this.layout();
        break;
    }
  }

  // ---- Properties ---------------------------------------------------------------------------

  get url(): string {
    return this.getAttribute('url') ?? '';
  }
  set url(value: string) {
    this.setAttribute('url', value);
  }
  /** Baud rate (0 = unthrottled). */
  get speed(): number {
    return this.pacer.speed;
  }
  set speed(value: number) {
    this.setAttribute('speed', String(value));
  }
  get model(): TerminalModel {
    return this.term.model;
  }
  set model(value: TerminalModel) {
    this.setAttribute('model', value);
  }
  get colour(): ColourMode {
    return this.view.colour;
  }
  set colour(value: ColourMode) {
    this.setAttribute('colour', value);
  }
  get scale(): number | 'auto' {
    return parseScale(this.getAttribute('scale'));
  }
  set scale(value: number | 'auto') {
    this.setAttribute('scale', String(value));
  }
  get bezel(): boolean {
    return this.hasAttribute('bezel');
  }
  set bezel(value: boolean) {
    this.toggleAttribute('bezel', value);
  }
  get subprotocol(): string {
    return this.getAttribute('subprotocol') ?? '';
  }
  set subprotocol(value: string) {
    this.setAttribute('subprotocol', value);
  }
  get frames(): FrameMode {
    return parseFrames(this.getAttribute('frames'));
  }
  set frames(value: FrameMode) {
    this.setAttribute('frames', value);
  }

  /** The decoder: screen model, modes, replies. The same class as the server's mirror. */
  get terminal(): Terminal {
    return this.term;
  }
  get screen(): Screen {
    return this.term.screen;
  }
  get canvas(): HTMLCanvasElement {
    return this.canvasElement;
  }
  /** Connection state: idle, connecting, connected or closed. */
  get state(): LinkStatus['state'] {
    return this.linkStatus.state;
  }
  get status(): Readonly<LinkStatus> {
    return this.linkStatus;
  }
  /** Bytes received and still waiting for their time on the line. */
  get pending(): number {
    return this.pacer.pending;
  }
  get lineStats(): Readonly<LineStats> {
    return { ...this.stats };
  }
  get recording(): boolean {
    return this.recorder.recording;
  }
  /** Blinking on (default); false freezes the 'on' phase, for stills. */
  get blink(): boolean {
    return this.view.blink;
  }
  set blink(value: boolean) {
    this.view.blink = value;
  }
  /** Rows the view has drawn since it was created (dirty-row redraw at work). */
  get rowsPainted(): number {
    return this.view.rowsPainted;
  }
  /** BEL received so far (muted or not). */
  get bellCount(): number {
    return this.bell.rings;
  }
  get muted(): boolean {
    return this.bell.muted;
  }
  set muted(value: boolean) {
    this.bell.muted = value;
  }

  // ---- Connection ---------------------------------------------------------------------------

  /** Connects to `url` (or the `url` attribute, or the address typed in the form). */
  connect(url?: string): void {
    const target = url ?? (this.getAttribute('url') || this.connectInput.value);
    let address: string;
    try {
      address = socketUrl(target, document.baseURI);
    } catch (error) {
      this.note(error instanceof Error ? error.message : String(error));
      return;
    }
    this.link.close();
    this.link = this.makeLink();
    // A new call: what the old line still had in transit is gone; the terminal
    // resets its screen state, modes and routing (p.87, p.147).
    this.pacer.clear();
    this.term.reset();
    this.insertKeyOn = false;
    this.finPressed = false;
    this.view.requestPaint();
    this.link.open(address);
  }

  /** Hangs up. */
  disconnect(): void {
    this.link.close();
  }

  /** Connects again to the last address. */
  reconnect(): void {
    this.connect(this.linkStatus.url || undefined);
  }

  // ---- Keyboard -----------------------------------------------------------------------------

  /** Presses a function key, as the on-screen bar does. */
  pressKey(name: FunctionKeyName): void {
    if (!FUNCTION_KEY_NAMES.includes(name)) throw new RangeError(`no Minitel function key named '${String(name)}'`);
    this.perform({ type: 'key', key: { type: 'function', name } }, false);
  }

  /** Types text, one Minitel key per character (line breaks are Envoi). */
  type(text: string): void {
    for (const action of textActions(text)) this.perform(action, false);
  }

  /** Sends bytes to the server as they are, as if typed. */
  sendBytes(bytes: Uint8Array): boolean {
    return this.link.send(bytes);
  }

  // ---- Screen and line ----------------------------------------------------------------------

  /** Queues bytes as if received from the line: recorded, then decoded at the line speed. */
  receive(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.recorder.record(bytes);
    this.pacer.push(bytes);
  }

  /** Replays a .vdt page or session at the current speed (file padding stripped, docs §11). */
  async replay(file: Uint8Array | Blob, name = 'page'): Promise<void> {
    const size = file instanceof Uint8Array ? file.length : file.size;
    if (size > LIMITS.replayFileBytes) {
      this.note(`${name} is larger than ${LIMITS.replayFileBytes >> 20} MiB: not replayed`);
      return;
    }
    const bytes = file instanceof Uint8Array ? file.slice() : new Uint8Array(await file.arrayBuffer());
    const page = stripFilePadding(bytes);
    this.note(`Replaying ${name} (${page.length} bytes at ${this.pacer.speed === UNTHROTTLED ? 'full speed' : `${this.pacer.speed} baud`})`);
    this.receive(page);
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

  /** The screen as text (Screen.text): rows 0–24, accents as Unicode. */
  text(options?: TextOptions): string {
    return this.term.screen.text(options);
  }

  /** Copies the screen as text to the clipboard. */
  async copyText(): Promise<void> {
    const text = this.text();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (no permission, insecure page): the old way.
      const area = document.createElement('textarea');
      area.value = text;
      this.shadowRoot?.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    this.note('Screen copied as text');
  }

  /** The screen as a PNG, 320×250, as it shows now. */
  screenshot(): Promise<Blob> {
    return this.view.toPng();
  }

  async saveScreenshot(): Promise<void> {
    download(await this.screenshot(), `minitel-${timestamp()}.png`);
  }

  startRecording(): void {
    this.recorder.start();
    this.renderRecording();
  }

  /** Stops recording and returns every byte received meanwhile. */
  stopRecording(): Uint8Array<ArrayBuffer> {
    const bytes = this.recorder.stop();
    this.renderRecording();
    return bytes;
  }

  /** Stops recording and downloads the session as a .vdt file. */
  saveRecording(): void {
    const bytes = this.stopRecording();
    download(new Blob([bytes], { type: 'application/octet-stream' }), `minitel-${timestamp()}.vdt`);
  }

  async toggleFullscreen(): Promise<void> {
    if (document.fullscreenElement === this) await document.exitFullscreen();
    else await this.requestFullscreen();
  }

  /** Paints what changed now, without waiting for an animation frame; returns the rows drawn. */
  paintNow(): number {
    return this.view.paint();
  }

  /** Marks every row dirty and paints now: a full-screen repaint (for benchmarks). */
  repaint(): number {
    this.term.screen.markAllDirty();
    return this.view.paint();
  }

  // ---- Internals ----------------------------------------------------------------------------

  private makeTerminal(model: TerminalModel): Terminal {
    const terminal = new Terminal({
      model,
      onReply: (bytes) => {
        // Replies go to the module that asked: for an emulator, the server socket (p.134).
        this.link.send(bytes);
        this.emit('reply', { bytes });
      },
      onBell: () => this.ringBell(),
      onDisconnect: () => this.link.close('hung up by the service (PRO1 DECONNEXION)'),
    });
    terminal.connected = this.linkStatus?.state === 'connected';
    return terminal;
  }

  /** A model change: a new decoder showing the same screen. */
  private swapTerminal(model: TerminalModel): void {
    if (model === this.term.model) return;
    const old = this.term;
    this.term = this.makeTerminal(model);
    this.term.screen.copyFrom(old.screen);
    this.view.screen = this.term.screen;
  }

  private makeLink(): SocketLink {
    const protocols = (this.getAttribute('subprotocol') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    return new SocketLink(
      {
        onBytes: (bytes) => this.receive(bytes),
        onStatus: (status) => this.onStatus(status),
      },
      { frames: parseFrames(this.getAttribute('frames')), protocols },
    );
  }

  private onStatus(status: LinkStatus): void {
    this.linkStatus = status;
    this.term.connected = status.state === 'connected';
    if (status.state !== 'connected') this.finPressed = false;
    this.renderStatus();
    this.emit('statechange', { ...status });
  }

  /** Bytes whose time has come on the line. */
  private decode(bytes: Uint8Array): void {
    const now = performance.now();
    if (this.stats.bytesDecoded === 0) this.stats.firstDecodedAt = now;
    this.stats.bytesDecoded += bytes.length;
    this.stats.lastDecodedAt = now;
    this.term.write(bytes);
    this.view.requestPaint();
    if (this.pacer.pending === 0) this.emit('drain', this.lineStats);
  }

  private ringBell(): void {
    this.bell.ring();
    this.root.classList.remove('bell');
    void this.root.offsetWidth; // restart the flash animation
    this.root.classList.add('bell');
    this.emit('bell', undefined);
  }

  private keyboardMode(): KeyboardMode {
    const modes = this.term.modes;
    return { lowercase: modes.lowercase, extended: modes.extendedKeyboard, c0Cursor: modes.c0CursorKeys };
  }

  /**
   * Does what a Minitel key does. Returns false when the key sends nothing in
   * the current keyboard mode, so the browser may keep it (Ctrl+C on the
   * standard keyboard, where Ctrl is disabled, copies as usual).
   */
  private perform(action: KeyAction, repeat: boolean): boolean {
    if (action.type === 'key' && action.key.type === 'function' && action.key.name === 'ConnexionFin') {
      if (!repeat) this.connexionFin();
      return true;
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
      this.view.requestPaint();
    }
    this.emit('key', { key, bytes });
    return true;
  }

  /** Connexion/Fin: dials when idle; connected, sends SEP 49 and a second press hangs up (p.123). */
  private connexionFin(): void {
    const state = this.linkStatus.state;
    if (state === 'connecting') {
      this.link.close();
    } else if (state === 'connected') {
      if (this.finPressed) {
        this.link.close('hung up (Connexion/Fin)');
      } else {
        this.finPressed = true;
        const bytes = keyBytes({ type: 'function', name: 'ConnexionFin' });
        this.link.send(bytes);
        this.emit('key', { key: { type: 'function', name: 'ConnexionFin' }, bytes });
      }
    } else if (this.getAttribute('url') || this.linkStatus.url || this.connectInput.value) {
      this.connect(this.linkStatus.url || undefined);
    } else {
      this.connectInput.focus();
    }
  }

  private wire(): void {
    this.addEventListener('keydown', this.onKeyDown);
    this.addEventListener('paste', (event) => {
      if (!this.isKeyboardTarget(event)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      event.preventDefault();
      // Pasted text is typed, key after key, as a user would (line breaks are Envoi).
      this.type(text.slice(0, LIMITS.inputCharacters));
    });
    this.canvasElement.addEventListener('pointerdown', () => {
      this.bell.unlock();
      // The phone's keyboard opens for a focused input element only.
      this.ime.focus({ preventScroll: true });
    });
    this.ime.value = IME_SENTINEL;
    this.ime.addEventListener('input', this.onImeInput);
    this.ime.addEventListener('compositionend', this.onCompositionEnd);

    const keys = this.shadowRoot?.querySelector('.keys');
    // Buttons must not take the focus, or the phone keyboard would close.
    keys?.addEventListener('pointerdown', (event) => event.preventDefault());
    keys?.addEventListener('mousedown', (event) => event.preventDefault());
    keys?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button');
      const name = button?.dataset.key as FunctionKeyName | undefined;
      if (name === undefined) return;
      this.bell.unlock();
      this.pressKey(name);
    });

    this.reconnectButton.addEventListener('click', () => this.reconnect());
    this.connectForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.connect(this.connectInput.value);
    });
    for (const baud of [...LINE_SPEEDS, UNTHROTTLED]) {
      const option = document.createElement('option');
      option.value = String(baud);
      option.textContent = baud === UNTHROTTLED ? 'max' : `${baud} baud`;
      this.speedSelect.append(option);
    }
    this.speedSelect.value = String(this.pacer.speed);
    this.speedSelect.addEventListener('change', () => this.setAttribute('speed', this.speedSelect.value));

    const bar = this.shadowRoot?.querySelector('.bar');
    bar?.addEventListener('click', (event) => {
      const action = (event.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
      switch (action) {
        case 'copy':
          void this.copyText();
          break;
        case 'png':
          void this.saveScreenshot();
          break;
        case 'record':
          if (this.recorder.recording) this.saveRecording();
          else this.startRecording();
          break;
        case 'open':
          this.fileInput.click();
          break;
        case 'fullscreen':
          void this.toggleFullscreen().catch(() => this.note('Fullscreen is not allowed here'));
          break;
      }
    });
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) void this.replay(file, file.name);
      this.fileInput.value = '';
    });
    this.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }
    });
    this.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.replay(file, file.name);
    });
  }

  /** Keys typed on the screen, its hidden input or the element itself; not in the connect form. */
  private isKeyboardTarget(event: Event): boolean {
    const origin = event.composedPath()[0];
    return origin === this || origin === this.ime || origin === this.canvasElement;
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!this.isKeyboardTarget(event)) return;
    this.bell.unlock();
    const action = keyAction({
      key: event.key,
      ctrlKey: event.ctrlKey,
      altKey: event.altKey,
      shiftKey: event.shiftKey,
      metaKey: event.metaKey,
      isComposing: event.isComposing,
      capsLock: event.getModifierState?.('CapsLock') ?? false,
    });
    if (action === undefined) return;
    if (this.perform(action, event.repeat)) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  /** Text from the phone keyboard (or any input method) that came without a usable keydown. */
  private readonly onImeInput = (event: Event): void => {
    const input = event as InputEvent;
    if (input.isComposing) return;
    switch (input.inputType) {
      case 'deleteContentBackward':
        this.pressKey('Correction');
        break;
      case 'insertLineBreak':
      case 'insertParagraph':
        this.pressKey('Envoi');
        break;
      default:
        if (input.data) this.type(input.data.slice(0, LIMITS.inputCharacters));
    }
    this.ime.value = IME_SENTINEL;
  };

  private readonly onCompositionEnd = (event: CompositionEvent): void => {
    if (event.data) this.type(event.data.slice(0, LIMITS.inputCharacters));
    this.ime.value = IME_SENTINEL;
  };

  private readonly onWindowResize = (): void => this.layout();
  private readonly onFullscreenChange = (): void => this.layout();

  private colourAttribute(): ColourMode {
    return parseColour(this.getAttribute('colour') ?? this.getAttribute('color'));
  }

  /**
   * Sizes the canvas so one Minitel pixel is a whole number k of device pixels:
   * CSS size = 320·k / devicePixelRatio. With `scale="auto"` (and in fullscreen)
   * k is the largest that fits the stage.
   */
  private layout(): void {
    const fullscreen = document.fullscreenElement === this;
    const scale = fullscreen ? 'auto' : this.scale;
    const bezel = this.bezel;
    this.root.classList.toggle('bezel', bezel);
    this.root.classList.toggle('fit', scale === 'auto');
    const dpr = window.devicePixelRatio || 1;
    let k: number;
    if (scale === 'auto') {
      const width = this.stage.clientWidth;
      const height = this.stage.clientHeight;
      // Everything around the screen is proportional to the screen's width.
      const aroundX = bezel ? 2 * (BEZEL.x + BEZEL.glass) : 0;
      const aroundY = bezel ? BEZEL.top + BEZEL.bottom + 2 * BEZEL.glass : 0;
      const byWidth = (width * dpr) / (SCREEN_WIDTH * (1 + aroundX));
      const byHeight = (height * dpr) / (SCREEN_HEIGHT + SCREEN_WIDTH * aroundY);
      k = Math.max(1, Math.floor(Math.min(byWidth, byHeight)));
    } else {
      k = Math.max(1, Math.round(scale * dpr));
    }
    const cssWidth = (SCREEN_WIDTH * k) / dpr;
    const cssHeight = (SCREEN_HEIGHT * k) / dpr;
    const style = this.root.style;
    style.setProperty('--screen-w', `${cssWidth}px`);
    style.setProperty('--screen-h', `${cssHeight}px`);
    style.setProperty('--pad-x', `${Math.round(cssWidth * BEZEL.x)}px`);
    style.setProperty('--pad-top', `${Math.round(cssWidth * BEZEL.top)}px`);
    style.setProperty('--pad-bottom', `${Math.round(cssWidth * BEZEL.bottom)}px`);
  }

  private renderStatus(): void {
    const status = this.linkStatus;
    this.statusElement.dataset.state = status.state;
    this.statusElement.textContent = this.statusNote || describeStatus(status);
    const closed = status.state === 'closed';
    this.reconnectButton.hidden = !closed || status.url === '';
    this.connectForm.hidden = status.state === 'connected' || status.state === 'connecting';
  }

  /** A passing message in the status line (copied, replaying, an error). */
  private note(message: string): void {
    this.statusNote = message;
    this.renderStatus();
    if (this.statusNoteTimer !== undefined) clearTimeout(this.statusNoteTimer);
    this.statusNoteTimer = setTimeout(() => {
      this.statusNote = '';
      this.renderStatus();
    }, 4000);
  }

  private renderRecording(): void {
    const on = this.recorder.recording;
    this.recordButton.setAttribute('aria-pressed', String(on));
    this.recordButton.textContent = on ? '■ Stop & save .vdt' : '● Record';
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** Kept in the hidden input so a phone's backspace has something to delete (and fires an event). */
const IME_SENTINEL = ' ';

const TEMPLATE = `
<div class="root" part="root">
  <div class="stage" part="stage">
    <div class="case" part="bezel">
      <div class="glass"><canvas part="screen" role="img" aria-label="Minitel screen"></canvas></div>
      <div class="badge" aria-hidden="true">TELETEL</div>
    </div>
    <input class="ime" type="text" aria-label="Minitel keyboard" autocomplete="off" autocapitalize="off"
      autocorrect="off" spellcheck="false" enterkeyhint="send" inputmode="text">
  </div>
  <div class="keys" part="keys" role="toolbar" aria-label="Minitel function keys"></div>
  <div class="bar" part="toolbar">
    <span class="status" role="status" aria-live="polite"></span>
    <button type="button" class="reconnect" hidden>Reconnect</button>
    <form class="connect">
      <input type="text" name="url" placeholder="wss://server/…" aria-label="Server address" spellcheck="false">
      <button type="submit">Connect</button>
    </form>
    <label>Speed <select class="speed" aria-label="Line speed"></select></label>
    <button type="button" data-action="copy" title="Copy the screen as text">Copy text</button>
    <button type="button" data-action="png" title="Save the screen as a PNG picture">PNG</button>
    <button type="button" data-action="record" aria-pressed="false" title="Record every byte received as a .vdt file">● Record</button>
    <button type="button" data-action="open" title="Replay a .vdt file (or drop one on the screen)">Open .vdt</button>
    <button type="button" data-action="fullscreen" title="Fullscreen">Fullscreen</button>
    <input type="file" accept=".vdt,.vtx,application/octet-stream" hidden>
  </div>
</div>`;

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Registers the element (once, even if the script is loaded twice). */
export function defineMinitelTerminal(name: string = ELEMENT_NAME): void {
  if (customElements.get(name) === undefined) customElements.define(name, MinitelTerminalElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'minitel-terminal': MinitelTerminalElement;
  }
}
