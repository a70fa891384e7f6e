/** The bell on a stand-in for Web Audio: what a BEL does to the audio graph. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bell, BELL_MS } from './bell.js';

/** The few AudioContext members Bell uses, counting the oscillators it starts. */
class FakeAudioContext {
  static oscillators = 0;
  state = 'running';
  currentTime = 0;
  destination = {};
  createOscillator(): object {
    FakeAudioContext.oscillators++;
    const node = { type: '', frequency: { value: 0 }, connect: (next: unknown) => next, start: () => {}, stop: () => {} };
    return node;
  }
  createGain(): object {
    const param = { setValueAtTime: () => {}, linearRampToValueAtTime: () => {} };
    return { gain: param, connect: (next: unknown) => next };
  }
  resume(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const globals = globalThis as unknown as { AudioContext?: unknown };
let saved: unknown;
beforeEach(() => {
  saved = globals.AudioContext;
  globals.AudioContext = FakeAudioContext;
  FakeAudioContext.oscillators = 0;
});
afterEach(() => {
  globals.AudioContext = saved;
});

describe('Bell', () => {
  it('sounds one beep at a time: a flood of BEL from the server does not stack up oscillators', () => {
    const bell = new Bell();
    bell.unlock();
    const context = (bell as unknown as { context: FakeAudioContext }).context;
    for (let i = 0; i < 1000; i++) bell.ring();
    expect(bell.rings).toBe(1000);
    expect(FakeAudioContext.oscillators).toBe(1);
    context.currentTime += BELL_MS / 1000;
    bell.ring();
    expect(FakeAudioContext.oscillators).toBe(2);
  });

  it('stays silent before a user gesture and when muted, counting every BEL', () => {
    const bell = new Bell();
    bell.ring();
    bell.unlock();
    bell.muted = true;
    bell.ring();
    expect(bell.rings).toBe(2);
    expect(FakeAudioContext.oscillators).toBe(0);
  });
});
