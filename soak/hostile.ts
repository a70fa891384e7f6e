/**
 * User text that tries to reach other terminals as commands: Protocole
 * sequences (PRO1/PRO2/PRO3, p.134–146) that would switch a reader's
 * terminal to local echo off, lock its keyboard, change its speed or make it
 * answer; DRCS loads and set designations (docs §6.3); clear screen, CSI,
 * shifts, NUL and DEL. Each carries the marker "ZQ" so a reader's Minitel
 * can tell which bytes came from it: from the marker to the next absolute
 * positioning (US), where the server's painting of the user's row ends, a
 * chunk must hold none of those sequences, and it must not change the
 * reader's terminal state. (Function-key codes are left out: a user pressing
 * Envoi in the middle of a line is a shorter line, not an attack.)
 */
import type { Terminal } from '../src/videotex/terminal.js';

export const MARKER = 'ZQ';

const NASTIES = [
  '\x1b;\x60\x58\x52', // PRO3 OFF screen ← modem: local echo cut
  '\x1b;\x61\x58\x52', // PRO3 ON: local echo on
  '\x1b:\x69\x45', // PRO2 START lower case
  '\x1b:\x6a\x43', // PRO2 STOP cursor keys
  '\x1b:\x6b\x7f', // PROG 9600
  '\x1b9\x7b', // ENQROM: make the reader's Minitel answer
  '\x1b9\x7f', // RESET
  '\x1b9\x67', // DISCONNECT
  '\x1f\x23\x20\x20\x20\x42\x49', // DRCS header
  '\x1b\x28\x20\x42', // G0 ← G'0 (DRCS)
  '\x1b\x29\x20\x43', // G1 ← G'1
  '\x0c', // clear screen
  '\x1b\x5b\x32\x4a', // CSI 2 J
  '\x1b\x5b\x34\x68', // CSI 4 h: insert mode
  '\x0e', // SO: mosaic set
  '\x18', // CAN
  '\x00',
  '\x7f',
  '\x1b\x25', // ESC %: transparency
];

/** The byte sequences a chunk holding the marker must not carry. */
const FORBIDDEN: { name: string; bytes: number[] }[] = [
  { name: 'PRO1', bytes: [0x1b, 0x39] },
  { name: 'PRO2', bytes: [0x1b, 0x3a] },
  { name: 'PRO3', bytes: [0x1b, 0x3b] },
  { name: 'DRCS header', bytes: [0x1f, 0x23] },
  { name: 'G0 designation', bytes: [0x1b, 0x28] },
  { name: 'G1 designation', bytes: [0x1b, 0x29] },
  { name: 'transparency', bytes: [0x1b, 0x25] },
  { name: 'clear screen', bytes: [0x0c] },
  { name: 'CSI 2 J', bytes: [0x1b, 0x5b, 0x32, 0x4a] },
  { name: 'insert mode', bytes: [0x1b, 0x5b, 0x34, 0x68] },
];

export interface LeakWatch {
  /** Chunks a reader received holding the marker (each one checked). */
  checked: number;
  /** Leaks found, and the first EXAMPLES_KEPT of them described: a run that leaks everywhere keeps its memory. */
  found: number;
  leaks: string[];
}

const EXAMPLES_KEPT = 100;

export function newLeakWatch(): LeakWatch {
  return { checked: 0, found: 0, leaks: [] };
}

function leak(watch: LeakWatch, description: string): void {
  watch.found++;
  if (watch.leaks.length < EXAMPLES_KEPT) watch.leaks.push(description);
}

/** Marker letters and nasty sequences mixed, within `length` characters. */
export function hostileText(length: number): string {
  let text = MARKER;
  while (text.length < length) {
    text += Math.random() < 0.6 ? NASTIES[Math.floor(Math.random() * NASTIES.length)] : String.fromCharCode(0x41 + Math.floor(Math.random() * 26));
  }
  return text;
}

function stateOf(terminal: Terminal): string {
  return JSON.stringify({ modes: terminal.modes, echo: terminal.localEcho, insert: terminal.insertMode, drcs: terminal.drcsDesignations });
}

function indexOf(bytes: Uint8Array, pattern: readonly number[], from = 0): number {
  for (let i = from; i + pattern.length <= bytes.length; i++) if (matchesAt(bytes, pattern, i)) return i;
  return -1;
}

function matchesAt(bytes: Uint8Array, pattern: readonly number[], at: number): boolean {
  if (at + pattern.length > bytes.length) return false;
  for (let j = 0; j < pattern.length; j++) if (bytes[at + j] !== pattern[j]) return false;
  return true;
}

const US = 0x1f;

const MARKER_BYTES = Array.from(MARKER, (c) => c.charCodeAt(0));

/** Checks each chunk `terminal` is about to decode: call it before terminal.write(bytes). Returns the checker. */
export function watchForLeaks(watch: LeakWatch, terminal: Terminal): (bytes: Uint8Array) => void {
  return (bytes) => {
    let marker = indexOf(bytes, MARKER_BYTES);
    if (marker < 0) return;
    watch.checked++;
    while (marker >= 0) {
      // From the marker to the next US: the user's text as the server painted it (a new row starts with US).
      let i = marker;
      for (; i < bytes.length; i++) {
        const sequence = FORBIDDEN.find(({ bytes: pattern }) => matchesAt(bytes, pattern, i));
        if (sequence) leak(watch, `${sequence.name} after user text: ${Buffer.from(bytes.subarray(Math.max(0, marker - 8), i + 8)).toString('hex')}`);
        if (bytes[i] === US) break;
      }
      marker = indexOf(bytes, MARKER_BYTES, Math.max(i, marker + 1));
    }
    const before = stateOf(terminal);
    queueMicrotask(() => {
      const after = stateOf(terminal);
      if (after !== before) leak(watch, `terminal state changed by a chunk carrying user text: ${before} → ${after}`);
    });
  };
}
