/** One test per lint rule, each with a tiny hand-written page. */
import { describe, expect, it } from 'vitest';
import { hex } from '../test-support/videotex.js';
import { lintPage, type Finding } from './analyse.js';
import { RULE_IDS, RULES, type RuleId } from './rules.js';

function findings(source: string | Uint8Array): Finding[] {
  return lintPage(typeof source === 'string' ? hex(source) : source).findings;
}

/** The only finding of a page, checked for rule and offset. */
function expectOnly(source: string | Uint8Array, rule: RuleId, offset: number): Finding {
  const found = findings(source);
  expect(found.map((f) => [f.rule, f.offset])).toEqual([[rule, offset]]);
  return found[0];
}

/** A page saved with parity: bit 7 = even parity of the other seven. */
function withParity(bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes, (b) => {
    let ones = 0;
    for (let v = b; v; v >>= 1) ones += v & 1;
    return ones % 2 ? b | 0x80 : b;
  });
}

const TEXT = Array.from('Bonjour Minitel, voici une page de texte.', (c) => c.charCodeAt(0));

describe('lint rules', () => {
  it('has one table entry per rule id, each with a severity and a reference', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      expect(['error', 'warning']).toContain(RULES[id].severity);
      expect(RULES[id].reference).toMatch(/p\.\d+|docs §\d+/);
    }
  });

  it('parity-bit: a page saved from a 7E1 line is reported once, as a warning', () => {
    const page = withParity([0x0c, ...TEXT]);
    // 'B' and 'o' have an even number of ones; 'n' (offset 3) is the first to carry bit 7.
    const found = expectOnly(page, 'parity-bit', 3);
    expect(found.severity).toBe('warning');
    expect(found.message).toMatch(/^\d+ bytes carry an even-parity bit 7/);
  });

  it('parity-error: in a page saved with parity, a byte whose parity is wrong', () => {
    const page = withParity([0x0c, ...TEXT]);
    page[5] ^= 0x80; // 'j' (0x6A, even weight) now has bit 7 set: odd parity
    const found = findings(page).map((f) => [f.rule, f.offset]);
    expect(found).toContainEqual(['parity-error', 5]);
  });

  it('eight-bit: a byte with bit 7 set in a 7-bit page', () => {
    expectOnly('0C 41 9B 42', 'eight-bit', 2);
    // 0xFF inside a page is DEL once masked, not a 'ÿ'.
    expect(expectOnly('0C 41 FF 42', 'eight-bit', 2).message).toBe('FF has bit 7 set; a Minitel shows a full block (DEL)');
  });

  it('latin1-accent: é saved as Latin-1 0xE9 (a Minitel shows i)', () => {
    const found = expectOnly('0C 63 61 66 E9', 'latin1-accent', 4);
    expect(found.message).toContain("shows 'i'");
    // The same byte as a REP count or a mosaic is not text.
    expectOnly('0C 41 12 C5', 'eight-bit', 3);
    expectOnly('0C 0E E9 0F', 'eight-bit', 2);
  });

  it('utf8-text: é saved as UTF-8 C3 A9', () => {
    expectOnly('0C 63 61 66 C3 A9 20 6F 6B', 'utf8-text', 4);
  });

  it('trailing-ff: 0xFF padding at the end', () => {
    expectOnly('0C 41 FF FF FF', 'trailing-ff', 2);
  });

  it('final-sub: a DOS end-of-file 0x1A at the end', () => {
    expectOnly('0C 41 1A', 'final-sub', 2);
    // Only the last one: an earlier SUB is an ordinary error block.
    expectOnly('0C 41 1A 1A', 'final-sub', 3);
  });

  it('final-sub and trailing-ff together: the SUB before the padding (docs §11)', () => {
    expect(findings('0C 41 1A FF FF').map((f) => [f.rule, f.offset])).toEqual([['final-sub', 2], ['trailing-ff', 3]]);
  });

  it('jpeg: an embedded JPEG run, reported once and skipped', () => {
    const found = expectOnly('0C 41 FF D8 FF E0 00 10 8A 9B FF D9 42', 'jpeg', 2);
    expect(found.message).toBe('10 bytes of JPEG data');
  });

  it('transparency-unclosed: ESC 25 with no end', () => {
    expectOnly('0C 41 1B 25 42 43', 'transparency-unclosed', 2);
    expect(findings('0C 1B 25 42 1B 25 40 43')).toEqual([]);
    expect(findings('0C 1B 25 0E 42 1B 2F 3F 43')).toEqual([]);
  });

  it('transparency-stray-end: ESC 2F 3F with no ESC 25 before it', () => {
    expectOnly('0C 41 1B 2F 3F', 'transparency-stray-end', 2);
  });

  it('ends-in-g1: the page ends in mosaics', () => {
    expectOnly('0C 0E 7F', 'ends-in-g1', 3);
    expect(findings('0C 0E 7F 0F')).toEqual([]);
    expect(findings('0C 0E 7F 1E')).toEqual([]);
  });

  it('ends-pending-zone: a background waiting for its delimiter', () => {
    expectOnly('0C 41 1B 54', 'ends-pending-zone', 4);
    expect(findings('0C 41 1B 54 20')).toEqual([]);
    // In G1 a background applies to the next mosaic at once (p.93).
    expect(findings('0C 0E 1B 54 7F 0F')).toEqual([]);
    // A space repeated by REP is displayed with the current attributes: the delimiter (p.98).
    expect(findings('0C 20 1B 54 12 41 41')).toEqual([]);
  });

  it('ends-double-size: double size left on', () => {
    expectOnly('0C 1F 45 41 1B 4F 41', 'ends-double-size', 7);
    expect(findings('0C 1F 45 41 1B 4F 41 1B 4C')).toEqual([]);
  });

  it('ends-in-row-0: the cursor left in row 0', () => {
    expectOnly('0C 1F 40 41 41 42', 'ends-in-row-0', 6);
    expect(findings('0C 1F 40 41 41 42 0A')).toEqual([]);
  });

  it('drcs: a DRCS download and a DRCS designation', () => {
    const found = findings('0C 1F 23 20 20 20 42 49 1F 23 21 30 7F 7F 1F 41 41 1B 28 20 42 21 1B 28 40');
    expect(found.map((f) => [f.rule, f.offset])).toEqual([
      ['drcs', 1],
      ['drcs', 8],
      ['drcs', 17],
      ['drcs', 22],
    ]);
  });

  it('iso2022: another ISO 2022 sequence; the global mask is not one to report', () => {
    expectOnly('0C 1B 21 23 24 30 41', 'iso2022', 1);
    expect(findings('0C 1B 23 20 5F 41')).toEqual([]);
  });

  it('mixte-teleinfo: switching to Mixte or Teleinfo', () => {
    expectOnly('0C 1B 3A 32 7D', 'mixte-teleinfo', 1);
    expectOnly('0C 1B 3A 31 7D', 'mixte-teleinfo', 1);
    expect(findings('0C 1B 3A 32 7E 1B 3A 69 43')).toEqual([]);
  });

  it('legacy-us: US 3X 3Y addressing', () => {
    expectOnly('0C 1F 31 32 41', 'legacy-us', 1);
  });

  it('bad-us: an off-screen or malformed US', () => {
    expectOnly('0C 1F 5A 41 42', 'bad-us', 1);
    expectOnly('0C 1F 45 69 42', 'bad-us', 1);
    expectOnly('0C 1F 25 41 42', 'bad-us', 1);
  });

  it('syn: a SYN, which emulators take as SS2', () => {
    expect(expectOnly('0C 16 42 65', 'syn', 1).message).toBe("SYN 42 65 looks meant as SS2 (an accent); send 19 instead: a terminal that follows STUM1B shows 'Be'");
    expect(expectOnly('0C 41 16', 'syn', 2).message).toBe('SYN (16)');
  });

  it('g1-blank: G1 codes 0x40–0x5F, but not the same bytes in G0', () => {
    expectOnly('0C 0E 5F 7F 0F', 'g1-blank', 2);
    expect(findings('0C 5F 40 0E 7F 0F 40')).toEqual([]);
  });

  it('csi-row-0: CSI while the cursor is in row 0', () => {
    expectOnly('0C 1F 40 41 1B 5B 32 4B 0A', 'csi-row-0', 4);
    expect(findings('0C 1B 5B 32 4B')).toEqual([]);
  });

  it('size-rows-0-1: double height on row 1, any size on row 0', () => {
    expectOnly('0C 1B 4D 41 1B 4C', 'size-rows-0-1', 1);
    expectOnly('0C 1F 40 41 1B 4E 41 0A', 'size-rows-0-1', 4);
    // Double width on row 1 and double height on row 2 are fine.
    expect(findings('0C 1B 4E 41 1F 42 41 1B 4D 41 1B 4C')).toEqual([]);
  });

  it('size-rows-0-1: the row counts wraps, LF and REP', () => {
    // 40 characters wrap to row 2, where double height works; REP moves on by its count.
    expect(findings(`0C ${'41 '.repeat(40)} 1B 4D 41 1B 4C`)).toEqual([]);
    expect(findings('0C 41 12 67 1B 4D 41 1B 4C')).toEqual([]);
    expectOnly('0C 41 12 65 1B 4D 41 1B 4C', 'size-rows-0-1', 4);
  });

  it('size-rows-0-1: G2 characters, error blocks and REP copies take the current size (p.91, p.98–99)', () => {
    // Twenty double-width characters fill row 1, so ESC 4D comes on row 2.
    expect(findings(`1E 1B 4E ${'19 42 65 '.repeat(20)} 1B 4D 41 1B 4C`)).toEqual([]);
    expect(findings(`1E 1B 4E ${'19 23 '.repeat(20)} 1B 4D 41 1B 4C`)).toEqual([]);
    expect(findings(`1E 1B 4E ${'1A '.repeat(20)} 1B 4D 41 1B 4C`)).toEqual([]);
    // REP repeats a normal-width A in the double width now in force.
    expect(findings('1E 41 1B 4E 12 54 1B 4D 41 1B 4C')).toEqual([]);
  });

  it('unknown-esc: ESC with a final that means nothing', () => {
    expectOnly('0C 1B 5E 41', 'unknown-esc', 1);
    expectOnly('0C 1B 70 41', 'unknown-esc', 1);
  });

  it('bad-rep: REP with a count byte below 0x40', () => {
    expectOnly('0C 41 12 21', 'bad-rep', 2);
  });

  it('aborted-sequence: a sequence cut by a control byte', () => {
    expectOnly('0C 1F 45 0D 41', 'aborted-sequence', 1);
    expectOnly('0C 1B 0A 41', 'aborted-sequence', 1);
  });

  it('Protocole commands inside a sequence do not abort it (p.134, p.148)', () => {
    expect(findings('0C 41 12 1B 39 7B 43')).toEqual([]);
    expect(findings('0C 1F 45 1B 39 7B 41 42')).toEqual([]);
  });
});

describe('lint follows the page as the decoder reads it', () => {
  it('SYN letter pairs take one cell, as SS2 does, so later findings point at the right place', () => {
    // SYN 42 65 is é in one cell, so 38 letters leave the cursor at (1,40), where double
    // height is refused; read as two cells ("Be"), the letters would wrap to row 2.
    const report = lintPage(hex(`0C 16 42 65 ${Array(38).fill('41').join(' ')} 1B 4D`));
    expect(report.counts['size-rows-0-1']).toBe(1);
  });

  it('legacy US 30 30 goes to row 0, as period pages use it', () => {
    // Sizes are refused in row 0, which lint reports once it knows the cursor is there.
    const report = lintPage(hex('0C 1F 45 45 1F 30 30 1B 4F'));
    expect(report.counts['size-rows-0-1']).toBe(1);
  });
});
