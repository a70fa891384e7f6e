import { describe, expect, it } from 'vitest';
import { TimerWheel, type WheelEntry } from './wheel.js';

function entry(fired: number[]): WheelEntry {
  return { wheelTick: 0, soonQueued: false, onWheel: (now) => fired.push(now) };
}

describe('TimerWheel', () => {
  it('fires an entry in time after a month with nothing scheduled, without walking every tick of the month', () => {
    let now = 0;
    const wheel = new TimerWheel(5, () => now);
    const fired: number[] = [];
    const line = entry(fired);
    wheel.schedule(line, 10);
    wheel.advance(10);
    // A gateway with only unpaced WebSocket users leaves the wheel idle; then a TCP user connects.
    now = 30 * 24 * 3600_000;
    wheel.schedule(line, now + 20);
    const started = performance.now();
    wheel.advance(now + 10);
    wheel.advance(now + 20);
    expect(performance.now() - started).toBeLessThan(100);
    expect(fired).toEqual([10, now + 20]);
    wheel.stop();
  });

  it('fires entries due during a long pause in the order they were due, each once', () => {
    let now = 0;
    const wheel = new TimerWheel(5, () => now);
    const fired: string[] = [];
    const a: WheelEntry = { wheelTick: 0, soonQueued: false, onWheel: () => fired.push('a') };
    const b: WheelEntry = { wheelTick: 0, soonQueued: false, onWheel: () => fired.push('b') };
    const later: WheelEntry = { wheelTick: 0, soonQueued: false, onWheel: () => fired.push('later') };
    wheel.schedule(b, 60_000);
    wheel.schedule(a, 30_000);
    wheel.schedule(later, 3_600_000);
    // The process was stopped for ten minutes.
    now = 600_000;
    wheel.advance(now);
    expect(fired).toEqual(['a', 'b']);
    now = 3_600_000;
    wheel.advance(now);
    expect(fired).toEqual(['a', 'b', 'later']);
    expect(wheel.pending).toBe(0);
    wheel.stop();
  });
});
