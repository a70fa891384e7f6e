/**
 * The room fan-out load: N users in one room, one of them says a line, and
 * each of the others times how long the line takes to reach its screen.
 *
 * Against the gateway every user is our Terminal over a real WebSocket
 * (src/server/test-support/minitel.ts): it opens `/CHAT/ws`, picks a
 * pseudonym, enters the first room and waits there; the speaker types a line
 * and presses Envoi. Against the bare `ws` baseline (baseline-main.ts in room
 * mode) a user is a plain socket and the speaker's line is broadcast to every
 * other one: the floor for "one message reaches N sockets" in Node.
 *
 * A line has reached a screen when the bytes received carry its marker (a
 * word nobody else types). Between two lines the room is left to go quiet
 * (no byte to anyone for QUIET_MS), so a line never queues behind the last.
 */
import { WebSocket } from 'ws';
import { WsMinitel } from '../../src/server/test-support/minitel.js';

interface Plan {
  url: string;
  sessions: number;
  lines: number;
  target: 'gateway' | 'baseline';
  rampPerSecond: number;
}

/** The room is quiet when nobody has received a byte for this long. */
const QUIET_MS = 1500;
const STEP_TIMEOUT_MS = 120_000;

interface User {
  /** Types the speaker's line (keys one by one on a Minitel)… */
  type(text: string): void;
  /** …and sends it (Envoi). */
  submit(): void;
  /** Called with every chunk of bytes this user receives. */
  onBytes: ((bytes: Buffer) => void) | undefined;
  close(): void;
}

let lastByteAt = performance.now();

async function minitelUser(url: string, index: number): Promise<User> {
  const minitel = await WsMinitel.connect(url);
  const user: User = {
    type: (text) => minitel.type(text),
    submit: () => minitel.key('Envoi'),
    onBytes: undefined,
    close: () => minitel.close(),
  };
  // Before the test Minitel's own listener, so the time is taken before it decodes the frame.
  minitel.socket.prependListener('message', (data: Buffer) => {
    lastByteAt = performance.now();
    user.onBytes?.(data);
  });
  await minitel.waitFor(/Bienvenue sur la messagerie/, STEP_TIMEOUT_MS);
  minitel.type(`b${index}`);
  minitel.key('Envoi');
  await minitel.waitFor(/Bonjour b\d+/, STEP_TIMEOUT_MS);
  minitel.type('1');
  minitel.key('Envoi');
  await minitel.waitFor(/LES SALONS/, STEP_TIMEOUT_MS);
  minitel.type('1');
  minitel.key('Envoi');
  await minitel.waitFor(/SALON Accueil/, STEP_TIMEOUT_MS);
  return user;
}

async function socketUser(url: string): Promise<User> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  let typed = '';
  const user: User = {
    type: (text) => void (typed += text),
    submit: () => {
      socket.send(`SAY ${typed}`);
      typed = '';
    },
    onBytes: undefined,
    close: () => socket.terminate(),
  };
  socket.on('message', (data: Buffer) => {
    lastByteAt = performance.now();
    user.onBytes?.(data);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return user;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function quiet(): Promise<void> {
  while (performance.now() - lastByteAt < QUIET_MS) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Each listener's time from Envoi until it has the line, and the size of the frame that brought it. */
async function fanOut(speaker: User, listeners: readonly User[], marker: string): Promise<{ times: number[]; frameBytes: number[]; missing: number }> {
  // The line is typed first (its echo is the speaker's own); the clock starts at Envoi.
  speaker.type(`${marker} bonjour a tous`);
  await quiet();
  const wanted = Buffer.from(marker, 'latin1');
  const times: number[] = [];
  const frameBytes: number[] = [];
  return new Promise((resolve) => {
    let started = 0;
    const finish = () => {
      clearTimeout(timer);
      for (const l of listeners) l.onBytes = undefined;
      resolve({ times, frameBytes, missing: listeners.length - times.length });
    };
    const timer = setTimeout(finish, 30_000);
    for (const listener of listeners) {
      // A tail of the previous chunk, so a marker cut across two frames is still seen.
      let tail: Buffer = Buffer.alloc(0);
      listener.onBytes = (bytes) => {
        const seen = tail.length > 0 ? Buffer.concat([tail, bytes]) : bytes;
        tail = seen.subarray(Math.max(0, seen.length - wanted.length));
        if (!seen.includes(wanted)) return;
        times.push(performance.now() - started);
        frameBytes.push(bytes.length);
        listener.onBytes = undefined;
        if (times.length === listeners.length) finish();
      };
    }
    started = performance.now();
    speaker.submit();
  });
}

async function run(plan: Plan): Promise<void> {
  const users: User[] = [];
  const started = performance.now();
  let failed = 0;
  // Users arrive at rampPerSecond, each going through its own steps; they all wait in the room.
  const arrivals: Promise<void>[] = [];
  for (let i = 0; i < plan.sessions; i++) {
    arrivals.push(
      (plan.target === 'gateway' ? minitelUser(plan.url, i) : socketUser(plan.url)).then(
        (user) => void users.push(user),
        () => void failed++,
      ),
    );
    if ((i + 1) % Math.max(1, Math.round(plan.rampPerSecond / 10)) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(arrivals);
  const joinSeconds = (performance.now() - started) / 1000;
  await quiet();
  const [speaker, ...listeners] = users;
  const lines: { last: number; p50: number; p99: number; frameBytes: number; missing: number }[] = [];
  for (let k = 1; k <= plan.lines && speaker !== undefined; k++) {
    const { times, frameBytes, missing } = await fanOut(speaker, listeners, `QZ${k}X`);
    const sorted = [...times].sort((a, b) => a - b);
    const bytes = [...frameBytes].sort((a, b) => a - b);
    lines.push({ last: sorted.at(-1) ?? Number.NaN, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), frameBytes: percentile(bytes, 0.5), missing });
    await quiet();
  }
  process.send!({ type: 'room', users: users.length, failed, joinSeconds, lines });
  for (const user of users) user.close();
  process.disconnect();
}

process.once('message', (plan: Plan) => void run(plan));
