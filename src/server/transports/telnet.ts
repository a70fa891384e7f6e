/**
 * Telnet on the TCP port (RFC 854, 857, 858). Raw TCP clients (a Minitel
 * behind a serial-to-TCP bridge, netcat) send plain bytes; telnet clients mix
 * option negotiation into the stream. This filter takes the negotiation out,
 * answers it so the client switches to character mode (server WILL ECHO and
 * WILL SUPPRESS-GO-AHEAD), and refuses every other option.
 *
 * Every byte has a defined outcome:
 * - `IAC IAC` is a data byte 0xFF;
 * - `IAC WILL|WONT|DO|DONT opt` is negotiation (3 bytes, answered or ignored;
 *   after `maxReplies` answers, ignored: negotiation escapes the session's
 *   input rate limit, and each answer costs a write);
 * - `IAC SB … IAC SE` is skipped, holding nothing; past `maxSubnegotiationBytes`
 *   it was not telnet (on a 7E1 line read as 8 bits, DEL then `z` is IAC SB)
 *   and reading resumes;
 * - `IAC` + another command (F0–FA: NOP, AYT…) is dropped with it;
 * - `IAC` + a byte below F0 cannot be telnet: both bytes are data (a 7E1 line
 *   read as 8N1 sends DEL as 0xFF, STUM1B p.47).
 * A LF or NUL right after CR is dropped: telnet clients send CR LF or CR NUL
 * for the Enter key (RFC 854), a Minitel sends CR alone.
 */
import { TELNET } from '../telnet-codes.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** Options (RFC 857 ECHO, RFC 858 SUPPRESS-GO-AHEAD). */
export const TELNET_OPTION = { ECHO: 1, SGA: 3 } as const;

const enum State {
  DATA,
  IAC,
  OPTION,
  SUBNEGOTIATION,
  SUBNEGOTIATION_IAC,
}

/** What the server offers when a client negotiates: it echoes, and no go-ahead. */
const OFFER = Uint8Array.of(IAC, WILL, TELNET_OPTION.ECHO, IAC, WILL, TELNET_OPTION.SGA, IAC, DO, TELNET_OPTION.SGA);

export class TelnetFilter {
  /** True once the client negotiated: it is a telnet client. */
  telnet = false;
  private state = State.DATA;
  private command = 0;
  private subnegotiationBytes = 0;
  private afterCR = false;
  /** Options we have agreed to (bit per option number below 32). */
  private willing = 0;
  private asked = 0;
  private replies = 0;

  constructor(
    private readonly maxSubnegotiationBytes: number,
    private readonly maxReplies: number,
  ) {}

  /**
   * The data bytes of `chunk` (a new array, or `chunk` itself when nothing is
   * filtered). Answers to the client's negotiation go to `reply`.
   */
  filter(chunk: Uint8Array, reply: (bytes: Uint8Array) => void): Uint8Array {
    if (this.state === State.DATA && !this.afterCR && chunk.indexOf(IAC) < 0 && chunk.indexOf(CR) < 0) return chunk;
    const out = new Uint8Array(chunk.length + 1);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (this.state) {
        case State.DATA:
          if (b === IAC) {
            this.state = State.IAC;
            continue;
          }
          if (this.afterCR && (b === LF || b === NUL)) {
            this.afterCR = false;
            continue;
          }
          this.afterCR = b === CR;
          out[n++] = b;
          continue;
        case State.IAC:
          this.state = State.DATA;
          if (b === IAC) {
            out[n++] = IAC;
            this.afterCR = false;
          } else if (b >= WILL) {
            this.command = b;
            this.state = State.OPTION;
          } else if (b === SB) {
            this.subnegotiationBytes = 0;
            this.state = State.SUBNEGOTIATION;
          } else if (b < SE) {
            // Not telnet: the IAC was a data byte (DEL with its parity bit).
            if (n + 2 > out.length) continue;
            out[n++] = IAC;
            out[n++] = b;
            this.afterCR = b === CR;
          }
          continue;
        case State.OPTION:
          this.state = State.DATA;
          this.negotiate(this.command, b, reply);
          continue;
        case State.SUBNEGOTIATION:
          if (b === IAC) {
            this.state = State.SUBNEGOTIATION_IAC;
          } else if (++this.subnegotiationBytes > this.maxSubnegotiationBytes) {
            // Not a real subnegotiation: this byte is read again as data.
            this.state = State.DATA;
            i--;
          }
          continue;
        case State.SUBNEGOTIATION_IAC:
          // IAC SE ends it; IAC IAC is an escaped data byte inside it.
          this.state = b === SE ? State.DATA : State.SUBNEGOTIATION;
          continue;
      }
    }
    return out.subarray(0, n);
  }

  private negotiate(command: number, option: number, send: (bytes: Uint8Array) => void): void {
    if (this.replies >= this.maxReplies) return;
    const reply = (bytes: Uint8Array): void => {
      this.replies++;
      send(bytes);
    };
    if (!this.telnet) {
      this.telnet = true;
      // Put the client in character mode at once: we echo, and no go-ahead.
      reply(OFFER);
      this.willing = bit(TELNET_OPTION.ECHO) | bit(TELNET_OPTION.SGA);
      this.asked = bit(TELNET_OPTION.SGA);
    }
    const supported = option === TELNET_OPTION.ECHO || option === TELNET_OPTION.SGA;
    switch (command) {
      case DO:
        if (supported) {
          if (!(this.willing & bit(option))) {
            this.willing |= bit(option);
            reply(Uint8Array.of(IAC, WILL, option));
          }
        } else {
          reply(Uint8Array.of(IAC, WONT, option));
        }
        return;
      case DONT:
        if (supported && this.willing & bit(option)) {
          this.willing &= ~bit(option);
          reply(Uint8Array.of(IAC, WONT, option));
        }
        return;
      case WILL:
        if (option === TELNET_OPTION.SGA) {
          if (!(this.asked & bit(option))) {
            this.asked |= bit(option);
            reply(Uint8Array.of(IAC, DO, option));
          }
        } else {
          // The client's echo, terminal type, window size…: not needed.
          reply(Uint8Array.of(IAC, DONT, option));
        }
        return;
      case WONT:
        return;
    }
  }
}

function bit(option: number): number {
  return option < 32 ? 1 << option : 0;
}
