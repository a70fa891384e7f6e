import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../store/sqlite.js';
import { FOLDER_LIMITS, loadServiceFolder } from './service-folder.js';
import { ServiceFolderError } from '../sdk/errors.js';
import { connect } from '../sdk/testing.js';

const root = mkdtempSync(join(tmpdir(), 'teletel-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let store: SqliteStore;
beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

/** A page: clear, then each line at rows 1, 2, … */
function vdt(...lines: string[]): Uint8Array {
  const bytes: number[] = [0x0c];
  lines.forEach((line, i) => bytes.push(0x1f, 0x41 + i, 0x41, ...Array.from(line, (c) => c.charCodeAt(0))));
  return Uint8Array.from(bytes);
}

function folder(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

const METEO = {
  code: 'METEO',
  name: 'La météo',
  description: 'Le temps qu’il fait',
  keywords: ['pluie', 'soleil'],
  tariff: '3615',
  pages: {
    accueil: { file: 'accueil.vdt', choices: { '1': 'prevision', '2': 'abonnement' }, keys: { Guide: 'aide' } },
    prevision: { file: 'prevision.vdt', keys: { Suite: 'demain', Retour: 'accueil' } },
    demain: { file: 'demain.vdt', keys: { Retour: 'prevision' } },
    abonnement: {
      file: 'abonnement.vdt',
      fields: [
        { name: 'ville', row: 5, column: 10, length: 15, required: true, label: 'Ville' },
        { name: 'code', row: 7, column: 10, length: 4, hidden: true },
      ],
      next: 'merci',
    },
    merci: { file: 'merci.vdt' },
    aide: { file: 'aide.vdt', keys: { Retour: 'accueil' } },
  },
};

function meteoFolder(name = 'meteo', json: unknown = METEO): string {
  return folder(name, {
    'service.json': JSON.stringify(json, null, 2),
    'accueil.vdt': vdt('METEO', '1 Previsions', '2 Abonnement'),
    'prevision.vdt': vdt('Aujourd hui: soleil'),
    'demain.vdt': vdt('Demain: pluie'),
    'abonnement.vdt': vdt('Abonnement'),
    'merci.vdt': vdt('Merci, bulletin pour {{ville}}.'),
    'aide.vdt': vdt('Aide'),
  });
}

describe('service.json services', () => {
  it('links pages by typed choice and by function key', async () => {
    const service = await loadServiceFolder(meteoFolder());
    expect(service).toMatchObject({ code: 'METEO', name: 'La météo', keywords: ['pluie', 'soleil'], tariff: { perMinute: 1.29 } });
    const m = connect(service, { store });
    await m.waitForText('METEO');
    await m.type('1');
    await m.press('Envoi');
    expect(m.rowText(1)).toBe('Aujourd hui: soleil');
    await m.press('Suite');
    expect(m.rowText(1)).toBe('Demain: pluie');
    await m.press('Retour', 'Retour');
    expect(m.rowText(1)).toBe('METEO');
    await m.press('Guide');
    expect(m.rowText(1)).toBe('Aide');
    await m.press('Sommaire');
    expect(m.rowText(1)).toBe('METEO');
  });

  it('an unknown choice keeps the page with a row-0 message', async () => {
    const m = connect(await loadServiceFolder(meteoFolder()), { store });
    await m.type('9');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Choix inconnu');
    expect(m.rowText(1)).toBe('METEO');
  });

  it('runs the form, stores the submission without hidden fields, and fills the next page', async () => {
    const m = connect(await loadServiceFolder(meteoFolder()), { store });
    await m.type('2');
    await m.press('Envoi');
    expect(m.rowText(5)).toBe('   Ville ...............');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Ville : obligatoire');
    await m.type('Brest');
    await m.press('Suite');
    await m.type('1234');
    await m.press('Envoi');
    expect(m.rowText(1)).toBe('Merci, bulletin pour Brest.');
    const saved = await store.keyValue('METEO').list<{ page: string; values: Record<string, string> }>({ prefix: 'submission:' });
    expect(saved.map((e) => e.value)).toEqual([{ page: 'abonnement', values: { ville: 'Brest' } }]);
  });

  it('stores at most FOLDER_LIMITS.submissionsPerVisit submissions of one visit, and goes on with the next page', async () => {
    const json = {
      code: 'INSCRIT',
      name: 'Inscription',
      pages: {
        form: { file: 'form.vdt', fields: [{ name: 'nom', row: 5, column: 10, length: 10, required: true }], next: 'merci' },
        merci: { file: 'merci.vdt', keys: { Suite: 'form' } },
      },
    };
    const dir = folder('inscrit', { 'service.json': JSON.stringify(json), 'form.vdt': vdt('Nom'), 'merci.vdt': vdt('Merci {{nom}}') });
    const m = connect(await loadServiceFolder(dir), { store });
    for (let i = 0; i <= FOLDER_LIMITS.submissionsPerVisit; i++) {
      await m.type(`n${i}`);
      await m.press('Envoi');
      expect(m.rowText(1)).toBe(`Merci n${i}`);
      await m.press('Suite');
    }
    const saved = await store.keyValue('INSCRIT').list({ prefix: 'submission:' });
    expect(saved).toHaveLength(FOLDER_LIMITS.submissionsPerVisit);
    expect(m.logs.filter((entry) => entry.level === 'warn')).toHaveLength(1);
  });

  it('is reloaded from disk by calling loadServiceFolder again', async () => {
    const dir = meteoFolder('reload');
    await loadServiceFolder(dir);
    writeFileSync(join(dir, 'service.json'), JSON.stringify({ ...METEO, name: 'Météo 2' }));
    expect((await loadServiceFolder(dir)).name).toBe('Météo 2');
  });
});

describe('service.json errors', () => {
  it('reports a JSON syntax error with the file, line and column', async () => {
    const dir = folder('syntax', { 'service.json': '{\n  "code": "X",\n  "name": "x"\n  "pages": {}\n}' });
    const error = await loadServiceFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceFolderError);
    expect((error as ServiceFolderError).code).toBe('TELETEL_E_SERVICE_FOLDER');
    expect((error as Error).message).toBe(`${join(dir, 'service.json')}:4:3: JSON syntax: expected ',' or '}' after a property value, found '"'`);
  });

  it('lists every problem, each at its line: bad code, unknown page, missing .vdt, unknown key, bad field', async () => {
    const json = `{
  "code": "3615meteo",
  "name": "Météo",
  "pages": {
    "accueil": { "file": "accueil.vdt", "keys": { "Suite": "nulle-part", "Envoyer": "accueil" } },
    "form": { "file": "absente.vdt", "fields": [ { "name": "x", "row": 30, "column": 1, "length": 5 } ] },
    "trop": { "file": "accueil.vdt", "fields": [ { "name": "y", "row": 1, "column": 38, "length": 5 } ] }
  },
  "start": "debut",
  "titre": "typo"
}`;
    const dir = folder('errors', { 'service.json': json, 'accueil.vdt': vdt('x') });
    const error = (await loadServiceFolder(dir).catch((e: unknown) => e)) as ServiceFolderError;
    const file = join(dir, 'service.json');
    expect(error.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "10:12 unknown property 'titre' (expected code, name, description, keywords, tariff, start, help, pages)",
      "2:11 bad code '3615meteo': use 1 to 16 capital letters or digits (the word typed after 3615)",
      "5:85 unknown key 'Envoyer' (use Envoi, Retour, Repetition, Guide, Annulation, Sommaire, Correction, Suite)",
      '6:23 missing .vdt file absente.vdt',
      '6:72 row must be a whole number from 1 to 24',
      "7:48 field 'y': it ends at column 42, past column 40",
      "9:12 unknown page 'debut' for start (pages: accueil, form, trop)",
      "5:60 unknown page 'nulle-part' (pages: accueil, form, trop)",
    ]);
    expect(error.problems.every((p) => p.file === file)).toBe(true);
  });

  it('refuses a page file outside the folder', async () => {
    const dir = folder('outside', {
      'service.json': JSON.stringify({ code: 'OUT', name: 'Out', pages: { a: { file: '../meteo/accueil.vdt' } } }),
    });
    await expect(loadServiceFolder(dir)).rejects.toThrow(/\.\.\/meteo\/accueil\.vdt is outside the service folder/);
  });
});

describe('code services in folders', () => {
  it('loads the default export of index.js, and a changed file on reload', async () => {
    const source = (name: string) => `export default {
  code: 'JS', name: '${name}', description: '', keywords: [], tariff: { perMinute: 0, currency: 'EUR' },
  async run() {},
};\n`;
    const dir = folder('js', { 'index.js': source('Premier') });
    expect((await loadServiceFolder(dir)).name).toBe('Premier');
    writeFileSync(join(dir, 'index.js'), source('Second'));
    expect((await loadServiceFolder(dir)).name).toBe('Second');
  });

  it('says what is wrong with a default export that is not a service', async () => {
    const dir = folder('notjs', { 'index.js': 'export default { code: "x" };\n' });
    await expect(loadServiceFolder(dir)).rejects.toThrow(/the default export is not a service: export default defineService/);
    const broken = folder('brokenjs', { 'index.js': 'export default {;\n' });
    await expect(loadServiceFolder(broken)).rejects.toThrow(/index\.js: cannot be loaded/);
  });
});
