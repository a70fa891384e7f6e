/**
 * An onward server the user is put through to (connectToWs, connectToTln),
 * whatever carries it: bytes each way, a pause for backpressure, and one
 * ending. remote-ws.ts and remote-telnet.ts open them (through
 * connectWithin, the connect phase they share); onward.ts runs the
 * passthrough over one.
 */
import type { EventEmitter } from 'node:events';

export interface Remote {
  /** Sends the user's key bytes to the server. */
  send(bytes: Uint8Array): void;
  /** Stops reading from the server (the user's line is behind) … */
  pause(): void;
  /** … and reads again. */
  resume(): void;
  /** Ends the connection and frees its socket and timers; again is harmless. */
  close(): void;
  /** Resolves once, with why, when the connection is over (the server closed, an error, or close()). */
  readonly ended: Promise<string>;
}

export interface RemoteOptions {
  /** Called with each chunk of Videotex the server sends, in order. */
  onData: (bytes: Uint8Array) => void;
  /** Connecting (TCP and, for WebSocket, the handshake) fails past this. */
  connectTimeoutMs: number;
  /** The user left while connecting: give up. */
  signal: AbortSignal;
}

/** The connection could not be made; the message says why, for the log. */
export class RemoteFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'handshake' | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'RemoteFailure';
  }
}

/** A socket being connected, as connectWithin sees it (net.Socket, ws's WebSocket). */
interface Connecting {
  /** The event that says it is up ('connect', 'open'). */
  readonly openEvent: string;
  /** Drops it at once (a timeout, the user leaving). */
  kill(): void;
  /** Why it closed before it was up, from the last error it reported. */
  closed(lastError: string): RemoteFailure;
}

/**
 * The connect phase: resolves with `opened()` once `socket` is up, or
 * rejects with a RemoteFailure when it does not come up within
 * `options.connectTimeoutMs`, when the user leaves (`options.signal`), or
 * when it closes first. Its listeners and timer are gone either way.
 */
export function connectWithin<T>(socket: EventEmitter, connecting: Connecting, label: string, options: RemoteOptions, opened: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    let failure: RemoteFailure | undefined;
    let lastError = '';
    const fail = (why: RemoteFailure): void => {
      failure ??= why;
      connecting.kill();
    };
    const timer = setTimeout(() => fail(new RemoteFailure('timeout', `${label} did not connect within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    const abort = (): void => fail(new RemoteFailure('aborted', 'the user left while connecting'));
    const onError = (error: Error): void => {
      lastError = error.message;
    };
    const onClose = (): void => {
      settle();
      reject(failure ?? connecting.closed(lastError));
    };
    const onOpen = (): void => {
      settle();
      resolve(opened());
    };
    const settle = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', abort);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off(connecting.openEvent, onOpen);
    };
    options.signal.addEventListener('abort', abort, { once: true });
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once(connecting.openEvent, onOpen);
  });
}
