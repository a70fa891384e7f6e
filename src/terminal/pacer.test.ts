/** Line pacing on a fake clock: 10 bits per character (p.47), catch-up by bytes owed. */
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';
import { LinePacer, charactersPerSecond, isLineSpeed, type PacerClock } from './pacer.js';

/** A clock whose time moves only when the test says, running due timers in order. */
class FakeClock implements PacerClock {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  /** Timers fire this late (a busy browser, a background tab). */
  lateness = 0;

  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs + this.lateness, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get armed(): number {
    return this.timers.length;
  }
  /** Moves time to `until`, firing each timer at its due time. */
  advanceTo(until: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = until;
  }
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }
}

/** A pacer on a fake clock, recording when each byte was delivered. */
function setup(speed: number, clock = new FakeClock()) {
  const delivered: { byte: number; at: number }[] = [];
  const pacer = new LinePacer(
    (bytes) => {
      for (const byte of bytes) delivered.push({ byte, at: clock.now() });
    },
    { speed, clock },
  );
  return { clock, pacer, delivered };
}

const page = (n: number) => Uint8Array.from({ length: n }, (_, i) => 0x41 + (i % 26));

describe('line speed arithmetic (p.47, p.141)', () => {
  it('a character is 10 bits: 1200 baud = 120 chars/s, 300 = 30, 4800 = 480, 9600 = 960', () => {
    expect(charactersPerSecond(1200)).toBe(120);
    expect(charactersPerSecond(300)).toBe(30);
    expect(charactersPerSecond(4800)).toBe(480);
    expect(charactersPerSecond(9600)).toBe(960);
  });

  it('accepts the Minitel speeds and 0 (unthrottled), refuses others', () => {
    for (const speed of [0, 300, 1200, 4800, 9600]) expect(isLineSpeed(speed)).toBe(true);
    for (const speed of [75, 2400, 1201, -1, Number.NaN]) expect(isLineSpeed(speed)).toBe(false);
    expect(() => new LinePacer(() => {}, { speed: 2400 })).toThrow(RangeError);
  });
});

describe('LinePacer', () => {
  it('delivers nothing before one character time: a byte is decoded when its stop bit arrives', () => {
    const { clock, pacer, delivered } = setup(1200);
    pacer.push(page(1));
    clock.advance(8.3);
    expect(delivered).toHaveLength(0);
    clock.advance(0.1);
    expect(delivered).toHaveLength(1);
  });

  it.each([300, 1200, 4800, 9600])('at %i baud, 1,000 bytes take exactly 1000 character times', (speed) => {
    const { clock, pacer, delivered } = setup(speed);
    pacer.push(page(1000));
    const period = 1000 / charactersPerSecond(speed);
    clock.advance(period * 1000 - 0.01);
    expect(delivered.length).toBe(999);
    clock.advance(0.02);
    expect(delivered.length).toBe(1000);
    // Byte k (1-based) arrives at k periods, to the microsecond.
    for (const [i, d] of delivered.entries()) expect(d.at).toBeCloseTo((i + 1) * period, 3);
    expect(pacer.pending).toBe(0);
  });

  it('keeps the exact long-run rate when timers fire late, by delivering the bytes owed', () => {
    const clock = new FakeClock();
    clock.lateness = 37; // every timer 37 ms late: four characters at 1200 baud
    const { pacer, delivered } = setup(1200, clock);
    pacer.push(page(1200));
    clock.advance(5000);
    // Late timers deliver in bursts, but never ahead of the line and never far behind it.
    expect(delivered.length).toBeLessThanOrEqual(600);
    expect(delivered.length).toBeGreaterThanOrEqual(600 - 5);
    clock.advance(5000 + 40);
    expect(delivered).toHaveLength(1200);
    expect(delivered.at(-1)!.at).toBeLessThanOrEqual(10000 + 37 + 1);
    for (const [i, d] of delivered.entries()) expect(d.at).toBeGreaterThanOrEqual(((i + 1) * 1000) / 120 - 1e-6);
  });

  it('catches up at once after a long stall (a background tab), without going ahead of the line', () => {
    const clock = new FakeClock();
    clock.lateness = 3000; // the first timer fires 3 s late
    const { pacer, delivered } = setup(1200, clock);
    pacer.push(page(1000));
    clock.advance(3000);
    expect(delivered).toHaveLength(0);
    clock.advance(1000 / 120 + 0.001);
    // Everything owed by now, in one go: 3008.3 ms × 120 chars/s.
    expect(delivered).toHaveLength(361);
  });

  it('queues bytes pushed while the line is busy behind the ones already there', () => {
    const { clock, pacer, delivered } = setup(1200);
    pacer.push(page(10));
    clock.advance(50); // 6 delivered
    pacer.push(Uint8Array.of(0x30, 0x31));
    expect(pacer.pending).toBe(4 + 2);
    clock.advance(1000);
    expect(delivered.map((d) => d.byte).slice(-3)).toEqual([0x4a, 0x30, 0x31]);
    expect(delivered[11].at).toBeCloseTo((12 * 1000) / 120, 6);
  });

  it('starts a new run when bytes arrive on an idle line: they take their own character time', () => {
    const { clock, pacer, delivered } = setup(1200);
    pacer.push(page(1));
    clock.advance(1000);
    expect(delivered).toHaveLength(1);
    pacer.push(page(2));
    expect(delivered).toHaveLength(1);
    clock.advance(1000 / 120);
    expect(delivered).toHaveLength(2);
    expect(delivered[1].at).toBeCloseTo(1000 + 1000 / 120, 6);
  });

  it('delivers chunks without copying, in order, across push boundaries', () => {
    const { clock, pacer, delivered } = setup(9600);
    for (let i = 0; i < 50; i++) pacer.push(Uint8Array.of(i));
    clock.advance(1000);
    expect(delivered.map((d) => d.byte)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps one timer armed at most, and none when idle', () => {
    const { clock, pacer } = setup(1200);
    pacer.push(page(100));
    pacer.push(page(100));
    expect(clock.armed).toBe(1);
    clock.advance(10_000);
    expect(clock.armed).toBe(0);
  });

  it('unthrottled (speed 0) delivers at once', () => {
    const { pacer, delivered } = setup(0);
    pacer.push(page(5000));
    expect(delivered).toHaveLength(5000);
    expect(pacer.pending).toBe(0);
  });

  it('a speed change applies from now; switching to unthrottled flushes the queue', () => {
    const { clock, pacer, delivered } = setup(300);
    pacer.push(page(100));
    clock.advance(1000.01); // 30 at 300 baud
    expect(delivered).toHaveLength(30);
    pacer.speed = 9600;
    clock.advance(1000 / 960 * 10 + 0.001);
    expect(delivered).toHaveLength(40);
    pacer.speed = 0;
    expect(delivered).toHaveLength(100);
    expect(clock.armed).toBe(0);
  });

  it('flush delivers everything now; clear drops the queue (a new connection)', () => {
    const { clock, pacer, delivered } = setup(1200);
    pacer.push(page(10));
    pacer.flush();
    expect(delivered).toHaveLength(10);
    pacer.push(page(10));
    pacer.clear();
    clock.advance(10_000);
    expect(delivered).toHaveLength(10);
    expect(pacer.pending).toBe(0);
  });

  it('bounds the queue: past the limit the oldest bytes are decoded at once, none lost', () => {
    const clock = new FakeClock();
    const delivered: number[] = [];
    const pacer = new LinePacer((bytes) => delivered.push(...bytes), { speed: 1200, clock, maxQueued: 100 });
    pacer.push(page(150));
    expect(delivered).toHaveLength(50);
    expect(pacer.pending).toBe(100);
    clock.advance(100_000);
    expect(delivered).toEqual(Array.from(page(150)));
    expect(LIMITS.pacerQueueBytes).toBeGreaterThan(1 << 20);
  });
});
