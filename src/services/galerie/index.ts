/**
 * GALERIE: browse a folder of .vdt pages. The list gives each page's name
 * (from its file name: "01-coucher-de-soleil.vdt" → "Coucher de soleil")
 * and how long it takes to arrive at 1200 baud: 10 bits per character on
 * the line (STUM1B p.47), so 120 characters a second. On a page, Suite and
 * Retour go to the next and previous pages; Envoi goes back to the list.
 *
 * The default folder holds pages Teletel draws itself (generate.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defineService, pad, type Service, type Session } from '../../sdk/index.js';
import { BITS_PER_CHARACTER } from '../../videotex/codes.js';
import { readPageFile, PAGE_LIMITS } from '../../sdk/pages.js';
import { PAGES_DIR } from './generate.js';

export const GALERIE_LIMITS = {
  /** Pages listed from one folder. */
  pages: 500,
} as const;

export interface GalerieOptions {
  /** The folder of .vdt pages (default: the pages drawn by Teletel). */
  pagesDir?: string;
  /** Line speed for the times shown (default 1200 baud). */
  baud?: number;
}

export interface GaleriePage {
  file: string;
  name: string;
  bytes: number;
}

/** "01-coucher-de-soleil.vdt" → "Coucher de soleil". */
export function pageName(file: string): string {
  const base = file.replace(/\.vdt$/i, '').replace(/^\d+[-_ ]*/, '').replace(/[-_]+/g, ' ').trim();
  return base === '' ? file : base[0].toUpperCase() + base.slice(1);
}

/** Seconds to send `bytes` at `baud`, 10 bits per character: "1,2 s". */
export function transferTime(bytes: number, baud = 1200): string {
  const seconds = (bytes * BITS_PER_CHARACTER) / baud;
  return `${seconds.toFixed(1).replace('.', ',')} s`;
}

/** A page's counted size, kept while its file's size and modification time stay the same. */
interface CountedPage {
  size: number;
  mtimeMs: number;
  bytes: number;
}

/** Per folder, the pages listed last time: a visit reads only files that changed since. */
const counted = new Map<string, Map<string, CountedPage>>();

export async function listPages(dir: string): Promise<GaleriePage[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.vdt')).sort();
  } catch {
    return [];
  }
  const before = counted.get(dir);
  // Rebuilt each time from the files listed, so it never holds more than GALERIE_LIMITS.pages.
  const now = new Map<string, CountedPage>();
  const pages: GaleriePage[] = [];
  for (const file of files.slice(0, GALERIE_LIMITS.pages)) {
    try {
      const info = await stat(join(dir, file));
      if (!info.isFile() || info.size > PAGE_LIMITS.fileBytes) continue;
      let entry = before?.get(file);
      if (entry === undefined || entry.size !== info.size || entry.mtimeMs !== info.mtimeMs) {
        // Padding (0xFF, a final 0x1A) is not sent: count what is.
        const bytes = (await readPageFile(join(dir, file), dir)).length;
        entry = { size: info.size, mtimeMs: info.mtimeMs, bytes };
      }
      now.set(file, entry);
      pages.push({ file, name: pageName(file), bytes: entry.bytes });
    } catch {
      // Removed or unreadable meanwhile: not listed.
    }
  }
  counted.set(dir, now);
  return pages;
}

/** Where a visit is, kept for a session that moves to another instance (defineService's `resume`). */
interface GalerieState {
  /** The page being looked at, or null on the list. */
  viewing: number | null;
  /** The list's page (0-based). */
  listPage: number;
}

/** A checkpointed GalerieState as the service wrote it, or undefined. */
function galerieState(value: unknown): GalerieState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { viewing, listPage } = value as Record<string, unknown>;
  const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n < GALERIE_LIMITS.pages;
  if (!(viewing === null || isIndex(viewing)) || !isIndex(listPage)) return undefined;
  return { viewing, listPage };
}

async function view(s: Session<GalerieState>, dir: string, pages: GaleriePage[], start: number, baud: number): Promise<number> {
  let index = start;
  let shown = -1;
  for (;;) {
    const page = pages[index];
    if (shown !== index) {
      s.state.viewing = index;
      await s.show(join(dir, page.file));
      s.notify(`${index + 1}/${pages.length} ${page.name} : ${transferTime(page.bytes, baud)}`);
      shown = index;
    }
    const key = await s.waitKey('Suite', 'Retour', 'Envoi');
    if (key === 'Envoi') return index;
    const next = key === 'Suite' ? index + 1 : index - 1;
    if (next < 0 || next >= pages.length) s.notify(key === 'Suite' ? 'Dernière page de la galerie' : 'Première page', { bell: true });
    else index = next;
  }
}

export function galerieService(options: GalerieOptions = {}): Service {
  const dir = options.pagesDir ?? PAGES_DIR;
  const baud = options.baud ?? 1200;
  return defineService({
    code: 'GALERIE',
    name: 'La galerie',
    description: 'Des pages Vidéotex à regarder, avec le temps que chacune met à arriver à 1200 bauds.',
    keywords: ['images', 'dessins', 'pages', 'vidéotex', 'mosaïques', 'art'],
    state: (): GalerieState => ({ viewing: null, listPage: 0 }),
    // A visit handed over to another instance comes back on the page or the list page it was on.
    resume: { version: 1, check: galerieState },
    async session(s) {
      const pages = await listPages(dir);
      if (!s.resumed) s.state = { viewing: null, listPage: 0 };
      for (;;) {
        const at = s.state.viewing;
        if (at !== null && at < pages.length) {
          const last = await view(s, dir, pages, at, baud);
          s.state.listPage = Math.floor(last / 20);
          s.notify('');
        }
        s.state.viewing = null;
        const result = await s.list(pages, {
          title: 'LA GALERIE',
          render: (p) => `${pad(p.name, 22)}${pad(`${p.bytes} o`, 8)}${transferTime(p.bytes, baud)}`,
          empty: 'La galerie est vide.',
          keys: ['Retour'],
          page: s.state.listPage,
          onPage: (page) => (s.state.listPage = page),
        });
        if (result.key !== 'Envoi') return s.summary();
        s.state.viewing = result.index;
      }
    },
  });
}
