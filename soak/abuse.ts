/**
 * Abusive clients mixed into the load, one every second or so: random
 * binary frames, frames at and past the frame limit, invalid UTF-8, key
 * floods over WebSocket; random bytes and telnet option storms over TCP.
 * Each has a defined outcome (the server closes with the right code, or
 * goes on serving); the instance must stay up through all of them.
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';

export interface AbuseTarget {
  name: string;
  running(): boolean;
  /** A fault of the soak on this instance now (a restart explains a refused connection). */
  underFault(): boolean;
  wsUrl(): string;
  tcpPort(): number;
}

export interface AbuseTally {
  runs: Map<string, number>;
  /** Outcomes that differ from the documented one. */
  unexpected: string[];
}

export function newAbuseTally(): AbuseTally {
  return { runs: new Map(), unexpected: [] };
}

const FRAME_LIMIT = 4096;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const randomBytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
  return b;
};

/** Opens a WebSocket, runs `act`, and resolves with the close code (or 'open' if still open after `waitMs`). */
function wsAbuse(url: string, act: (ws: WebSocket) => void, waitMs: number): Promise<number | 'open' | 'refused' | 'no answer'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let settled = false;
    const done = (outcome: number | 'open' | 'refused' | 'no answer'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(ws.readyState === WebSocket.OPEN ? 'open' : 'no answer'), waitMs + 30_000);
    ws.on('error', () => {});
    ws.on('unexpected-response', () => done('refused'));
    ws.on('close', (code) => done(code));
    ws.on('open', () => {
      try {
        act(ws);
      } catch {
        // The socket went away under us: its close code says how.
      }
      setTimeout(() => done(ws.readyState === WebSocket.OPEN ? 'open' : ws.readyState === WebSocket.CLOSED ? 1006 : 'open'), waitMs);
    });
  });
}

/** Raw TCP: writes `bytes`; resolves 'closed' if the server hangs up within `waitMs`, else 'open', with the bytes it sent back. */
function tcpAbuse(port: number, bytes: Buffer, waitMs: number): Promise<{ outcome: 'closed' | 'open' | 'refused'; received: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let settled = false;
    let received = 0;
    const done = (outcome: 'closed' | 'open' | 'refused'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, received });
    };
    const timer = setTimeout(() => done('open'), waitMs);
    socket.on('error', () => done('refused'));
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('close', () => done('closed'));
    socket.on('connect', () => socket.write(bytes));
  });
}

function telnetStorm(): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < 3000; i++) bytes.push(0xff, 0xfb + Math.floor(Math.random() * 4), Math.floor(Math.random() * 256));
  // An option subnegotiation that never ends.
  bytes.push(0xff, 0xfa, 0x18);
  for (let i = 0; i < 2000; i++) bytes.push(0x41);
  return Buffer.from(bytes);
}

type Kind = { name: string; run: (target: AbuseTarget) => Promise<string | null> };

/** Each returns null when the outcome is the documented one, else what happened. */
const KINDS: Kind[] = [
  {
    name: 'WebSocket: 50 frames of random bytes',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => {
        for (let i = 0; i < 50; i++) ws.send(randomBytes(1 + Math.floor(Math.random() * 512)), { binary: true });
      }, 1500);
      return outcome === 'refused' ? 'refused at connection' : null;
    },
  },
  {
    name: 'WebSocket: a frame of exactly the frame limit',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => ws.send('A'.repeat(FRAME_LIMIT)), 1500);
      return outcome === 1009 ? 'a frame at the limit was refused' : null;
    },
  },
  {
    name: 'WebSocket: a frame one byte past the limit',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => ws.send('A'.repeat(FRAME_LIMIT + 1)), 10_000);
      return outcome === 1009 ? null : `expected close 1009, got ${outcome}`;
    },
  },
  {
    name: 'WebSocket: a 1 MB frame',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => ws.send(Buffer.alloc(1 << 20, 0x41), { binary: true }), 10_000);
      return outcome === 1009 ? null : `expected close 1009, got ${outcome}`;
    },
  },
  {
    name: 'WebSocket: a text frame of invalid UTF-8',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => ws.send(Buffer.from([0x41, 0xc3, 0x28, 0xff]), { binary: false }), 10_000);
      return outcome === 1007 ? null : `expected close 1007, got ${outcome}`;
    },
  },
  {
    name: 'WebSocket: 20 KB of keys at once',
    run: async (t) => {
      const outcome = await wsAbuse(t.wsUrl(), (ws) => {
        for (let i = 0; i < 20; i++) ws.send('X'.repeat(1000));
      }, 1500);
      return outcome === 'refused' ? 'refused at connection' : null;
    },
  },
  {
    name: 'TCP: 4 KB of random bytes',
    run: async (t) => ((await tcpAbuse(t.tcpPort(), randomBytes(4096), 1500)).outcome === 'refused' ? 'refused at connection' : null),
  },
  {
    // Documented (telnet.ts): negotiation past telnetReplies answers is ignored, an overlong subnegotiation
    // is read as data again; the session goes on, and what the server sends back stays small.
    name: 'TCP: a telnet option storm and an endless subnegotiation',
    run: async (t) => {
      const { outcome, received } = await tcpAbuse(t.tcpPort(), telnetStorm(), 3000);
      if (outcome !== 'open') return `expected the session to go on, got ${outcome}`;
      return received > 16 * 1024 ? `the server answered the storm with ${received} bytes` : null;
    },
  },
];

/** Abuse, one at a time, against instances that are up, until `until`. */
export async function abuse(targets: AbuseTarget[], until: number, tally: AbuseTally): Promise<void> {
  let i = 0;
  while (Date.now() < until) {
    const target = targets[i % targets.length];
    const kind = KINDS[Math.floor(i / targets.length) % KINDS.length];
    i++;
    if (!target.running() || target.underFault()) {
      await pause(500);
      continue;
    }
    const problem = await kind.run(target).catch((error: unknown) => `threw ${(error as Error).message}`);
    tally.runs.set(kind.name, (tally.runs.get(kind.name) ?? 0) + 1);
    // An instance killed by the soak's own fault meanwhile explains any outcome.
    if (problem !== null && target.running() && !target.underFault() && tally.unexpected.length < 50) tally.unexpected.push(`${target.name}: ${kind.name}: ${problem}`);
    await pause(700 + Math.random() * 600);
  }
}
