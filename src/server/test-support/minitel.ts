/**
 * Test Minitels: real clients over real sockets (WebSocket, TCP, a serial
 * pseudo-terminal) that decode what the server sends with our Terminal and
 * answer its Protocole requests as a Minitel would (ENQROM, statuses).
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { RESUME_PROTOCOL } from '../transports/websocket.js';
import { Terminal } from '../../videotex/terminal.js';
import { FUNCTION_KEY_CODES, type FunctionKeyName } from '../../videotex/keyboard.js';
import type { TerminalModel } from '../../videotex/protocol.js';

export interface TestMinitelOptions {
  /** Which Minitel answers ENQROM; false: a client that never answers anything. */
  answers?: TerminalModel | false;
  /** Decoder checks even parity (for serial lines that carry it). */
  parity?: 'strip' | 'check';
  link?: 'network' | 'din';
}

type Waiter = { test: () => boolean; resolve: () => void };

export abstract class TestMinitel {
  readonly terminal: Terminal;
  bytesReceived = 0;
  closed = false;
  private waiters: Waiter[] = [];

  constructor(options: TestMinitelOptions = {}) {
    const answers = options.answers ?? 'minitel2';
    this.terminal = new Terminal({
      model: answers === false ? 'minitel2' : answers,
      parity: options.parity,
      link: options.link,
      onReply: answers === false ? undefined : (bytes) => this.send(bytes),
    });
  }

  /** Sends raw bytes to the server. */
  abstract send(bytes: Uint8Array | string): void;
  abstract close(): void;

  /** Types text as a user would (one send per character). */
  type(text: string): void {
    for (const ch of text) this.send(ch);
  }

  key(name: FunctionKeyName): void {
    this.send(Uint8Array.of(0x13, FUNCTION_KEY_CODES[name]));
  }

  get text(): string {
    return this.terminal.screen.text();
  }

  row(row: number): string {
    return this.terminal.screen.rowText(row);
  }

  /** Waits until the screen text matches (or the predicate holds). */
  waitFor(expected: RegExp | (() => boolean), timeoutMs = 10_000): Promise<void> {
    const test = typeof expected === 'function' ? expected : () => expected.test(this.text);
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${String(expected)}; the screen shows:\n${this.text}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for the server to close the connection. */
  waitForClose(timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.closed, timeoutMs);
  }

  protected received(bytes: Uint8Array): void {
    this.bytesReceived += bytes.length;
    this.terminal.write(bytes);
    this.check();
  }

  protected check(): void {
    const ready = this.waiters.filter((w) => w.test());
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}

export interface WsMinitelOptions extends TestMinitelOptions {
  /** Send binary frames instead of text. */
  binary?: boolean;
  protocols?: string[];
  /** Answer pings (default true, as every client library does). */
  autoPong?: boolean;
}

export class WsMinitel extends TestMinitel {
  /** Frame types received, in order. */
  readonly frameTypes: ('text' | 'binary')[] = [];
  closeCode: number | undefined;
  /** On the teletel.resume.v1 subprotocol: the JSON messages of the server's text frames, and the last token. */
  readonly controls: unknown[] = [];
  resumeToken: string | undefined;

  private constructor(
    readonly socket: WebSocket,
    private readonly options: WsMinitelOptions,
  ) {
    super(options);
    socket.on('message', (data, isBinary) => {
      this.frameTypes.push(isBinary ? 'binary' : 'text');
      const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (!isBinary && socket.protocol === RESUME_PROTOCOL) {
        const control = JSON.parse(buffer.toString('utf8')) as { type?: string; token?: string };
        this.controls.push(control);
        if (control.type === 'resume') this.resumeToken = control.token;
        this.check();
        return;
      }
      // Text frames carry one byte per character (Latin-1).
      this.received(isBinary ? buffer : Buffer.from(buffer.toString('utf8'), 'latin1'));
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.closed = true;
      this.check();
    });
    socket.on('error', () => {});
  }

  /** A Minitel on the teletel.resume.v1 subprotocol (binary frames, resume tokens in `resumeToken`). */
  static resumable(url: string, options: WsMinitelOptions = {}): Promise<WsMinitel> {
    return WsMinitel.connect(url, { ...options, protocols: [RESUME_PROTOCOL], binary: true });
  }

  static connect(url: string, options: WsMinitelOptions = {}): Promise<WsMinitel> {
    const socket = new WebSocket(url, options.protocols, { autoPong: options.autoPong ?? true });
    const minitel = new WsMinitel(socket, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(minitel));
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
  }

  send(bytes: Uint8Array | string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.options.binary) {
      this.socket.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, { binary: true });
    } else {
      this.socket.send(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1'));
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

export class TcpMinitel extends TestMinitel {
  readonly rawReceived: number[] = [];

  private constructor(
    readonly socket: Socket,
    options: TestMinitelOptions,
  ) {
    super(options);
    socket.on('data', (chunk: Buffer) => {
      for (const b of chunk) this.rawReceived.push(b);
      this.received(chunk);
    });
    socket.on('close', () => {
      this.closed = true;
      this.check();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, options: TestMinitelOptions = {}): Promise<TcpMinitel> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new TcpMinitel(socket, options)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array | string): void {
    if (!this.socket.destroyed) this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Even parity in bit 7, as a 7E1 line carries it (p.47). */
export function withEvenParity(bytes: Uint8Array | string): Uint8Array {
  const input = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  return Uint8Array.from(input, (b) => {
    let ones = 0;
    for (let v = b & 0x7f; v; v >>= 1) ones += v & 1;
    return (b & 0x7f) | ((ones & 1) << 7);
  });
}

/**
 * A Minitel on the far end of a serial line (one side of a socat pty pair):
 * 7E1 framing emulated on the 8-bit pty, so every byte it sends carries even
 * parity and every byte it receives is checked (a wrong parity shows as the
 * error block, p.48). It answers the Protocole as a DIN-port Minitel does,
 * PROG included (p.141).
 */
export class SerialMinitel extends TestMinitel {
  private constructor(
    readonly port: import('serialport').SerialPort,
    options: TestMinitelOptions,
  ) {
    super({ parity: 'check', link: 'din', ...options });
    port.on('data', (chunk: Buffer) => this.received(chunk));
    port.on('close', () => {
      this.closed = true;
      this.check();
    });
    port.on('error', () => {});
  }

  static async open(path: string, options: TestMinitelOptions = {}): Promise<SerialMinitel> {
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    return new SerialMinitel(port, options);
  }

  send(bytes: Uint8Array | string): void {
    if (this.port.isOpen) this.port.write(withEvenParity(bytes));
  }

  close(): void {
    if (this.port.isOpen) this.port.close();
  }
}
