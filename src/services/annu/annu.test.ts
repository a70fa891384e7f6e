import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../sdk/testing.js';
import { sanitizeText } from '../../videotex/text.js';
import { annuService, Directory, ANNU_LIMITS } from './index.js';
import { DATA_FILE, DEFAULT_COUNT, directoryFile, generateDirectory } from './generate.js';

const shipped = readFileSync(DATA_FILE, 'utf8');
const directory = Directory.parse(shipped);

describe('the directory data', () => {
  it('is exactly what the generator produces, so anyone can rebuild it', () => {
    expect(directoryFile(generateDirectory())).toBe(shipped);
  });

  it('holds a few thousand invented entries with unique numbers from the fiction blocks', () => {
    const entries = generateDirectory();
    expect(entries).toHaveLength(DEFAULT_COUNT);
    expect(directory.size).toBe(DEFAULT_COUNT);
    const phones = entries.map((e) => e.telephone);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^(01 99 00|02 61 91|03 53 01|04 65 71|05 36 49|06 39 98) \d\d \d\d$/);
    expect(shipped).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('changes with the seed', () => {
    expect(directoryFile(generateDirectory(1, 50))).not.toBe(directoryFile(generateDirectory(2, 50)));
  });

  it('refuses a data file over the limit before reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teletel-annu-'));
    try {
      // A sparse file of 3 GiB: reading it whole would fail (or fill the memory) before any size check.
      const file = join(dir, 'huge.tsv');
      const fd = openSync(file, 'w');
      ftruncateSync(fd, 3 * 1024 ** 3);
      closeSync(fd);
      await expect(Directory.load(file)).rejects.toThrow(`is over ${ANNU_LIMITS.fileBytes} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('directory search', () => {
  it('finds by the beginning of the name, without case or accents', () => {
    const lefevre = directory.search({ nom: 'lefevre' });
    expect(lefevre.length).toBeGreaterThan(0);
    expect(lefevre.every((e) => e.nom === 'Lefèvre')).toBe(true);
    expect(directory.search({ nom: 'LEF' }).every((e) => e.nom.startsWith('Lef'))).toBe(true);
  });

  it('narrows by first name, by town, by département or postal code', () => {
    const martins = directory.search({ nom: 'martin' });
    const inRennes = directory.search({ nom: 'b', localite: 'rennes' });
    expect(inRennes.length).toBeGreaterThan(0);
    expect(inRennes.every((e) => e.ville === 'Rennes' && e.nom.startsWith('B'))).toBe(true);
    expect(directory.search({ nom: 'b', localite: '35' }).every((e) => e.codePostal.startsWith('35'))).toBe(true);
    expect(directory.search({ nom: 'b', localite: '35400' }).every((e) => e.ville === 'Saint-Malo')).toBe(true);
    expect(directory.search({ nom: 'b', localite: 'saint malo' }).every((e) => e.ville === 'Saint-Malo')).toBe(true);
    const one = martins[0];
    expect(directory.search({ nom: 'martin', prenom: one.prenom }).every((e) => e.prenom === one.prenom)).toBe(true);
  });

  it('needs a name and stops one past the limit', () => {
    expect(directory.search({ nom: '', localite: 'Paris' })).toEqual([]);
    expect(directory.search({ nom: 'a' }, 10)).toHaveLength(11);
  });
});

describe('ANNU through a virtual Minitel', () => {
  it('searches by name and town, pages the answers and opens a card', async () => {
    // The most frequent surname, so that the answers take more than one page.
    const counts = new Map<string, number>();
    for (const e of generateDirectory()) counts.set(e.nom, (counts.get(e.nom) ?? 0) + 1);
    const [name] = [...counts].sort((a, b) => b[1] - a[1])[0];
    const expected = directory.search({ nom: name }).filter((e) => e.nom === name);
    expect(expected.length).toBeGreaterThan(10);
    expect(directory.search({ nom: name })).toEqual(expected);
    const m = connect(annuService());
    await m.waitForText('Recherche par nom');
    await m.type(name);
    await m.press('Envoi');
    const upper = sanitizeText(name.toUpperCase()); // no capital accents on a Minitel
    await m.waitForText(`${upper} : ${expected.length} réponses`);
    expect(m.rowText(3)).toBe(sanitizeText(` 1 ${`${upper} ${expected[0].prenom}`.padEnd(22)}${expected[0].telephone}`));
    expect(m.rowText(4)).toBe(sanitizeText(`   ${expected[0].ville.toUpperCase()} - ${expected[0].adresse}`));
    await m.press('Suite');
    expect(m.rowText(3)).toMatch(new RegExp(`^11 ${upper} `));
    await m.type('12');
    await m.press('Envoi');
    const card = m.screenText();
    expect(card).toContain('Fiche');
    expect(m.rowText(1)).toMatch(/^ +L'ANNUAIRE +3611$/);
    expect(card).toContain(expected[11].adresse);
    expect(card).toContain(expected[11].telephone);
    await m.press('Retour');
    expect(m.rowText(3)).toMatch(new RegExp(`^11 ${upper} `));
    await m.press('Sommaire');
    expect(m.screenText()).toContain('Recherche par nom');
  });

  it('narrows by locality and says when nobody matches', async () => {
    const m = connect(annuService());
    await m.type('b');
    await m.press('Suite', 'Suite');
    await m.type('Rennes');
    await m.press('Envoi');
    const count = directory.search({ nom: 'b', localite: 'Rennes' }).length;
    await m.waitForText(`B : ${count} réponse`);
    await m.press('Sommaire');
    await m.type('Zzyzx');
    await m.press('Envoi');
    await m.waitForText('Aucun abonné ne correspond.');
  });

  it('asks for more detail when there are too many answers, and a name is required', async () => {
    const m = connect(annuService());
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Nom : obligatoire');
    await m.type('1234'); // letters only
    expect(m.rowText(6)).toMatch(/Nom : \.+$/);
    expect(directory.search({ nom: 'b' }).length).toBeGreaterThan(ANNU_LIMITS.results);
    await m.type('b');
    await m.press('Envoi');
    await m.waitForText(`Plus de ${ANNU_LIMITS.results} réponses`, { row: 0 });
    await m.press('Envoi');
    expect(m.screenText()).toContain('Recherche par nom');
  });
});
