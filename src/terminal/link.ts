/**
 * The emulator's line to a server: one WebSocket, carrying the Videotex
 * stream both ways (framing.ts). Works with Teletel's gateway (`/ws`) and with
 * the community's servers, which mostly exchange text frames and sometimes
 * binary ones or a named subprotocol.
 *
 * With `resume` (Teletel's own page sets it) it also offers the subprotocol
 * teletel.resume.v1, after any the user names: the server then sends
 * Videotex in binary frames and a resume token in a text frame (JSON), and when the line drops without a close frame the link reconnects
 * by itself with `?resume=TOKEN`, backing off, until the server's resume
 * window has passed; the server redraws the screen it holds, and the user is
 * back where they were. Not offered by default: a browser fails the
 * handshake when a server chooses none of the subprotocols offered, and
 * many Videotex servers choose none.
 */
import { bytesOfMessage, textOfBytes, type FrameMode } from './framing.js';
import { LIMITS } from './limits.js';

/** The subprotocol of Teletel's resumable sessions (server/transports/websocket.ts). */
export const RESUME_PROTOCOL = 'teletel.resume.v1';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'closed';

export interface LinkStatus {
  state: LinkState;
  url: string;
  /** Close code and reason, when closed. */
  code?: number;
  reason?: string;
  /** Set when the connection could not be made or failed. */
  error?: string;
}

export interface LinkHandlers {
  /** Bytes received from the server, in order. */
  onBytes(bytes: Uint8Array): void;
  onStatus(status: LinkStatus): void;
}

export interface LinkOptions {
  frames?: FrameMode;
  /** WebSocket subprotocols to offer (the `subprotocol` attribute, comma-separated). */
  protocols?: string[];
  /** Offer RESUME_PROTOCOL and reconnect after a dropped line (default false). */
  resume?: boolean;
  /** Timers (tests). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** A resume token the server gave, and how long after a drop it may be used. */
interface ResumeGrant {
  token: string;
  windowMs: number;
}

/** The token of a control message, or undefined when it is not a resume message of ours. */
function readGrant(text: string): ResumeGrant | undefined {
  if (text.length > LIMITS.controlMessageCharacters) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, token, windowMs } = value as Record<string, unknown>;
  if (type !== 'resume' || typeof token !== 'string' || token === '' || typeof windowMs !== 'number' || !(windowMs > 0)) return undefined;
  return { token, windowMs };
}

/** `url` asking to take the session of `token` back. */
function resumeUrl(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('resume', token);
  return parsed.href;
}

/**
 * A ws: or wss: URL from what the user gave. http(s) URLs and paths are taken
 * relative to the page, so `/ws` means the page's own server.
 */
export function socketUrl(input: string, base?: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw new TypeError('no server address given');
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    throw new TypeError(`'${trimmed}' is not a WebSocket address (ws://… or wss://…)`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`'${trimmed}' is not a WebSocket address (ws://… or wss://…)`);
  }
  url.hash = '';
  return url.href;
}

export class SocketLink {
  private socket: WebSocket | undefined;
  private status: LinkStatus = { state: 'idle', url: '' };
  private binary: boolean;
  /** The address the user opened (without any resume parameter). */
  private address = '';
  private grant: ResumeGrant | undefined;
  /** When the line dropped (ms, Date.now), while reconnecting. */
  private droppedAt = 0;
  private attempts = 0;
  private retryTimer: unknown;

  constructor(
    private readonly handlers: LinkHandlers,
    private readonly options: LinkOptions = {},
  ) {
    this.binary = options.frames === 'binary';
  }

  get state(): LinkState {
    return this.status.state;
  }

  get url(): string {
    return this.status.url;
  }

  /** Frames sent as binary: forced by the options, or because the server sent binary. */
  get sendsBinary(): boolean {
    return this.binary;
  }

  /** Opens a connection, closing any previous one. `url` must already be ws: or wss:. */
  open(url: string): void {
    this.close();
    this.address = url;
    this.grant = undefined;
    this.dial(url, undefined);
  }

  /** One WebSocket to `url`; `resuming` is the reason shown while it connects again after a drop. */
  private dial(url: string, resuming: string | undefined): void {
    this.binary = this.options.frames === 'binary';
    const shown = this.address;
    let socket: WebSocket;
    try {
      const protocols = this.options.protocols?.filter((p) => p !== '') ?? [];
      if (this.options.resume === true && !protocols.includes(RESUME_PROTOCOL)) protocols.push(RESUME_PROTOCOL);
      socket = new WebSocket(url, protocols);
    } catch (error) {
      this.setStatus({ state: 'closed', url: shown, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.setStatus(resuming === undefined ? { state: 'connecting', url: shown } : { state: 'connecting', url: shown, reason: resuming });
    let failed = false;
    let resumable = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      // A server that picks the first subprotocol offered, whatever it is (ws does by default), may
      // echo ours without knowing it: a text frame is a token only when it reads as one.
      resumable = socket.protocol === RESUME_PROTOCOL;
      this.setStatus({ state: 'connected', url: shown });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      const grant = resumable && typeof event.data === 'string' ? readGrant(event.data) : undefined;
      if (grant !== undefined) {
        this.grant = grant;
        this.attempts = 0;
        this.droppedAt = 0;
        // Teletel's Videotex comes in binary frames on that subprotocol; ours go the same way.
        if (this.options.frames !== 'text') this.binary = true;
        return;
      }
      if (typeof event.data !== 'string' && this.options.frames !== 'text') this.binary = true;
      const bytes = bytesOfMessage(event.data);
      if (bytes !== undefined && bytes.length > 0) this.handlers.onBytes(bytes);
    };
    socket.onerror = () => {
      // The browser says no more than this, on purpose; the close event follows.
      failed = true;
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      // 1000 is the server's goodbye (Connexion/Fin, a service hanging up): nothing to resume.
      if (event.code !== 1000 && this.retry()) return;
      this.grant = undefined;
      const status: LinkStatus = { state: 'closed', url: shown, code: event.code, reason: event.reason };
      if (failed && !event.wasClean) status.error = 'connection failed';
      this.setStatus(status);
    };
  }

  /** After a drop: schedules the next attempt to take the session back; false when there is none to take. */
  private retry(): boolean {
    const grant = this.grant;
    if (grant === undefined) return false;
    const now = Date.now();
    if (this.droppedAt === 0) this.droppedAt = now;
    const delay = Math.min(LIMITS.reconnectMaxMs, LIMITS.reconnectFirstMs * 2 ** this.attempts);
    if (now + delay - this.droppedAt > grant.windowMs) return false;
    this.attempts++;
    this.setStatus({ state: 'connecting', url: this.address, reason: 'Line lost, reconnecting' });
    const setTimer = this.options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
    this.retryTimer = setTimer(() => {
      this.retryTimer = undefined;
      this.dial(resumeUrl(this.address, grant.token), 'Line lost, reconnecting');
    }, delay);
    return true;
  }

  /** Sends bytes to the server; false when there is no open connection. */
  send(bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || bytes.length === 0) return false;
    if (this.binary) socket.send(bytes);
    else socket.send(textOfBytes(bytes));
    return true;
  }

  /** Closes the connection (normal closure); the status becomes 'closed', with `reason`. */
  close(reason = 'closed by the user'): void {
    this.grant = undefined;
    this.attempts = 0;
    this.droppedAt = 0;
    if (this.retryTimer !== undefined) {
      (this.options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>)))(this.retryTimer);
      this.retryTimer = undefined;
      this.setStatus({ state: 'closed', url: this.address, code: 1000, reason });
      return;
    }
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    try {
      socket.close(1000);
    } catch {
      // Already closing: nothing to do.
    }
    this.setStatus({ state: 'closed', url: this.status.url, code: 1000, reason });
  }

  private setStatus(status: LinkStatus): void {
    this.status = status;
    this.handlers.onStatus(status);
  }
}
