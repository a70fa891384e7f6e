/**
 * A service made of pages, without code: what a `service.json` folder
 * describes (the format is in src/server/service-folder.ts, which reads and
 * checks the folder). Given the checked definition — pages as bytes, keys
 * and typed choices linking them, input zones — `pagesService` is the
 * Service: no file is read here, so the SDK stays free of Node I/O.
 *
 * Form values are kept for the visit (for `{{placeholders}}`) and each
 * submission is stored in the service's key-value space under
 * `submission:…`, hidden fields left out, before the next page shows.
 */
import type { FunctionKeyName } from '../videotex/keyboard.js';
import { defineService } from './define.js';
import type { FieldSpec } from './form.js';
import { fillTemplate } from './pages.js';
import type { Service, Tariff } from './service.js';

export const PAGES_SERVICE_LIMITS = {
  /** Form submissions stored per visit: a person fills a few forms; past this it is a script filling the store. */
  submissionsPerVisit: 100,
} as const;

export interface PageDefinition {
  bytes: Uint8Array;
  keys: Partial<Record<FunctionKeyName, string>>;
  choices: Record<string, string>;
  choice: { row: number; column: number; length: number };
  fields: (FieldSpec & { name: string })[];
  next?: string;
}

export interface PagesServiceDefinition {
  code: string;
  name: string;
  description: string;
  keywords: string[];
  tariff: Tariff;
  start: string;
  help?: Uint8Array;
  pages: Map<string, PageDefinition>;
}

/** The Service a checked service.json describes. */
export function pagesService(definition: PagesServiceDefinition): Service {
  return defineService<{ values: Record<string, string>; submissions: number }>({
    code: definition.code,
    name: definition.name,
    description: definition.description,
    keywords: definition.keywords,
    tariff: definition.tariff,
    help: definition.help,
    state: () => ({ values: {}, submissions: 0 }),
    async session(s) {
      let current = definition.start;
      for (;;) {
        const page = definition.pages.get(current);
        if (page === undefined) return; // checked at load; never happens
        const bytes = fillTemplate(page.bytes, s.state.values);
        const keyNames = Object.keys(page.keys) as FunctionKeyName[];
        if (Object.keys(page.choices).length > 0) {
          const result = await s.menu(page.choices, { frame: bytes, field: page.choice, keys: keyNames });
          current = (result.key === 'Envoi' ? result.value : page.keys[result.key]) ?? current;
          continue;
        }
        await s.show(bytes);
        if (page.fields.length > 0) {
          const specs = Object.fromEntries(page.fields.map(({ name, ...spec }) => [name, spec]));
          const { values, key } = await s.form(specs, { keys: keyNames });
          if (key === 'Envoi') {
            Object.assign(s.state.values, values);
            if (s.state.submissions < PAGES_SERVICE_LIMITS.submissionsPerVisit) {
              const kept = Object.fromEntries(page.fields.filter((f) => !f.hidden).map((f) => [f.name, values[f.name]]));
              await s.store.keyValue(definition.code).set(`submission:${new Date().toISOString()}:${s.link.id}`, { page: current, values: kept });
            } else if (s.state.submissions === PAGES_SERVICE_LIMITS.submissionsPerVisit) {
              s.log.warn('form submissions of this visit no longer stored', { service: definition.code, link: s.link.id, limit: PAGES_SERVICE_LIMITS.submissionsPerVisit });
            }
            s.state.submissions++;
            current = page.next ?? current;
          } else {
            current = page.keys[key] ?? current;
          }
        } else {
          const key = await s.waitKey(...keyNames);
          current = page.keys[key] ?? current;
        }
      }
    },
  });
}
