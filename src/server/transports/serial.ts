/**
 * A Minitel on a serial cable (USB adapter to the DIN socket), `--serial PATH`.
 *
 * Framing: the DIN port speaks 7E1 — 7 data bits, even parity, 1 stop bit
 * (p.47). Drivers that cannot do 7 bits are run at 8N1, which is the same 10
 * bits on the wire if bit 7 carries the parity: it is computed here on output
 * and stripped on input (`--serial-framing 8n1`; `auto` tries 7E1 first).
 *
 * Speed: the line is probed at 9600, 4800 then 1200 baud with PRO1 STATUS
 * VITESSE (`1B 39 74`); only a terminal at the same speed sends back a
 * parseable `1B 3A 75 s` (p.141), whose s says its speed. ENQROM (p.139) then
 * names the model, and PROG (`1B 3A 6B code`, PRO2, p.141) raises the DIN port
 * to the model's best (4800 on a 1B, 9600 on a Minitel 2 [M2]); the terminal
 * acknowledges at the new speed, so the port follows and the reply confirms.
 *
 * The Minitel stays in local state, where the keyboard also loops back to its
 * own screen through the modem; that echo is cut (`1B 3B 60 58 52`, p.135–136)
 * since the services echo. A session ends without closing the port; any key
 * starts the next one. A device that goes away (cable unplugged) ends its
 * session and is opened again, and probed anew, once it is back.
 */
import { SerialPort } from 'serialport';
import type { Logger } from 'pino';
import { KeyParser, parseEnqrom } from '../../videotex/key-parser.js';
import { SPEED_CODE } from '../../videotex/codes.js';
import type { TerminalCapabilities } from '../../sdk/link.js';
import { capabilitiesOf, ENQROM_REQUEST, topSpeedOf } from '../capabilities.js';
import { SerialError } from '../errors.js';
import type { SerialFraming } from '../config.js';
import type { Connection, Session } from '../session.js';
import type { SessionFactory } from './factory.js';
import { rowZeroMessage, SERVER_FULL } from '../pages.js';

/** PRO1 STATUS VITESSE (p.141). */
export const STATUS_SPEED_REQUEST = Uint8Array.of(0x1b, 0x39, 0x74);
/** PRO3 OFF screen ← modem: no local echo of the keyboard in local state (p.135–136; docs §7.3). */
export const LOCAL_ECHO_OFF = Uint8Array.of(0x1b, 0x3b, 0x60, 0x58, 0x52);
/** Speeds probed, fastest first (p.141; 9600 is Minitel 2 only). */
export const PROBE_SPEEDS = [9600, 4800, 1200] as const;
/** Time a terminal has to answer one probe: a 4-byte reply is 33 ms at 1200 baud. */
export const PROBE_REPLY_MS = 600;
/** Pause between sending PROG and switching the port's speed (the switch flushes what is unsent). */
export const PROG_SETTLE_MS = 20;
/**
 * After the device goes away (USB adapter unplugged, socat restarted), it is
 * tried again after this long, doubling up to SERIAL_REOPEN_MAX_MS: a cable
 * plugged back in is a session again within a few seconds, and a device that
 * stays gone costs one open() every few seconds.
 */
export const SERIAL_REOPEN_FIRST_MS = 250;
export const SERIAL_REOPEN_MAX_MS = 4000;

/** PROG `1B 3A 6B code` (p.141). */
export function progCommand(speed: number): Uint8Array {
  return Uint8Array.of(0x1b, 0x3a, 0x6b, SPEED_CODE[speed]);
}

/** The speed a status byte `1 E2E1E0 R2R1R0` names (reception field, p.141), or undefined. */
export function speedOfStatus(status: number): number | undefined {
  for (const [speed, code] of Object.entries(SPEED_CODE)) if ((code & 7) === (status & 7)) return Number(speed);
  return undefined;
}

/** Even parity in bit 7, for 8N1 drivers (p.47). */
const WITH_PARITY = new Uint8Array(128);
for (let b = 0; b < 128; b++) {
  let ones = 0;
  for (let v = b; v; v >>= 1) ones += v & 1;
  WITH_PARITY[b] = b | ((ones & 1) << 7);
}

export function withParity(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = WITH_PARITY[bytes[i] & 0x7f];
  return out;
}

export interface SerialOptions {
  path: string;
  speed: 'auto' | number;
  framing: SerialFraming;
}

class SerialConnection implements Connection {
  readonly transport = 'serial' as const;
  session: Session | undefined;
  constructor(
    readonly address: string,
    private readonly line: SerialTransport,
  ) {}
  write(bytes: Uint8Array): void {
    this.line.writeRaw(bytes);
  }
  bufferedBytes(): number {
    return this.line.bufferedBytes();
  }
  close(): void {
    this.line.sessionOver(this);
  }
  destroy(): void {
    this.line.sessionOver(this);
  }
}

export class SerialTransport {
  private port: SerialPort | undefined;
  private softwareParity = false;
  private speed = 1200;
  private capabilities: TerminalCapabilities | undefined;
  private connection: SerialConnection | undefined;
  /** While probing: replies go here instead of to a session. */
  private probeParser: KeyParser | undefined;
  private probeReplies: Uint8Array[] = [];
  private probeWake: (() => void) | undefined;
  private closing = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenDelayMs = SERIAL_REOPEN_FIRST_MS;

  constructor(
    private readonly factory: SessionFactory,
    private readonly options: SerialOptions,
    private readonly log: Logger,
  ) {}

  /** Opens the port, finds the terminal's speed and model, and starts the first session. */
  async start(): Promise<TerminalCapabilities> {
    await this.open();
    const capabilities = await this.probe();
    this.capabilities = capabilities;
    this.startSession();
    return capabilities;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  writeRaw(bytes: Uint8Array): void {
    const port = this.port;
    if (port === undefined || !port.isOpen) return;
    port.write(this.softwareParity ? withParity(bytes) : bytes);
  }

  bufferedBytes(): number {
    return this.port?.writableLength ?? 0;
  }

  /** The session on the line ended: the next key starts another. */
  sessionOver(connection: SerialConnection): void {
    if (this.connection === connection) {
      connection.session?.connectionLost('session over');
      this.connection = undefined;
    }
  }

  private async open(): Promise<void> {
    const { path, framing } = this.options;
    const first = this.options.speed === 'auto' ? PROBE_SPEEDS[0] : this.options.speed;
    const tryOpen = (dataBits: 7 | 8, parity: 'even' | 'none'): Promise<SerialPort> =>
      new Promise((resolve, reject) => {
        const port = new SerialPort({ path, baudRate: first, dataBits, parity, stopBits: 1, autoOpen: false });
        port.open((error) => (error ? reject(error) : resolve(port)));
      });
    let port: SerialPort;
    try {
      if (framing === '8n1') {
        port = await tryOpen(8, 'none');
        this.softwareParity = true;
      } else {
        try {
          port = await tryOpen(7, 'even');
        } catch (error) {
          if (framing === '7e1') throw error;
          this.log.warn({ path, err: (error as Error).message }, 'serial driver refused 7E1: using 8N1 with parity computed here');
          port = await tryOpen(8, 'none');
          this.softwareParity = true;
        }
      }
    } catch (error) {
      throw new SerialError(`Cannot open the serial device ${path}: ${(error as Error).message}. Check the --serial path and that no other program uses it.`);
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (error: Error) => this.log.error({ path, err: error.message }, 'serial line error'));
    port.on('close', () => {
      if (this.port === port) this.port = undefined;
      this.connection?.session?.connectionLost('serial closed');
      this.connection = undefined;
      if (this.closing) return;
      this.log.error({ path }, 'serial line closed (cable unplugged?): trying to open it again');
      this.reopenDelayMs = SERIAL_REOPEN_FIRST_MS;
      this.scheduleReopen();
    });
  }

  /** Tries the device again until it is back, then probes it as at start: the terminal may be another one. */
  private scheduleReopen(): void {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => void this.reopen(), this.reopenDelayMs);
  }

  private async reopen(): Promise<void> {
    if (this.closing || this.port !== undefined) return;
    try {
      await this.open();
    } catch {
      this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, SERIAL_REOPEN_MAX_MS);
      this.scheduleReopen();
      return;
    }
    if (this.closing) {
      await this.close();
      return;
    }
    this.log.info({ path: this.options.path }, 'serial line open again');
    try {
      this.capabilities = await this.probe();
    } catch (error) {
      // The device went away again during the probe: its close handler schedules the next try.
      this.log.warn({ path: this.options.path, err: (error as Error).message }, 'serial probe failed after reopening');
      return;
    }
    if (!this.closing && this.port !== undefined && this.connection === undefined) this.startSession();
  }

  private onData(chunk: Buffer): void {
    if (this.probeParser !== undefined) {
      for (const event of this.probeParser.push(chunk)) {
        if (event.type === 'reply') this.probeReplies.push(event.bytes);
      }
      this.probeWake?.();
      return;
    }
    if (this.connection === undefined) {
      // The line is idle between sessions: any key starts a new one (the key itself is not a command).
      if (this.capabilities !== undefined && !this.closing) this.startSession();
      return;
    }
    this.connection.session?.receive(chunk);
  }

  private startSession(): void {
    // The gateway's limits hold for the line too: none past maxSessions, none while stopping.
    const refusal = this.factory.admit(this.options.path);
    if (refusal !== null) {
      this.log.warn({ address: this.options.path, transport: 'serial', reason: refusal }, 'connection refused');
      this.writeRaw(rowZeroMessage(SERVER_FULL));
      return;
    }
    const connection = new SerialConnection(this.options.path, this);
    this.connection = connection;
    this.writeRaw(LOCAL_ECHO_OFF);
    const capabilities = { ...this.capabilities!, speed: this.speed };
    connection.session = this.factory.open(connection, { speed: this.speed, capabilities });
  }

  /** Sends `request` and waits for a reply that `accept` recognises. */
  private async ask<T>(request: Uint8Array, accept: (bytes: Uint8Array) => T | undefined, ms = PROBE_REPLY_MS): Promise<T | undefined> {
    // An empty request waits for a reply already on its way (PROG's acknowledgement).
    if (request.length > 0) {
      this.probeReplies = [];
      this.writeRaw(request);
    }
    const deadline = Date.now() + ms;
    for (;;) {
      for (const reply of this.probeReplies) {
        const value = accept(reply);
        if (value !== undefined) return value;
      }
      this.probeReplies = [];
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.probeWake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.probeWake = undefined;
    }
  }

  private setSpeed(speed: number): Promise<void> {
    const port = this.port!;
    return new Promise((resolve, reject) =>
      port.drain(() => port.update({ baudRate: speed }, (error) => (error ? reject(error) : resolve()))),
    );
  }

  private async probe(): Promise<TerminalCapabilities> {
    this.probeParser = new KeyParser();
    const path = this.options.path;
    try {
      const speeds = this.options.speed === 'auto' ? PROBE_SPEEDS : [this.options.speed];
      let found: number | undefined;
      for (const speed of speeds) {
        await this.setSpeed(speed);
        this.probeParser.reset();
        const reported = await this.ask(STATUS_SPEED_REQUEST, speedReply);
        if (reported !== undefined) {
          // On a real line only matching speeds give a parseable reply; its byte says which (p.141).
          found = reported;
          if (reported !== speed) await this.setSpeed(reported);
          break;
        }
      }
      if (found === undefined) {
        found = this.options.speed === 'auto' ? 1200 : this.options.speed;
        this.log.warn({ path, speed: found }, 'no Minitel answered STATUS VITESSE: is it on and plugged in? Going on at the default speed');
        await this.setSpeed(found);
      }
      this.speed = found;
      const info = await this.ask(ENQROM_REQUEST, (bytes) => parseEnqrom(bytes) ?? undefined);
      const model = info?.model ?? 'unknown';
      const top = topSpeedOf(model);
      if (this.options.speed === 'auto' && top > this.speed) await this.raiseSpeed(top);
      this.log.info({ path, model, speed: this.speed, framing: this.softwareParity ? '8n1+parity' : '7e1' }, 'Minitel on the serial line');
      return capabilitiesOf(info ?? null, this.speed);
    } finally {
      this.probeParser = undefined;
    }
  }

  /**
   * PROG to the faster speed (p.141). The terminal acknowledges at the new
   * speed; changing the port's speed flushes its buffers, which may drop that
   * acknowledgement, so when none comes STATUS VITESSE asks again at the new
   * speed. If the terminal does not answer there, the line goes back.
   */
  private async raiseSpeed(target: number): Promise<void> {
    const previous = this.speed;
    const port = this.port!;
    this.writeRaw(progCommand(target));
    await new Promise<void>((resolve) => port.drain(() => resolve()));
    // A pseudo-terminal's far end reads asynchronously: let it take PROG before the flush.
    await new Promise((resolve) => setTimeout(resolve, PROG_SETTLE_MS));
    await new Promise<void>((resolve, reject) => port.update({ baudRate: target }, (error) => (error ? reject(error) : resolve())));
    let reported = await this.ask(new Uint8Array(0), speedReply);
    if (reported !== target) reported = await this.ask(STATUS_SPEED_REQUEST, speedReply);
    if (reported === target) {
      this.speed = target;
      return;
    }
    this.log.warn({ path: this.options.path, target }, 'the Minitel did not confirm the faster speed: staying at the previous one');
    await this.setSpeed(previous);
    this.speed = previous;
  }
}

/** The speed of a STATUS VITESSE reply `1B 3A 75 s`, or undefined for another reply. */
function speedReply(bytes: Uint8Array): number | undefined {
  if (bytes.length !== 4 || bytes[1] !== 0x3a || bytes[2] !== 0x75) return undefined;
  return speedOfStatus(bytes[3]);
}
