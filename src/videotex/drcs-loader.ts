/**
 * DRCS downloads (Minitel 2; docs/videotex.md §6.3): after `US 23`, either a
 * header that chooses the set (`20 20 20 42 49` for G'0, `… 43 49` for G'1)
 * or a first code, then shapes of 6-bit groups (bytes 40–7F), each closed by
 * 30, which also moves to the next code. Every count is bounded (limits.ts).
 */
import { DRCS_CODES, DRCS_FIRST_CODE, DRCS_SHAPE_BYTES, type Screen } from './screen.js';
import { LIMITS } from './limits.js';
import { State } from './parser-table.js';

const SP = 0x20;

export class DrcsLoader {
  private set: 0 | 1 = 0;
  private code = 0;
  private headerBytes = 0;
  private bytes = 0;
  private readonly shape = new Uint8Array(LIMITS.drcsBytesPerShape);

  constructor(private readonly screen: Screen) {}

  /** The byte after `US 23`; the state to go to. */
  start(b: number): State {
    if (b === SP) {
      this.headerBytes = 0;
      return State.DRCS_HEADER;
    }
    if (b >= DRCS_FIRST_CODE && b <= 0x7e) {
      this.code = b;
      this.bytes = 0;
      return State.DRCS_DATA;
    }
    return State.GROUND;
  }

  /** A header byte; the state to go to. */
  header(b: number): State {
    if (b === 0x42) this.set = 0;
    else if (b === 0x43) this.set = 1;
    return b === 0x49 || ++this.headerBytes >= LIMITS.drcsHeaderBytes ? State.GROUND : State.DRCS_HEADER;
  }

  /** A data byte; false when it ends the download (the byte is then decoded as any other). */
  data(b: number): boolean {
    if (b === 0x30) {
      if (this.bytes > 0) {
        this.commit();
        this.code++;
      }
      this.bytes = 0;
      this.shape.fill(0);
      return true;
    }
    if (b >= 0x40) {
      if (this.bytes < LIMITS.drcsBytesPerShape) this.shape[this.bytes++] = b & 0x3f;
      return true;
    }
    this.commit();
    return false;
  }

  /** Stores the shape being received (a sequence cut by a C0 keeps what came). */
  commit(): void {
    const count = this.bytes;
    this.bytes = 0;
    if (count === 0 || this.code < DRCS_FIRST_CODE || this.code >= DRCS_FIRST_CODE + DRCS_CODES) return;
    const target = this.screen.writableDrcsShape(this.set, this.code);
    // A bit accumulator: 6 bits in per group, 8 bits out per row.
    let bits = 0;
    let pending = 0;
    let group = 0;
    for (let row = 0; row < DRCS_SHAPE_BYTES; row++) {
      while (pending < 8) {
        bits = (bits << 6) | (group < count ? this.shape[group] : 0);
        group++;
        pending += 6;
      }
      pending -= 8;
      target[row] = (bits >> pending) & 0xff;
      bits &= (1 << pending) - 1;
    }
    this.shape.fill(0);
    this.screen.drcsVersion++;
    this.screen.markAllDirty();
  }
}
