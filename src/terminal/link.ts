/**
 * The emulator's line to a server: one WebSocket, carrying the Videotex
 * stream both ways (framing.ts). Works with Teletel's gateway (`/ws`) and with
 * the community's servers, which mostly exchange text frames and sometimes
 * binary ones or a named subprotocol.
 */
import { bytesOfMessage, textOfBytes, type FrameMode } from './framing.js';

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
    this.binary = this.options.frames === 'binary';
    let socket: WebSocket;
    try {
      const protocols = this.options.protocols?.filter((p) => p !== '') ?? [];
      socket = protocols.length > 0 ? new WebSocket(url, protocols) : new WebSocket(url);
    } catch (error) {
      this.setStatus({ state: 'closed', url, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.setStatus({ state: 'connecting', url });
    let failed = false;
    socket.onopen = () => {
      if (this.socket === socket) this.setStatus({ state: 'connected', url });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
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
      const status: LinkStatus = { state: 'closed', url, code: event.code, reason: event.reason };
      if (failed && !event.wasClean) status.error = 'connection failed';
      this.setStatus(status);
    };
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
