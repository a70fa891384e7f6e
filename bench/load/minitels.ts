/**
 * The load generator: N simulated Minitels over real WebSockets, in their own
 * process so they do not share the gateway's event loop. Each one answers
 * ENQROM as a Minitel 2, waits for the home page, types BENCH and Envoi, waits
 * for the service, then types a letter every few seconds and times how long
 * the echo takes to come back (keypress to the first frame carrying it).
 *
 * It reads the stream for a few known bytes rather than decoding every
 * screen, so that 5,000 clients fit beside the server on a small machine.
 */
import { WebSocket } from 'ws';

interface Plan {
  url: string;
  sessions: number;
  /** New connections per second. */
  rampPerSecond: number;
  /** Each Minitel types one key every this many ms (with jitter). */
  keyIntervalMs: number;
  /** How long the typing phase lasts. */
  typingMs: number;
}

const ENQROM = Buffer.from([0x1b, 0x39, 0x7b]);
const ENQROM_REPLY = Buffer.from([0x01, 0x42, 0x76, 0x34, 0x04]);
const HOME = Buffer.from('Tapez', 'latin1');
const SERVICE = Buffer.from('BENCH', 'latin1');
const ENTER_SERVICE = Buffer.from('BENCH\x13A', 'latin1');
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const enum Stage {
  CONNECTING,
  HOME,
  SERVICE,
}

class Minitel {
  stage = Stage.CONNECTING;
  socket: WebSocket;
  key = 0;
  sentAt = 0;
  /** A tail of what came before, so a marker cut across two frames is still seen. */
  tail: Buffer = Buffer.alloc(0);

  constructor(
    url: string,
    private readonly onReady: () => void,
    private readonly onEcho: (ms: number) => void,
    private readonly onFailed: (why: string) => void,
  ) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('message', (data: Buffer) => this.message(data));
    this.socket.on('error', (error) => this.onFailed(error.message));
    this.socket.on('close', () => {
      if (this.stage !== Stage.SERVICE) this.onFailed('closed before the service');
    });
  }

  private message(data: Buffer): void {
    const seen = this.tail.length > 0 ? Buffer.concat([this.tail, data]) : data;
    this.tail = seen.subarray(Math.max(0, seen.length - 8));
    if (seen.includes(ENQROM)) this.socket.send(ENQROM_REPLY, { binary: true });
    if (this.stage === Stage.CONNECTING && seen.includes(HOME)) {
      this.stage = Stage.HOME;
      this.socket.send(ENTER_SERVICE, { binary: true });
    } else if (this.stage === Stage.HOME && seen.includes(SERVICE)) {
      this.stage = Stage.SERVICE;
      this.tail = Buffer.alloc(0);
      this.onReady();
    } else if (this.stage === Stage.SERVICE && this.sentAt !== 0 && data.includes(LETTERS.charCodeAt(this.key))) {
      this.onEcho(performance.now() - this.sentAt);
      this.sentAt = 0;
      this.key = (this.key + 1) % LETTERS.length;
    }
  }

  type(): void {
    if (this.stage !== Stage.SERVICE || this.sentAt !== 0 || this.socket.readyState !== WebSocket.OPEN) return;
    this.sentAt = performance.now();
    this.socket.send(Buffer.from(LETTERS[this.key], 'latin1'), { binary: true });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function run(plan: Plan): Promise<void> {
  const minitels: Minitel[] = [];
  let ready = 0;
  let failed = 0;
  const failures = new Map<string, number>();
  const latencies: number[] = [];
  let typing = false;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const done = () => {
      if (ready + failed === plan.sessions) resolve();
    };
    let opened = 0;
    const batch = Math.max(1, Math.round(plan.rampPerSecond / 20));
    const timer = setInterval(() => {
      for (let i = 0; i < batch && opened < plan.sessions; i++, opened++) {
        let counted = false;
        minitels.push(
          new Minitel(
            plan.url,
            () => {
              ready++;
              done();
            },
            (ms) => {
              if (typing) latencies.push(ms);
            },
            (why) => {
              if (counted) return;
              counted = true;
              failed++;
              failures.set(why, (failures.get(why) ?? 0) + 1);
              done();
            },
          ),
        );
      }
      if (opened === plan.sessions) clearInterval(timer);
    }, 50);
  });
  const connectSeconds = (performance.now() - start) / 1000;
  process.send!({ type: 'ready', ready, failed, failures: Object.fromEntries(failures), connectSeconds });

  // Wait for the bench to measure memory with every session held.
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  typing = true;
  const typingStart = performance.now();
  const tick = 20;
  const perTick = (minitels.length * tick) / plan.keyIntervalMs;
  let carry = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      carry += perTick;
      for (; carry >= 1; carry--) {
        minitels[next].type();
        next = (next + 1) % minitels.length;
      }
      if (performance.now() - typingStart >= plan.typingMs) {
        clearInterval(timer);
        resolve();
      }
    }, tick);
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  typing = false;
  latencies.sort((a, b) => a - b);
  const seconds = (performance.now() - typingStart) / 1000;
  process.send!({
    type: 'latency',
    keys: latencies.length,
    keysPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    held: minitels.filter((m) => m.socket.readyState === WebSocket.OPEN).length,
  });
  for (const m of minitels) m.socket.terminate();
  process.disconnect();
}

process.once('message', (plan: Plan) => void run(plan));
