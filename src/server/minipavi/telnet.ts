/**
 * The telnet side of connectToTln, as a minimal client (RFC 854, RFC 1143):
 * Videotex servers on telnet send pages as plain data, but many also open
 * with option negotiation. Every option the server asks for or offers is
 * refused (WONT to DO, DONT to WILL, once per option, so two stubborn peers
 * cannot loop), subnegotiations and other commands are dropped, and IAC IAC
 * is a data byte 0xFF. Streaming: a sequence cut between chunks is finished
 * by the next one; nothing is ever held but the state.
 */
import { TELNET } from '../telnet-codes.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;


const enum State {
  DATA,
  /** After IAC. */
  COMMAND,
  /** After IAC WILL/WONT/DO/DONT: the option byte. */
  OPTION,
  /** Inside IAC SB … IAC SE. */
  SUB,
  /** IAC inside a subnegotiation. */
  SUB_IAC,
}

export interface TelnetRead {
  /** The Videotex bytes, negotiation taken out. */
  data: Uint8Array;
  /** What to send back to the server (refusals), empty when nothing. */
  replies: Uint8Array;
}

export class TelnetFilter {
  private state = State.DATA;
  private verb = 0;
  /** Options already refused, by verb answered: each is answered once. */
  private readonly refused = new Set<number>();

  push(chunk: Uint8Array): TelnetRead {
    const data = new Uint8Array(chunk.length);
    let length = 0;
    const replies: number[] = [];
    for (const byte of chunk) {
      switch (this.state) {
        case State.DATA:
          if (byte === IAC) this.state = State.COMMAND;
          else data[length++] = byte;
          break;
        case State.COMMAND:
          if (byte === IAC) {
            data[length++] = IAC;
            this.state = State.DATA;
          } else if (byte === DO || byte === DONT || byte === WILL || byte === WONT) {
            this.verb = byte;
            this.state = State.OPTION;
          } else if (byte === SB) {
            this.state = State.SUB;
          } else {
            this.state = State.DATA; // NOP, GA, AYT, …: nothing for a Minitel to do
          }
          break;
        case State.OPTION:
          this.answer(this.verb, byte, replies);
          this.state = State.DATA;
          break;
        case State.SUB:
          if (byte === IAC) this.state = State.SUB_IAC;
          break;
        case State.SUB_IAC:
          // IAC SE ends it; IAC IAC is a data byte of the subnegotiation, still dropped.
          this.state = byte === SE ? State.DATA : State.SUB;
          break;
      }
    }
    return { data: data.subarray(0, length), replies: Uint8Array.from(replies) };
  }

  /** DO and WILL are refused; DONT and WONT agree with what we do (nothing), so they need no answer. */
  private answer(verb: number, option: number, replies: number[]): void {
    const refusal = verb === DO ? WONT : verb === WILL ? DONT : 0;
    if (refusal === 0) return;
    const key = (refusal << 8) | option;
    if (this.refused.has(key)) return;
    this.refused.add(key);
    replies.push(IAC, refusal, option);
  }
}

/** Data for the server: a 0xFF byte doubled, as telnet needs (Videotex keys are 7-bit, so in practice unchanged). */
export function telnetEscape(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(IAC)) return bytes;
  const out: number[] = [];
  for (const byte of bytes) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
  }
  return Uint8Array.from(out);
}
