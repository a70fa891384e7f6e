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
import { RemoteFailure, type Remote, type RemoteOptions } from './remote.js';
import type { OnwardTarget } from './target.js';

export function openWebSocket(target: OnwardTarget, proto: string, options: RemoteOptions): Promise<Remote> {
  return new Promise((resolve, reject) => {
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
      reject(new RemoteFailure('handshake', error instanceof Error ? error.message : String(error)));
      return;
    }
    let failure: RemoteFailure | undefined;
    let lastError = '';
    const fail = (why: RemoteFailure): void => {
      failure ??= why;
      socket.terminate();
    };
    const timer = setTimeout(() => fail(new RemoteFailure('timeout', `${target.label} did not connect within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    const abort = (): void => fail(new RemoteFailure('aborted', 'the user left while connecting'));
    const onError = (error: Error): void => {
      lastError = error.message;
    };
    const onClose = (): void => {
      settle();
      const timedOut = lastError.includes('timed out');
      const kind = timedOut ? 'timeout' : lastError.startsWith('Unexpected server response') ? 'handshake' : 'network';
      reject(failure ?? new RemoteFailure(kind, timedOut ? `${target.label} did not connect within ${options.connectTimeoutMs} ms` : `${target.label}: ${lastError || 'closed during the handshake'}`));
    };
    const settle = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', abort);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    options.signal.addEventListener('abort', abort, { once: true });
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once('open', () => {
      settle();
      resolve(new WebSocketRemote(socket, options.onData));
    });
  });
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
