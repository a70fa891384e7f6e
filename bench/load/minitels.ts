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
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';

interface Plan {
  url: string;
  sessions: number;
  /** New connections per second. */
  rampPerSecond: number;
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

  // Then phases on request: steady typing at a rate, or a burst where every Minitel presses a key within one window.
  for (;;) {
    const phase = await new Promise<Phase>((resolve) => process.once('message', (m: Phase) => resolve(m)));
    if (phase.type === 'done') break;
    latencies.length = 0;
    typing = true;
    // This process's own delays: a late load generator sends keys late and reads echoes late, and would bill that to the server.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const typingStart = performance.now();
    if (phase.type === 'type') {
      const tick = 20;
      const perTick = (minitels.length * tick) / phase.keyIntervalMs;
      let carry = 0;
      let next = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          carry += perTick;
          for (; carry >= 1; carry--) {
            minitels[next].type();
            next = (next + 1) % minitels.length;
          }
          if (performance.now() - typingStart >= phase.typingMs) {
            clearInterval(timer);
            resolve();
          }
        }, tick);
      });
    } else {
      for (const m of minitels) setTimeout(() => m.type(), Math.random() * phase.windowMs);
      await new Promise((resolve) => setTimeout(resolve, phase.windowMs));
    }
    // Echoes still on their way are waited for, up to a few seconds.
    const expected = phase.type === 'burst' ? minitels.filter((m) => m.stage === Stage.SERVICE).length : 0;
    for (let waited = 0; waited < 5000 && (phase.type === 'type' ? waited < 500 : latencies.length < expected); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    typing = false;
    loop.disable();
    const seconds = (performance.now() - typingStart) / 1000;
    const sorted = [...latencies].sort((x, y) => x - y);
    process.send!({
      type: 'latency',
      keys: sorted.length,
      keysPerSecond: sorted.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? Number.NaN,
      held: minitels.filter((m) => m.socket.readyState === WebSocket.OPEN).length,
      loopP99: loop.percentile(99) / 1e6,
    });
  }
  for (const m of minitels) m.socket.terminate();
  process.disconnect();
}

type Phase = { type: 'type'; keyIntervalMs: number; typingMs: number } | { type: 'burst'; windowMs: number } | { type: 'done' };

process.once('message', (plan: Plan) => void run(plan));
