/**
 * The line pacer: what goes out of a session, when.
 *
 * A Minitel line carries 10 bits per character (start, 7 data, parity, stop;
 * STUM1B p.47), so 1200 baud is 120 characters a second. The pacer keeps a
 * clock of when the line will be free again. Screen updates are not queued as
 * bytes: `update()` only marks the screen dirty, and when the line is free the
 * pacer asks for one `encodeDiff(mirror, wanted)` covering every change made
 * meanwhile (src/sdk/link.ts). A slow line therefore shows fewer, later frames
 * instead of falling ever further behind.
 *
 * Every byte sent is also fed to the mirror, so the next diff starts from what
 * the user really sees. Commands (Protocole, BEL, row-0 messages) are sent in
 * order with the diffs, byte for byte.
 *
 * Two shortcuts spare the encoder, both checked on the mirror afterwards (what
 * still differs is diffed): a few bytes just written into the wanted screen
 * from an absolute move are replayed as they are (recording-terminal.ts), and
 * a diff another session already computed from the same screen to the same
 * screen is reused (diff-cache.ts).
 *
 * Speed 0 means unthrottled: nothing waits on the clock, but nothing more is
 * pulled while the transport still holds `highWater` bytes, so a slow network
 * collapses updates just as a slow line does.
 */
import type { Screen } from '../videotex/screen.js';
import type { Terminal } from '../videotex/terminal.js';
import { BITS_PER_CHARACTER } from '../videotex/codes.js';
import { CommandQueueFull } from './errors.js';
import type { DiffCache } from './diff-cache.js';
import { RecordingTerminal } from './recording-terminal.js';
import type { TimerWheel, WheelEntry } from './wheel.js';

/** Bytes that turn what the terminal `from` shows into the screen `to` (src/videotex/encode.ts). */
export type DiffEncoder = (from: Terminal, to: Screen) => Uint8Array;

export interface PacerSink {
  /** Hands bytes to the transport. */
  writeLine(bytes: Uint8Array): void;
  /** Bytes handed over and not yet taken by the client. */
  bufferedBytes(): number;
  /** A diff was sent: its size and how long the update waited for the line (ms). */
  onDiffSent(bytes: number, lagMs: number): void;
  /** The encoder threw: the session cannot go on. */
  onPacerError(error: unknown): void;
}

/** Lines this close to free count as free: the wheel's resolution would only add delay. */
const SLACK_MS = 2;
/** How often an unthrottled line blocked by its transport buffer looks again. */
const BLOCKED_POLL_MS = 20;

export class LinePacer implements WheelEntry {
  wheelTick = 0;
  soonQueued = false;
  /** What the user should see: the wanted terminal of the home page or of the service visited. */
  source: Terminal | undefined;
  /** Bytes sent so far. */
  bytesSent = 0;
  /** Since when work has waited on a full transport buffer (0 = not blocked). */
  blockedSince = 0;

  private dirty = false;
  /** When the oldest diff not yet sent was asked for (-1 = none), for the lag metric. */
  private diffAskedAt = -1;
  /** Commands and diff markers (null) in order; undefined while only diffs are pending (the usual case). */
  private queue: (Uint8Array | null)[] | undefined;
  private queuedBytes = 0;
  private lineFreeAt = 0;
  private waiters: (() => void)[] | undefined;
  private closed = false;

  constructor(
    private readonly mirror: Terminal,
    private readonly encode: DiffEncoder,
    private readonly sink: PacerSink,
    private readonly wheel: TimerWheel,
    /** Baud; 0 = unthrottled. */
    public speed: number,
    private readonly highWater: number,
    private readonly commandLimit: number,
    private readonly cache?: DiffCache,
  ) {}

  /** The wanted screen changed: send the difference when the line allows. */
  update(): void {
    if (this.closed) return;
    if (this.diffAskedAt < 0) this.diffAskedAt = this.wheel.now();
    if (this.queue !== undefined && this.queue.length > 0) {
      if (this.queue[this.queue.length - 1] !== null) this.queue.push(null);
    } else {
      this.dirty = true;
    }
    this.wheel.soon(this);
  }

  /** Bytes that are not screen state, sent after what is already pending. */
  sendCommand(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    if (this.queuedBytes + bytes.length > this.commandLimit) throw new CommandQueueFull(this.commandLimit);
    const queue = (this.queue ??= []);
    if (this.dirty && queue.length === 0) {
      // The pending diff goes first, as it was asked for first.
      queue.push(null);
      this.dirty = false;
    }
    queue.push(bytes.slice());
    this.queuedBytes += bytes.length;
    this.wheel.soon(this);
  }

  /** True while something waits to be sent. */
  get pending(): boolean {
    return this.dirty || (this.queue !== undefined && this.queue.length > 0);
  }

  /** Resolves when everything pending now has been sent and the line has carried it. */
  drained(): Promise<void> {
    if (this.closed || (!this.pending && this.lineIdle(this.wheel.now()))) return Promise.resolve();
    return new Promise((resolve) => {
      (this.waiters ??= []).push(resolve);
      this.wheel.soon(this);
    });
  }

  /** Stops sending; pending work is dropped and waiters released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dirty = false;
    this.queue = undefined;
    this.queuedBytes = 0;
    this.wheel.cancel(this);
    this.releaseWaiters();
  }

  onWheel(now: number): void {
    if (this.closed) return;
    this.pump(now);
  }

  private lineIdle(now: number): boolean {
    return this.speed === 0 ? true : now + SLACK_MS >= this.lineFreeAt;
  }

  private pump(now: number): void {
    while (this.pending) {
      if (this.sink.bufferedBytes() > this.highWater) {
        if (this.blockedSince === 0) this.blockedSince = now;
        this.wheel.schedule(this, now + BLOCKED_POLL_MS);
        return;
      }
      if (!this.lineIdle(now)) {
        this.wheel.schedule(this, this.lineFreeAt);
        return;
      }
      this.blockedSince = 0;
      const bytes = this.next(now);
      if (this.closed) return;
      if (bytes === undefined || bytes.length === 0) continue;
      this.bytesSent += bytes.length;
      this.sink.writeLine(bytes);
      if (this.closed) return;
      if (this.speed > 0) {
        this.lineFreeAt = Math.max(now, this.lineFreeAt) + (bytes.length * BITS_PER_CHARACTER * 1000) / this.speed;
      }
    }
    if (this.waiters !== undefined) {
      if (this.lineIdle(now)) this.releaseWaiters();
      else this.wheel.schedule(this, this.lineFreeAt);
    }
  }

  /** The next bytes to send: a command, or a diff of everything changed so far. */
  private next(now: number): Uint8Array | undefined {
    const queue = this.queue;
    if (queue !== undefined && queue.length > 0) {
      const item = queue.shift()!;
      if (item !== null) {
        this.queuedBytes -= item.length;
        this.mirror.write(item);
        return item;
      }
      return this.diff(now);
    }
    if (this.dirty) {
      this.dirty = false;
      return this.diff(now);
    }
    return undefined;
  }

  /** The bytes that bring the mirror to the source, already applied to the mirror. */
  private diff(now: number): Uint8Array | undefined {
    const source = this.source;
    if (source === undefined) return undefined;
    const lag = this.diffAskedAt < 0 ? 0 : Math.max(0, now - this.diffAskedAt);
    this.diffAskedAt = -1;
    let bytes: Uint8Array;
    try {
      bytes = this.bringMirror(source);
    } catch (error) {
      this.close();
      this.sink.onPacerError(error);
      return undefined;
    }
    this.sink.onDiffSent(bytes.length, lag);
    return bytes;
  }

  private bringMirror(source: Terminal): Uint8Array {
    const mirror = this.mirror;
    const replay = source instanceof RecordingTerminal ? source.takeReplay() : undefined;
    if (replay !== undefined && mirror.idle && mirror.insertMode === source.insertMode) {
      mirror.write(replay);
      return this.finish(replay, source);
    }
    // A no-op update costs one pass over the cells (looks-alike screens are left to the encoder).
    if (sameCursor(mirror, source) && mirror.screen.equals(source.screen)) return EMPTY;
    const key = this.cache?.key(mirror, source.screen);
    const cached = key === undefined ? undefined : this.cache!.get(key);
    if (cached !== undefined) {
      mirror.write(cached);
      if (sameView(mirror, source)) return cached;
      this.cache!.delete(key!);
      return this.finish(cached, source);
    }
    const bytes = this.encode(mirror, source.screen);
    mirror.write(bytes);
    if (key !== undefined) this.cache!.set(key, bytes);
    return bytes;
  }

  /** `sent` is on the mirror already; whatever still differs is diffed and appended. */
  private finish(sent: Uint8Array, source: Terminal): Uint8Array {
    if (sameView(this.mirror, source)) return sent;
    const fix = this.encode(this.mirror, source.screen);
    this.mirror.write(fix);
    const all = new Uint8Array(sent.length + fix.length);
    all.set(sent);
    all.set(fix, sent.length);
    return all;
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = undefined;
    if (waiters) for (const resolve of waiters) resolve();
  }
}

const EMPTY = new Uint8Array(0);

function sameCursor(mirror: Terminal, wanted: Terminal): boolean {
  const a = mirror.screen;
  const b = wanted.screen;
  if (a.cursorVisible !== b.cursorVisible) return false;
  return !a.cursorVisible || (a.cursorRow === b.cursorRow && a.cursorColumn === b.cursorColumn);
}

/** The user would see the same thing on both: cells (in every blink phase and mask state) and cursor. */
function sameView(mirror: Terminal, wanted: Terminal): boolean {
  return sameCursor(mirror, wanted) && mirror.screen.looksLike(wanted.screen);
}
