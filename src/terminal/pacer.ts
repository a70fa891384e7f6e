/**
 * Line pacing: bytes reach the decoder at the speed of a Minitel line, so a
 * page draws as it drew in 1985. One character is 10 bits on the wire — start,
 * 7 data bits, even parity, stop (STUM1B p.47, docs §9.1) — so 1200 baud is
 * 120 characters per second, not 150.
 *
 * The pacer does not trust timer ticks. It keeps an epoch (when the line
 * started its current run of bytes) and how many bytes it has delivered since;
 * whenever it runs, it delivers every byte whose last bit has arrived by now:
 *
 *     owed = floor((now − epoch) × baud / 10 / 1000) − delivered
 *
 * A late timer (a busy page, a background tab) is caught up on the next run,
 * so the long-run rate is exact whatever the timer resolution. When the queue
 * empties the line is idle, and the next byte starts a new epoch: a byte that
 * arrives on an idle line takes one character time, as on the wire.
 */
import { BITS_PER_CHARACTER } from '../videotex/codes.js';
import { LIMITS } from './limits.js';

/** The line speeds a Minitel offers (p.141; 9600 is the Minitel 2's DIN port), and 0 for no pacing. */
export const LINE_SPEEDS = [300, 1200, 4800, 9600] as const;
export const UNTHROTTLED = 0;
/** The modem downlink of a Télétel connection (V.23, p.46). */
export const DEFAULT_SPEED = 1200;

/** Time and timers, injectable so tests run on a fake clock. */
export interface PacerClock {
  /** Milliseconds, monotonic (performance.now in a browser). */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const SYSTEM_CLOCK: PacerClock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PacerOptions {
  /** Baud rate, or 0 (UNTHROTTLED) to decode bytes as soon as they arrive. Default 1200. */
  speed?: number;
  clock?: PacerClock;
  /** Queue bound in bytes (LIMITS.pacerQueueBytes by default). */
  maxQueued?: number;
}

/** Characters per second at a baud rate: 10 bits each (p.47). */
export function charactersPerSecond(baud: number): number {
  return baud / BITS_PER_CHARACTER;
}

/** A speed the pacer accepts: one of LINE_SPEEDS, or 0 for unthrottled. */
export function isLineSpeed(value: number): boolean {
  return value === UNTHROTTLED || (LINE_SPEEDS as readonly number[]).includes(value);
}

export class LinePacer {
  private readonly deliver: (bytes: Uint8Array) => void;
  private readonly clock: PacerClock;
  private readonly maxQueued: number;
  private baud: number;

  /** Queued chunks; the first one is partly delivered up to `headOffset`. */
  private readonly chunks: Uint8Array[] = [];
  private headOffset = 0;
  private queued = 0;
  /** Start of the current run of bytes on the line, and bytes delivered since. */
  private epoch = 0;
  private delivered = 0;
  private timer: unknown = undefined;
  private timerArmed = false;

  /**
   * `deliver` receives the bytes whose time has come, in order. The arrays it
   * gets may be views of what was pushed: read them, do not keep them.
   */
  constructor(deliver: (bytes: Uint8Array) => void, options: PacerOptions = {}) {
    this.deliver = deliver;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.maxQueued = options.maxQueued ?? LIMITS.pacerQueueBytes;
    this.baud = checkSpeed(options.speed ?? DEFAULT_SPEED);
  }

  /** Baud rate, or 0 when unthrottled. */
  get speed(): number {
    return this.baud;
  }

  /**
   * A new speed applies from now: bytes owed at the old speed are delivered
   * first, then the remaining queue runs at the new one.
   */
  set speed(value: number) {
    const baud = checkSpeed(value);
    if (baud === this.baud) return;
    this.pump();
    this.baud = baud;
    this.epoch = this.clock.now();
    this.delivered = 0;
    if (baud === UNTHROTTLED) this.flush();
    else this.schedule();
  }

  /** Bytes received and not yet delivered. */
  get pending(): number {
    return this.queued;
  }

  /**
   * Queues bytes received from the line. The pacer keeps `bytes` (no copy):
   * the caller must not change it afterwards.
   */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.baud === UNTHROTTLED) {
      // Nothing can be queued at this speed: the setter flushed on the way in.
      this.deliver(bytes);
      return;
    }
    // Settle what is owed first, so an idle line is seen as idle.
    this.pump();
    if (this.queued === 0) {
      // Idle line: every byte so far has arrived, so this one starts a new run.
      this.epoch = this.clock.now();
      this.delivered = 0;
    }
    this.chunks.push(bytes);
    this.queued += bytes.length;
    if (this.queued > this.maxQueued) this.take(this.queued - this.maxQueued);
    this.schedule();
  }

  /** Delivers every byte whose time has come. Runs by itself on a timer; public for tests. */
  pump(): void {
    if (this.queued === 0 || this.baud === UNTHROTTLED) return;
    const elapsed = this.clock.now() - this.epoch;
    // The epsilon keeps a byte due at exactly k periods from rounding down to k − 1.
    const due = Math.floor((elapsed * charactersPerSecond(this.baud)) / 1000 + 1e-9);
    const owed = due - this.delivered;
    if (owed > 0) {
      const count = Math.min(owed, this.queued);
      this.delivered += count;
      this.take(count);
    }
  }

  /** Delivers everything queued now (the user skipped the wait). */
  flush(): void {
    this.take(this.queued);
    this.cancelTimer();
  }

  /** Drops everything queued (a new connection: the old line's bytes are gone). */
  clear(): void {
    this.chunks.length = 0;
    this.headOffset = 0;
    this.queued = 0;
    this.cancelTimer();
  }

  /** Stops the timer; bytes stay queued until the next push, pump or flush. */
  dispose(): void {
    this.cancelTimer();
  }

  /** Hands the next `count` queued bytes to `deliver`, chunk by chunk, without copying. */
  private take(count: number): void {
    let left = count;
    while (left > 0 && this.chunks.length > 0) {
      const head = this.chunks[0];
      const available = head.length - this.headOffset;
      const n = Math.min(left, available);
      const part = head.subarray(this.headOffset, this.headOffset + n);
      left -= n;
      this.queued -= n;
      if (n === available) {
        this.chunks.shift();
        this.headOffset = 0;
      } else {
        this.headOffset += n;
      }
      this.deliver(part);
    }
  }

  /** Arms one timer for the moment the next byte is due. */
  private schedule(): void {
    this.cancelTimer();
    if (this.queued === 0 || this.baud === UNTHROTTLED) return;
    const period = 1000 / charactersPerSecond(this.baud);
    const dueAt = this.epoch + (this.delivered + 1) * period;
    const delay = Math.max(0, dueAt - this.clock.now());
    this.timerArmed = true;
    this.timer = this.clock.setTimer(() => {
      this.timerArmed = false;
      this.pump();
      this.schedule();
    }, delay);
  }

  private cancelTimer(): void {
    if (!this.timerArmed) return;
    this.clock.clearTimer(this.timer);
    this.timerArmed = false;
    this.timer = undefined;
  }
}

function checkSpeed(value: number): number {
  if (!isLineSpeed(value)) {
    throw new RangeError(`line speed must be one of ${LINE_SPEEDS.join(', ')} baud or 0 (unthrottled), not ${value}`);
  }
  return value;
}
