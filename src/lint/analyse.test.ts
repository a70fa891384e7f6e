import { describe, expect, it } from 'vitest';
import { CORPUS_SKIP_MESSAGE, corpusAvailable, corpusPages, readCorpusPage } from '../test-support/reference-pages.js';
import { randomBytes } from '../test-support/fake-io.js';
import { hex } from '../test-support/videotex.js';
import { convertImage } from '../convert/convert.js';
import { VideotexBuilder } from '../videotex/builder.js';
import { testPattern } from '../convert/fixtures/pattern.js';
import { lintPage, MAX_FINDINGS_PER_RULE } from './analyse.js';
import { RULE_IDS } from './rules.js';

/** A page written by hand the way a careful service would: FF, row 0 cleared, text, zones, mosaics, accents. */
const CLEAN_PAGE = hex(`
  14 0C 1F 40 41 18 0A
  1F 42 41 1B 44 1B 4D 54 45 4C 45 54 45 4C 1B 4C
  1F 43 41 1B 54 20 1B 47 50 61 67 65 20 64 27 61 63 63 75 65 69 6C 18
  1F 45 41 43 61 66 19 42 65 20 19 41 61 20 4C 69 6C 6C 65
  1F 46 41 0E 1B 45 1B 52 7F 12 4A 60 30 0F
  1F 50 41 1B 5A 20 53 6F 75 6C 69 67 6E 19 42 65 1B 59 20
  1F 58 41 1B 5D 20 45 6E 76 6F 69 20 1B 5C 20 1B 23 20 5F 11
`);

describe('lint analysis', () => {
  it('finds nothing in a clean hand-written page', () => {
    const report = lintPage(CLEAN_PAGE);
    expect(report.findings).toEqual([]);
    expect([report.errors, report.warnings]).toEqual([0, 0]);
  });

  it('finds nothing in a page built with the VideotexBuilder', () => {
    const page = new VideotexBuilder()
      .clear()
      .row0('Teletel')
      .moveTo(3, 1).foreground(3).doubleHeight().text('Bienvenue à Lille').normalSize()
      .moveTo(5, 1).background(4).text(' Menu ')
      .moveTo(7, 1).color(1, 2).mosaic(0x7f, 0x35).repeat(5)
      .moveTo(9, 1).underline().text('Suite').underline(false)
      .moveTo(24, 1).text('Envoi').cursor(true)
      .toBytes();
    expect(lintPage(page).findings).toEqual([]);
  });

  it('finds nothing in pages the converter writes, full or in a region', () => {
    for (const region of [undefined, { row: 3, column: 5, rows: 12, columns: 30 }]) {
      for (const mode of ['colour', 'grey'] as const) {
        expect(lintPage(convertImage(testPattern(), { region, mode }).bytes).findings).toEqual([]);
      }
    }
  });

  it('gives the exact time on the line: bytes × 10 / baud', () => {
    const report = lintPage(new Uint8Array(1234).fill(0x41));
    expect(report.seconds[1200]).toBe(12340 / 1200);
    expect(report.seconds[4800]).toBe(12340 / 4800);
    expect(report.seconds[9600]).toBe(12340 / 9600);
    // 120 characters a second at 1200 baud (p.47): a full 960-character screen is 8 s.
    expect(lintPage(new Uint8Array(960).fill(0x20)).seconds[1200]).toBe(8);
  });

  it('counts every occurrence but lists at most MAX_FINDINGS_PER_RULE of a rule', () => {
    // 500 SYN in a row: each is reported, and each but the last aborts the SS2 the one before began.
    const page = new Uint8Array(1 + 500).fill(0x16);
    page[0] = 0x0c;
    const report = lintPage(page);
    expect(report.counts.syn).toBe(500);
    expect(report.counts['aborted-sequence']).toBe(499);
    expect(report.warnings).toBe(999);
    expect(report.findings.length).toBe(2 * MAX_FINDINGS_PER_RULE);
  });

  it('lists findings in offset order', () => {
    const report = lintPage(hex('0C 1B 70 16 0E 41 E9 1B 54'));
    const offsets = report.findings.map((f) => f.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('gives a result for an empty file', () => {
    const report = lintPage(new Uint8Array(0));
    expect(report).toMatchObject({ bytes: 0, findings: [], errors: 0, warnings: 0 });
    expect(report.seconds[1200]).toBe(0);
  });

  it('gives a result for binary garbage, and for 10 MB of it in bounded findings', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const report = lintPage(randomBytes(2000, seed));
      for (const id of RULE_IDS) expect(report.findings.filter((f) => f.rule === id).length).toBeLessThanOrEqual(MAX_FINDINGS_PER_RULE);
    }
    const big = randomBytes(10 * 1024 * 1024, 99);
    const report = lintPage(big);
    expect(report.bytes).toBe(big.length);
    expect(report.findings.length).toBeLessThanOrEqual(RULE_IDS.length * MAX_FINDINGS_PER_RULE);
    expect(report.errors).toBeGreaterThan(0);
  });

  it.skipIf(!corpusAvailable())('lints every corpus page', () => {
    for (const name of corpusPages()) {
      const report = lintPage(readCorpusPage(name));
      expect(report.bytes).toBeGreaterThanOrEqual(0);
    }
  });
  if (!corpusAvailable()) console.warn(CORPUS_SKIP_MESSAGE);
});
