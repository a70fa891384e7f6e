/**
 * The final bytes of a conversion. A full page is written two ways — by our
 * emitter (emit.ts), which follows the encodings chosen in orient.ts, and by
 * encodeScreen (videotex/encode.ts), the general byte-optimal encoder, given
 * the same oriented screen — and the shorter of those that decode to the
 * target is kept. A region is only ever written by our emitter: encodeScreen
 * starts with FF and assumes it knows every cell, but outside a region the
 * screen is unknown and must not be touched.
 *
 * Every candidate ends in G0, so the next page does not start in mosaics
 * (docs §11): SI is added when a stream would leave G1 selected.
 */
import { C0 } from '../videotex/codes.js';
import { encodeScreen } from '../videotex/encode.js';
import type { Screen } from '../videotex/screen.js';
import { Terminal } from '../videotex/terminal.js';
import { emitCells } from './emit.js';
import { isFullPage, type Region } from './geometry.js';
import type { CellEncodings } from './orient.js';
import { sameMosaicPixels } from './metrics.js';

/**
 * Whether a stream leaves G1 selected. In streams of mosaics and moves, SO,
 * SI, FF, RS and US bytes are always controls (parameters are 0x20 or above),
 * so the last of them decides (p.90, p.95–96).
 */
export function endsInG1(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const b = bytes[i];
    if (b === C0.SO) return true;
    if (b === C0.SI || b === C0.FF || b === C0.RS || b === C0.US) return false;
  }
  return false;
}

function endingInG0(bytes: Uint8Array): Uint8Array {
  if (!endsInG1(bytes)) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = C0.SI;
  return out;
}

/**
 * Decodes from a cleared page and compares the mosaic pixels shown. (Not
 * Screen.looksLike, which tells a full block in black from an empty black
 * mosaic; the emitter leaves the one where FF drew the other.)
 */
function draws(bytes: Uint8Array, target: Screen, region: Region): boolean {
  const terminal = new Terminal();
  terminal.write(bytes);
  return sameMosaicPixels(terminal.screen, target, region);
}

/** Which writer produced a stream. */
export type Writer = 'emitter' | 'encodeScreen';

export function streamFor(cells: CellEncodings, region: Region, target: Screen): { bytes: Uint8Array; writer: Writer } {
  const full = isFullPage(region);
  const ours = emitCells(cells, region, { clear: full });
  if (!full) return { bytes: ours, writer: 'emitter' };
  const general = endingInG0(encodeScreen(target));
  if (general.length < ours.length && draws(general, target, region)) return { bytes: general, writer: 'encodeScreen' };
  return { bytes: ours, writer: 'emitter' };
}
