/**
 * JOURNAL: articles from plain text files (markup in layout.ts), listed by
 * title, read page by page with Suite and Retour. The folder is read at
 * each visit, so a new file is online as soon as it is saved; an article is
 * laid out again only when its file changed (size or modification time).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineService, pad, type Service, type Session } from '../../sdk/index.js';
import { VideotexBuilder } from '../../videotex/builder.js';
import { COLOUR } from '../../videotex/codes.js';
import { drawBody, layoutLines, paginate, parseArticle, type Article, type Line } from './layout.js';

export const DEFAULT_ARTICLES_DIR = fileURLToPath(new URL('./data/articles/', import.meta.url));

export const JOURNAL_LIMITS = {
  /** Articles listed, in file name order; past this the oldest (the first by name: 01-, 02-…) are left out. */
  articles: 200,
  /** An article file: far more than anyone reads on a Minitel. */
  fileBytes: 128 * 1024,
} as const;

export interface JournalOptions {
  /** The folder of .txt articles (default: the articles shipped with Teletel). */
  articlesDir?: string;
}

export interface LoadedArticle extends Article {
  file: string;
  pages: Line[][];
}

/** Articles as laid out at an earlier visit, by file name, with the size and time of the file they came from. */
export type ArticleCache = Map<string, { size: number; mtimeMs: number; article: LoadedArticle }>;

/**
 * The articles of a folder, in file name order (number them: 01-…, 02-…).
 * Unreadable files are skipped. With a cache, a file unchanged since it was
 * cached is not read and laid out again (at the size limit that is a good
 * part of a second per article, on the gateway's only thread).
 */
export async function loadArticles(dir: string, cache: ArticleCache = new Map()): Promise<LoadedArticle[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.txt')).sort();
  } catch {
    names = [];
  }
  const listed = names.slice(-JOURNAL_LIMITS.articles);
  const kept = new Set(listed);
  for (const name of cache.keys()) if (!kept.has(name)) cache.delete(name);
  const articles: LoadedArticle[] = [];
  for (const name of listed) {
    const file = join(dir, name);
    try {
      const { size, mtimeMs } = await stat(file);
      if (size > JOURNAL_LIMITS.fileBytes) {
        cache.delete(name);
        continue;
      }
      const cached = cache.get(name);
      if (cached !== undefined && cached.size === size && cached.mtimeMs === mtimeMs) {
        articles.push(cached.article);
        continue;
      }
      const article = parseArticle(await readFile(file, 'utf8'));
      const loaded = { ...article, file: name, pages: paginate(layoutLines(article)) };
      cache.set(name, { size, mtimeMs, article: loaded });
      articles.push(loaded);
    } catch {
      // A file removed or unreadable between readdir and readFile: not listed.
      cache.delete(name);
    }
  }
  return articles;
}

/** One page of an article, as a complete screen. */
export function articlePage(article: LoadedArticle, index: number): VideotexBuilder {
  const total = article.pages.length;
  const b = new VideotexBuilder().clear().cursor(false);
  b.moveTo(1, 1).background(COLOUR.BLUE).foreground(COLOUR.WHITE).text(pad(' LE JOURNAL', 33) + pad(`${index + 1}/${total}`, 6));
  b.background(COLOUR.BLACK);
  drawBody(b, article.pages[index]);
  b.moveTo(24, 1).foreground(COLOUR.CYAN).text(' ');
  if (index < total - 1) b.inverse(true).text(' SUITE ').inverse(false).text(' ');
  b.inverse(true).text(' RETOUR ').inverse(false).text(' ').inverse(true).text(' SOMMAIRE ').inverse(false);
  return b;
}

/** Where a visit is, kept for a session that moves to another instance (defineService's `resume`). */
interface JournalState {
  /** The file of the article being read, or null on the list. */
  reading: string | null;
  /** The article's page (0-based). */
  page: number;
  /** The list's page (0-based). */
  listPage: number;
}

const freshState = (): JournalState => ({ reading: null, page: 0, listPage: 0 });

/** A checkpointed JournalState as the service wrote it, or undefined (the visit then starts afresh). */
function journalState(value: unknown): JournalState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { reading, page, listPage } = value as Record<string, unknown>;
  const isIndex = (n: unknown, below: number): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n < below;
  // A page count is bounded by the file size limit: one character per page at the very least.
  if (!isIndex(page, JOURNAL_LIMITS.fileBytes) || !isIndex(listPage, JOURNAL_LIMITS.articles)) return undefined;
  if (reading !== null && (typeof reading !== 'string' || reading.length > 255 || !reading.toLowerCase().endsWith('.txt'))) return undefined;
  return { reading, page, listPage };
}

async function read(s: Session<JournalState>, article: LoadedArticle): Promise<void> {
  let index = Math.min(s.state.page, article.pages.length - 1);
  for (;;) {
    s.state.page = index;
    await s.show(articlePage(article, index));
    const key = await s.waitKey('Suite', 'Retour');
    if (key === 'Suite') {
      if (index < article.pages.length - 1) index++;
      else s.notify("Fin de l'article", { bell: true });
    } else if (index > 0) {
      index--;
    } else {
      return;
    }
  }
}

export function journalService(options: JournalOptions = {}): Service {
  const dir = options.articlesDir ?? DEFAULT_ARTICLES_DIR;
  const cache: ArticleCache = new Map();
  return defineService<JournalState>({
    code: 'JOURNAL',
    name: 'Le journal',
    description: "Des articles à lire page par page, dont une petite histoire du Minitel.",
    keywords: ['presse', 'actualités', 'articles', 'histoire', 'minitel'],
    state: freshState,
    // A visit handed over to another instance comes back on the article page or the list page it was on.
    resume: { version: 1, check: journalState },
    async session(s) {
      const articles = await loadArticles(dir, cache);
      if (!s.resumed) s.state = freshState();
      for (;;) {
        const reading = s.state.reading === null ? undefined : articles.find((a) => a.file === s.state.reading);
        // An article removed meanwhile: the list instead.
        if (reading !== undefined) await read(s, reading);
        s.state.reading = null;
        const article = await s.list(articles, {
          title: 'LE JOURNAL',
          render: (a) => a.title,
          empty: 'Aucun article pour le moment.',
          page: s.state.listPage,
          onPage: (page) => (s.state.listPage = page),
        });
        s.state.reading = article.file;
        s.state.page = 0;
      }
    },
  });
}
