/**
 * The rarer escape sequences: ISO 2022 forms (`ESC 2x … F`: the global mask
 * and DRCS designations, p.94, p.99), screen transparency (`ESC 25` …
 * `ESC 25 40` or `ESC 2F 3F`, p.99), and Photo-Videotex picture blocks
 * (`ESC 70`, docs/videotex.md §11), which are skipped whole.
 */
import { C0, ESC_OTHER } from './codes.js';
import { LIMITS } from './limits.js';
import type { Screen } from './screen.js';
import type { ScreenWriter } from './screen-writer.js';

const SP = 0x20;

/** An ISO 2022 sequence's final byte, with its intermediates: what it does (anything else is filtered, p.99). */
export function isoSequence(intermediates: readonly number[], final: number, writer: ScreenWriter, screen: Screen, drcs: boolean): void {
  const i = intermediates;
  if (i.length === 2 && i[0] === ESC_OTHER.GLOBAL && i[1] === SP) {
    if (final === 0x58) setGlobalMask(screen, true);
    else if (final === 0x5f) setGlobalMask(screen, false);
  } else if (drcs && i[0] === ESC_OTHER.DESIGNATE_G0) {
    if (i.length === 1 && final === 0x40) writer.drcsG0 = false;
    else if (i.length === 2 && i[1] === SP && final === 0x42) writer.drcsG0 = true;
  } else if (drcs && i[0] === ESC_OTHER.DESIGNATE_G1) {
    if (i.length === 1 && final === 0x63) writer.drcsG1 = false;
    else if (i.length === 2 && i[1] === SP && final === 0x43) writer.drcsG1 = true;
  }
}

function setGlobalMask(screen: Screen, on: boolean): void {
  if (screen.globalMask === on) return;
  screen.globalMask = on;
  screen.markAllDirty();
}

/** Screen transparency: everything is ignored up to its terminator. */
export class TransparencyMatcher {
  /** Progress through a terminator: 0 none, 1 after ESC, 2 after ESC 25 / ESC 2F. */
  private match = 0;
  private final = 0;

  start(): void {
    this.match = 0;
  }

  /** A byte inside the transparency; true when it ended it. */
  byte(b: number): boolean {
    if (this.match === 1) {
      if (b === 0x25 || b === 0x2f) {
        this.match = 2;
        this.final = b === 0x25 ? 0x40 : 0x3f;
        return false;
      }
    } else if (this.match === 2 && b === this.final) {
      this.match = 0;
      return true;
    }
    this.match = b === C0.ESC ? 1 : 0;
    return false;
  }
}

/**
 * Pages for photo terminals embed pictures as `ESC 70`, three header bytes
 * (`23 40 7F` in every page we have), a length in 5-bit groups (bit 5 set on
 * all but the last group) and that many bytes of picture data, JPEG included.
 * We show no picture, but skip the block whole, as reference emulators do,
 * instead of printing its bytes as garbage.
 */
export class PhotoBlockHeader {
  private headerBytes = 0;
  private length = 0;

  start(): void {
    this.headerBytes = 0;
    this.length = 0;
  }

  /** A header byte; the number of data bytes to skip once the header is complete, else undefined. */
  byte(b: number): number | undefined {
    if (this.headerBytes < 3) {
      this.headerBytes++;
      return undefined;
    }
    this.length = Math.min((this.length << 5) | (b & 0x1f), LIMITS.photoBlockBytes);
    if (b & 0x20 && ++this.headerBytes < 3 + LIMITS.photoLengthBytes) return undefined;
    return this.length;
  }
}
