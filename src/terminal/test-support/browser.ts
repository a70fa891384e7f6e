/**
 * For the emulator's browser tests and benchmark (Node only, never bundled):
 * Debian's Chromium driven by playwright-core, the emulator bundled into a
 * temporary folder, and a small HTTP + WebSocket server that serves it and
 * plays the part of a Videotex server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildEmulator } from '../../../scripts/build-emulator.js';

export const CHROMIUM_PATH = process.env.TELETEL_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_SKIP_MESSAGE = `${CHROMIUM_PATH} not found: browser tests skipped (apt-get install chromium, or set TELETEL_CHROMIUM)`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let built: Promise<string> | undefined;

/** The emulator bundled once per test process into a temporary folder (what `npm run build` puts in dist/public). */
export function builtEmulator(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teletel-emulator-'));
    await buildEmulator(dir);
    process.once('exit', () => void rm(dir, { recursive: true, force: true }));
    return dir;
  })();
  return built;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export interface PageServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** ws://127.0.0.1:PORT/ws */
  socketUrl: string;
  /** Extra pages served from memory, by path ('/embed.html'). */
  pages: Map<string, string>;
  close(): Promise<void>;
}

/**
 * Serves `root` over HTTP and a WebSocket at /ws; `onConnection` plays the
 * server side of each connection.
 */
export async function startPageServer(
  root: string,
  onConnection: (socket: WebSocket, path: string) => void,
  options: { protocols?: string[] } = {},
): Promise<PageServer> {
  const pages = new Map<string, string>();
  const http: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const page = pages.get(path);
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': TYPES['.html'] });
      response.end(page);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    handleProtocols: (offered) => {
      // Teletel's page offers teletel.resume.v1 and Teletel always chooses it; so does this server (it sends no token).
      for (const protocol of [...(options.protocols ?? []), 'teletel.resume.v1']) if (offered.has(protocol)) return protocol;
      return false;
    },
  });
  wss.on('connection', (socket, request) => onConnection(socket, request.url ?? '/ws'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    socketUrl: `ws://127.0.0.1:${port}/ws`,
    pages,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Bytes of a text frame sent by the emulator (one char per byte, Latin-1). */
export function latin1(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): { bytes: number[]; binary: boolean } {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (isBinary) return { bytes: [...buffer], binary: true };
  // A text frame is UTF-8 on the wire; its characters are the bytes.
  const text = buffer.toString('utf8');
  return { bytes: Array.from(text, (c) => c.charCodeAt(0)), binary: false };
}
