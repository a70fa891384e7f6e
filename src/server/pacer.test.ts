import { describe, expect, it } from 'vitest';
import { Terminal } from '../videotex/terminal.js';
import { encodeDiff } from '../videotex/encode.js';
import { DiffCache } from './diff-cache.js';
import { LinePacer, type PacerSink } from './pacer.js';
import { RecordingTerminal } from './recording-terminal.js';
import { TimerWheel } from './wheel.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function setup(speed: number, diffBytes = 12, highWater = 1024) {
  let now = 0;
  const wheel = new TimerWheel(5, () => now);
  const sent: string[] = [];
  let buffered = 0;
  const lags: number[] = [];
  const errors: unknown[] = [];
  let encodes = 0;
  const sink: PacerSink = {
    writeLine: (bytes) => sent.push(Buffer.from(bytes).toString('latin1')),
    bufferedBytes: () => buffered,
    onDiffSent: (_n, lag) => lags.push(lag),
    onPacerError: (error) => errors.push(error),
  };
  const encode = () => {
    encodes++;
    return new Uint8Array(diffBytes).fill(0x41 + ((encodes - 1) % 26));
  };
  const mirror = new Terminal();
  const pacer = new LinePacer(mirror, encode, sink, wheel, speed, highWater, 4096);
  // A wanted screen the fake diffs never reach, so every update needs one.
  pacer.source = new Terminal();
  pacer.source.writeString('\x0c\x1f\x45\x45wanted');
  return {
    pacer,
    wheel,
    sent,
    lags,
    errors,
    get encodes() {
      return encodes;
    },
    setBuffered: (n: number) => (buffered = n),
    advance(to: number) {
      now = to;
      wheel.advance(now);
    },
  };
}

describe('LinePacer', () => {
  it('sends the first update at once and collapses the updates made while the line is busy into one diff', async () => {
    const t = setup(1200, 12);
    t.pacer.update();
    await nextTurn();
    expect(t.encodes).toBe(1);
    // 12 characters at 1200 baud, 10 bits each (p.47): the line is busy for 100 ms.
    for (let i = 0; i < 5; i++) t.pacer.update();
    await nextTurn();
    t.advance(50);
    expect(t.encodes).toBe(1);
    t.advance(100);
    expect(t.encodes).toBe(2);
    expect(t.sent).toHaveLength(2);
    expect(t.lags.at(-1)).toBe(100);
  });

  it('counts 10 bits per character: 120 characters hold a 1200-baud line for one second', async () => {
    const t = setup(1200, 120);
    t.pacer.update();
    await nextTurn();
    t.pacer.update();
    await nextTurn();
    t.advance(990);
    expect(t.encodes).toBe(1);
    t.advance(1000);
    expect(t.encodes).toBe(2);
  });

  it('keeps commands in order with the diffs around them', async () => {
    const t = setup(0, 2);
    t.pacer.update();
    t.pacer.sendCommand(Uint8Array.of(0x07));
    t.pacer.update();
    await nextTurn();
    expect(t.sent).toEqual(['AA', '\x07', 'BB']);
  });

  it('resolves drained once the line has carried everything', async () => {
    const t = setup(1200, 12);
    t.pacer.update();
    let done = false;
    void t.pacer.drained().then(() => (done = true));
    await nextTurn();
    await nextTurn();
    expect(done).toBe(false);
    t.advance(100);
    await nextTurn();
    expect(done).toBe(true);
  });

  it('stops pulling updates on an unthrottled line while the transport holds more than the high-water mark', async () => {
    const t = setup(0, 10, 100);
    t.advance(1000);
    t.setBuffered(500);
    t.pacer.update();
    await nextTurn();
    expect(t.encodes).toBe(0);
    expect(t.pacer.blockedSince).toBe(1000);
    for (let i = 0; i < 10; i++) t.pacer.update();
    t.setBuffered(0);
    t.advance(1040);
    expect(t.encodes).toBe(1);
    expect(t.pacer.blockedSince).toBe(0);
  });

  it('reports a failing encoder to its sink and stops', async () => {
    let now = 0;
    const wheel = new TimerWheel(5, () => now);
    const errors: unknown[] = [];
    const pacer = new LinePacer(
      new Terminal(),
      () => {
        throw new Error('boom');
      },
      { writeLine: () => {}, bufferedBytes: () => 0, onDiffSent: () => {}, onPacerError: (e) => errors.push(e) },
      wheel,
      0,
      1024,
      1024,
    );
    pacer.source = new Terminal();
    pacer.source.writeString('X');
    pacer.update();
    await nextTurn();
    expect(errors).toHaveLength(1);
    pacer.update();
    now = 100;
    wheel.advance(now);
    expect(errors).toHaveLength(1);
  });

  it('refuses commands past its queue limit', () => {
    const t = setup(1200);
    expect(() => t.pacer.sendCommand(new Uint8Array(5000))).toThrow(/TELETEL_E_COMMAND_QUEUE|queued more/);
  });

  it('brings the mirror to the wanted screen with the real encoder', async () => {
    const wheel = new TimerWheel();
    const mirror = new Terminal();
    const wanted = new Terminal();
    const sink: PacerSink = { writeLine: () => {}, bufferedBytes: () => 0, onDiffSent: () => {}, onPacerError: () => {} };
    const pacer = new LinePacer(mirror, (_from, to) => encodeDiff(mirror, to), sink, wheel, 0, 8192, 4096);
    pacer.source = wanted;
    wanted.writeString('\x0c\x1f\x45\x45\x1b\x41Bonjour');
    pacer.update();
    await pacer.drained();
    await nextTurn();
    expect(mirror.screen.looksLike(wanted.screen)).toBe(true);
    wheel.stop();
  });

});

describe('LinePacer shortcuts', () => {
  function real(cache?: DiffCache) {
    const wheel = new TimerWheel();
    const mirror = new Terminal();
    const sent: number[][] = [];
    let encodes = 0;
    const sink: PacerSink = { writeLine: (b) => sent.push(Array.from(b)), bufferedBytes: () => 0, onDiffSent: () => {}, onPacerError: (e) => { throw e; } };
    const pacer = new LinePacer(
      mirror,
      (from, to) => {
        encodes++;
        return encodeDiff(from, to);
      },
      sink,
      wheel,
      0,
      8192,
      4096,
      cache,
    );
    const wanted = new RecordingTerminal();
    pacer.source = wanted;
    return { pacer, mirror, wanted, sent, wheel, encodes: () => encodes };
  }

  const PAGE = '\x0c\x1f\x42\x41\x1b\x4dTitre de la page\x1f\x45\x41Une ligne de texte assez longue pour un cache\x1f\x4a\x41';

  it('replays a short write that starts with an absolute move as it is, without the encoder', async () => {
    const t = real();
    t.wanted.writeString(PAGE);
    t.pacer.update();
    await t.pacer.drained();
    const before = t.encodes();
    t.wanted.writeString('\x1f\x4a\x41ABC');
    t.pacer.update();
    await t.pacer.drained();
    expect(t.encodes()).toBe(before);
    expect(t.sent.at(-1)).toEqual([0x1f, 0x4a, 0x41, 0x41, 0x42, 0x43]);
    expect(t.mirror.screen.looksLike(t.wanted.screen)).toBe(true);
    t.wheel.stop();
  });

  it('does not replay bytes a diff would never send (a bell, a Protocole command)', async () => {
    const t = real();
    t.wanted.writeString('\x1f\x41\x41A\x07');
    t.pacer.update();
    await t.pacer.drained();
    expect(t.sent.flat()).not.toContain(0x07);
    expect(t.encodes()).toBe(1);
    t.wheel.stop();
  });

  it('checks a replay on the mirror and diffs whatever still differs', async () => {
    const t = real();
    t.wanted.writeString(PAGE);
    t.pacer.update();
    await t.pacer.drained();
    // The mirror shows something the wanted screen does not: the replay alone is not enough.
    t.mirror.writeString('\x1f\x50\x41STRAY');
    t.wanted.writeString('\x1f\x4a\x41XYZ');
    t.pacer.update();
    await t.pacer.drained();
    expect(t.mirror.screen.looksLike(t.wanted.screen)).toBe(true);
    t.wheel.stop();
  });

  it('reuses the diff another session computed between the same two screens', async () => {
    const cache = new DiffCache();
    const a = real(cache);
    const b = real(cache);
    for (const t of [a, b]) {
      // Long, so it is diffed (not replayed) and worth caching.
      t.wanted.writeString(PAGE + 'x'.repeat(80));
      t.wanted.dropJournal();
      t.pacer.update();
      await t.pacer.drained();
    }
    expect(a.encodes()).toBe(1);
    expect(b.encodes()).toBe(0);
    expect(b.sent).toEqual(a.sent);
    expect(b.mirror.screen.looksLike(b.wanted.screen)).toBe(true);
    expect(cache.hits).toBe(1);
    a.wheel.stop();
    b.wheel.stop();
  });
});
