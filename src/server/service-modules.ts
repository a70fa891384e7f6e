/**
 * How `teletel serve` imports the code of user services (a folder's
 * `index.js` or `index.ts`, src/sdk/folder.ts).
 *
 * TypeScript needs no build step: an `index.ts` is imported through tsx's
 * ESM loader, registered from here (`tsx/esm/api`, Node ≥ 20.6) the first
 * time a folder needs it, so a gateway without TypeScript services never
 * loads tsx or esbuild.
 *
 * Each import gets its own tsx namespace. The namespace follows every import
 * made from the module, so the files a service imports (its siblings, and
 * the packages it uses) are new instances too: a reload in `--dev` sees the
 * service's helper modules as they are now on disk, not as they were first
 * imported. The same path is used for `index.js` in `--dev` for that reason;
 * without `--dev` a JavaScript service is a plain `import()`.
 *
 * Limits, documented for `--dev`: Node never unloads an ES module, so every
 * reload keeps the previous instances (and one more inactive loader hook) in
 * memory until the process restarts; and state a service keeps in a module
 * (a Map of users, a timer) is not carried to the new instance.
 */
import { register as registerLoader } from 'node:module';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

type TsxApi = typeof import('tsx/esm/api');

/** Imports one service module (absolute path) and returns the module namespace. */
export type ModuleImporter = (path: string) => Promise<unknown>;

export interface ImporterOptions {
  /** Every import is a new instance of the service and of what it imports (`--dev`). */
  fresh: boolean;
}

let tsx: Promise<TsxApi> | undefined;

/** tsx's API, loaded once and only when a service needs it. */
function loadTsx(): Promise<TsxApi> {
  if (typeof registerLoader !== 'function') {
    // module.register arrived in Node 20.6; older versions cannot take a loader at run time.
    return Promise.reject(
      new Error(`TypeScript services need Node.js 20.6 or later (this is ${process.version}); upgrade Node, or compile index.ts to index.js`),
    );
  }
  tsx ??= import('tsx/esm/api');
  return tsx;
}

export function serviceModuleImporter(options: ImporterOptions): ModuleImporter {
  return async (path) => {
    const url = pathToFileURL(path).href;
    if (!options.fresh && !path.endsWith('.ts')) return (await import(url)) as unknown;
    const { register } = await loadTsx();
    // Not unregistered: a service may import more of its files later, lazily, in the same namespace.
    const scope = register({ namespace: randomUUID() });
    return (await scope.import(url, import.meta.url)) as unknown;
  };
}
