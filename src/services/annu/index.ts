/**
 * ANNU: a telephone directory in the manner of 3611. The user gives a name
 * (required), a first name and a locality (a town, or a département or
 * postal code by its digits); matching entries are listed, two rows each,
 * and one can be opened as a card. Names and towns match by their
 * beginning, without regard to case or accents; several words in a field
 * must all match.
 *
 * The data is a TSV file (generate.ts makes the shipped one).
 */
import { readFile, stat } from 'node:fs/promises';
import { defineService, fit, pad, titleBar, type Painter, type Service, type Session } from '../../sdk/index.js';
import { normalise, words } from '../text.js';
import { DATA_FILE, type DirectoryEntry } from './generate.js';

export const ANNU_LIMITS = {
  /** Results listed at most; past this the user is asked to add a locality or a first name. */
  results: 300,
  /** The data file read at most. */
  fileBytes: 32 * 1024 * 1024,
} as const;

export interface AnnuOptions {
  /** The directory file (default: the shipped one). */
  dataFile?: string;
}

interface IndexedEntry {
  entry: DirectoryEntry;
  nom: string[];
  prenom: string[];
  ville: string[];
}

export interface DirectoryQuery {
  nom: string;
  prenom?: string;
  localite?: string;
}

export class Directory {
  private constructor(private readonly entries: IndexedEntry[]) {}

  static parse(text: string): Directory {
    const entries: IndexedEntry[] = [];
    const lines = text.split(/\r?\n/);
    for (const line of lines.slice(1)) {
      const fields = line.split('\t');
      if (fields.length < 6) continue;
      const [nom, prenom, adresse, codePostal, ville, telephone] = fields;
      const entry = { nom, prenom, adresse, codePostal, ville, telephone };
      entries.push({ entry, nom: words(nom), prenom: words(prenom), ville: words(ville) });
    }
    return new Directory(entries);
  }

  static async load(file: string): Promise<Directory> {
    const tooBig = (): RangeError => new RangeError(`${file} is over ${ANNU_LIMITS.fileBytes} bytes`);
    // The size first: reading a file whole to find it too big is what the limit is there to prevent.
    if ((await stat(file)).size > ANNU_LIMITS.fileBytes) throw tooBig();
    const bytes = await readFile(file);
    if (bytes.length > ANNU_LIMITS.fileBytes) throw tooBig(); // it grew meanwhile
    return Directory.parse(bytes.toString('utf8'));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Entries matching the query, in directory order; at most `limit` + 1 (so the caller knows there were more). */
  search(query: DirectoryQuery, limit: number = ANNU_LIMITS.results): DirectoryEntry[] {
    const nom = words(query.nom);
    const prenom = words(query.prenom ?? '');
    const locality = normalise(query.localite ?? '');
    const digits = /^\d{1,5}$/.test(locality.replace(/ /g, '')) ? locality.replace(/ /g, '') : '';
    const town = digits === '' ? words(locality) : [];
    if (nom.length === 0) return [];
    const found: DirectoryEntry[] = [];
    for (const item of this.entries) {
      if (!all(nom, item.nom)) continue;
      if (!all(prenom, item.prenom)) continue;
      if (digits !== '' && !item.entry.codePostal.startsWith(digits)) continue;
      if (!all(town, item.ville)) continue;
      found.push(item.entry);
      if (found.length > limit) break;
    }
    return found;
  }
}

/** Every query word starts some word of the field. */
function all(terms: string[], field: string[]): boolean {
  return terms.every((term) => field.some((word) => word.startsWith(term)));
}

function header(p: Painter, subtitle: string): Painter {
  p.clearScreen().rowZero('');
  titleBar(p, "L'ANNUAIRE", '3611 ');
  p.at(2, 2).text(subtitle, { fg: 'cyan' });
  return p;
}

function card(s: Session, entry: DirectoryEntry): void {
  s.draw((p) => {
    header(p, 'Fiche');
    p.at(6, 3).text(fit(entry.nom.toUpperCase(), 18), { size: 'double', fg: 'white' });
    p.at(8, 3).text(fit(entry.prenom, 36), { fg: 'white' });
    p.at(11, 3).text(fit(entry.adresse, 36));
    p.at(12, 3).text(fit(`${entry.codePostal} ${entry.ville.toUpperCase()}`, 36));
    p.at(16, 3).text('Tél.', { fg: 'cyan' }).style({ fg: 'yellow', size: 'tall' }).text(` ${entry.telephone}`);
    p.at(24, 2).text(' RETOUR ', { inverse: true }).style({ inverse: false }).text(' liste ').text(' SOMMAIRE ', { inverse: true }).style({ inverse: false }).text(' recherche');
  });
}

export function annuService(options: AnnuOptions = {}): Service {
  const file = options.dataFile ?? DATA_FILE;
  let directory: Promise<Directory> | undefined;
  const loaded = (): Promise<Directory> => {
    directory ??= Directory.load(file).catch((error: unknown) => {
      directory = undefined; // try again at the next visit
      throw error;
    });
    return directory;
  };

  return defineService({
    code: 'ANNU',
    name: "L'annuaire",
    description: "Retrouvez un numéro de téléphone par le nom, le prénom et la localité, comme au 3611.",
    keywords: ['3611', 'annuaire', 'téléphone', 'numéro', 'adresse', 'pages blanches'],
    async session(s) {
      s.draw((p) => {
        header(p, 'Recherche par nom');
        p.at(22, 2).text('Localité : une ville, ou un numéro de', { fg: 'cyan' });
        p.at(23, 2).text('département (35) ou code postal.', { fg: 'cyan' });
        p.at(24, 2).text('Suite/Retour : champ suivant/précédent');
      });
      const query = await s.form({
        nom: { row: 6, column: 14, length: 20, label: 'Nom :', required: true, allowed: 'letters' },
        prenom: { row: 9, column: 14, length: 20, label: 'Prénom :', allowed: 'letters' },
        localite: { row: 12, column: 14, length: 20, label: 'Localité :' },
      });
      s.notify('Recherche en cours…');
      const found = (await loaded()).search(query);
      s.notify('');
      if (found.length > ANNU_LIMITS.results) {
        s.notify(`Plus de ${ANNU_LIMITS.results} réponses : précisez`, { bell: true });
        await s.waitKey('Envoi', 'Retour');
        return s.summary();
      }
      let page = 0;
      for (;;) {
        const result = await s.list(found, {
          title: `${fit(query.nom.toUpperCase(), 16)} : ${found.length} réponse${found.length > 1 ? 's' : ''}`,
          rowsPerItem: 2,
          render: (e) => `${pad(`${e.nom.toUpperCase()} ${e.prenom}`, 22)}${e.telephone}\n${e.ville.toUpperCase()} - ${e.adresse}`,
          empty: 'Aucun abonné ne correspond.',
          keys: ['Retour'],
          page,
        });
        if (result.key !== 'Envoi') return s.summary();
        page = result.page;
        card(s, result.item);
        await s.waitKey('Retour', 'Envoi');
      }
    },
  });
}
