/**
 * User services for `teletel serve`: each sub-folder of the services folder
 * (`--services DIR`, default ./services) is one service (src/sdk/folder.ts:
 * a service.json with .vdt pages, or an index.js / index.ts whose default
 * export is a `defineService`), offered beside the built-in services; with
 * `--dev`, a folder is loaded again when something in it changes.
 *
 * The rules, as the README states them:
 * - A folder that does not load is logged (every problem as file:line:column)
 *   and left out; the other services start.
 * - A code is never served twice. A built-in service keeps its code: a folder
 *   that claims it is refused, for good (built-ins do not go away). Between
 *   folders, the folder that serves a code keeps it, and at start folders
 *   load in name order, so the first by name wins. A folder refused for a
 *   code another folder holds is served as soon as that code is free.
 * - `--dev`: a changed folder that loads replaces its previous version for
 *   new visits; users already inside the previous version finish their visit
 *   with it, undisturbed. A changed folder that does not load (a syntax error
 *   saved mid-edit) leaves the previous version running and logs why. A new
 *   folder is served once it loads; a removed one is withdrawn (new visits
 *   get "Service inconnu", running visits finish).
 *
 * Changes are applied one at a time, and the gateway gets each new list
 * whole (Gateway.replaceServices): a visit starts on one version or the
 * other, never on a half-updated list.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import { ServiceFolderError, codeOf, formatProblem, messageOf } from '../sdk/errors.js';
import { isServiceFolder, loadServiceFolder } from './service-folder.js';
import type { Service } from '../sdk/service.js';
import { SERVICE_WATCH_LIMITS } from './limits.js';
import type { ModuleImporter } from './service-modules.js';

export interface ServiceFoldersOptions {
  /** The services folder (absolute). */
  root: string;
  /** Services offered whatever the folder holds; their codes cannot be taken. */
  builtIns: readonly Service[];
  log: Logger;
  /** How index.js / index.ts are imported (service-modules.ts); default: src/sdk/folder.ts's. */
  importModule?: ModuleImporter;
  /** Called with the whole new list (built-ins first) whenever what is offered changes after the first load. */
  onChange?: (services: Service[]) => void;
}

interface Folder {
  /** The version served, if any: the last one that loaded. */
  service?: Service;
  /** Loaded, but its code is held by another folder: served once that code is free. */
  waiting?: Service;
}

export class ServiceFolders {
  readonly root: string;
  private readonly log: Logger;
  /** Known folders by name, served or not (a broken folder is known, so a rescan does not retry it for nothing). */
  private readonly folders = new Map<string, Folder>();
  private readonly builtInCodes: ReadonlySet<string>;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ServiceFoldersOptions) {
    this.root = options.root;
    this.log = options.log.child({ component: 'services' });
    this.builtInCodes = new Set(options.builtIns.map((s) => s.code));
  }

  /** The built-ins, then the user services by folder name. */
  services(): Service[] {
    const names = [...this.folders.keys()].sort();
    return [...this.options.builtIns, ...names.flatMap((name) => this.folders.get(name)?.service ?? [])];
  }

  /** Codes of the user services served now, by folder name. */
  served(): Record<string, string> {
    const served: Record<string, string> = {};
    for (const [name, folder] of this.folders) if (folder.service) served[name] = folder.service.code;
    return served;
  }

  /** Loads every folder (at start). */
  loadAll(): Promise<void> {
    return this.serially(async () => {
      for (const name of await this.folderNames()) await this.load(name);
      const codes = Object.values(this.served()).sort();
      this.log.info({ folder: this.root, services: codes }, `${codes.length} user service${codes.length === 1 ? '' : 's'} from ${this.root}`);
    });
  }

  /** Something changed in folder `name` (or it appeared, or went away): load it again. */
  reload(name: string): Promise<void> {
    return this.serially(async () => {
      if (await this.load(name)) this.changed();
    });
  }

  /** Folders added or removed while nobody was told (a watcher that lost track). */
  rescan(): Promise<void> {
    return this.serially(async () => {
      const onDisk = new Set(await this.folderNames());
      let changed = false;
      for (const name of [...new Set([...onDisk, ...this.folders.keys()])].sort()) {
        if (onDisk.has(name) !== this.folders.has(name) && (await this.load(name))) changed = true;
      }
      if (changed) this.changed();
    });
  }

  /** Resolves once the changes asked for so far are applied. */
  idle(): Promise<void> {
    return this.serially(async () => {});
  }

  /** Sub-folders that may hold a service, by name (hidden folders and node_modules left out). */
  async folderNames(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch (error) {
      this.log.error({ folder: this.root, err: error }, `cannot read the services folder ${this.root}: ${codeOf(error)}`);
      return [];
    }
    const names: string[] = [];
    for (const entry of entries) {
      if (!isCandidate(entry.name)) continue;
      // A symbolic link to a service folder counts as one.
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(this.root, entry.name))))) names.push(entry.name);
    }
    return names.sort();
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((error: unknown) => {
      this.log.error({ err: error }, 'user services: unexpected failure');
    });
    this.queue = run;
    return run;
  }

  /** Loads folder `name` as it is on disk now; true when what is offered changed. */
  private async load(name: string): Promise<boolean> {
    const path = join(this.root, name);
    const known = this.folders.get(name);
    if (!(await isServiceFolder(path))) {
      if (known === undefined) return false;
      this.folders.delete(name);
      if (known.service === undefined) return false;
      this.log.info({ folder: path, service: known.service.code }, `service ${known.service.code} withdrawn: ${path} holds no service any more`);
      this.serveWaiting();
      return true;
    }
    const started = performance.now();
    let service: Service;
    try {
      service = await loadServiceFolder(path, { importModule: this.options.importModule });
    } catch (error) {
      const problems = error instanceof ServiceFolderError ? error.problems.map(formatProblem) : [`${path}: ${messageOf(error)}`];
      const kept = known?.service?.code;
      const what = kept === undefined ? `service not loaded` : `service ${kept} not reloaded, the previous version still runs`;
      this.log.error({ folder: path, problems, kept }, `${what}:\n${problems.join('\n')}`);
      if (known === undefined) this.folders.set(name, {});
      else known.waiting = undefined;
      return false;
    }
    const code = service.code;
    if (this.builtInCodes.has(code)) {
      this.log.error(
        { folder: path, service: code, kept: known?.service?.code },
        `service ${code} in ${path} refused: ${code} is a built-in service, which keeps its code; give this one another "code"`,
      );
      if (known === undefined) this.folders.set(name, {});
      else known.waiting = undefined;
      return false;
    }
    const holder = this.holderOf(code, name);
    if (holder !== undefined) {
      this.log.error(
        { folder: path, service: code, kept: known?.service?.code, heldBy: join(this.root, holder) },
        `service ${code} in ${path} refused: ${join(this.root, holder)} already serves ${code}; give one of them another "code"`,
      );
      if (known === undefined) this.folders.set(name, { waiting: service });
      else known.waiting = service;
      return false;
    }
    const previous = known?.service;
    this.folders.set(name, { service });
    const ms = Math.round(performance.now() - started);
    this.log.info({ folder: path, service: code, ms }, previous === undefined ? `service ${code} loaded` : `service ${code} reloaded`);
    if (previous !== undefined && previous.code !== code) this.serveWaiting();
    return true;
  }

  /** The folder (other than `except`) serving `code`. */
  private holderOf(code: string, except: string): string | undefined {
    for (const [name, folder] of this.folders) if (name !== except && folder.service?.code === code) return name;
    return undefined;
  }

  /** Folders refused for a code another folder held: served if the code is free now. */
  private serveWaiting(): void {
    for (const name of [...this.folders.keys()].sort()) {
      const folder = this.folders.get(name)!;
      const waiting = folder.waiting;
      if (waiting === undefined || this.holderOf(waiting.code, name) !== undefined) continue;
      folder.service = waiting;
      folder.waiting = undefined;
      this.log.info({ folder: join(this.root, name), service: waiting.code }, `service ${waiting.code} loaded: its code is free now`);
    }
  }

  private changed(): void {
    try {
      this.options.onChange?.(this.services());
    } catch (error) {
      this.log.error({ err: error }, 'the new list of services was refused; the previous one stays');
    }
  }
}

export interface WatchOptions {
  /** Default SERVICE_WATCH_LIMITS.debounceMs. */
  debounceMs?: number;
}

/**
 * Platforms where `fs.watch(dir, { recursive: true })` is the system's own
 * (FSEvents, ReadDirectoryChangesW). On Linux, Node (20 to 24) emulates it in
 * JavaScript and has thrown on files deleted under the watched tree
 * (nodejs/node#52018), and removing a folder is an ordinary event here; so
 * there each folder gets a plain watcher (inotify), kept in step below.
 */
const NATIVE_RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Watches the services folder for `--dev`: a change under `root/NAME`
 * reloads folder NAME once the folder has been quiet for `debounceMs`.
 * `close()` stops every watcher and timer and waits for a reload under way.
 */
export class ServiceFolderWatcher {
  private readonly log: Logger;
  private readonly debounceMs: number;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Plain watchers by folder path (Linux and others). */
  private readonly watchers = new Map<string, FSWatcher>();
  private recursive: FSWatcher | undefined;
  private closed = false;
  private warned = false;

  constructor(
    private readonly folders: ServiceFolders,
    log: Logger,
    options: WatchOptions = {},
  ) {
    this.log = log.child({ component: 'services' });
    this.debounceMs = options.debounceMs ?? SERVICE_WATCH_LIMITS.debounceMs;
  }

  /** Starts watching; changes made once it resolves are seen. */
  async start(): Promise<void> {
    const root = this.folders.root;
    if (NATIVE_RECURSIVE) {
      try {
        const watcher = watch(root, { recursive: true }, (_event, filename) => {
          if (filename === null) this.rescanSoon();
          else this.changed(String(filename).split(/[\\/]/)[0]);
        });
        watcher.on('error', (error) => this.lost(root, error));
        this.recursive = watcher;
        this.log.info({ folder: root }, `watching ${root} for changes`);
        return;
      } catch (error) {
        this.log.warn({ err: error }, 'no recursive watch here; watching each folder');
      }
    }
    this.watchDirectory(root, (filename) => {
      if (filename === null) this.rescanSoon();
      else this.changed(filename);
    });
    for (const name of await this.folders.folderNames()) await this.watchFolder(name);
    this.log.info({ folder: root }, `watching ${root} for changes`);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.recursive?.close();
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await this.folders.idle();
  }

  /** Something changed in (or at) root/NAME. */
  private changed(name: string | undefined): void {
    if (this.closed || name === undefined || !isCandidate(name)) return;
    clearTimeout(this.timers.get(name));
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        void this.apply(name);
      }, this.debounceMs),
    );
  }

  private async apply(name: string): Promise<void> {
    // Watchers first, then the load: a change made while the folder is read is seen by them.
    if (this.recursive === undefined) await this.watchFolder(name);
    if (this.closed) return;
    await this.folders.reload(name);
  }

  private rescanSoon(): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(''));
    this.timers.set(
      '',
      setTimeout(() => {
        this.timers.delete('');
        void this.folders.rescan();
      }, this.debounceMs),
    );
  }

  /** (Re)creates the plain watchers of root/NAME and of its sub-folders, as they are now. */
  private async watchFolder(name: string): Promise<void> {
    const folder = join(this.folders.root, name);
    for (const [path, watcher] of this.watchers) {
      if (path === folder || path.startsWith(folder + sep)) {
        watcher.close();
        this.watchers.delete(path);
      }
    }
    const directories = await listDirectories(folder);
    if (this.closed) return;
    if (directories.truncated && !this.warned) {
      this.warned = true;
      this.log.warn({ folder }, `${folder} has more folders than --dev watches (${SERVICE_WATCH_LIMITS.directories}, ${SERVICE_WATCH_LIMITS.depth} levels deep); changes deeper down are not seen`);
    }
    for (const path of directories.paths) this.watchDirectory(path, () => this.changed(name));
  }

  private watchDirectory(path: string, onChange: (filename: string | null) => void): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(path, (_event, filename) => onChange(filename === null ? null : String(filename)));
    } catch (error) {
      // Gone already (the next event on its parent says so), or out of inotify watches.
      if (codeOf(error) !== 'ENOENT') this.log.warn({ folder: path, err: error }, `cannot watch ${path}: ${codeOf(error)}`);
      return;
    }
    watcher.on('error', (error) => this.lost(path, error));
    this.watchers.set(path, watcher);
  }

  /** A watcher failed (its folder was removed, mostly): the folder it belonged to is looked at again. */
  private lost(path: string, error: unknown): void {
    const watcher = path === this.folders.root && this.recursive ? this.recursive : this.watchers.get(path);
    watcher?.close();
    this.watchers.delete(path);
    if (this.closed) return;
    const inside = relative(this.folders.root, path);
    if (inside === '') {
      this.log.warn({ folder: path, err: error }, `stopped watching ${path}: ${codeOf(error)}; restart to watch it again`);
      return;
    }
    this.changed(inside.split(sep)[0]);
  }
}

/** Starts a watcher on `folders` for `teletel serve --dev`. */
export async function watchServiceFolders(folders: ServiceFolders, log: Logger, options: WatchOptions = {}): Promise<ServiceFolderWatcher> {
  const watcher = new ServiceFolderWatcher(folders, log, options);
  await watcher.start();
  return watcher;
}

/** `folder` and the folders under it, breadth first, within SERVICE_WATCH_LIMITS. */
async function listDirectories(folder: string): Promise<{ paths: string[]; truncated: boolean }> {
  const paths: string[] = [];
  if (!(await isDirectory(folder))) return { paths, truncated: false };
  let level = [folder];
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (paths.length >= SERVICE_WATCH_LIMITS.directories) return { paths, truncated: true };
      paths.push(dir);
      if (depth >= SERVICE_WATCH_LIMITS.depth) continue;
      try {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          if (entry.isDirectory() && isCandidate(entry.name)) next.push(join(dir, entry.name));
        }
      } catch {
        // Removed meanwhile: its parent's watcher reports it.
      }
    }
    level = next;
  }
  return { paths, truncated: false };
}

/** Hidden folders (.git, editor swap folders) and node_modules are not services and not watched. */
function isCandidate(name: string): boolean {
  return name !== '' && !name.startsWith('.') && name !== 'node_modules';
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
