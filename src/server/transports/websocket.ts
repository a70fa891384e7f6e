/**
 * WebSocket sessions (`ws`), on the HTTP port:
 * - `/ws` opens the home page; `/ws?url=CODE` or `/?url=CODE` (MiniPavi style)
 *   and `/CODE/ws` (pynitel style) open that service directly;
 * - `?speed=BAUD` paces the session (default `websocketSpeed`, 0 = unthrottled:
 *   a browser emulator paces its own display, and pacing twice only adds delay);
 * - text frames carry one byte per character (Latin-1: each UTF-16 code unit
 *   is a byte; the text is never read as UTF-8 bytes) and binary frames carry
 *   bytes; replies use the type of the client's last frame, text until it
 *   sends binary;
 * - any subprotocol offered (`tty`, `arduino`, …) is accepted: the first is echoed,
 *   except `teletel.resume.v1`, chosen whenever it is offered: then Videotex
 *   goes in binary frames both ways and the server's text frames are JSON,
 *   `{"type":"resume","token":"…","windowMs":N}`, a new token at every
 *   (re)connection; a client whose link drops without a close frame comes
 *   back within `resumeWindowMs` on `/ws?resume=TOKEN` (same subprotocol) and
 *   finds its session as it left it, screen redrawn; a normal close (1000)
 *   ends the session as before;
 * - ping every `pingIntervalMs`; a client that missed the last pong is dropped;
 * - a frame over `maxFrameBytes` is refused from its header by `ws` (close
 *   1009) before any of it is buffered; invalid UTF-8 in a text frame closes
 *   with 1007. Either ends that session only.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Connection, Session } from '../session.js';
import type { SessionFactory } from './factory.js';
import { CONNECTION_LIMITS, PACING_SPEED, RESUME_LIMITS } from '../limits.js';
import { Rounds } from '../rounds.js';

/** What a WebSocket URL asks for. */
export interface WebSocketRoute {
  serviceCode?: string;
  speed?: number;
  /** `?resume=TOKEN`: the session to take back. */
  resume?: string;
}

/** The subprotocol of clients that want sessions outliving their link. */
export const RESUME_PROTOCOL = 'teletel.resume.v1';

const SERVICE_PATH = /^\/([A-Za-z0-9]{1,16})\/ws\/?$/;
const CODE = /^[A-Za-z0-9 ]{1,24}$/;

/** The route for an upgrade request, or undefined when the path is not a WebSocket endpoint. */
export function routeOf(url: string | undefined): WebSocketRoute | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
  const route: WebSocketRoute = {};
  const match = SERVICE_PATH.exec(parsed.pathname);
  if (match) route.serviceCode = match[1];
  else if (parsed.pathname !== '/ws' && parsed.pathname !== '/ws/' && parsed.pathname !== '/') return undefined;
  const code = parsed.searchParams.get('url') ?? parsed.searchParams.get('code');
  if (route.serviceCode === undefined && code !== null && CODE.test(code)) route.serviceCode = code;
  const speed = parsed.searchParams.get('speed');
  if (speed !== null && /^\d{1,6}$/.test(speed)) {
    const n = Number(speed);
    if (n === 0 || (n >= PACING_SPEED.min && n <= PACING_SPEED.max)) route.speed = n;
  }
  const resume = parsed.searchParams.get('resume');
  // A token longer than any of ours is kept cut: it is refused like any other that names nothing.
  if (resume !== null) route.resume = resume.slice(0, RESUME_LIMITS.tokenMaxLength + 1);
  return route;
}

/**
 * The bytes of a text message: each character is one byte (Latin-1). `ws`
 * has already checked the UTF-8 of the frame; a character above U+00FF is not
 * a byte and is dropped.
 */
export function bytesOfText(data: Buffer): Uint8Array {
  let ascii = true;
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return data;
  const text = data.toString('utf8');
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0xff) out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Bytes as a text message: one character per byte (7-bit output is plain ASCII already). */
export function textOfBytes(bytes: Uint8Array): Buffer | string {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export class WebSocketConnection implements Connection {
  readonly transport = 'websocket' as const;
  /** Replies go as binary frames once the client sends binary. */
  binary = false;
  /** A pong (or any message) came since the last ping. */
  alive = true;
  /** When it was last pinged (monotonic ms). */
  private pingedAt = -Infinity;
  session: Session | undefined;
  /** The client chose RESUME_PROTOCOL. */
  readonly resumable: boolean;

  constructor(
    readonly socket: WebSocket,
    readonly address: string,
  ) {
    this.resumable = socket.protocol === RESUME_PROTOCOL;
    // Text frames are the control channel on that subprotocol.
    if (this.resumable) this.binary = true;
  }

  write(bytes: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.binary) this.socket.send(bytes, { binary: true });
    else this.socket.send(textOfBytes(bytes), { binary: false });
  }

  bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, 'Au revoir');
    // A client that never answers the close frame is cut after the grace period.
    const timer = setTimeout(() => this.socket.terminate(), CONNECTION_LIMITS.closeGraceMs);
    timer.unref();
  }

  destroy(): void {
    this.socket.terminate();
  }

  isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  restart(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1012, 'Service Restart');
    const timer = setTimeout(() => this.socket.terminate(), CONNECTION_LIMITS.closeGraceMs);
    timer.unref();
  }

  sendResumeToken(token: string, windowMs: number): void {
    if (this.resumable && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'resume', token, windowMs }), { binary: false });
  }

  pauseInput(ms: number): void {
    if (this.socket.readyState !== WebSocket.OPEN || this.socket.isPaused) return;
    this.socket.pause();
    setTimeout(() => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.resume();
    }, ms).unref();
  }

  /** Called by the gateway every ping interval. */
  /**
   * Drops the link if the last ping got no answer, else pings. A ping sent
   * less than `minGapMs` ago is given more time (a connection can come early
   * in a round when many before it left), neither dropped nor pinged again.
   */
  ping(now: number, minGapMs: number): void {
    if (now - this.pingedAt < minGapMs) return;
    this.pingedAt = now;
    if (!this.alive) {
      this.session?.connectionLost('no pong', this);
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  onMessage(data: RawData, isBinary: boolean): void {
    this.alive = true;
    if (!this.resumable) this.binary = isBinary;
    const bytes = rawBytes(data);
    this.session?.receive(isBinary ? bytes : bytesOfText(bytes));
  }
}

/** Serves WebSocket upgrades on `server` and turns each into a session. */
export class WebSocketTransport {
  private readonly wss: WebSocketServer;
  readonly connections = new Set<WebSocketConnection>();
  private pingRounds: Rounds<WebSocketConnection> | undefined;

  constructor(
    server: HttpServer,
    private readonly factory: SessionFactory,
    private readonly defaultSpeed: number,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: factory.limits.maxFrameBytes,
      handleProtocols: (protocols) => {
        if (protocols.has(RESUME_PROTOCOL)) return RESUME_PROTOCOL;
        for (const protocol of protocols) return protocol;
        return false;
      },
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const route = routeOf(request.url);
    if (route === undefined) return refuse(socket, 404, 'Not Found');
    const address = normaliseAddress(request.socket.remoteAddress);
    const refusal = this.factory.admit(address, route.resume);
    if (refusal !== null) {
      this.factory.log.warn({ address, transport: 'websocket', reason: refusal }, 'connection refused');
      return refuse(socket, 503, 'Service Unavailable');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, address, route));
  }

  private accept(ws: WebSocket, address: string, route: WebSocketRoute): void {
    const connection = new WebSocketConnection(ws, address);
    this.connections.add(connection);
    // Shared listeners (they find their connection on the socket): no closures per session.
    (ws as SocketWithConnection)[CONNECTION] = connection;
    (ws as SocketWithConnection)[TRANSPORT] = this;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onClose);
    const options = { speed: route.speed ?? this.defaultSpeed, serviceCode: route.serviceCode };
    let resumed: ReturnType<SessionFactory['resume']>;
    try {
      if (route.resume === undefined || !connection.resumable) {
        connection.session = this.factory.open(connection, options);
        return;
      }
      resumed = this.factory.resume(connection, route.resume, options);
    } catch (error) {
      // A bug in opening one session costs that connection, never the process (this runs in the upgrade handler).
      this.factory.log.error({ address: connection.address, err: error }, 'session could not start: connection dropped');
      connection.destroy();
      return;
    }
    if (!(resumed instanceof Promise)) {
      connection.session = resumed;
      return;
    }
    // Looked up in the store (a session another instance handed over): input waits in no buffer meanwhile.
    resumed.then(
      (session) => {
        // undefined: the socket closed meanwhile and the checkpoint was put back for the next try.
        if (session !== undefined) connection.session = session;
      },
      (error: unknown) => {
        this.factory.log.error({ address: connection.address, err: error }, 'resume failed: connection dropped');
        connection.destroy();
      },
    );
  }

  /** ws closes the socket itself after a protocol error (too big, bad UTF-8…). */
  logFrameError(connection: WebSocketConnection, error: Error & { code?: string }): void {
    this.factory.log.warn(
      { session: connection.session?.id, address: connection.address, code: error.code, err: error.message },
      'bad WebSocket frame: session ends',
    );
  }

  /**
   * Pings the next share of the connections, so that over `intervalMs` each
   * is pinged once (and one that did not answer the last ping is dropped),
   * without a burst: 10,000 pings written in one go hold the event loop for a
   * good part of a second, and every key waits behind them. Called every
   * `tickMs`, in rounds (rounds.ts) that start at most once per interval.
   */
  pingDue(now: number, tickMs: number, intervalMs: number): void {
    this.pingRounds ??= new Rounds(intervalMs);
    const share = Math.max(1, Math.ceil((this.connections.size * tickMs) / intervalMs));
    for (const connection of this.pingRounds.take(this.connections, share, now)) connection.ping(now, intervalMs / 2);
  }

  close(): void {
    for (const connection of this.connections) connection.destroy();
    this.wss.close();
  }
}

const CONNECTION = Symbol('teletel connection');
const TRANSPORT = Symbol('teletel transport');
type SocketWithConnection = WebSocket & { [CONNECTION]: WebSocketConnection; [TRANSPORT]: WebSocketTransport };

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as SocketWithConnection)[CONNECTION].onMessage(data, isBinary);
}

function onPong(this: WebSocket): void {
  (this as SocketWithConnection)[CONNECTION].alive = true;
}

function onError(this: WebSocket, error: Error & { code?: string }): void {
  const socket = this as SocketWithConnection;
  socket[TRANSPORT].logFrameError(socket[CONNECTION], error);
}

function onClose(this: WebSocket, code: number): void {
  const socket = this as SocketWithConnection;
  const connection = socket[CONNECTION];
  socket[TRANSPORT].connections.delete(connection);
  // 1006: the link dropped, no close frame; any close frame (1000, 1001 for a tab closed…) is a goodbye.
  connection.session?.connectionLost('websocket closed', connection, code !== 1006);
}

/** An HTTP answer on a socket that will not be upgraded. */
function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A client that does not read the answer does not hold the socket.
  setTimeout(() => socket.destroy(), CONNECTION_LIMITS.refusalGraceMs).unref();
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) is 1.2.3.4. */
export function normaliseAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
