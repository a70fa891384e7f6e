/**
 * The Protocole layer (p.134–148): PRO1/PRO2/PRO3 commands a server sends to
 * the terminal's modules, the modes they switch, and the replies a real
 * Minitel sends back. The parser extracts these sequences before screen
 * decoding (p.134, p.148) and hands them here.
 */
import { C0, MODULE, PRO1, PRO2, PRO2_MODE, PRO3, KEYBOARD_MODE, SEP_STATUS, SPEED_CODE } from './codes.js';

/** What the terminal answers to ENQROM (p.138–139): maker, type, software version. */
export type TerminalModel = 'minitel1b' | 'minitel2' | 'emulator';

/**
 * ENQROM identities. A Minitel 1B (Telic, "Cu4") and a Minitel 2 (Philips, type 0x76)
 * as reported by real units (p.139, §7.5 of docs/videotex.md). The emulator
 * reports the Minitel 2 type, because it offers what a Minitel 2 offers (DRCS,
 * 9600 baud), with its own maker letter 'T' so servers can tell it apart.
 */
export const ENQROM_IDENTITY: Readonly<Record<TerminalModel, readonly [number, number, number]>> = {
  minitel1b: [0x43, 0x75, 0x34],
  minitel2: [0x42, 0x76, 0x34],
  emulator: [0x54, 0x76, 0x31],
};

/** Which port the terminal's host talks to: the modem line, or the DIN socket. */
export type Link = 'network' | 'din';

/** Module bits of a routing status byte: `1 0 0 DIN modem keyboard screen` (p.136). */
const BIT = { screen: 1, keyboard: 2, modem: 4, din: 8 } as const;
type ModuleName = keyof typeof BIT;

function moduleOf(code: number): ModuleName | undefined {
  switch (code) {
    case MODULE.SCREEN_TX:
    case MODULE.SCREEN_RX:
      return 'screen';
    case MODULE.KEYBOARD_TX:
    case MODULE.KEYBOARD_RX:
      return 'keyboard';
    case MODULE.MODEM_TX:
    case MODULE.MODEM_RX:
      return 'modem';
    case MODULE.DIN_TX:
    case MODULE.DIN_RX:
      return 'din';
  }
  return undefined;
}

/** Modes the Protocole layer switches, readable by the emulator and the server. */
export interface TerminalModes {
  /** Roll (scroll) mode instead of page mode (p.140). */
  roll: boolean;
  /** Keyboard sends lowercase letters (p.140). */
  lowercase: boolean;
  /** Extended keyboard: cursor keys, Ctrl, Esc (p.142). */
  extendedKeyboard: boolean;
  /** Cursor keys send C0 codes instead of CSI (p.142). */
  c0CursorKeys: boolean;
  /** DIN port speed in baud (p.141). */
  speed: number;
}

export interface ProtocolOptions {
  model: TerminalModel;
  link: Link;
  /** Highest DIN port speed: 4800 on a 1B, 9600 on a Minitel 2 (p.141). */
  maxSpeed: number;
}

/** What Protocole commands do outside the Protocole layer; the Terminal implements it. */
export interface ProtocolHost {
  protocolReply(bytes: number[]): void;
  protocolReset(): void;
  /** PRO1 DECONNEXION: the host link should hang up. */
  protocolDisconnect(): void;
  /** PRO2 TRANSPARENCE: let the next n bytes through unfiltered. */
  protocolTransparency(n: number): void;
}

export class Protocol {
  readonly modes: TerminalModes = defaultModes();
  /** For each receiving module, the bit set of transmitters linked to it plus its own bit when active. */
  private routing: Record<ModuleName, number> = standardRouting();
  /** Status Protocole byte (p.138): power-on 0x43. */
  private protocolStatus = 0x43;
  /** Connected to a service (carrier present), for STATUS TERMINAL (p.146). */
  connected = true;

  constructor(
    private readonly options: ProtocolOptions,
    private readonly host: ProtocolHost,
  ) {}

  private reply(bytes: number[]): void {
    this.host.protocolReply(bytes);
  }

  /** Keyboard to screen linked: the terminal echoes typed keys itself (p.81, p.136). */
  get localEcho(): boolean {
    return (this.routing.screen & BIT.keyboard) !== 0;
  }

  /** Screen module blocked by PRO3 OFF 58 50: it ignores what it receives (p.135). */
  get screenBlocked(): boolean {
    return (this.routing.screen & BIT.screen) === 0;
  }

  resetModes(): void {
    Object.assign(this.modes, { roll: false, lowercase: false, extendedKeyboard: false, c0CursorKeys: false });
    this.routing = standardRouting();
    this.protocolStatus = 0x43;
  }

  /** PRO1 `ESC 39 x` (p.138–146). */
  pro1(x: number): void {
    switch (x) {
      case PRO1.ENQROM: {
        const [maker, type, version] = ENQROM_IDENTITY[this.options.model];
        this.reply([C0.SOH, maker, type, version, C0.EOT]);
        break;
      }
      case PRO1.STATUS_TERMINAL:
        this.reply([C0.ESC, 0x3a, PRO2.REP_STATUS_TERMINAL, this.terminalStatus()]);
        break;
      case PRO1.STATUS_FONCTIONNEMENT:
        this.replyOperatingMode(true);
        break;
      case PRO1.STATUS_VITESSE:
        this.reply([C0.ESC, 0x3a, PRO2.REP_STATUS_VITESSE, speedStatus(this.modes.speed)]);
        break;
      case PRO1.STATUS_PROTOCOLE:
        this.reply([C0.ESC, 0x3a, PRO2.REP_STATUS_PROTOCOLE, this.protocolStatus]);
        break;
      case PRO1.RESET:
        this.resetModes();
        this.host.protocolReset();
        this.acknowledge([C0.SEP, SEP_STATUS.RESET_ACK]);
        break;
      case PRO1.DECONNEXION:
        this.host.protocolDisconnect();
        break;
      default:
        // CONNEXION, reversals and unknown codes: no modem here; filtered (p.148).
        break;
    }
  }

  /** PRO2 `ESC 3A x y` (p.136–143). */
  pro2(x: number, y: number): void {
    switch (x) {
      case PRO2.START:
      case PRO2.STOP: {
        const on = x === PRO2.START;
        if (y === PRO2_MODE.ROULEAU) this.modes.roll = on;
        else if (y === PRO2_MODE.MINUSCULES) this.modes.lowercase = on;
        else if (y !== PRO2_MODE.PROCEDURE) return;
        // PROCEDURE: the error-correction procedure needs a noisy line; over our links the
        // status answers with the PC bit off, which servers read as "not needed".
        this.replyOperatingMode(false);
        break;
      }
      case PRO2.PROG: {
        // Filtered when it comes from the network (p.148): only a DIN-port host may change speed.
        if (this.options.link !== 'din') return;
        const speed = speedFromProg(y);
        if (speed !== undefined && speed <= this.options.maxSpeed) this.modes.speed = speed;
        this.acknowledge([C0.ESC, 0x3a, PRO2.REP_STATUS_VITESSE, speedStatus(this.modes.speed)]);
        break;
      }
      case PRO2.TO: {
        const module = moduleOf(y);
        if (module) this.reply([C0.ESC, 0x3b, PRO3.REP_ROUTING, y, 0x40 | this.routing[module]]);
        break;
      }
      case PRO2.ACK_OFF:
      case PRO2.ACK_ON:
        this.setAcknowledgements(x === PRO2.ACK_ON, y);
        break;
      case PRO2.TRANSPARENCE: {
        const n = y & 0x7f;
        if (n === 0) return;
        this.host.protocolTransparency(n);
        this.acknowledge([C0.SEP, SEP_STATUS.TRANSPARENCY_ACK]);
        break;
      }
      case PRO2.STATUS:
        if (y === MODULE.KEYBOARD_RX) this.replyKeyboard(true);
        break;
      default:
        // OPPORE, COPIE, TELINFO and Mixte are modem, printer and 80-column features this
        // terminal does not offer; a terminal without them stays silent (p.148).
        break;
    }
  }

  /** PRO3 `ESC 3B x y z` (p.135–142). */
  pro3(x: number, y: number, z: number): void {
    if (x === PRO3.ON || x === PRO3.OFF) {
      const rx = moduleOf(y);
      const tx = moduleOf(z);
      if (!rx || !tx || y < MODULE.SCREEN_RX) return;
      // Same module on both sides blocks or unblocks it; otherwise the link tx → rx (p.135).
      if (x === PRO3.ON) this.routing[rx] |= BIT[tx];
      else this.routing[rx] &= ~BIT[tx];
      this.acknowledge([C0.ESC, 0x3b, PRO3.REP_ROUTING, y, 0x40 | this.routing[rx]]);
      return;
    }
    if ((x === PRO3.START || x === PRO3.STOP) && y === MODULE.KEYBOARD_RX) {
      const on = x === PRO3.START;
      if (z === KEYBOARD_MODE.EXTENDED) this.modes.extendedKeyboard = on;
      else if (z === KEYBOARD_MODE.C0_CURSOR) this.modes.c0CursorKeys = on;
      else return;
      this.replyKeyboard(false);
    }
  }

  private terminalStatus(): number {
    // `1 0 PT DP 0 VM EC`: carrier and 1200-baud reception when connected (p.146).
    return this.connected ? 0x4a : 0x40;
  }

  private replyOperatingMode(isStatusRequest: boolean): void {
    const m = this.modes;
    const status = 0x40 | (m.lowercase ? 8 : 0) | (m.roll ? 2 : 0);
    const bytes = [C0.ESC, 0x3a, PRO2.REP_STATUS_FONCTIONNEMENT, status];
    if (isStatusRequest) this.reply(bytes);
    else this.acknowledge(bytes);
  }

  private replyKeyboard(isStatusRequest: boolean): void {
    const m = this.modes;
    const status = 0x40 | (m.c0CursorKeys ? 4 : 0) | (m.extendedKeyboard ? 1 : 0);
    const bytes = [C0.ESC, 0x3b, PRO3.REP_STATUS_KEYBOARD, MODULE.KEYBOARD_RX, status];
    if (isStatusRequest) this.reply(bytes);
    else this.acknowledge(bytes);
  }

  /**
   * `64 c` / `65 c` (p.138): for a receiver code, broadcast of routing acks
   * (D bits, 1 = off); for a transmitter code, ack return to that side (A bits, 1 = none).
   */
  private setAcknowledgements(on: boolean, code: number): void {
    let bit = 0;
    if (code === MODULE.MODEM_RX) bit = 1;
    else if (code === MODULE.DIN_RX) bit = 2;
    else if (code === MODULE.MODEM_TX) bit = 4;
    else if (code === MODULE.DIN_TX) bit = 8;
    if (!bit) return;
    if (on) this.protocolStatus &= ~bit;
    else this.protocolStatus |= bit;
  }

  /** Acknowledgements go back unless ack return to our side was turned off (p.138). */
  private acknowledge(bytes: number[]): void {
    const noAckBit = this.options.link === 'din' ? 8 : 4;
    if (this.protocolStatus & noAckBit) return;
    this.reply(bytes);
  }
}

function defaultModes(): TerminalModes {
  return { roll: false, lowercase: false, extendedKeyboard: false, c0CursorKeys: false, speed: 1200 };
}

/** Connected routing (p.80): screen ← modem, modem ← keyboard and DIN, DIN ← modem; all modules active. */
function standardRouting(): Record<ModuleName, number> {
  return {
    screen: BIT.screen | BIT.modem,
    keyboard: BIT.keyboard,
    modem: BIT.modem | BIT.keyboard | BIT.din,
    din: BIT.din | BIT.modem,
  };
}

/** `1 E2E1E0 R2R1R0`: the same speed code for emission and reception (p.141). */
function speedStatus(speed: number): number {
  return SPEED_CODE[speed] ?? SPEED_CODE[1200];
}

function speedFromProg(code: number): number | undefined {
  // The PROG byte names the speed in its low 3 bits (the reception field, p.141).
  for (const [speed, value] of Object.entries(SPEED_CODE)) {
    if ((value & 7) === (code & 7)) return Number(speed);
  }
  return undefined;
}
