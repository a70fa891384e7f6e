/**
 * connectToTln's side: a TCP connection to the onward server, read through
 * the minimal telnet client of telnet.ts (options refused, negotiation taken
 * out of the Videotex), as MiniPavi opens it with a connect timeout.
 */
import { connect, type Socket } from 'node:net';
import { RemoteFailure, type Remote, type RemoteOptions } from './remote.js';
import type { OnwardTarget } from './target.js';
import { TelnetFilter, telnetEscape } from './telnet.js';

export function openTelnet(target: OnwardTarget, options: RemoteOptions): Promise<Remote> {
  return new Promise((resolve, reject) => {
    // An IPv6 address comes bracketed from the URL parser; the socket wants it bare.
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const socket = connect({ host, port: target.port });
    let failure: RemoteFailure | undefined;
    const fail = (why: RemoteFailure): void => {
      failure ??= why;
      socket.destroy();
    };
    const timer = setTimeout(() => fail(new RemoteFailure('timeout', `${target.label} did not connect within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    const abort = (): void => fail(new RemoteFailure('aborted', 'the user left while connecting'));
    let lastError = '';
    const onError = (error: Error): void => {
      lastError = error.message;
    };
    const onClose = (): void => {
      settle();
      reject(failure ?? new RemoteFailure('network', `${target.label}: ${lastError || 'closed while connecting'}`));
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
    socket.once('connect', () => {
      settle();
      resolve(new TelnetRemote(socket, options.onData));
    });
  });
}

class TelnetRemote implements Remote {
  readonly ended: Promise<string>;
  private readonly filter = new TelnetFilter();

  constructor(
    private readonly socket: Socket,
    onData: (bytes: Uint8Array) => void,
  ) {
    socket.setNoDelay(true);
    let lastError = '';
    socket.on('error', (error) => (lastError = error.message));
    socket.on('data', (chunk: Buffer) => {
      const { data, replies } = this.filter.push(chunk);
      if (replies.length > 0 && socket.writable) socket.write(replies);
      if (data.length > 0) onData(data);
    });
    this.ended = new Promise((resolve) => {
      socket.once('close', () => resolve(lastError !== '' ? `error: ${lastError}` : 'closed by the server'));
    });
  }

  send(bytes: Uint8Array): void {
    if (this.socket.writable) this.socket.write(telnetEscape(bytes));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }
}
