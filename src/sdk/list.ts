/**
 * Lists and menus, Minitel style: numbered rows, Suite and Retour turn the
 * pages, a number (or a menu letter) then Envoi chooses.
 *
 * Default layout (a `frame` page may replace rows 1–22):
 *   row 1      title on a blue bar, page number on the right
 *   rows 3–22  the items, one row each (or `rowsPerItem`)
 *   row 24     "Choix ..  + ENVOI" and the paging keys
 */
import type { FunctionKeyName } from '../videotex/keyboard.js';
import { Painter, fit, pad } from './draw.js';
import { SdkError } from './errors.js';
import { runForm, type PromptHost } from './form.js';
import type { PageSource } from './pages.js';

export interface ListOptions<T> {
  /** Shown on row 1 with the page number; ignored when `frame` is given. */
  title?: string;
  /** One item's text (default String(item)); one row unless `rowsPerItem` > 1, then lines separated by '\n'. */
  render?: (item: T, index: number) => string;
  /** Rows each item takes (default 1). */
  rowsPerItem?: number;
  /** First and last rows of the item area (default 3 and 22). */
  top?: number;
  bottom?: number;
  /** Items per page (default: as many as the area holds). */
  perPage?: number;
  /** Number the items (default true): the user chooses by number. With false, the list only pages (choice still by position). */
  numbered?: boolean;
  /** A page drawn before the items instead of the default title bar (it should clear the screen). */
  frame?: PageSource;
  /** Text of the choice prompt on row 24 (default "Choix"). */
  prompt?: string;
  /** Shown when there are no items. */
  empty?: string;
  /** Function keys that end the list; Retour is only returned on the first page (elsewhere it turns back a page). */
  keys?: readonly FunctionKeyName[];
  /** Page to open on (0-based). */
  page?: number;
  /** Told the page (0-based) each time one is drawn: a service keeping where the user is, for `resume`. */
  onPage?: (page: number) => void;
}

export type ListResult<T> =
  | { key: 'Envoi'; item: T; index: number; page: number }
  | { key: Exclude<FunctionKeyName, 'Envoi'>; item: undefined; index: -1; page: number };

export interface ListHost extends PromptHost {
  show(page: PageSource): Promise<void>;
}

const LIST_MESSAGES = {
  lastPage: 'Dernière page',
  firstPage: 'Première page',
  unknown: 'Numéro inconnu',
  type: 'Tapez un numéro puis ENVOI',
};

export async function runList<T>(host: ListHost, items: readonly T[], options: ListOptions<T> = {}): Promise<ListResult<T>> {
  const rowsPerItem = options.rowsPerItem ?? 1;
  const top = options.top ?? 3;
  const bottom = options.bottom ?? 22;
  if (!Number.isInteger(top) || !Number.isInteger(bottom) || top < 1 || bottom > 23 || bottom < top) {
    throw new SdkError('TELETEL_E_FIELD', `a list area runs between rows 1 and 23, top ≤ bottom (got ${top}–${bottom})`);
  }
  if (!Number.isInteger(rowsPerItem) || rowsPerItem < 1) throw new SdkError('TELETEL_E_FIELD', 'rowsPerItem is a whole number ≥ 1');
  const fits = Math.floor((bottom - top + 1) / rowsPerItem);
  const perPage = Math.max(1, Math.min(options.perPage ?? fits, fits));
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const numbered = options.numbered ?? true;
  const render = options.render ?? ((item: T) => String(item));
  const exitKeys = new Set<FunctionKeyName>(options.keys ?? []);
  const digits = Math.max(2, String(items.length).length);
  let page = Math.min(Math.max(0, Math.floor(options.page ?? 0)), pages - 1);

  for (;;) {
    options.onPage?.(page);
    if (options.frame !== undefined) await host.show(options.frame);
    const p = new Painter();
    if (options.frame === undefined) {
      p.clearScreen();
      if (options.title !== undefined) titleBar(p, options.title, pages > 1 ? `${page + 1}/${pages}` : '');
    }
    for (let row = top; row <= bottom; row++) p.clearRow(row);
    if (items.length === 0) {
      p.at(top, 2).text(options.empty ?? 'Aucun élément');
    }
    for (let i = 0; i < perPage; i++) {
      const index = page * perPage + i;
      if (index >= items.length) break;
      const lines = render(items[index], index).split('\n').slice(0, rowsPerItem);
      const number = numbered ? `${String(index + 1).padStart(digits)} ` : '';
      const row = top + i * rowsPerItem;
      lines.forEach((line, n) => {
        p.at(row + n, 1);
        if (n === 0 && numbered) p.text(number, { fg: 'cyan' }).style({ fg: 'white' });
        else if (numbered) p.text(' '.repeat(number.length));
        p.text(fit(line, 40 - number.length));
      });
    }
    const prompt = `${options.prompt ?? 'Choix'} `;
    const fieldColumn = 2 + Array.from(prompt).length;
    const paging = pages > 1 ? 'SUITE RETOUR' : '';
    p.clearRow(24).at(24, 2).text(prompt);
    p.at(24, fieldColumn + digits + 1).text('+ ENVOI', { inverse: true });
    if (paging !== '') p.at(24, 41 - paging.length).text(paging, { fg: 'cyan' });
    host.write(p);

    const { values, key } = await runForm(
      host,
      { choice: { row: 24, column: fieldColumn, length: digits, allowed: 'digits' } },
      { keys: ['Suite', 'Retour', ...exitKeys] },
    );
    if (key === 'Suite' && !exitKeys.has('Suite')) {
      if (page < pages - 1) page++;
      else {
        host.bell();
        host.notify(LIST_MESSAGES.lastPage);
      }
      continue;
    }
    if (key === 'Retour') {
      if (page > 0) {
        page--;
        continue;
      }
      if (!exitKeys.has('Retour')) {
        host.bell();
        host.notify(LIST_MESSAGES.firstPage);
        continue;
      }
    }
    if (key !== 'Envoi') return { key, item: undefined, index: -1, page };
    if (values.choice === '') {
      host.notify(LIST_MESSAGES.type);
      continue;
    }
    const index = Number(values.choice) - 1;
    if (index >= 0 && index < items.length) return { key: 'Envoi', item: items[index], index, page };
    host.bell();
    host.notify(LIST_MESSAGES.unknown);
  }
}

/** Row 1 as a blue bar with the title, and `right` (a page number) at its end. */
export function titleBar(p: Painter, title: string, right = ''): Painter {
  const width = 39 - right.length;
  p.at(1, 1).text(pad(` ${title}`, width) + right, { bg: 'blue', fg: 'white' });
  return p;
}

export interface MenuItem<V> {
  /** What the user types (default: the item's number). */
  key?: string;
  label: string;
  value: V;
}

export interface MenuOptions {
  title?: string;
  /** A page drawn first instead of the title and items (it shows the choices itself). */
  frame?: PageSource;
  /** First row of the items (default 4). */
  top?: number;
  prompt?: string;
  /** Where the choice is typed (default row 24 after the prompt). */
  field?: { row: number; column: number; length?: number };
  keys?: readonly FunctionKeyName[];
}

export type MenuResult<V> =
  | { key: 'Envoi'; value: V; choice: string }
  | { key: Exclude<FunctionKeyName, 'Envoi'>; value: undefined; choice: string };

const MENU_MESSAGES = { unknown: 'Choix inconnu', type: 'Tapez votre choix puis ENVOI' };

export async function runMenu<V>(
  host: ListHost,
  items: readonly MenuItem<V>[] | Readonly<Record<string, V>>,
  options: MenuOptions = {},
): Promise<MenuResult<V>> {
  const entries: MenuItem<V>[] = Array.isArray(items)
    ? (items as readonly MenuItem<V>[]).map((item, i) => ({ ...item, key: item.key ?? String(i + 1) }))
    : Object.entries(items as Record<string, V>).map(([key, value]) => ({ key, label: key, value }));
  if (entries.length === 0) throw new SdkError('TELETEL_E_FIELD', 'a menu needs at least one choice');
  const byKey = new Map(entries.map((e) => [normaliseChoice(e.key ?? ''), e]));
  const keyWidth = Math.max(...entries.map((e) => Array.from(e.key ?? '').length));
  const top = options.top ?? 4;
  if (options.frame === undefined && top + entries.length * 2 - 2 > 22) {
    throw new SdkError('TELETEL_E_FIELD', `${entries.length} choices do not fit from row ${top}; draw them in a frame page`);
  }
  const prompt = `${options.prompt ?? 'Votre choix'} `;
  const field = {
    row: options.field?.row ?? 24,
    column: options.field?.column ?? 2 + Array.from(prompt).length,
    length: options.field?.length ?? Math.max(2, keyWidth),
  };

  for (;;) {
    if (options.frame !== undefined) await host.show(options.frame);
    const p = new Painter();
    if (options.frame === undefined) {
      p.clearScreen();
      if (options.title !== undefined) titleBar(p, options.title);
      entries.forEach((entry, i) => {
        p.at(top + i * 2, 3).text(pad(entry.key ?? '', keyWidth), { inverse: true }).style({ inverse: false }).text(` ${fit(entry.label, 34 - keyWidth)}`);
      });
    }
    if (options.field === undefined) {
      p.clearRow(24).at(24, 2).text(prompt);
      p.at(24, field.column + field.length + 1).text('+ ENVOI', { inverse: true });
    }
    host.write(p);
    const { values, key } = await runForm(host, { choice: { ...field, uppercase: true } }, { keys: options.keys });
    if (key !== 'Envoi') return { key, value: undefined, choice: values.choice };
    if (values.choice === '') {
      host.notify(MENU_MESSAGES.type);
      continue;
    }
    const entry = byKey.get(normaliseChoice(values.choice));
    if (entry !== undefined) return { key: 'Envoi', value: entry.value, choice: values.choice };
    host.bell();
    host.notify(MENU_MESSAGES.unknown);
  }
}

function normaliseChoice(choice: string): string {
  const trimmed = choice.trim().toUpperCase();
  return /^0*\d+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
}
