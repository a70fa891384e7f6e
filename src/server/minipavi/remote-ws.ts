/**
 * connectToWs's side: a WebSocket client to the onward server, as MiniPavi
 * opens it (the user's keys go as text frames, the server's frames of either
 * type are Videotex, a text frame one byte per character). The connect
 * timeout covers TCP and the handshake; a message over the named limit
 * ends the connection before it is buffered (ws's maxPayload); no redirect
 * is followed (it could lead to a host not allowed), no compression.
 */
import { WebSocket, type RawData } from 'ws';
import { USER_AGENT } from './client.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { connectWithin, RemoteFailure, type Remote, type RemoteOptions } from './remote.js';
import type { OnwardTarget } from './target.js';

export function openWebSocket(target: OnwardTarget, proto: string, options: RemoteOptions): Promise<Remote> {
  let socket: WebSocket;
  try {
    socket = new WebSocket(target.url, proto === '' ? [] : [proto], {
      handshakeTimeout: options.connectTimeoutMs,
      maxPayload: MINIPAVI_LIMITS.onwardMessageBytes,
      perMessageDeflate: false,
      followRedirects: false,
      headers: { 'User-Agent': USER_AGENT },
    });
  } catch (error) {
    return Promise.reject(new RemoteFailure('handshake', error instanceof Error ? error.message : String(error)));
  }
  const connecting = {
    openEvent: 'open',
    kill: () => socket.terminate(),
    closed: (lastError: string) => {
      // ws's own handshake timeout and a refusal of the upgrade come as errors before the close.
      if (lastError.includes('timed out')) return new RemoteFailure('timeout', `${target.label} did not connect within ${options.connectTimeoutMs} ms`);
      const kind = lastError.startsWith('Unexpected server response') ? 'handshake' : 'network';
      return new RemoteFailure(kind, `${target.label}: ${lastError || 'closed during the handshake'}`);
    },
  };
  return connectWithin(socket, connecting, target.label, options, () => new WebSocketRemote(socket, options.onData));
}

class WebSocketRemote implements Remote {
  readonly ended: Promise<string>;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    onData: (bytes: Uint8Array) => void,
  ) {
    let lastError = '';
    socket.on('error', (error) => (lastError = error.message));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      // A text frame is UTF-8 of one character per byte, as Minitel WebSocket servers send it.
      onData(isBinary ? buffer : Buffer.from(buffer.toString('utf8'), 'latin1'));
    });
    this.ended = new Promise((resolve) => {
      socket.once('close', (code) => {
        clearTimeout(this.closeTimer);
        resolve(lastError !== '' ? `error: ${lastError}` : `closed (${code})`);
      });
    });
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(Buffer.from(bytes).toString('latin1'));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.socket.readyState !== WebSocket.OPEN) {
      if (this.socket.readyState !== WebSocket.CLOSED && this.closeTimer === undefined) this.socket.terminate();
      return;
    }
    this.socket.close(1000);
    // A server that never answers the close frame is cut, so nothing outlives the visit for long.
    this.closeTimer = setTimeout(() => this.socket.terminate(), MINIPAVI_LIMITS.onwardCloseMs);
  }
}
