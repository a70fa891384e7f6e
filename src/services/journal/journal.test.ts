import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type VirtualMinitel } from '../../sdk/testing.js';
import { journalService, loadArticles, JOURNAL_LIMITS, type ArticleCache } from './index.js';

async function allPages(m: VirtualMinitel): Promise<string> {
  let text = '';
  for (let guard = 0; guard < 20; guard++) {
    text += m.screenText() + '\n';
    if (!m.rowText(24).includes('SUITE')) break;
    await m.press('Suite');
  }
  return text;
}

describe('JOURNAL through a virtual Minitel', () => {
  it('lists the articles shipped with Teletel, the history of the Minitel first', async () => {
    const m = connect(journalService());
    await m.waitForText('LE JOURNAL');
    expect(m.rowText(3)).toBe(' 1 Petite histoire du Minitel');
    expect(m.rowText(4)).toBe(' 2 Ecrire dans le journal');
  });

  it('reads the history page by page with Suite and Retour, with the facts it is built on', async () => {
    const m = connect(journalService());
    await m.type('1');
    await m.press('Envoi');
    expect(m.rowText(1)).toMatch(/LE JOURNAL +1\/\d$/);
    const text = (await allPages(m)).replace(/\s+/g, ' ');
    for (const fact of [
      '15 % des foyers',
      'près de trois ans',
      '90 % des foyers',
      'trois jours',
      'En 1978, le dernier central téléphonique manuel',
      'Transpac',
      'du télex à 50 bit/s jusqu\'aux lignes à 64 kbit/s',
      'selon le débit et la durée de connexion',
      'les banques',
      '1 000 F, soit à peu près 260 EUR',
      '6,5 millions',
      '750 millions',
      'Ceefax dès 1974',
      'Antiope en 1979',
      '40 colonnes sur 25 rangées',
      '8 couleurs, affichées en niveaux de gris',
      '64 caractères semi-graphiques de 2 x 3 pavés, soit 80 x 72 points',
      '16 bits par caractère en mémoire, 449 caractères',
      '1200 bauds vers l\'écran, 75 bauds vers le serveur',
      'FOSDEM 2020',
    ]) {
      expect(text).toContain(fact);
    }
    const last = m.rowText(1);
    await m.press('Suite');
    expect(m.rowZero()).toBe("Fin de l'article");
    expect(m.rowText(1)).toBe(last);
    await m.press('Retour');
    expect(m.rowText(1)).not.toBe(last);
  });

  it('Retour on the first page and Sommaire go back to the list', async () => {
    const m = connect(journalService());
    await m.type('2');
    await m.press('Envoi');
    expect(m.screenText()).toContain('La mise en forme');
    await m.press('Retour');
    expect(m.rowText(3)).toBe(' 1 Petite histoire du Minitel');
    await m.type('1');
    await m.press('Envoi', 'Suite', 'Sommaire');
    expect(m.rowText(3)).toBe(' 1 Petite histoire du Minitel');
  });
});

describe('JOURNAL articles folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teletel-journal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a new article at the next visit and skips files that are not articles', async () => {
    const service = journalService({ articlesDir: dir });
    const empty = connect(service);
    await empty.idle();
    expect(empty.rowText(3)).toBe(' Aucun article pour le moment.');
    writeFileSync(join(dir, '01-nouveau.txt'), '# Nouvel article 🎉\n\nDu texte avec \u0007 une cloche et \u001b[31m de l’ANSI.');
    writeFileSync(join(dir, 'notes.md'), '# Pas un article');
    writeFileSync(join(dir, '02-enorme.txt'), 'x'.repeat(200 * 1024));
    const m = connect(service);
    await m.idle();
    expect(m.rowText(3)).toBe(' 1 Nouvel article ?');
    expect(m.rowText(4)).toBe('');
    await m.type('1');
    await m.press('Envoi');
    expect(m.screenText().replace(/\s+/g, ' ')).toContain("Du texte avec ? une cloche et ?[31m de l'ANSI.");
  });

  it('lays an article out again only when its file changed since the last visit', async () => {
    const folder = mkdtempSync(join(dir, 'cache-'));
    const file = join(folder, '01-a.txt');
    writeFileSync(file, '# Premier\n\nTexte.');
    const cache: ArticleCache = new Map();
    const [first] = await loadArticles(folder, cache);
    const [again] = await loadArticles(folder, cache);
    expect(again).toBe(first);
    // Same size, new content and time: read again.
    writeFileSync(file, '# Seconde\n\nTexte.');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const [changed] = await loadArticles(folder, cache);
    expect(changed.title).toBe('Seconde');
    rmSync(file);
    expect(await loadArticles(folder, cache)).toEqual([]);
    expect(cache.size).toBe(0);
  });

  it('past the limit, leaves out the oldest articles (the first by name), not the newest', async () => {
    const folder = mkdtempSync(join(dir, 'many-'));
    const count = JOURNAL_LIMITS.articles + 3;
    for (let i = 1; i <= count; i++) writeFileSync(join(folder, `${String(i).padStart(3, '0')}.txt`), `# Article ${i}\n\nTexte.`);
    const articles = await loadArticles(folder);
    expect(articles).toHaveLength(JOURNAL_LIMITS.articles);
    expect(articles[0].title).toBe('Article 4');
    expect(articles.at(-1)?.title).toBe(`Article ${count}`);
  });
});
