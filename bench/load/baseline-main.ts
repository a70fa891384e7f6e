/**
 * The floor the gateway is measured against: a bare `ws` server that does
 * the least a Minitel server can do — on connection it sends the marker the
 * load generator waits for as a home page, answers the service code with the
 * service marker, then echoes every key byte. Same IPC as server-main.ts, so
 * the bench drives both the same way, in the same run, with the same load.
 */
import { WebSocketServer, type WebSocket } from 'ws';

const gc = (globalThis as { gc?: () => void }).gc;
const HOME = Buffer.from('Tapez', 'latin1');
const SERVICE = Buffer.from('BENCH', 'latin1');
const SAY = Buffer.from('SAY ', 'latin1');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const sockets = new Set<WebSocket>();

/** BENCH_ROOM=1: a chat room's floor instead, every `SAY text` sent to every other socket. */
const room = process.env.BENCH_ROOM === '1';

server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  if (room) {
    socket.on('message', (data: Buffer) => {
      if (!data.subarray(0, 4).equals(SAY)) return;
      const line = data.subarray(4);
      for (const other of sockets) if (other !== socket) other.send(line, { binary: true });
    });
    return;
  }
  let entered = false;
  socket.on('message', (data: Buffer, isBinary) => {
    if (!entered) {
      entered = true;
      socket.send(SERVICE, { binary: isBinary });
      return;
    }
    socket.send(data, { binary: isBinary });
  });
  socket.send(HOME, { binary: true });
});

await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;

function memory() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, sessions: sockets.size, cpu: process.cpuUsage() };
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') process.send!({ type: 'memory', ...memory() });
  // CPU time alone, without the full GC memory() forces (it would be billed to the phase measured).
  if (message.type === 'cpu') process.send!({ type: 'cpu', cpu: process.cpuUsage() });
  if (message.type === 'stop') {
    for (const socket of sockets) socket.terminate();
    server.close(() => process.disconnect());
  }
});
process.send!({ type: 'listening', port, ...memory() });
