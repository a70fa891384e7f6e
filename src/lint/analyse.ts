/**
 * `lintPage`: what a page file holds that real terminals trip on. The file
 * itself first — FF padding, a final SUB, a parity capture, UTF-8 or Latin-1
 * text, embedded JPEG — then every byte through the Walker (walker.ts), which
 * follows the Videotex state. Findings come back in offset order with counts
 * per rule and the time the page takes on the line.
 */
import { C0 } from '../videotex/codes.js';
import { RULES, RULE_IDS, type RuleId } from './rules.js';
import { LINT_SPEEDS, transmissionSeconds } from './timing.js';
import { hex, isLatin1Letter, oddWeight, shownAs } from './bytes.js';
import { Walker, type Finding } from './walker.js';

export { MAX_FINDINGS_PER_RULE, type Finding } from './walker.js';

export interface LintReport {
  bytes: number;
  /** Seconds on the line at each speed, bytes × 10 / baud. */
  seconds: Record<(typeof LINT_SPEEDS)[number], number>;
  /** Findings in offset order, at most MAX_FINDINGS_PER_RULE of each rule. */
  findings: Finding[];
  /** Occurrences per rule, all of them. */
  counts: Partial<Record<RuleId, number>>;
  errors: number;
  warnings: number;
}

/** A file is taken as saved with parity when this share of its odd-weight bytes have bit 7 set. */
const PARITY_CAPTURE_SHARE = 0.9;
/** Below this many odd-weight bytes, there is too little to tell a parity capture. */
const PARITY_CAPTURE_MIN = 16;
/** FF bytes some capture tools pad files with. */
const PADDING = 0xff;

/** Length of a well-formed UTF-8 multi-byte character at i (2–4), or 0. */
function utf8Length(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i];
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > end) return 0;
  for (let k = 1; k < length; k++) {
    if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return 0;
  }
  return length;
}

/** Where JPEG data starts (FF D8 FF) at or after `from`, or -1. */
function jpegStart(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 2 < end; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd8 && bytes[i + 2] === 0xff) return i;
  }
  return -1;
}

/** The end of a JPEG run (just after FF D9), or `end` if it never closes. */
function jpegEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from + 2; i + 1 < end; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return i + 2;
  }
  return end;
}

export function lintPage(bytes: Uint8Array): LintReport {
  const walker = new Walker(bytes);
  // Padding first: what follows it is reported on its own (docs §11).
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === PADDING) end--;
  if (end < bytes.length) {
    walker.report('trailing-ff', end, () => `${bytes.length - end} bytes of FF padding at the end`);
  }
  if (end > 0 && bytes[end - 1] === C0.SUB) {
    end--;
    walker.report('final-sub', end, () => '1A at the end of the file');
  }

  // Is the page saved with parity? Then bit 7 is the parity of the other seven.
  let oddBytes = 0;
  let oddWithBit7 = 0;
  for (let i = 0; i < end; i++) {
    if (oddWeight(bytes[i])) {
      oddBytes++;
      if (bytes[i] & 0x80) oddWithBit7++;
    }
  }
  const parityCapture = oddBytes >= PARITY_CAPTURE_MIN && oddWithBit7 >= oddBytes * PARITY_CAPTURE_SHARE;
  let parityBytes = 0;
  let firstParityByte = -1;

  let nextJpeg = jpegStart(bytes, 0, end);
  for (let i = 0; i < end; i++) {
    if (i === nextJpeg) {
      const stop = jpegEnd(bytes, i, end);
      walker.report('jpeg', i, () => `${stop - i} bytes of JPEG data${stop === end ? ' (not closed by FF D9)' : ''}`);
      i = stop - 1;
      nextJpeg = jpegStart(bytes, stop, end);
      continue;
    }
    const raw = bytes[i];
    if (raw & 0x80) {
      if (parityCapture) {
        if (oddWeight(raw)) {
          parityBytes++;
          if (firstParityByte < 0) firstParityByte = i;
        } else {
          walker.report('parity-error', i, () => `${hex(raw)}: bit 7 set but the parity is odd`);
        }
      } else {
        const utf8 = utf8Length(bytes, i, end);
        if (utf8 > 0) {
          const text = Array.from(bytes.subarray(i, i + utf8), hex).join(' ');
          walker.report('utf8-text', i, () => `${text} is UTF-8 '${new TextDecoder().decode(bytes.subarray(i, i + utf8))}'`);
          // The terminal still receives every byte, masked: decode them so the state stays right.
          for (let k = 0; k < utf8; k++) walker.byte(bytes[i + k] & 0x7f, i + k);
          i += utf8 - 1;
          continue;
        }
        if (isLatin1Letter(raw) && walker.inText) {
          walker.report('latin1-accent', i, () => `${hex(raw)} is Latin-1 '${String.fromCharCode(raw)}'; a Minitel shows ${shownAs(raw)}`);
        } else {
          const latin1 = raw >= 0xa0 && raw < 0xff ? ` (Latin-1 '${String.fromCharCode(raw)}')` : '';
          walker.report('eight-bit', i, () => `${hex(raw)}${latin1} has bit 7 set; a Minitel shows ${shownAs(raw)}`);
        }
      }
    }
    walker.byte(raw & 0x7f, i);
  }
  if (parityBytes > 0) {
    walker.report('parity-bit', firstParityByte, () => `${parityBytes} bytes carry an even-parity bit 7 (first at offset ${firstParityByte})`);
  }
  walker.finish(end);

  const findings = walker.findings.sort((a, b) => a.offset - b.offset || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule));
  let errors = 0;
  let warnings = 0;
  for (const id of RULE_IDS) {
    const count = walker.counts[id] ?? 0;
    if (RULES[id].severity === 'error') errors += count;
    else warnings += count;
  }
  const seconds = Object.fromEntries(LINT_SPEEDS.map((baud) => [baud, transmissionSeconds(bytes.length, baud)])) as LintReport['seconds'];
  return { bytes: bytes.length, seconds, findings, counts: walker.counts, errors, warnings };
}
