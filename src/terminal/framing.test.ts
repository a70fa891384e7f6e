/** WebSocket framing: text frames are Latin-1, one character per byte, never UTF-8. */
import { describe, expect, it } from 'vitest';
import { bytesOfMessage, bytesOfText, textOfBytes } from './framing.js';
import { parseColour, parseFrames, parseModel, parseScale, parseSpeed } from './attributes.js';
import { socketUrl } from './link.js';
import { SessionRecorder } from './recorder.js';
import { blinkPhaseAt, BLINK_PHASE_MS } from './view.js';

describe('Latin-1 framing', () => {
  it('a text frame carries one byte per character', () => {
    expect(Array.from(bytesOfText('\x1b\x39\x7b'))).toEqual([0x1b, 0x39, 0x7b]);
    // é in a text frame is U+00E9: one byte 0xE9, never the two UTF-8 bytes C3 A9.
    expect(Array.from(bytesOfText('\u00e9'))).toEqual([0xe9]);
    expect(Array.from(bytesOfText('\u00ff\u0080'))).toEqual([0xff, 0x80]);
  });

  it('a character that is no byte (above U+00FF) is a line error: SUB, shown as the error block (p.48, p.99)', () => {
    expect(Array.from(bytesOfText('A\u20acB'))).toEqual([0x41, 0x1a, 0x42]);
    expect(Array.from(bytesOfText('\u{1F600}'))).toEqual([0x1a, 0x1a]); // two UTF-16 units
  });

  it('bytes go out as one character each, and come back unchanged', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = textOfBytes(all);
    expect(text.length).toBe(256);
    expect(text.charCodeAt(0xe9)).toBe(0xe9);
    expect(Array.from(bytesOfText(text))).toEqual(Array.from(all));
    expect(textOfBytes(Uint8Array.of(0x13, 0x41))).toBe('\x13A');
  });

  it('long runs are framed without overflowing the call stack', () => {
    const big = new Uint8Array(300_000).fill(0x41);
    expect(textOfBytes(big).length).toBe(300_000);
  });

  it('binary frames are bytes as they are', () => {
    expect(Array.from(bytesOfMessage(Uint8Array.of(0x0c, 0xc1).buffer)!)).toEqual([0x0c, 0xc1]);
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    expect(Array.from(bytesOfMessage(view)!)).toEqual([1, 2]);
    expect(Array.from(bytesOfMessage('AB')!)).toEqual([0x41, 0x42]);
    expect(bytesOfMessage(42)).toBeUndefined();
  });
});

describe('socket addresses', () => {
  it('accepts ws: and wss:, turns http(s) and paths relative to the page into them', () => {
    expect(socketUrl('wss://example.org/ws')).toBe('wss://example.org/ws');
    expect(socketUrl(' ws://127.0.0.1:8182 ')).toBe('ws://127.0.0.1:8182/');
    expect(socketUrl('https://example.org/x#frag')).toBe('wss://example.org/x');
    expect(socketUrl('/ws?url=ANNU', 'http://host:3615/')).toBe('ws://host:3615/ws?url=ANNU');
  });

  it('refuses what is not a WebSocket address', () => {
    expect(() => socketUrl('')).toThrow(TypeError);
    expect(() => socketUrl('ftp://example.org')).toThrow(/not a WebSocket address/);
    expect(() => socketUrl('not a url')).toThrow(TypeError);
  });
});

describe('element attributes', () => {
  it('speed: a Minitel baud rate, max/0 for unthrottled, 1200 otherwise', () => {
    expect(parseSpeed(null)).toBe(1200);
    expect(parseSpeed('4800')).toBe(4800);
    expect(parseSpeed('9600')).toBe(9600);
    expect(parseSpeed('max')).toBe(0);
    expect(parseSpeed('0')).toBe(0);
    expect(parseSpeed('2400')).toBe(1200);
  });

  it('model, colour, scale and frames fall back to their defaults', () => {
    expect(parseModel(null)).toBe('minitel2');
    expect(parseModel('Minitel1B')).toBe('minitel1b');
    expect(parseModel('emulator')).toBe('emulator');
    expect(parseModel('vt100')).toBe('minitel2');
    expect(parseColour('grey')).toBe('grey');
    expect(parseColour('gray')).toBe('grey');
    expect(parseColour('')).toBe('colour');
    expect(parseScale(null)).toBe(2);
    expect(parseScale('auto')).toBe('auto');
    expect(parseScale('3')).toBe(3);
    expect(parseScale('2.5')).toBe(2);
    expect(parseScale('99')).toBe(2);
    expect(parseFrames('binary')).toBe('binary');
    expect(parseFrames('json')).toBe('auto');
  });
});

describe('blink clock', () => {
  it('alternates one-second phases, a 0.5 Hz cycle (p.84, docs §9.1)', () => {
    expect(BLINK_PHASE_MS).toBe(1000);
    expect(blinkPhaseAt(0)).toBe('on');
    expect(blinkPhaseAt(999)).toBe('on');
    expect(blinkPhaseAt(1000)).toBe('off');
    expect(blinkPhaseAt(2000)).toBe('on');
  });
});

describe('SessionRecorder', () => {
  it('keeps every byte received while recording, copies them, and stops at its limit', () => {
    const recorder = new SessionRecorder(5);
    const chunk = Uint8Array.of(1, 2, 3);
    recorder.record(chunk);
    expect(recorder.length).toBe(0);
    recorder.start();
    recorder.record(chunk);
    chunk[0] = 9;
    recorder.record(Uint8Array.of(4, 5, 6));
    expect(recorder.truncated).toBe(true);
    expect(Array.from(recorder.stop())).toEqual([1, 2, 3, 4, 5]);
    expect(recorder.recording).toBe(false);
    recorder.start();
    expect(recorder.length).toBe(0);
  });
});
