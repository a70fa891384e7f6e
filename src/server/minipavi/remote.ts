/**
 * An onward server the user is put through to (connectToWs, connectToTln),
 * whatever carries it: bytes each way, a pause for backpressure, and one
 * ending. remote-ws.ts and remote-telnet.ts open them; onward.ts runs the
 * passthrough over one.
 */

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
