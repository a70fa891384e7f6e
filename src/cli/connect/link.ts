/**
 * The line to a Teletel (or any Videotex) server for `teletel connect`: raw
 * TCP/telnet as Minitel WiFi modems use it, or a WebSocket as the browser
 * emulator does. Either way, bytes in both directions, one close event.
 */
import { connect as tcpConnect } from 'node:net';
import { WebSocket } from 'ws';

export interface Link {
  write(bytes: Uint8Array): void;
  close(): void;
}

export interface LinkEvents {
  data(bytes: Uint8Array): void;
  /** Once, when the line is gone; `error` says why when it failed rather than closed. */
  closed(error?: Error): void;
}

/** Where to connect: `host`, `host:port`, `[v6]:port`, or a ws:// / wss:// URL. */
export type Target = { kind: 'tcp'; host: string; port: number } | { kind: 'ws'; url: string };

export const DEFAULT_TCP_PORT = 3616;

/**
 * The largest WebSocket message taken from a server (ws's default is 100 MiB,
 * all buffered before a byte is shown): a full Videotex page is a few KB,
 * so 1 MiB is hundreds of pages; a bigger frame closes the line (1009).
 */
export const MAX_SERVER_FRAME_BYTES = 1024 * 1024;

/** Reads a target as a user types it; undefined when it is not one. */
export function parseTarget(text: string): Target | undefined {
  if (/^wss?:\/\//i.test(text)) {
    try {
      return { kind: 'ws', url: new URL(text).href };
    } catch {
      return undefined;
    }
  }
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const port = match[3] === undefined ? DEFAULT_TCP_PORT : Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { kind: 'tcp', host: match[1] ?? match[2], port };
}

export function openLink(target: Target, events: LinkEvents): Link {
  let done = false;
  const closed = (error?: Error): void => {
    if (done) return;
    done = true;
    events.closed(error);
  };
  if (target.kind === 'tcp') {
    const socket = tcpConnect({ host: target.host, port: target.port });
    socket.on('data', (chunk: Buffer) => events.data(new Uint8Array(chunk)));
    socket.on('error', (error) => closed(error));
    socket.on('close', () => closed());
    return {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      close: () => socket.end(),
    };
  }
  const socket = new WebSocket(target.url, { maxPayload: MAX_SERVER_FRAME_BYTES });
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    // A text frame carries one byte per character (Latin-1), as the gateway sends them.
    events.data(isBinary ? new Uint8Array(data) : new Uint8Array(Buffer.from(data.toString('utf8'), 'latin1')));
  });
  socket.on('error', (error) => closed(error));
  socket.on('close', () => closed());
  return {
    write: (bytes) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(bytes, { binary: true });
    },
    close: () => socket.close(),
  };
}
