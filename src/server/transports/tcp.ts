/**
 * Raw TCP and telnet sessions on `--tcp-port`: a Minitel behind a
 * serial-to-TCP bridge, a telnet client, netcat. Paced at `tcpSpeed`
 * (1200 baud by default, the Minitel modem's downlink, p.47). Telnet
 * negotiation is taken out of the input and answered (telnet.ts); parity bits
 * are stripped by the key parser.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Connection, Session } from '../session.js';
import type { SessionFactory } from './factory.js';
import { TelnetFilter } from './telnet.js';
import { normaliseAddress } from './websocket.js';
import { ListenError } from '../errors.js';
import { CONNECTION_LIMITS, type ServerLimits } from '../limits.js';
import { rowZeroMessage, SERVER_FULL } from '../pages.js';

/** Shown to a client refused by a limit, on row 0, before the socket closes. */
const BUSY = rowZeroMessage(SERVER_FULL);

export class TcpConnection implements Connection {
  readonly transport = 'tcp' as const;
  session: Session | undefined;
  private readonly telnet: TelnetFilter;

  constructor(
    readonly socket: Socket,
    readonly address: string,
    limits: Pick<ServerLimits, 'telnetSubnegotiationBytes' | 'telnetReplies'>,
  ) {
    this.telnet = new TelnetFilter(limits.telnetSubnegotiationBytes, limits.telnetReplies);
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  bufferedBytes(): number {
    return this.socket.writableLength;
  }

  close(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CONNECTION_LIMITS.closeGraceMs).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  pauseInput(ms: number): void {
    if (this.socket.destroyed || this.socket.isPaused()) return;
    this.socket.pause();
    setTimeout(() => {
      if (!this.socket.destroyed) this.socket.resume();
    }, ms).unref();
  }

  onData(chunk: Buffer): void {
    const data = this.telnet.filter(chunk, (reply) => this.write(reply));
    this.session?.receive(data);
  }
}

export class TcpTransport {
  private readonly server: Server;
  readonly connections = new Set<TcpConnection>();

  constructor(
    private readonly factory: SessionFactory,
    private readonly speed: number,
  ) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = factory.limits.maxSessions + CONNECTION_LIMITS.tcpRefusalSlots;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host, '--tcp-port'));
      this.server.once('error', onError);
      this.server.listen({ port, host, backlog: CONNECTION_LIMITS.listenBacklog }, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  private accept(socket: Socket): void {
    const address = normaliseAddress(socket.remoteAddress);
    // Errors end in 'close'; nothing to add but not to crash on them.
    socket.on('error', ignore);
    const refusal = this.factory.admit(address);
    if (refusal !== null) {
      this.factory.log.warn({ address, transport: 'tcp', reason: refusal }, 'connection refused');
      socket.end(BUSY);
      setTimeout(() => socket.destroy(), CONNECTION_LIMITS.refusalGraceMs).unref();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const connection = new TcpConnection(socket, address, this.factory.limits);
    this.connections.add(connection);
    // Shared listeners (they find their connection on the socket): no closures per session.
    (socket as SocketWithConnection)[CONNECTION] = connection;
    (socket as SocketWithConnection)[TRANSPORT] = this;
    socket.on('data', onData);
    socket.on('close', onClose);
    connection.session = this.factory.open(connection, { speed: this.speed });
  }

  close(): Promise<void> {
    for (const connection of this.connections) connection.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const CONNECTION = Symbol('teletel connection');
const TRANSPORT = Symbol('teletel transport');
type SocketWithConnection = Socket & { [CONNECTION]: TcpConnection; [TRANSPORT]: TcpTransport };

function onData(this: SocketWithConnection, chunk: Buffer): void {
  this[CONNECTION].onData(chunk);
}

function onClose(this: SocketWithConnection): void {
  const connection = this[CONNECTION];
  this[TRANSPORT].connections.delete(connection);
  connection.session?.connectionLost('tcp closed');
}

function ignore(): void {}

/** A listen failure as a message that says what to change. */
export function listenError(error: NodeJS.ErrnoException, port: number, host: string, option: string): ListenError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(`Port ${port} on ${host} is already in use; stop the other program or choose another with ${option}.`);
    case 'EACCES':
      return new ListenError(`No permission to listen on port ${port}; ports below 1024 need privileges: choose another with ${option}.`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`Address ${host} is not an address of this machine; check --host.`);
    default:
      return new ListenError(`Cannot listen on ${host}:${port} (${error.code ?? error.message}).`);
  }
}
