/** The minimal telnet client of connectToTln: negotiation out, refusals back, at any chunk boundary. */
import { describe, expect, it } from 'vitest';
import { TelnetFilter, telnetEscape } from './telnet.js';
import { TELNET } from '../telnet-codes.js';

const { IAC } = TELNET;

const STREAM = [0x41, IAC, 0xfd, 24, 0x42, IAC, 0xfb, 1, IAC, 0xfa, 24, 1, IAC, IAC, 0x58, IAC, 0xf0, IAC, 0xf1, IAC, IAC, 0x43, IAC, 0xfd, 24, IAC, 0xfe, 3];

function readAll(chunks: number[][]): { data: number[]; replies: number[] } {
  const filter = new TelnetFilter();
  const data: number[] = [];
  const replies: number[] = [];
  for (const chunk of chunks) {
    const read = filter.push(Uint8Array.from(chunk));
    data.push(...read.data);
    replies.push(...read.replies);
  }
  return { data, replies };
}

describe('TelnetFilter', () => {
  it('takes out negotiation, subnegotiation and commands, keeps IAC IAC as 0xFF, refuses DO and WILL once per option', () => {
    expect(readAll([STREAM])).toEqual({
      data: [0x41, 0x42, IAC, 0x43],
      // WONT TERMINAL-TYPE, DONT ECHO; the second DO 24 is not answered again, DONT 3 needs no answer.
      replies: [IAC, 0xfc, 24, IAC, 0xfe, 1],
    });
  });

  it('reads the same whatever byte boundary the stream is cut at', () => {
    const whole = readAll([STREAM]);
    for (let cut = 1; cut < STREAM.length; cut++) expect(readAll([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(whole);
    expect(readAll(STREAM.map((b) => [b]))).toEqual(whole);
  });

  it('doubles 0xFF in what is sent, and leaves 7-bit keys as they are', () => {
    const keys = Uint8Array.of(0x41, 0x13, 0x41);
    expect(telnetEscape(keys)).toBe(keys);
    expect([...telnetEscape(Uint8Array.of(1, IAC, 2))]).toEqual([1, IAC, IAC, 2]);
  });
});
