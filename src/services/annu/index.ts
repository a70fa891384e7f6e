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

function card(s: Session<AnnuState>, entry: DirectoryEntry): void {
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

/** The form's fields. */
const FIELD_LENGTH = 20;

/** Where a visit is, kept for a session that moves to another instance (defineService's `resume`). */
interface AnnuState {
  /** The search made, or null while the form is shown. */
  query: DirectoryQuery | null;
  /** The results' page (0-based). */
  listPage: number;
  /** The result shown as a card (its index), or null. */
  card: number | null;
}

const freshState = (): AnnuState => ({ query: null, listPage: 0, card: null });

/** A checkpointed AnnuState as the service wrote it, or undefined (the visit then starts afresh). */
function annuState(value: unknown): AnnuState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { query, listPage, card } = value as Record<string, unknown>;
  const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= ANNU_LIMITS.results;
  const isField = (v: unknown): v is string => typeof v === 'string' && v.length <= FIELD_LENGTH;
  if (!isIndex(listPage) || !(card === null || isIndex(card))) return undefined;
  if (query === null) return { query, listPage, card };
  if (typeof query !== 'object') return undefined;
  const { nom, prenom, localite } = query as Record<string, unknown>;
  if (!isField(nom) || nom === '' || !(prenom === undefined || isField(prenom)) || !(localite === undefined || isField(localite))) return undefined;
  return { query: { nom, prenom, localite }, listPage, card };
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

  return defineService<AnnuState>({
    code: 'ANNU',
    name: "L'annuaire",
    description: "Retrouvez un numéro de téléphone par le nom, le prénom et la localité, comme au 3611.",
    keywords: ['3611', 'annuaire', 'téléphone', 'numéro', 'adresse', 'pages blanches'],
    state: freshState,
    // A visit handed over to another instance comes back to its results (the search is run again) or the card it showed.
    resume: { version: 1, check: annuState },
    async session(s) {
      if (!s.resumed) s.state = freshState();
      if (s.state.query === null) {
        s.draw((p) => {
          header(p, 'Recherche par nom');
          p.at(22, 2).text('Localité : une ville, ou un numéro de', { fg: 'cyan' });
          p.at(23, 2).text('département (35) ou code postal.', { fg: 'cyan' });
          p.at(24, 2).text('Suite/Retour : champ suivant/précédent');
        });
        const typed = await s.form({
          nom: { row: 6, column: 14, length: FIELD_LENGTH, label: 'Nom :', required: true, allowed: 'letters' },
          prenom: { row: 9, column: 14, length: FIELD_LENGTH, label: 'Prénom :', allowed: 'letters' },
          localite: { row: 12, column: 14, length: FIELD_LENGTH, label: 'Localité :' },
        });
        s.state = { query: typed, listPage: 0, card: null };
      }
      const query = s.state.query!;
      s.notify('Recherche en cours…');
      const found = (await loaded()).search(query);
      s.notify('');
      if (found.length > ANNU_LIMITS.results) {
        s.notify(`Plus de ${ANNU_LIMITS.results} réponses : précisez`, { bell: true });
        await s.waitKey('Envoi', 'Retour');
        return s.summary();
      }
      for (;;) {
        const shown = s.state.card;
        if (shown !== null && shown < found.length) {
          card(s, found[shown]);
          await s.waitKey('Retour', 'Envoi');
        }
        s.state.card = null;
        const result = await s.list(found, {
          title: `${fit(query.nom.toUpperCase(), 16)} : ${found.length} réponse${found.length > 1 ? 's' : ''}`,
          rowsPerItem: 2,
          render: (e) => `${pad(`${e.nom.toUpperCase()} ${e.prenom}`, 22)}${e.telephone}\n${e.ville.toUpperCase()} - ${e.adresse}`,
          empty: 'Aucun abonné ne correspond.',
          keys: ['Retour'],
          page: s.state.listPage,
          onPage: (page) => (s.state.listPage = page),
        });
        if (result.key !== 'Envoi') return s.summary();
        s.state.listPage = result.page;
        s.state.card = found.indexOf(result.item);
      }
    },
  });
}
