/**
 * What a terminal can do, from its ENQROM reply (`01 m t v 04`, STUM1B p.139;
 * docs/videotex.md §7.5). Servers key on the type byte; parseEnqrom
 * (src/videotex/key-parser.ts) turns it into a model.
 */
import type { EnqromInfo } from '../videotex/key-parser.js';
import type { TerminalModel } from '../videotex/protocol.js';
import type { TerminalCapabilities } from '../sdk/link.js';

/** ENQROM, PRO1 7B (p.139): "who are you?". */
export const ENQROM_REQUEST = Uint8Array.of(0x1b, 0x39, 0x7b);

/** Fastest DIN-port speed by model: 4800 on a 1B (p.141), 9600 on a Minitel 2 [M2]. */
export function topSpeedOf(model: string): number {
  switch (model) {
    case 'minitel2':
    case 'emulator':
      return 9600;
    case 'minitel1b':
    case 'minitel10b':
    case 'minitel5':
    case 'minitel12':
      return 4800;
    default:
      return 1200;
  }
}

/**
 * Capabilities for an ENQROM reply, or for no reply (null): then the terminal
 * gets the Minitel 1B profile — no DRCS — and the model 'unknown', as
 * src/sdk/link.ts asks.
 *
 * 80 columns (Mixte, p.105) are never offered: most Minitels have them, but the
 * session's mirror Terminal emulates the 40-column Videotex mode only, so a
 * service that switched to Mixte would make every later diff wrong.
 */
export function capabilitiesOf(info: EnqromInfo | null, speed: number): TerminalCapabilities {
  if (info === null) return { model: 'unknown', speed, drcs: false, columns80: false };
  const model = info.model;
  return {
    model,
    speed,
    // DRCS are a Minitel 2 feature [M2]; emulators that answer ENQROM offer them too (§7.5).
    drcs: model === 'minitel2' || model === 'emulator',
    columns80: false,
    rom: `${info.maker}${String.fromCharCode(info.type)}${info.version}`,
  };
}

/** The decoder model a session's terminals use: a 1B filters DRCS as the real one does. */
export function decoderModelOf(capabilities: TerminalCapabilities): TerminalModel {
  return capabilities.drcs ? 'minitel2' : 'minitel1b';
}
