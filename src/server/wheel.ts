/**
 * One timer for all sessions. Thousands of sessions each waiting for their
 * line to be free would otherwise mean thousands of `setTimeout` objects and
 * closures; here a session is scheduled by putting it in a bucket of a hashed
 * timing wheel, and a single interval (running only while something waits)
 * wakes the buckets that are due.
 *
 * `soon` runs an entry on the next turn of the event loop, after the current
 * input has been handled: several `update()` calls made while handling one
 * key therefore collapse into one diff.
 */

export interface WheelEntry {
  /** The tick this entry waits for, 0 when it waits for none. Owned by the wheel. */
  wheelTick: number;
  /** True while queued for `soon`. Owned by the wheel. */
  soonQueued: boolean;
  onWheel(now: number): void;
}

export type Clock = () => number;

/** Ticks to catch up (5 s at 5 ms) past which `advance` visits the buckets instead of every tick. */
const CATCH_UP_TICKS = 1024;

export const systemClock: Clock = () => performance.now();

export class TimerWheel {
  private readonly buckets = new Map<number, WheelEntry[]>();
  private timer: NodeJS.Timeout | undefined;
  private lastTick: number;
  private soonList: WheelEntry[] = [];
  private soonPending = false;
  private stopped = false;

  constructor(
    /** Resolution: entries fire up to this late. */
    readonly tickMs = 5,
    readonly now: Clock = systemClock,
  ) {
    this.lastTick = Math.floor(now() / tickMs);
  }

  /** Runs `entry.onWheel` at `due` (ms on this wheel's clock) or within one tick after it. */
  schedule(entry: WheelEntry, due: number): void {
    if (this.stopped) return;
    const tick = Math.max(Math.ceil(due / this.tickMs), this.lastTick + 1);
    if (entry.wheelTick !== 0 && entry.wheelTick <= tick) return; // already waits for an earlier tick
    entry.wheelTick = tick;
    let bucket = this.buckets.get(tick);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(tick, bucket);
    }
    bucket.push(entry);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.advance(this.now()), this.tickMs);
      this.timer.unref();
    }
  }

  /** Forgets a scheduled wake-up (the entry is skipped when its bucket fires). */
  cancel(entry: WheelEntry): void {
    entry.wheelTick = 0;
  }

  /** Runs `entry.onWheel` once, after the current event-loop turn. */
  soon(entry: WheelEntry): void {
    if (entry.soonQueued || this.stopped) return;
    entry.soonQueued = true;
    this.soonList.push(entry);
    if (!this.soonPending) {
      this.soonPending = true;
      setImmediate(() => this.runSoon());
    }
  }

  /** Fires every bucket due by `now`. Called by the interval; tests call it with their own clock. */
  advance(now: number): void {
    const target = Math.floor(now / this.tickMs);
    if (target - this.lastTick > CATCH_UP_TICKS) {
      // The wheel was idle (or the process stopped) for long: the buckets that exist, not every tick since.
      const due = [...this.buckets.keys()].filter((tick) => tick <= target).sort((a, b) => a - b);
      for (const tick of due) this.fire(tick, now);
    } else {
      for (let tick = this.lastTick + 1; tick <= target; tick++) this.fire(tick, now);
    }
    if (target > this.lastTick) this.lastTick = target;
    if (this.buckets.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Entries scheduled and not yet fired (for tests and metrics). */
  get pending(): number {
    let n = 0;
    for (const [tick, bucket] of this.buckets) for (const entry of bucket) if (entry.wheelTick === tick) n++;
    return n;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.buckets.clear();
    this.soonList = [];
  }

  private fire(tick: number, now: number): void {
    const bucket = this.buckets.get(tick);
    if (bucket === undefined) return;
    this.buckets.delete(tick);
    for (const entry of bucket) {
      if (entry.wheelTick !== tick) continue; // rescheduled earlier or cancelled
      entry.wheelTick = 0;
      entry.onWheel(now);
    }
  }

  private runSoon(): void {
    this.soonPending = false;
    const list = this.soonList;
    this.soonList = [];
    const now = this.now();
    for (const entry of list) {
      entry.soonQueued = false;
      entry.onWheel(now);
    }
  }
}
