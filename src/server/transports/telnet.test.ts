import { describe, expect, it } from 'vitest';
import { TelnetFilter } from './telnet.js';
import { TELNET } from '../telnet-codes.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;


function run(chunks: number[][]): { data: number[]; replies: number[][] } {
  const filter = new TelnetFilter(64, 64);
  const data: number[] = [];
  const replies: number[][] = [];
  for (const chunk of chunks) data.push(...filter.filter(Uint8Array.from(chunk), (r) => replies.push(Array.from(r))));
  return { data, replies };
}

/** Every way to cut `bytes` in two chunks gives the same data. */
function splitEverywhere(bytes: number[]): number[][] {
  const results: number[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) results.push(run([bytes.slice(0, cut), bytes.slice(cut)]).data);
  return results;
}

describe('TelnetFilter', () => {
  it('passes plain bytes through untouched, the same array when nothing is filtered', () => {
    const filter = new TelnetFilter(64, 64);
    const chunk = Uint8Array.from([0x13, 0x41, 0x33]);
    expect(filter.filter(chunk, () => {})).toBe(chunk);
  });

  it('takes negotiation out and answers it once with WILL ECHO, WILL SGA and DO SGA', () => {
    const { data, replies } = run([[IAC, DO, 1, 0x41, IAC, WILL, 3, IAC, DO, 3, 0x42]]);
    expect(data).toEqual([0x41, 0x42]);
    expect(replies[0]).toEqual([IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 3]);
    // Already agreed: no more replies for DO ECHO, WILL SGA, DO SGA.
    expect(replies).toHaveLength(1);
  });

  it('refuses other options: WONT for DO, DONT for WILL', () => {
    const { replies } = run([[IAC, DO, 24, IAC, WILL, 31]]);
    expect(replies.slice(1)).toEqual([
      [IAC, WONT, 24],
      [IAC, DONT, 31],
    ]);
  });

  it('answers at most its bound of negotiations: a flood of requests does not cost a write each', () => {
    const filter = new TelnetFilter(64, 8);
    const replies: number[][] = [];
    const flood: number[] = [];
    // Refused options, and an option turned on and off: each would be answered.
    for (let i = 0; i < 1000; i++) flood.push(IAC, DO, 5, IAC, WILL, 24, IAC, DONT, 1, IAC, DO, 1);
    const data = filter.filter(Uint8Array.from([...flood, 0x41]), (r) => replies.push(Array.from(r)));
    expect(Array.from(data)).toEqual([0x41]);
    expect(replies).toHaveLength(8);
  });

  it('skips subnegotiation and unescapes IAC IAC', () => {
    const payload = new Array<number>(40).fill(0x41);
    expect(run([[0x31, IAC, SB, 24, ...payload, IAC, SE, 0x32, IAC, IAC]]).data).toEqual([0x31, 0x32, 0xff]);
  });

  it('gives up a subnegotiation longer than its bound and reads on (DEL then z on a 7E1 line is IAC SB)', () => {
    const long = new Array<number>(100).fill(0x41);
    const { data } = run([[IAC, SB, ...long]]);
    expect(data.length).toBe(100 - 64);
  });

  it('reads IAC followed by a non-command byte as data (DEL with its parity bit, then a key)', () => {
    expect(run([[IAC, 0x41]]).data).toEqual([IAC, 0x41]);
  });

  it('drops the LF or NUL a telnet client sends after CR', () => {
    expect(run([[0x41, 0x0d, 0x0a, 0x42, 0x0d, 0x00, 0x43, 0x0a]]).data).toEqual([0x41, 0x0d, 0x42, 0x0d, 0x43, 0x0a]);
  });

  it('gives the same data wherever the input is cut', () => {
    const bytes = [0x41, IAC, DO, 1, 0x0d, 0x0a, IAC, SB, 1, 2, IAC, IAC, 3, IAC, SE, IAC, IAC, IAC, 0x30, 0x13, 0x41];
    const expected = [0x41, 0x0d, 0xff, IAC, 0x30, 0x13, 0x41];
    for (const data of splitEverywhere(bytes)) expect(data).toEqual(expected);
  });

  it('never holds more than its state on random input', () => {
    const filter = new TelnetFilter(64, 64);
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const chunk = new Uint8Array(512);
      for (let j = 0; j < chunk.length; j++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        chunk[j] = seed >>> 24;
      }
      const out = filter.filter(chunk, () => {});
      expect(out.length).toBeLessThanOrEqual(chunk.length + 1);
    }
  });
});
