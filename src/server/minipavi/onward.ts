/**
 * The passthrough of connectToWs and connectToTln, as MiniPavi runs it: the
 * user is put through to the onward server until it closes, the user types
 * *** then Sommaire (the sequence MiniPavi watches for), the hour is up, or
 * the user leaves the visit. Connexion/Fin stays the gateway's own key, as on
 * every Teletel service: it ends the visit, and with it the passthrough.
 *
 * The server's bytes are drawn into the visit's wanted screen, so the mirror,
 * the line pacer and the kiosque meter work as for any service; what the
 * screen holds is its latest state, so a flooding server costs decoding, which
 * MINIPAVI_LIMITS.onwardPendingBytes bounds by pausing its socket until the
 * line drains. The user's keys go to the server as the bytes the Minitel sent.
 */
import type { TerminalLink } from '../../sdk/link.js';
import { C0, ESC_OTHER, PRO2, PRO2_MODE } from '../../videotex/codes.js';
import type { InputEvent } from '../../videotex/key-parser.js';
import { keyBytes, type KeyboardMode } from '../../videotex/keyboard.js';
import { encodeText, sanitizeText } from '../../videotex/text.js';
import { MINIPAVI_LIMITS } from './limits.js';
import type { ConnectTo } from './protocol.js';
import { RemoteFailure, type Remote, type RemoteOptions } from './remote.js';
import { openTelnet } from './remote-telnet.js';
import { openWebSocket } from './remote-ws.js';
import type { OnwardTarget } from './target.js';

export type OnwardOutcome =
  /** No connection was made: the service hears DIRECTCALLFAILED. */
  | { type: 'failed'; reason: RemoteFailure['reason']; message: string }
  /** The connection was made and is over: the service hears DIRECTCALLENDED. */
  | { type: 'ended'; why: string; bytesFromServer: number }
  /** The user left the visit: the service hears FIN, as for any leaving. */
  | { type: 'left' };

export interface OnwardTimeouts {
  connectMs: number;
  maxMs: number;
}

/**
 * Keys are read back into the bytes the Minitel sent: letters as typed (the
 * parser saw their case), every key of the extended keyboard, cursor keys in
 * the C0 coding the parser reports them in.
 */
const AS_SENT: Readonly<KeyboardMode> = { lowercase: true, extended: true, c0Cursor: true };

/** Typed before Sommaire, this many stars end the passthrough (MiniPavi's `***` + Sommaire). */
const END_STARS = 3;

const keyboardCase = (lowercase: boolean): Uint8Array => Uint8Array.of(C0.ESC, ESC_OTHER.PRO2, lowercase ? PRO2.START : PRO2.STOP, PRO2_MODE.MINUSCULES);

export class Onward {
  private remote: Remote | undefined;
  private finished = false;
  private stop: (outcome: OnwardOutcome) => void = () => {};
  private readonly stopped = new Promise<OnwardOutcome>((resolve) => (this.stop = resolve));
  private readonly connecting = new AbortController();
  private stars = 0;
  private pendingBytes = 0;
  private paused = false;
  private bytesFromServer = 0;
  /** Keys typed before the server answered, for it once it has. */
  private early: Uint8Array[] = [];
  private earlyBytes = 0;

  constructor(
    private readonly link: TerminalLink,
    private readonly target: OnwardTarget,
    private readonly command: ConnectTo,
    private readonly timeouts: OnwardTimeouts,
  ) {}

  /** Connects, carries the bytes both ways until the end, and closes everything; never throws. */
  async run(): Promise<OnwardOutcome> {
    const leave = (): void => this.end({ type: 'left' });
    if (this.link.closed.aborted) return { type: 'left' };
    this.link.closed.addEventListener('abort', leave, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const options: RemoteOptions = { onData: (bytes) => this.fromServer(bytes), connectTimeoutMs: this.timeouts.connectMs, signal: this.connecting.signal };
      try {
        this.remote = this.target.transport === 'websocket' ? await openWebSocket(this.target, this.command.proto, options) : await openTelnet(this.target, options);
      } catch (error) {
        if (this.finished) return await this.stopped; // the user left meanwhile
        const failure = error instanceof RemoteFailure ? error : new RemoteFailure('network', String(error));
        return { type: 'failed', reason: failure.reason, message: failure.message };
      }
      if (this.finished) return await this.stopped;
      // As MiniPavi: the keyboard's case for the server, then its start sequence.
      this.link.sendCommand(keyboardCase(this.command.lowercase));
      if (this.command.startSequence.length > 0) this.remote.send(this.command.startSequence);
      for (const bytes of this.early) this.remote.send(bytes);
      this.early = [];
      timer = setTimeout(() => this.end({ type: 'ended', why: `the onward connection's ${this.timeouts.maxMs} ms are up`, bytesFromServer: this.bytesFromServer }), this.timeouts.maxMs);
      void this.remote.ended.then((why) => this.end({ type: 'ended', why: `the server ended it: ${why}`, bytesFromServer: this.bytesFromServer }));
      return await this.stopped;
    } finally {
      clearTimeout(timer);
      this.link.closed.removeEventListener('abort', leave);
      this.remote?.close();
    }
  }

  /** A key from the user, while the passthrough runs. */
  input(event: InputEvent): void {
    if (this.finished) return;
    if (this.remote === undefined) {
      // Typed while the server is being reached: kept (bounded) and sent after its start sequence, as a
      // modem line would have carried them. Protocole replies answer the gateway, not the server.
      if (event.type === 'status' || event.type === 'reply') return;
      const bytes = keyBytes(event, AS_SENT);
      if (bytes.length > 0 && this.earlyBytes + bytes.length <= MINIPAVI_LIMITS.onwardEarlyKeyBytes) {
        this.early.push(bytes);
        this.earlyBytes += bytes.length;
      }
      return;
    }
    if (event.type === 'function' && event.name === 'Sommaire' && this.stars >= END_STARS) {
      this.end({ type: 'ended', why: 'the user typed *** Sommaire', bytesFromServer: this.bytesFromServer });
      return;
    }
    // Protocole replies and statuses are the terminal answering the gateway (its keyboard-case command;
    // the server's own Protocole commands stay in the visit's screen, never reach the terminal): not the server's.
    if (event.type === 'status' || event.type === 'reply') return;
    this.stars = event.type === 'char' && event.char === '*' ? this.stars + 1 : 0;
    const bytes = keyBytes(event, AS_SENT);
    if (bytes.length > 0) this.remote.send(bytes);
    if (this.command.echo && event.type === 'char') {
      // The server does not echo: the gateway shows what is typed, as MiniPavi does with echo on.
      this.link.wanted.write(encodeText(sanitizeText(event.char)));
      this.link.update();
    }
  }

  private fromServer(bytes: Uint8Array): void {
    if (this.finished) return;
    this.bytesFromServer += bytes.length;
    this.link.wanted.write(bytes);
    this.link.update();
    this.pendingBytes += bytes.length;
    if (this.pendingBytes < MINIPAVI_LIMITS.onwardPendingBytes || this.paused) return;
    // The line is behind: read no more from the server until what was drawn has gone out.
    this.paused = true;
    this.remote?.pause();
    void this.link.drained().then(() => {
      this.pendingBytes = 0;
      this.paused = false;
      if (!this.finished) this.remote?.resume();
    });
  }

  private end(outcome: OnwardOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.connecting.abort();
    this.stop(outcome);
  }
}
