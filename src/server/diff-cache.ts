/**
 * Diffs shared between sessions. Thousands of sessions go through the same
 * transitions — a cleared screen to the home page, the home page to a
 * service's first page — and each of those diffs costs the encoder a few
 * milliseconds. They are kept here by (what the terminal shows, what is
 * wanted); a session whose mirror and wanted screen hash the same reuses the
 * bytes, and the pacer checks the result on its own mirror, so a collision
 * can cost bytes but never correctness.
 */
import type { Screen } from '../videotex/screen.js';
import type { Terminal } from '../videotex/terminal.js';

/** Entries kept; a full-page diff is 1–3 KB, so the cache stays under 1 MB. */
export const DIFF_CACHE_ENTRIES = 256;
/** Smaller diffs are cheap to compute and rarely shared: not kept. */
export const DIFF_CACHE_MIN_BYTES = 64;

/** FNV-1a over the cells and the cursor: two different seeds make a 64-bit key. */
function hashScreen(screen: Screen, seed: number): number {
  let h = seed >>> 0;
  const cells = screen.cells;
  for (let i = 0; i < cells.length; i++) {
    h = Math.imul(h ^ cells[i], 0x01000193);
  }
  h = Math.imul(h ^ (screen.cursorVisible ? 0x10000 : 0) ^ (screen.cursorRow << 8) ^ screen.cursorColumn, 0x01000193);
  h = Math.imul(h ^ (screen.globalMask ? 1 : 0), 0x01000193);
  return h >>> 0;
}

export class DiffCache {
  private readonly entries = new Map<string, Uint8Array>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = DIFF_CACHE_ENTRIES) {}

  /** The key for going from `mirror` to `wanted`, or undefined when they cannot be cached (DRCS in play). */
  key(mirror: Terminal, wanted: Screen): string | undefined {
    const from = mirror.screen;
    if (from.drcsVersion !== 0 || wanted.drcsVersion !== 0) return undefined;
    const designations = mirror.drcsDesignations;
    const modes = mirror.modes;
    const flags = (mirror.insertMode ? 1 : 0) | (modes.roll ? 2 : 0) | (designations.g0 ? 4 : 0) | (designations.g1 ? 8 : 0);
    return `${hashScreen(from, 0x811c9dc5)}.${hashScreen(from, 0x2f3b5a17)}.${hashScreen(wanted, 0x811c9dc5)}.${hashScreen(wanted, 0x2f3b5a17)}.${flags}.${mirror.model}`;
  }

  get(key: string): Uint8Array | undefined {
    const bytes = this.entries.get(key);
    if (bytes === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, bytes);
    return bytes;
  }

  set(key: string, bytes: Uint8Array): void {
    if (bytes.length < DIFF_CACHE_MIN_BYTES) return;
    this.entries.delete(key);
    this.entries.set(key, bytes);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
