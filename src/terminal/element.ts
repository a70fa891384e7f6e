/**
 * `<minitel-terminal>`: a Minitel in a web page. No framework: a custom
 * element with a shadow root holding the screen (a canvas drawn by
 * render/raster.ts), the nine function keys, and a tool bar. This file is
 * the shell: attributes, layout, keyboard and pointer events, status. The
 * line, the pacing, the decoder and what keys do are the DOM-free
 * TerminalController (controller.ts); the bars are toolbar.ts; copies,
 * screenshots and recordings are capture.ts.
 *
 *   bytes from the WebSocket ──► TerminalController (recorder, LinePacer at
 *        120 chars/s at 1200 baud, Terminal: the server mirror's decoder) ──► CanvasView
 *   keys ──► keymap ──► TerminalController.perform ──► WebSocket
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
 *   resume       on a Teletel gateway: reconnect by itself after a dropped
 *                line and find the session as it was (teletel.resume.v1)
 *   frames       auto (default: text until the server sends binary), text, binary
 *   hide-keys, hide-toolbar   hide the function key bar / the tool bar
 */
import { FUNCTION_KEY_NAMES, type FunctionKeyName } from '../videotex/keyboard.js';
import type { TerminalModel } from '../videotex/protocol.js';
import type { Screen, TextOptions } from '../videotex/screen.js';
import type { Terminal } from '../videotex/terminal.js';
import type { ColourMode } from '../render/palette.js';
import { Bell } from './bell.js';
import type { FrameMode } from './framing.js';
import { parseColour, parseFrames, parseModel, parseScale, parseSpeed } from './attributes.js';
import { copyToClipboard, downloadRecording, downloadScreenshot } from './capture.js';
import { TerminalController, type LineStats } from './controller.js';
import { keyAction, textActions, type KeyAction } from './keymap.js';
import { LIMITS } from './limits.js';
import { socketUrl, type LinkStatus } from './link.js';
import { screenLayout } from './layout.js';
import { STYLES } from './styles.js';
import { IME_SENTINEL, TEMPLATE } from './template.js';
import { buildFunctionKeys, buildSpeedMenu, describeStatus, wireToolbarActions } from './toolbar.js';
import { CanvasView } from './view.js';

export type { LineStats } from './controller.js';

export const ELEMENT_NAME = 'minitel-terminal';


export class MinitelTerminalElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['url', 'speed', 'model', 'colour', 'color', 'scale', 'bezel', 'subprotocol', 'frames', 'resume', 'hide-keys', 'hide-toolbar'];
  }

  private readonly controller: TerminalController;
  private readonly bell = new Bell();
  private readonly view: CanvasView;
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

    buildFunctionKeys(find<HTMLDivElement>('.keys'), (name) => this.pressKey(name), () => this.bell.unlock());

    this.controller = new TerminalController(
      { model: parseModel(this.getAttribute('model')), speed: parseSpeed(this.getAttribute('speed')), ...this.linkAttributes() },
      {
        paint: () => this.view.requestPaint(),
        bell: () => this.ringBell(),
        status: (status) => {
          this.renderStatus();
          this.emit('statechange', status);
        },
        note: (message) => this.note(message),
        emit: (type, detail) => this.emit(type, detail),
      },
    );
    this.view = new CanvasView(this.canvasElement, this.controller.terminal.screen, { colour: this.colourAttribute() });
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
    if (url && this.controller.status.state === 'idle') this.connect();
  }

  disconnectedCallback(): void {
    this.view.stop();
    this.resizeObserver?.disconnect();
    window.removeEventListener('resize', this.onWindowResize);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    // Moving the element in the page calls disconnect then connect: only hang up if it really left.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.controller.dispose();
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
        this.controller.speed = parseSpeed(value);
        this.speedSelect.value = String(this.controller.speed);
        break;
      case 'model':
        this.controller.setModel(parseModel(value));
        this.view.screen = this.controller.terminal.screen;
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
      case 'resume':
        // Applies from the next connection.
        this.controller.setLinkOptions(this.linkAttributes());
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
    return this.controller.speed;
  }
  set speed(value: number) {
    this.setAttribute('speed', String(value));
  }
  get model(): TerminalModel {
    return this.controller.terminal.model;
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
    return this.controller.terminal;
  }
  get screen(): Screen {
    return this.controller.terminal.screen;
  }
  get canvas(): HTMLCanvasElement {
    return this.canvasElement;
  }
  /** Connection state: idle, connecting, connected or closed. */
  get state(): LinkStatus['state'] {
    return this.controller.status.state;
  }
  get status(): Readonly<LinkStatus> {
    return this.controller.status;
  }
  /** Bytes received and still waiting for their time on the line. */
  get pending(): number {
    return this.controller.pending;
  }
  get lineStats(): Readonly<LineStats> {
    return this.controller.lineStats;
  }
  get recording(): boolean {
    return this.controller.recording;
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
    this.controller.connect(address);
  }

  /** Hangs up. */
  disconnect(): void {
    this.controller.disconnect();
  }

  /** Connects again to the last address. */
  reconnect(): void {
    this.connect(this.controller.status.url || undefined);
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
    return this.controller.sendBytes(bytes);
  }

  // ---- Screen and line ----------------------------------------------------------------------

  /** Queues bytes as if received from the line: recorded, then decoded at the line speed. */
  receive(bytes: Uint8Array): void {
    this.controller.receive(bytes);
  }

  /** Replays a .vdt page or session at the current speed (file padding stripped, docs §11). */
  async replay(file: Uint8Array | Blob, name = 'page'): Promise<void> {
    const size = file instanceof Uint8Array ? file.length : file.size;
    if (size > LIMITS.replayFileBytes) {
      this.note(`${name} is larger than ${LIMITS.replayFileBytes >> 20} MiB: not replayed`);
      return;
    }
    this.controller.replay(file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer()), name);
  }

  /** Decodes everything still queued now. */
  flush(): void {
    this.controller.flush();
  }

  resetLineStats(): void {
    this.controller.resetLineStats();
  }

  /** The screen as text (Screen.text): rows 0–24, accents as Unicode. */
  text(options?: TextOptions): string {
    return this.controller.terminal.screen.text(options);
  }

  /** Copies the screen as text to the clipboard. */
  async copyText(): Promise<void> {
    await copyToClipboard(this.text(), this.shadowRoot);
    this.note('Screen copied as text');
  }

  /** The screen as a PNG, 320×250, as it shows now. */
  screenshot(): Promise<Blob> {
    return this.view.toPng();
  }

  async saveScreenshot(): Promise<void> {
    downloadScreenshot(await this.screenshot());
  }

  startRecording(): void {
    this.controller.startRecording();
    this.renderRecording();
  }

  /** Stops recording and returns every byte received meanwhile. */
  stopRecording(): Uint8Array<ArrayBuffer> {
    const bytes = this.controller.stopRecording();
    this.renderRecording();
    return bytes;
  }

  /** Stops recording and downloads the session as a .vdt file. */
  saveRecording(): void {
    downloadRecording(this.stopRecording());
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
    this.controller.terminal.screen.markAllDirty();
    return this.view.paint();
  }

  // ---- Internals ----------------------------------------------------------------------------

  /** Link options from the attributes: frames, subprotocols and resume, for the next connection. */
  private linkAttributes(): { frames: FrameMode; protocols: string[]; resume: boolean } {
    const protocols = (this.getAttribute('subprotocol') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    return { frames: parseFrames(this.getAttribute('frames')), protocols, resume: this.hasAttribute('resume') };
  }

  private ringBell(): void {
    this.bell.ring();
    this.root.classList.remove('bell');
    void this.root.offsetWidth; // restart the flash animation
    this.root.classList.add('bell');
    this.emit('bell', undefined);
  }

  /** A Minitel key; Connexion/Fin while not connected dials the address the element knows. */
  private perform(action: KeyAction, repeat: boolean): boolean {
    if (this.controller.perform(action, repeat)) return true;
    if (action.type !== 'key' || action.key.type !== 'function' || action.key.name !== 'ConnexionFin') return false;
    if (this.getAttribute('url') || this.controller.status.url || this.connectInput.value) this.connect(this.controller.status.url || undefined);
    else this.connectInput.focus();
    return true;
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

    this.reconnectButton.addEventListener('click', () => this.reconnect());
    this.connectForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.connect(this.connectInput.value);
    });
    buildSpeedMenu(this.speedSelect, this.controller.speed, (baud) => this.setAttribute('speed', baud));

    wireToolbarActions(this.shadowRoot?.querySelector('.bar') ?? null, {
      copy: () => void this.copyText(),
      png: () => void this.saveScreenshot(),
      record: () => (this.controller.recording ? this.saveRecording() : this.startRecording()),
      open: () => this.fileInput.click(),
      fullscreen: () => void this.toggleFullscreen().catch(() => this.note('Fullscreen is not allowed here')),
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

  /** Sizes the screen and case to whole device pixels per Minitel pixel (layout.ts). */
  private layout(): void {
    const fullscreen = document.fullscreenElement === this;
    const bezel = this.bezel;
    const scale = fullscreen ? 'auto' : this.scale;
    this.root.classList.toggle('bezel', bezel);
    this.root.classList.toggle('fit', scale === 'auto');
    const size = screenLayout({ scale, bezel, stageWidth: this.stage.clientWidth, stageHeight: this.stage.clientHeight, devicePixelRatio: window.devicePixelRatio || 1 });
    const style = this.root.style;
    for (const [property, pixels] of Object.entries(size)) style.setProperty(property, `${pixels}px`);
  }

  private renderStatus(): void {
    const status = this.controller.status;
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
    const on = this.controller.recording;
    this.recordButton.setAttribute('aria-pressed', String(on));
    this.recordButton.textContent = on ? '■ Stop & save .vdt' : '● Record';
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
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
