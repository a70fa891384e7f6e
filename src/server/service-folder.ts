/**
 * Services from folders, for `teletel serve` and its `--dev` reload:
 *
 * - a folder with a `service.json`: a service without code, made of .vdt
 *   pages drawn in an editor, linked by function keys or typed choices, with
 *   input zones (format below);
 * - a folder with an `index.js` (or `index.ts` when a TypeScript loader such
 *   as tsx is active) whose default export is a Service (`defineService`).
 *
 * `loadServiceFolder(path)` loads one folder and throws a ServiceFolderError
 * listing every problem with its file, line and column; call it again after
 * a change to reload. The services folder as a whole (one broken folder never
 * stops the others, a code served once) is service-folders.ts. Reading files
 * is the server's job: the SDK only turns a checked definition into a
 * Service (pagesService, src/sdk/pages-service.ts), with no Node I/O.
 *
 * service.json:
 *
 *   {
 *     "code": "METEO",                    capital letters and digits, 1–16
 *     "name": "La météo",
 *     "description": "…", "keywords": ["…"],
 *     "tariff": "free" | "3615" | { "perMinute": 0.34, "currency": "FRF" },
 *     "start": "accueil",                 the summary page (default: the first page)
 *     "help": "aide.vdt",                 shown on Guide (optional)
 *     "pages": {
 *       "accueil": {
 *         "file": "accueil.vdt",          may hold {{placeholders}} filled with form values
 *         "keys": { "Suite": "page2" },   function key → page
 *         "choices": { "1": "meteo" },    what the user types + Envoi → page
 *         "choice": { "row": 24, "column": 38, "length": 2 },   where choices are typed
 *         "fields": [ { "name": "email", "row": 10, "column": 5, "length": 20,
 *                       "allowed": "any", "hidden": false, "required": true } ],
 *         "next": "merci"                 page shown after Envoi on the fields
 *       }
 *     }
 *   }
 *
 * Form values are kept for the visit (for placeholders) and each submission
 * is stored in the service's key-value space under `submission:…`, hidden
 * fields left out, before the next page shows (the first
 * FOLDER_LIMITS.submissionsPerVisit of a visit).
 */
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { FUNCTION_KEY_NAMES, type FunctionKeyName } from '../videotex/keyboard.js';
import { stripFilePadding } from '../videotex/vdt-file.js';
import { FREE, TARIFF_3615, type Service, type Tariff } from '../sdk/service.js';
import { ServiceFolderError, codeOf, messageOf, type FolderProblem } from '../sdk/errors.js';
import { readAtMost } from '../sdk/bounded-read.js';
import { SERVICE_CODE, checkServiceInfo } from '../sdk/define.js';
import { fieldSpecsProblem, type AllowedChars, type FieldSpec } from '../sdk/form.js';
import { PAGE_LIMITS } from '../sdk/pages.js';
import { PAGES_SERVICE_LIMITS, pagesService, type PageDefinition, type PagesServiceDefinition } from '../sdk/pages-service.js';
import { parseJson, JsonSyntaxError, type Position } from '../sdk/json.js';

export const SERVICE_FILE = 'service.json';
export const FOLDER_LIMITS = {
  /** service.json is a description, not data. */
  serviceFileBytes: 1024 * 1024,
  pages: 500,
  /** Form submissions stored per visit (see PAGES_SERVICE_LIMITS in the SDK). */
  submissionsPerVisit: PAGES_SERVICE_LIMITS.submissionsPerVisit,
} as const;

const PAGE_KEYS = FUNCTION_KEY_NAMES.filter((name) => name !== 'ConnexionFin');
const ALLOWED_NAMES = ['any', 'digits', 'letters', 'alphanumeric', 'name'] as const;
const ROOT_PROPERTIES = ['code', 'name', 'description', 'keywords', 'tariff', 'start', 'help', 'pages', '$schema'];
const PAGE_PROPERTIES = ['file', 'keys', 'choices', 'choice', 'fields', 'next'];
const FIELD_PROPERTIES = ['name', 'row', 'column', 'length', 'lines', 'allowed', 'default', 'hidden', 'required', 'minLength', 'uppercase', 'label', 'fill'];

export interface LoadFolderOptions {
  /**
   * Imports a service's `index.js` or `index.ts` (absolute path) and returns
   * the module. The default is `import()` with a query that makes a new
   * instance of that file; `teletel serve` gives one that compiles
   * TypeScript and makes the files it imports new instances too.
   */
  importModule?: (path: string) => Promise<unknown>;
}

/** True when `folder` holds a service.json, an index.js or an index.ts. */
export async function isServiceFolder(folder: string): Promise<boolean> {
  for (const file of [SERVICE_FILE, 'index.js', 'index.ts']) {
    if (await exists(join(folder, file))) return true;
  }
  return false;
}

/** Loads one service folder; throws ServiceFolderError with every problem found. */
export async function loadServiceFolder(folder: string, options: LoadFolderOptions = {}): Promise<Service> {
  const dir = resolve(folder);
  if (await exists(join(dir, SERVICE_FILE))) return pagesService(await readServiceJson(dir));
  for (const file of ['index.js', 'index.ts']) {
    const path = join(dir, file);
    if (await exists(path)) return importService(dir, path, options.importModule ?? importFresh);
  }
  throw new ServiceFolderError(dir, [{ file: dir, message: `no ${SERVICE_FILE}, index.js or index.ts in this folder` }]);
}

/** The query makes a new module instance, so a reload picks up the changed file (not the files it imports). */
function importFresh(path: string): Promise<unknown> {
  return import(`${pathToFileURL(path).href}?v=${Date.now()}-${randomUUID()}`);
}

async function importService(dir: string, path: string, importModule: (path: string) => Promise<unknown>): Promise<Service> {
  let module: { default?: unknown };
  try {
    module = (await importModule(path)) ?? {};
  } catch (error) {
    const hint = path.endsWith('.ts') && /Unknown file extension/.test(String(error)) ? ' (run with tsx, or compile it to index.js)' : '';
    throw new ServiceFolderError(dir, [{ file: path, message: `cannot be loaded: ${messageOf(error)}${hint}` }]);
  }
  const service = module.default as Partial<Service> | undefined;
  if (typeof service !== 'object' || service === null || typeof service.run !== 'function') {
    throw new ServiceFolderError(dir, [{ file: path, message: 'the default export is not a service: export default defineService({ … })' }]);
  }
  const problems = checkServiceInfo(service, basename(path));
  if (problems.length > 0) throw new ServiceFolderError(dir, problems.map((message) => ({ file: path, message })));
  return service as Service;
}

/** Reads and checks a service.json folder; throws ServiceFolderError listing every problem. */
export async function readServiceJson(dir: string): Promise<PagesServiceDefinition> {
  const file = join(dir, SERVICE_FILE);
  const problems: FolderProblem[] = [];
  const fail = (): never => {
    throw new ServiceFolderError(dir, problems);
  };
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > FOLDER_LIMITS.serviceFileBytes) {
      problems.push({ file, message: `${info.size} bytes; a service.json is limited to ${FOLDER_LIMITS.serviceFileBytes}` });
      fail();
    }
    const bytes = await readAtMost(file, FOLDER_LIMITS.serviceFileBytes);
    if (bytes === undefined) {
      problems.push({ file, message: `grew past ${FOLDER_LIMITS.serviceFileBytes} bytes while being read` });
      fail();
    }
    text = Buffer.from(bytes!).toString('utf8');
  } catch (error) {
    if (error instanceof ServiceFolderError) throw error;
    problems.push({ file, message: `cannot be read: ${codeOf(error)}` });
    return fail();
  }
  let json: unknown;
  let positions: Map<string, Position>;
  try {
    ({ value: json, positions } = parseJson(text));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    problems.push({ file, message: `JSON syntax: ${error.message}`, line: error.line, column: error.column });
    return fail();
  }
  const at = (path: string, message: string): void => {
    const position = positions.get(path) ?? positions.get(path.split('.').slice(0, -1).join('.'));
    problems.push({ file, message, ...position });
  };
  if (!isObject(json)) {
    at('', 'the file must hold an object: { "code": …, "name": …, "pages": { … } }');
    return fail();
  }
  unknownProperties(json, ROOT_PROPERTIES, '', at);

  const code = json.code;
  if (typeof code !== 'string' || !SERVICE_CODE.test(code)) {
    at('code', `bad code ${code === undefined ? '(missing)' : typeof code === 'string' ? `'${code}'` : JSON.stringify(code)}: use 1 to 16 capital letters or digits (the word typed after 3615)`);
  }
  const name = json.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 40) at('name', 'the name must be text of 1 to 40 characters');
  if (json.description !== undefined && typeof json.description !== 'string') at('description', 'the description must be text');
  if (json.keywords !== undefined && (!Array.isArray(json.keywords) || json.keywords.some((k) => typeof k !== 'string'))) {
    at('keywords', 'keywords must be a list of words: ["météo", "pluie"]');
  }
  const tariff = readTariff(json.tariff);
  if (tariff === null) at('tariff', `the tariff is "free", "3615" or { "perMinute": 0.34, "currency": "FRF" }`);

  const pages = new Map<string, PageDefinition>();
  const links: { path: string; target: string }[] = [];
  if (!isObject(json.pages) || Object.keys(json.pages).length === 0) {
    at('pages', 'pages must be an object with at least one page: { "accueil": { "file": "accueil.vdt" } }');
  } else if (Object.keys(json.pages).length > FOLDER_LIMITS.pages) {
    at('pages', `at most ${FOLDER_LIMITS.pages} pages`);
  } else {
    for (const [pageName, page] of Object.entries(json.pages)) {
      const path = `pages.${pageName}`;
      const definition = await readPage(dir, pageName, page, path, at, links);
      if (definition !== null) pages.set(pageName, definition);
    }
  }
  const pageNames = isObject(json.pages) ? Object.keys(json.pages) : [];
  const start = json.start ?? pageNames[0];
  if (json.start !== undefined && (typeof json.start !== 'string' || !pageNames.includes(json.start))) {
    at('start', `unknown page ${typeof json.start === 'string' ? `'${json.start}'` : JSON.stringify(json.start)} for start (pages: ${pageNames.join(', ') || 'none'})`);
  }
  for (const link of links) {
    if (!pageNames.includes(link.target)) at(link.path, `unknown page '${link.target}' (pages: ${pageNames.join(', ')})`);
  }
  let help: Uint8Array | undefined;
  if (json.help !== undefined) {
    help = (await readVdt(dir, json.help, 'help', at)) ?? undefined;
  }
  if (problems.length > 0) return fail();
  return {
    code: code as string,
    name: name as string,
    description: (json.description as string | undefined) ?? '',
    keywords: (json.keywords as string[] | undefined) ?? [],
    tariff: tariff as Tariff,
    start: start as string,
    help,
    pages,
  };
}

type At = (path: string, message: string) => void;

async function readPage(
  dir: string,
  pageName: string,
  page: unknown,
  path: string,
  at: At,
  links: { path: string; target: string }[],
): Promise<PageDefinition | null> {
  if (!isObject(page)) {
    at(path, `page '${pageName}' must be an object: { "file": "${pageName}.vdt" }`);
    return null;
  }
  unknownProperties(page, PAGE_PROPERTIES, path, at);
  const bytes = await readVdt(dir, page.file, `${path}.file`, at);
  const keys: Partial<Record<FunctionKeyName, string>> = {};
  if (page.keys !== undefined) {
    if (!isObject(page.keys)) at(`${path}.keys`, 'keys must be an object: { "Suite": "page2" }');
    else {
      for (const [key, target] of Object.entries(page.keys)) {
        const keyPath = `${path}.keys.${key}`;
        if (!(PAGE_KEYS as readonly string[]).includes(key)) {
          at(keyPath, `unknown key '${key}' (use ${PAGE_KEYS.join(', ')})`);
        } else if (typeof target !== 'string') {
          at(keyPath, `the target of ${key} must be a page name`);
        } else {
          keys[key as FunctionKeyName] = target;
          links.push({ path: keyPath, target });
        }
      }
    }
  }
  const choices: Record<string, string> = {};
  if (page.choices !== undefined) {
    if (!isObject(page.choices)) at(`${path}.choices`, 'choices must be an object: { "1": "meteo" }');
    else {
      for (const [choice, target] of Object.entries(page.choices)) {
        const choicePath = `${path}.choices.${choice}`;
        if (!/^[A-Za-z0-9]{1,8}$/.test(choice)) at(choicePath, `a choice is 1 to 8 letters or digits, not '${choice}'`);
        else if (typeof target !== 'string') at(choicePath, `the target of choice ${choice} must be a page name`);
        else {
          choices[choice.toUpperCase()] = target;
          links.push({ path: choicePath, target });
        }
      }
    }
  }
  const width = Math.max(2, ...Object.keys(choices).map((c) => c.length));
  let choice = { row: 24, column: 40 - width, length: width };
  if (page.choice !== undefined) {
    const c = page.choice;
    if (!isObject(c) || !isInt(c.row, 1, 24) || !isInt(c.column, 1, 40) || (c.length !== undefined && !isInt(c.length, 1, 8))) {
      at(`${path}.choice`, 'choice is { "row": 1–24, "column": 1–40, "length": 1–8 }');
    } else {
      choice = { row: c.row as number, column: c.column as number, length: (c.length as number | undefined) ?? width };
      if (choice.column + choice.length - 1 > 40) at(`${path}.choice`, `the choice zone ends past column 40`);
    }
  }
  const fields: (FieldSpec & { name: string })[] = [];
  if (page.fields !== undefined) {
    if (!Array.isArray(page.fields)) at(`${path}.fields`, 'fields must be a list: [ { "name": "email", "row": 10, "column": 5, "length": 20 } ]');
    else {
      page.fields.forEach((field: unknown, i: number) => {
        const spec = readField(field, `${path}.fields.${i}`, at);
        if (spec !== null) {
          if (fields.some((f) => f.name === spec.name)) at(`${path}.fields.${i}.name`, `two fields are named '${spec.name}'`);
          else fields.push(spec);
        }
      });
      if (fields.length === page.fields.length && fields.length > 0) {
        const problem = fieldSpecsProblem(Object.fromEntries(fields.map((f) => [f.name, f])));
        if (problem !== null) at(`${path}.fields`, problem);
      }
    }
  }
  if (fields.length > 0 && Object.keys(choices).length > 0) at(`${path}.choices`, 'a page has either fields or choices, not both');
  let next: string | undefined;
  if (page.next !== undefined) {
    if (typeof page.next !== 'string') at(`${path}.next`, 'next must be a page name');
    else if (page.fields === undefined) at(`${path}.next`, 'next is the page shown after the fields are sent; this page has no fields');
    else {
      next = page.next;
      links.push({ path: `${path}.next`, target: page.next });
    }
  }
  if (bytes === null) return null;
  return { bytes, keys, choices, choice, fields, next };
}

function readField(field: unknown, path: string, at: At): (FieldSpec & { name: string }) | null {
  if (!isObject(field)) {
    at(path, 'a field is { "name": "email", "row": 10, "column": 5, "length": 20 }');
    return null;
  }
  unknownProperties(field, FIELD_PROPERTIES, path, at);
  let ok = true;
  const bad = (key: string, message: string): void => {
    at(`${path}.${key}`, message);
    ok = false;
  };
  if (typeof field.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(field.name)) bad('name', 'a field name is a letter then letters, digits or _ (up to 32)');
  if (!isInt(field.row, 1, 24)) bad('row', 'row must be a whole number from 1 to 24');
  if (!isInt(field.column, 1, 40)) bad('column', 'column must be a whole number from 1 to 40');
  if (!isInt(field.length, 1, 40)) bad('length', 'length must be a whole number from 1 to 40');
  if (field.lines !== undefined && !isInt(field.lines, 1, 24)) bad('lines', 'lines must be a whole number from 1 to 24');
  if (field.minLength !== undefined && !isInt(field.minLength, 0, 960)) bad('minLength', 'minLength must be a whole number');
  if (field.allowed !== undefined && !(ALLOWED_NAMES as readonly unknown[]).includes(field.allowed)) {
    bad('allowed', `allowed is one of ${ALLOWED_NAMES.join(', ')}`);
  }
  for (const flag of ['hidden', 'required', 'uppercase'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean') bad(flag, `${flag} is true or false`);
  }
  for (const text of ['default', 'label', 'fill'] as const) {
    if (field[text] !== undefined && typeof field[text] !== 'string') bad(text, `${text} must be text`);
  }
  if (!ok) return null;
  return {
    name: field.name as string,
    row: field.row as number,
    column: field.column as number,
    length: field.length as number,
    lines: field.lines as number | undefined,
    minLength: field.minLength as number | undefined,
    allowed: field.allowed as AllowedChars | undefined,
    hidden: field.hidden as boolean | undefined,
    required: field.required as boolean | undefined,
    uppercase: field.uppercase as boolean | undefined,
    default: field.default as string | undefined,
    label: field.label as string | undefined,
    fill: field.fill as string | undefined,
  };
}

async function readVdt(dir: string, value: unknown, path: string, at: At): Promise<Uint8Array | null> {
  if (typeof value !== 'string' || !value.toLowerCase().endsWith('.vdt')) {
    at(path, `a page file is the name of a .vdt file in the folder, not ${JSON.stringify(value) ?? 'nothing'}`);
    return null;
  }
  const full = resolve(dir, value);
  const inside = relative(dir, full);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    at(path, `${value} is outside the service folder`);
    return null;
  }
  try {
    const info = await stat(full);
    if (!info.isFile()) {
      at(path, `${value} is not a file`);
      return null;
    }
    if (info.size > PAGE_LIMITS.fileBytes) {
      at(path, `${value} is ${info.size} bytes; a page is limited to ${PAGE_LIMITS.fileBytes}`);
      return null;
    }
    const bytes = await readAtMost(full, PAGE_LIMITS.fileBytes);
    if (bytes === undefined) {
      at(path, `${value} grew past ${PAGE_LIMITS.fileBytes} bytes while being read`);
      return null;
    }
    return stripFilePadding(bytes);
  } catch (error) {
    at(path, codeOf(error) === 'ENOENT' ? `missing .vdt file ${value}` : `${value} cannot be read: ${codeOf(error)}`);
    return null;
  }
}

function readTariff(value: unknown): Tariff | null {
  if (value === undefined || value === 'free') return FREE;
  if (value === '3615') return TARIFF_3615;
  if (
    isObject(value) &&
    typeof value.perMinute === 'number' &&
    Number.isFinite(value.perMinute) &&
    value.perMinute >= 0 &&
    (value.currency === 'FRF' || value.currency === 'EUR')
  ) {
    return { perMinute: value.perMinute, currency: value.currency };
  }
  return null;
}

function unknownProperties(object: Record<string, unknown>, known: readonly string[], path: string, at: At): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      at(path === '' ? key : `${path}.${key}`, `unknown property '${key}' (expected ${known.filter((k) => !k.startsWith('$')).join(', ')})`);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
