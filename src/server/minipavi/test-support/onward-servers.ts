/**
 * Onward Videotex servers written for the tests of connectToWs and
 * connectToTln: a WebSocket one and a telnet one, small Node servers that
 * draw a page, show back the keys they get, and on some paths close at once,
 * flood, or never answer, so the gateway is driven through real sockets.
 *
 *   WebSocket paths: /        a page; each message of keys: "Recu: …" on row 5
 *                    /close   a page, then the server closes (200 ms)
 *                    /flood   FLOOD_PAGES pages as fast as the socket takes them, then "Fin du flot"
 *   telnet: opens with IAC DO TERMINAL-TYPE, IAC WILL ECHO and a subnegotiation
 *   around its page, then shows back the keys it gets as the WebSocket one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { TELNET } from '../../telnet-codes.js';

const { IAC } = TELNET;

export const CLEAR = '\x1f\x40\x41\x18\x0a\x0c';
export const at = (row: number, column: number): string => `\x1f${String.fromCharCode(0x40 + row)}${String.fromCharCode(0x40 + column)}`;
/** Pages of about 1 KB /flood sends: 4 MB in all. */
export const FLOOD_PAGES = 4000;

export interface OnwardServer {
  /** host:port, as a service names it in connectToWs / connectToTln. */
  readonly host: string;
  /** Connections accepted, ever. */
  connections: number;
  /** Connections open now. */
  open: number;
  /** Key bytes received, per connection, in order (telnet negotiation taken out). */
  readonly received: number[][];
  /** Telnet commands the client sent (IAC …), each as its bytes. */
  readonly negotiation: number[][];
  /** Bytes /flood wrote. */
  floodBytes: number;
  close(): Promise<void>;
}

const page = (title: string): Buffer => Buffer.from(`${CLEAR}${at(2, 1)}${title}${at(4, 1)}Tapez un texte puis Envoi`, 'latin1');
const echo = (bytes: number[]): Buffer => Buffer.from(`${at(5, 1)}Recu: ${Buffer.from(bytes.filter((b) => b >= 0x20)).toString('latin1')}\x18`, 'latin1');

/** `handshakeDelayMs`: the upgrade is answered that late (a distant server), so keys can be typed while it connects. */
export async function startOnwardWsServer(host = '127.0.0.1', handshakeDelayMs = 0): Promise<OnwardServer> {
  const wss = new WebSocketServer({
    host,
    port: 0,
    verifyClient: (_info, done) => {
      if (handshakeDelayMs === 0) done(true);
      else setTimeout(() => done(true), handshakeDelayMs);
    },
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: OnwardServer = {
    host: `${host}:${(wss.address() as AddressInfo).port}`,
    connections: 0,
    open: 0,
    received: [],
    negotiation: [],
    floodBytes: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
  wss.on('connection', (socket: WebSocket, request) => {
    server.connections++;
    server.open++;
    const keys: number[] = [];
    server.received.push(keys);
    socket.on('close', () => server.open--);
    socket.on('error', () => {});
    const path = request.url ?? '/';
    if (path === '/flood') return void flood(socket, server);
    socket.send(page(`Serveur WS distant ${path}`));
    if (path === '/close') setTimeout(() => socket.close(1000), 200);
    socket.on('message', (data: Buffer) => {
      const bytes = [...Buffer.from(data.toString('utf8'), 'latin1')];
      keys.push(...bytes);
      socket.send(echo(keys));
    });
  });
  return server;
}

/** Pages as fast as the socket drains them (ws's send callback), then a last one. */
function flood(socket: WebSocket, server: OnwardServer): void {
  let sent = 0;
  const next = (): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (sent === FLOOD_PAGES) {
      socket.send(page('Fin du flot'));
      return;
    }
    const bytes = Buffer.from(`${CLEAR}${at(2, 1)}Page ${++sent}${at(3, 1)}${'x'.repeat(1000)}`, 'latin1');
    server.floodBytes += bytes.length;
    socket.send(bytes, { binary: true }, next);
  };
  next();
}


export async function startOnwardTelnetServer(host = '127.0.0.1'): Promise<OnwardServer> {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    server.connections++;
    server.open++;
    sockets.add(socket);
    const keys: number[] = [];
    server.received.push(keys);
    socket.on('close', () => {
      server.open--;
      sockets.delete(socket);
    });
    socket.on('error', () => {});
    // DO TERMINAL-TYPE, WILL ECHO, a subnegotiation, then the page.
    socket.write(Buffer.from([IAC, 0xfd, 24, IAC, 0xfb, 1, IAC, 0xfa, 24, 1, IAC, 0xf0]));
    socket.write(page('Serveur telnet distant'));
    let command: number[] | undefined;
    socket.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (command !== undefined) {
          command.push(byte);
          if (command.length === 3) {
            server.negotiation.push(command);
            command = undefined;
          }
        } else if (byte === IAC) command = [IAC];
        else keys.push(byte);
      }
      if (keys.length > 0) socket.write(echo(keys));
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, host, resolve));
  const server: OnwardServer = {
    host: `${host}:${(tcp.address() as AddressInfo).port}`,
    connections: 0,
    open: 0,
    received: [],
    negotiation: [],
    floodBytes: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
  return server;
}

/** A TCP server that accepts and never says a word: a WebSocket handshake to it times out. */
export async function startSilentServer(): Promise<{ host: string; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    silent.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const silent = {
    host: `127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
  return silent;
}
