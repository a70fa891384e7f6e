/**
 * A wanted screen that remembers the last few bytes written into it since
 * the pacer last synchronised the line. When they are few and start with an
 * absolute move (US, RS or FF: position and attributes reset, p.95–96), they
 * are nearly the cheapest way to bring the mirror along — a typed character
 * echoed with `US r c x` is 4 bytes where a diff could save at most the 3 of
 * the move — and replaying them costs microseconds where a diff costs a
 * screen comparison. The pacer checks the result and diffs whatever differs.
 */
import { Terminal } from '../videotex/terminal.js';

/** Journals longer than this are dropped: a diff is then worth its cost. */
export const JOURNAL_MAX_BYTES = 64;

const ESC = 0x1b;
const BEL = 0x07;
const FF = 0x0c;
const RS = 0x1e;
const US = 0x1f;

export class RecordingTerminal extends Terminal {
  private journal: Uint8Array | undefined;
  private journalLength = 0;
  private overflowed = false;

  override write(data: ArrayLike<number>): void {
    super.write(data);
    if (this.overflowed) return;
    if (this.journalLength + data.length > JOURNAL_MAX_BYTES) {
      this.overflowed = true;
      return;
    }
    const journal = (this.journal ??= new Uint8Array(JOURNAL_MAX_BYTES));
    for (let i = 0; i < data.length; i++) journal[this.journalLength++] = data[i] & 0x7f;
  }

  /**
   * The bytes written since the last call if they can be replayed on another
   * terminal as they are, else undefined. Starts a new journal either way.
   */
  takeReplay(): Uint8Array | undefined {
    const length = this.journalLength;
    const usable = !this.overflowed && length > 0 && replayable(this.journal!, length);
    this.journalLength = 0;
    this.overflowed = false;
    if (!usable) return undefined;
    // A slice of Node's buffer pool, not an ArrayBuffer of its own: this runs for every echoed key.
    const replay = Buffer.allocUnsafe(length);
    const journal = this.journal!;
    for (let i = 0; i < length; i++) replay[i] = journal[i];
    return replay;
  }

  /** Forgets the journal (the pacer synchronised by a diff). */
  dropJournal(): void {
    this.journalLength = 0;
    this.overflowed = false;
  }
}

/**
 * Replayable: starts with an absolute move, and holds nothing a diff would not
 * send — no Protocole command or cursor request (ESC 39/3A/3B/61, p.134), no BEL.
 */
function replayable(bytes: Uint8Array, length: number): boolean {
  const first = bytes[0];
  if (first === US) {
    if (length < 3) return false;
  } else if (first !== FF && first !== RS) {
    return false;
  }
  for (let i = 0; i < length; i++) {
    const b = bytes[i];
    if (b === BEL) return false;
    if (b === ESC && i + 1 < length) {
      const next = bytes[i + 1];
      if (next === 0x39 || next === 0x3a || next === 0x3b || next === 0x61) return false;
    }
  }
  return bytes[length - 1] !== ESC;
}
