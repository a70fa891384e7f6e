/**
 * The HTTP side of the gateway port: the emulator page and its files, health
 * and metrics. WebSocket upgrades are handled by transports/websocket.ts.
 *
 * - `/` (and `/?url=CODE`): the browser emulator from dist/public/index.html,
 *   or, when it is not built, a short page saying how to build it;
 * - `/health`: JSON, 200 while serving, 503 while shutting down;
 * - `/metrics`: Prometheus text;
 * - other paths: files under the public folder, never outside it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Logger } from 'pino';
import { faviconIco } from './favicon.js';
import type { GatewayMetrics } from './metrics.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.vdt': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

export interface HttpStatus {
  readonly stopping: boolean;
  readonly sessions: number;
  readonly startedAt: number;
}

export interface HttpHandlerOptions {
  publicDir: string;
  metrics: GatewayMetrics;
  status: HttpStatus;
  log: Logger;
  /** For the page shown when the emulator is not built. */
  tcpPort: () => number | null;
}

export function createHttpHandler(options: HttpHandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.log.error({ err: error, url: request.url }, 'http handler failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else response.destroy();
    });
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpHandlerOptions): Promise<void> {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(response, 400, 'text/plain; charset=utf-8', 'Bad request\n');
  }
  if (path === '/health') {
    const { stopping, sessions, startedAt } = options.status;
    const body = JSON.stringify({ status: stopping ? 'stopping' : 'ok', sessions, uptime: Math.round((Date.now() - startedAt) / 1000) });
    return send(response, stopping ? 503 : 200, 'application/json', `${body}\n`);
  }
  if (path === '/favicon.ico') {
    const icon = faviconIco();
    response.writeHead(200, { 'Content-Type': 'image/x-icon', 'Content-Length': icon.length, 'Cache-Control': 'public, max-age=86400' });
    response.end(request.method === 'HEAD' ? undefined : icon);
    return;
  }
  if (path === '/metrics') {
    return send(response, 200, options.metrics.contentType, await options.metrics.text());
  }
  if (path === '/' || path === '/index.html') {
    const index = join(options.publicDir, 'index.html');
    if (await isFile(index)) return sendFile(response, index, request.method === 'HEAD');
    return send(response, 200, 'text/html; charset=utf-8', notBuiltPage(request, options.tcpPort()));
  }
  const file = safeJoin(options.publicDir, path);
  if (file !== undefined && (await isFile(file))) return sendFile(response, file, request.method === 'HEAD');
  return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
}

/** `path` inside `root`, or undefined when it would leave it (`..`, NUL). */
export function safeJoin(root: string, path: string): string | undefined {
  if (path.includes('\0')) return undefined;
  const full = normalize(join(root, path));
  const base = root.endsWith(sep) ? root : root + sep;
  return full.startsWith(base) ? full : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendFile(response: ServerResponse, path: string, headOnly: boolean): void {
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  if (headOnly) {
    response.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shown at `/` when dist/public/ has no emulator: how to build it, and how to connect meanwhile. */
function notBuiltPage(request: IncomingMessage, tcpPort: number | null): string {
  const host = escapeHtml((request.headers.host ?? 'localhost').replace(/[^A-Za-z0-9.:[\]-]/g, ''));
  const hostname = host.replace(/:\d+$/, '');
  const telnet = tcpPort === null ? '' : `<p>Or with telnet: <code>telnet ${hostname} ${tcpPort}</code></p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Teletel</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>Teletel</h1>
<p>The gateway is running, but the browser emulator is not built.</p>
<p>Build it with <code>npm run build</code> (it goes to <code>dist/public/</code>), then reload this page.</p>
<p>Meanwhile, connect a WebSocket Minitel client to <code>ws://${host}/ws</code>
(<code>/ws?url=CODE</code> or <code>/CODE/ws</code> opens a service directly).</p>
${telnet}
</body>
</html>
`;
}
