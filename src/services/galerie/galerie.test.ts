import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../sdk/testing.js';
import { Terminal } from '../../videotex/terminal.js';
import { galerieService, listPages, pageName, transferTime } from './index.js';
import { PAGES_DIR, generatePages } from './generate.js';

describe('GALERIE pages', () => {
  it('ships exactly the pages generate.ts draws with the builder', () => {
    for (const [name, bytes] of generatePages()) {
      expect(new Uint8Array(readFileSync(join(PAGES_DIR, name))), name).toEqual(bytes);
    }
  });

  it('draws whole screens: every page fills rows 1 to 24 without wrapping past the last row', () => {
    for (const [name, bytes] of generatePages()) {
      const terminal = new Terminal();
      terminal.write(bytes);
      expect(terminal.screen.rowText(0), name).toBe('');
      expect(terminal.idle, name).toBe(true);
      expect(bytes.every((b) => b < 0x80), name).toBe(true);
    }
  });

  it('names pages from their file names and times them at 10 bits per character', () => {
    expect(pageName('01-coucher-de-soleil.vdt')).toBe('Coucher de soleil');
    expect(pageName('mire.VDT')).toBe('Mire');
    expect(transferTime(1200)).toBe('10,0 s');
    expect(transferTime(120)).toBe('1,0 s');
    expect(transferTime(960, 9600)).toBe('1,0 s');
  });
});

describe('GALERIE through a virtual Minitel', () => {
  it('lists the pages with their size and time at 1200 baud, shows one, and pages with Suite and Retour', async () => {
    const pages = generatePages();
    const sunset = pages.get('01-coucher-de-soleil.vdt') as Uint8Array;
    const m = connect(galerieService());
    await m.waitForText('LA GALERIE');
    expect(m.rowText(3)).toBe(` 1 Coucher de soleil     ${`${sunset.length} o`.padEnd(8)}${transferTime(sunset.length)}`);
    expect(m.screenText()).toContain('Les 64 mosaiques');
    await m.type('1');
    await m.press('Envoi');
    await m.waitForText('Coucher de soleil', { row: 3 });
    expect(m.rowZero()).toBe(`1/5 Coucher de soleil : ${transferTime(sunset.length)}`);
    await m.press('Suite');
    expect(m.screenText()).toContain('TELETEL');
    expect(m.rowZero()).toMatch(/^2\/5 Le minitel : \d+,\d s$/);
    await m.press('Retour', 'Retour');
    expect(m.rowZero()).toBe('Première page');
    await m.press('Envoi');
    await m.waitForText('LA GALERIE');
  });

  it('browses any folder of .vdt pages, ignoring other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teletel-galerie-'));
    try {
      writeFileSync(join(dir, 'b-page-deux.vdt'), Uint8Array.from([0x0c, ...Buffer.from('DEUX'), 0xff, 0xff]));
      writeFileSync(join(dir, 'a-page-un.vdt'), Uint8Array.from([0x0c, ...Buffer.from('UN')]));
      writeFileSync(join(dir, 'notes.txt'), 'pas une page');
      const m = connect(galerieService({ pagesDir: dir }));
      await m.waitForText('LA GALERIE');
      expect(m.rowText(3)).toBe(' 1 A page un             3 o     0,0 s');
      expect(m.rowText(4)).toBe(' 2 B page deux           5 o     0,0 s');
      expect(m.rowText(5)).toBe('');
      await m.type('2');
      await m.press('Envoi');
      await m.waitForText('DEUX');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GALERIE listing', () => {
  it('reads a page again only when its file changed, so a visit does not read the whole folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teletel-galerie-'));
    try {
      const file = join(dir, '01-essai.vdt');
      const when = new Date('2024-01-01T00:00:00Z');
      writeFileSync(file, Uint8Array.of(0x41, 0x42, 0xff, 0xff)); // 2 bytes sent, 2 of padding
      utimesSync(file, when, when);
      expect((await listPages(dir))[0].bytes).toBe(2);
      // Same size and time: the count is reused, the new content is not read.
      writeFileSync(file, Uint8Array.of(0x41, 0x42, 0x43, 0x44));
      utimesSync(file, when, when);
      expect((await listPages(dir))[0].bytes).toBe(2);
      // A new modification time: read again.
      const later = new Date('2024-01-02T00:00:00Z');
      utimesSync(file, later, later);
      expect((await listPages(dir))[0].bytes).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
