/**
 * connectToTln's side: a TCP connection to the onward server, read through
 * the minimal telnet client of telnet.ts (options refused, negotiation taken
 * out of the Videotex), as MiniPavi opens it with a connect timeout.
 */
import { connect, type Socket } from 'node:net';
import { connectWithin, RemoteFailure, type Remote, type RemoteOptions } from './remote.js';
import type { OnwardTarget } from './target.js';
import { TelnetFilter, telnetEscape } from './telnet.js';

export function openTelnet(target: OnwardTarget, options: RemoteOptions): Promise<Remote> {
  // An IPv6 address comes bracketed from the URL parser; the socket wants it bare.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const socket = connect({ host, port: target.port });
  const connecting = {
    openEvent: 'connect',
    kill: () => socket.destroy(),
    closed: (lastError: string) => new RemoteFailure('network', `${target.label}: ${lastError || 'closed while connecting'}`),
  };
  return connectWithin(socket, connecting, target.label, options, () => new TelnetRemote(socket, options.onData));
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
