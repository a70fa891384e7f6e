/** `teletel connect`'s WebSocket line: a server's oversized frame ends the line, it is never buffered whole. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { MAX_SERVER_FRAME_BYTES, openLink } from './link.js';

describe('teletel connect over WebSocket', () => {
  it('takes a page-sized frame, and closes the line on a frame over MAX_SERVER_FRAME_BYTES', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.on('connection', (socket) => {
      socket.send(Buffer.alloc(4096, 0x41), { binary: true });
      socket.send(Buffer.alloc(MAX_SERVER_FRAME_BYTES + 1, 0x42), { binary: true });
    });
    let received = 0;
    const closed = new Promise<Error | undefined>((resolve) => {
      openLink({ kind: 'ws', url: `ws://127.0.0.1:${port}/` }, { data: (bytes) => (received += bytes.length), closed: resolve });
    });
    const error = await closed;
    expect(received).toBe(4096);
    expect(error?.message).toMatch(/Max payload size exceeded/);
    await new Promise((resolve) => server.close(resolve));
  });
});
