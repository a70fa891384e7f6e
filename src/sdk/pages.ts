/**
 * What `s.show` accepts and how it becomes bytes:
 *
 * - raw Videotex bytes (a Uint8Array);
 * - a path to a .vdt file (relative paths from the service's `pagesDir`);
 * - anything with `toBytes()` (the videotex builder, a Painter);
 * - any of these with `values`: placeholders `{{name}}` in the page are
 *   replaced by the value, made safe by encodeText; `{{name:12}}` pads or
 *   cuts the value to 12 cells so a page drawn in an editor keeps its layout.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripFilePadding } from '../videotex/vdt-file.js';
import { encodeText } from '../videotex/text.js';
import { SdkError } from './errors.js';
import { readAtMost } from './bounded-read.js';
import { pad } from './draw.js';

export interface PageLike {
  toBytes(): Uint8Array;
}

export type PageSource = Uint8Array | string | PageLike;

export const PAGE_LIMITS = {
  /** A .vdt page bigger than this is refused: 24 rows of 40 characters are < 4 KiB even with attributes; animations run longer. */
  fileBytes: 256 * 1024,
  /** Placeholder names: letters, digits, '_', '-' and '.'. */
  placeholderName: 32,
} as const;

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

/**
 * Replaces `{{name}}` and `{{name:width}}` in a page's bytes. Unknown names
 * become empty (padded to their width). Values go through encodeText, so a
 * value cannot inject control bytes.
 */
export function fillTemplate(page: Uint8Array, values: Readonly<Record<string, string | number>>): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < page.length) {
    if (page[i] === OPEN && page[i + 1] === OPEN) {
      const end = findClose(page, i + 2);
      if (end >= 0) {
        const inside = new TextDecoder('latin1').decode(page.subarray(i + 2, end));
        const match = /^([A-Za-z0-9_.-]{1,32})(?::(\d{1,2}))?$/.exec(inside);
        if (match !== null) {
          const raw = values[match[1]];
          const text = raw === undefined ? '' : String(raw);
          const shown = match[2] === undefined ? text : pad(text, Number(match[2]));
          for (const b of encodeText(shown)) out.push(b);
          i = end + 2;
          continue;
        }
      }
    }
    out.push(page[i]);
    i++;
  }
  return Uint8Array.from(out);
}

function findClose(page: Uint8Array, from: number): number {
  const last = Math.min(page.length - 1, from + PAGE_LIMITS.placeholderName + 3);
  for (let j = from; j < last; j++) if (page[j] === CLOSE && page[j + 1] === CLOSE) return j;
  return -1;
}

/** Placeholder names used in a page, in order of appearance. */
export function templateNames(page: Uint8Array): string[] {
  const names: string[] = [];
  const text = new TextDecoder('latin1').decode(page);
  for (const match of text.matchAll(/\{\{([A-Za-z0-9_.-]{1,32})(?::\d{1,2})?\}\}/g)) names.push(match[1]);
  return names;
}

export function baseDirectory(dir: string | URL | undefined): string {
  if (dir === undefined) return process.cwd();
  return dir instanceof URL ? fileURLToPath(dir) : resolve(dir);
}

/** Reads a .vdt file, padding stripped (docs/videotex.md §11), with errors that name the file. */
export async function readPageFile(path: string, base: string): Promise<Uint8Array> {
  const full = isAbsolute(path) ? path : resolve(base, path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new SdkError('TELETEL_E_PAGE', `${full} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof SdkError) throw error;
    throw new SdkError('TELETEL_E_PAGE', `page ${full} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  const tooBig = (bytes: string): SdkError => new SdkError('TELETEL_E_PAGE', `page ${full} is ${bytes} bytes; the limit is ${PAGE_LIMITS.fileBytes}`);
  if (size > PAGE_LIMITS.fileBytes) throw tooBig(String(size));
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readAtMost(full, PAGE_LIMITS.fileBytes);
  } catch (error) {
    throw new SdkError('TELETEL_E_PAGE', `page ${full} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  // It grew after the size was read.
  if (bytes === undefined) throw tooBig(`over ${PAGE_LIMITS.fileBytes}`);
  return stripFilePadding(bytes);
}

export function isPageLike(value: unknown): value is PageLike {
  return typeof value === 'object' && value !== null && typeof (value as PageLike).toBytes === 'function';
}

/** The bytes of a page source. */
export async function pageBytes(page: PageSource, base: string): Promise<Uint8Array> {
  if (page instanceof Uint8Array) return page;
  if (typeof page === 'string') return readPageFile(page, base);
  if (isPageLike(page)) return page.toBytes();
  throw new SdkError('TELETEL_E_PAGE', 'a page is bytes, a .vdt path or an object with toBytes() (the videotex builder)');
}
