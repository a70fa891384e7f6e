/**
 * A rolling restart under load, for the hand-over tests and the resume bench:
 * users spread over the home page (a code half typed), GALERIE (a page
 * shown), JOURNAL (page 2 of an article), ANNU (a card opened from the
 * results) and CHAT (in a room, after a line of their own), half on each of
 * two gateways sharing one database. A stops and
 * its users come back on B with their tokens; a new A starts; B stops and
 * everyone comes back on the new A. Each user's screen after each resume is
 * compared cell for cell (Screen.looksLike) with the one before it.
 */
import type { Store } from '../../store/store.js';
import type { SessionState } from '../session-state.js';
import type { Service } from '../../sdk/service.js';
import { annuService } from '../../services/annu/index.js';
import { generateDirectory } from '../../services/annu/generate.js';
import { galerieService } from '../../services/galerie/index.js';
import { journalService } from '../../services/journal/index.js';
import { chatService } from '../../services/chat/index.js';
import { InProcessBus } from '../../store/bus.js';
import type { Screen } from '../../videotex/screen.js';
import { restoreScreen, snapshotScreen } from '../../videotex/screen-snapshot.js';
import { startTestGateway, type TestGateway } from './gateway.js';
import { WsMinitel } from './minitel.js';
import { resumePath } from './shared-database.js';

/** The most frequent ANNU surname in plain letters (typed byte for byte, without a Minitel keyboard's accent sequences). */
export function commonPlainSurname(): string {
  const counts = new Map<string, number>();
  for (const e of generateDirectory()) if (/^[A-Za-z]+$/.test(e.nom)) counts.set(e.nom, (counts.get(e.nom) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1])[0][0];
}

export interface RestartStep {
  users: number;
  /** From the stop until the last user's screen was back. */
  ms: number;
  /** Users whose screen came back as it was; came back otherwise (a service restarted); got a new session instead. */
  same: number;
  differ: number;
  lost: number;
}

export interface RollingRestart {
  users: number;
  steps: [RestartStep, RestartStep];
  /** The size of each user's checkpoint (the session state as JSON) before the first stop, by place. */
  checkpointBytes: Record<Place, number[]>;
}

/** Where a session is, as its state says (the service of its visit, or the home page). */
function placeOfState(state: SessionState): Place {
  const service = state.router.service;
  return (PLACES as readonly string[]).includes(service ?? '') ? (service as Place) : 'home';
}

/** Runs `one` for 0…count−1, `batch` at a time. */
export async function inBatches<T>(count: number, one: (i: number) => Promise<T>, batch = 100): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => one(i + j)))));
  return out;
}

/** The places a user can be in. */
export const PLACES = ['home', 'GALERIE', 'JOURNAL', 'ANNU', 'CHAT'] as const;
export type Place = (typeof PLACES)[number];
export const placeOf = (i: number): Place => PLACES[i % PLACES.length];
/** The CHAT room of user `i`: the five default rooms in turn. */
const chatRoom = (i: number): number => (Math.floor(i / PLACES.length) % 5) + 1;

/** A WebSocket URL of the instance for a path. */
export type InstanceUrl = (path: string) => string;

/** Takes user `i` to its place (placeOf) on the instance at `url`, with a resume token. */
export function placeUser(url: InstanceUrl, i: number, surname: string, timeoutMs: number): Promise<WsMinitel> {
  const go = async (path: string, steps: (m: WsMinitel) => Promise<void>): Promise<WsMinitel> => {
    const m = await WsMinitel.resumable(url(path));
    await steps(m);
    await m.waitFor(() => m.resumeToken !== undefined, timeoutMs);
    return m;
  };
  switch (placeOf(i)) {
    case 'home':
      return go('/ws', async (m) => {
        await m.waitFor(/Code :/, timeoutMs);
        m.type(`C${i}`);
        await m.waitFor(new RegExp(`Code : +C${i}\\.`), timeoutMs);
      });
    case 'GALERIE':
      return go('/ws?url=GALERIE', async (m) => {
        await m.waitFor(/LA GALERIE/, timeoutMs);
        m.type('2');
        m.key('Envoi');
        await m.waitFor(() => /^2\//.test(m.row(0)), timeoutMs);
      });
    case 'JOURNAL':
      return go('/ws?url=JOURNAL', async (m) => {
        await m.waitFor(/LE JOURNAL/, timeoutMs);
        m.type('1');
        m.key('Envoi');
        await m.waitFor(() => /LE JOURNAL +1\/\d+/.test(m.row(1)), timeoutMs);
        m.key('Suite');
        await m.waitFor(() => /LE JOURNAL +2\/\d+/.test(m.row(1)), timeoutMs);
      });
    case 'ANNU':
      return go('/ws?url=ANNU', async (m) => {
        await m.waitFor(/Recherche par nom/, timeoutMs);
        m.type(surname);
        m.key('Envoi');
        await m.waitFor(/r.ponses/, timeoutMs);
        m.type('1');
        m.key('Envoi');
        await m.waitFor(/Fiche/, timeoutMs);
      });
    case 'CHAT':
      return go('/ws?url=CHAT', async (m) => {
        await m.waitFor(/Bienvenue sur la messagerie/, timeoutMs);
        m.type(`u${i}`);
        m.key('Envoi');
        await m.waitFor(new RegExp(`Bonjour u${i} `), timeoutMs);
        m.type('1');
        m.key('Envoi');
        await m.waitFor(/LES SALONS/, timeoutMs);
        m.type(String(chatRoom(i)));
        m.key('Envoi');
        await m.waitFor(/SALON /, timeoutMs);
        await sayInRoom(m, `bonjour de u${i}`, timeoutMs);
      });
  }
}

/**
 * One more step of each user's flow after a resume, and what it shows:
 * a letter more of the code, the GALERIE page before, JOURNAL's page 1,
 * ANNU's results, a second CHAT line.
 */
export async function stepOn(m: WsMinitel, i: number, timeoutMs: number): Promise<void> {
  switch (placeOf(i)) {
    case 'home':
      m.type('X');
      return m.waitFor(new RegExp(`Code : +C${i}X\\.`), timeoutMs);
    case 'GALERIE':
      m.key('Retour');
      return m.waitFor(() => /^1\//.test(m.row(0)), timeoutMs);
    case 'JOURNAL':
      m.key('Retour');
      return m.waitFor(() => /LE JOURNAL +1\/\d+/.test(m.row(1)), timeoutMs);
    case 'ANNU':
      m.key('Retour');
      return m.waitFor(/r.ponses/, timeoutMs);
    case 'CHAT':
      return sayInRoom(m, `encore u${i}`, timeoutMs);
  }
}

/**
 * Says a line in a CHAT room, resolved once CHAT has taken it (the input
 * zone, rows 23–24, is empty again). Not by the line on the screen: in a
 * busy room it may be written over by later ones before a diff shows it.
 */
async function sayInRoom(m: WsMinitel, text: string, timeoutMs: number): Promise<void> {
  const zone = (): string => m.row(23) + m.row(24);
  m.type(text);
  await m.waitFor(() => zone().includes(text), timeoutMs);
  m.key('Envoi');
  await m.waitFor(() => /^ \.+$/.test(m.row(23)), timeoutMs);
}

/** Resolves once no client has received a byte for `ms`. */
export async function quiet(clients: readonly WsMinitel[], ms = 300): Promise<void> {
  let last = -1;
  for (;;) {
    const now = clients.reduce((n, m) => n + m.bytesReceived, 0);
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** What each client shows now, once the lines are quiet. */
export async function screensOf(clients: readonly WsMinitel[]): Promise<Screen[]> {
  await quiet(clients);
  return clients.map((m) => restoreScreen(snapshotScreen(m.terminal.screen)));
}

/**
 * Runs `stop` (an instance stops or dies); each client comes back on `to`
 * with its token and is compared with the screen it had before.
 */
export async function restartOnto(stop: () => Promise<unknown>, to: InstanceUrl, clients: readonly WsMinitel[], timeoutMs: number): Promise<{ step: RestartStep; back: WsMinitel[] }> {
  const before = await screensOf(clients);
  const closed = Promise.all(clients.map((m) => m.waitForClose(timeoutMs).catch(() => undefined)));
  const started = performance.now();
  await stop();
  await closed;
  const step: RestartStep = { users: clients.length, ms: 0, same: 0, differ: 0, lost: 0 };
  // Everyone dials back first, then each screen is compared: a CHAT room's header counts who is
  // there, so a screen is only as it was once the others in its room are back too.
  const back = await inBatches(clients.length, (i) => WsMinitel.resumable(to(resumePath(clients[i].resumeToken!))));
  await Promise.all(
    back.map(async (m, i) => {
      try {
        await m.waitFor(() => m.terminal.screen.looksLike(before[i]) && !m.row(0).includes('Reprise'), timeoutMs);
        await m.waitFor(() => m.resumeToken !== undefined, timeoutMs);
        step.same++;
      } catch {
        // A refused token starts a new session with this notice: the old one is lost.
        if (m.row(0).includes('introuvable')) step.lost++;
        else step.differ++;
      }
    }),
  );
  step.ms = performance.now() - started;
  return { step, back };
}

/**
 * Two gateways on one database (each opens its own `openStore()`: a SQLite
 * file, or a PostgreSQL schema), `users` users, one rolling restart; every
 * client closed at the end.
 */
export async function rollingRestart(openStore: () => Store | Promise<Store>, users: number, timeoutMs = 120_000): Promise<RollingRestart> {
  // The instances' CHATs share a bus, as on PostgreSQL.
  const bus = new InProcessBus();
  const hubs: { close(): void }[] = [];
  const services = (): Service[] => {
    const chat = chatService({ bus, flood: { lines: 100, windowMs: 10_000 } });
    hubs.push(chat.hub);
    return [galerieService(), journalService(), annuService(), chat];
  };
  const gatewayOn = async () =>
    startTestGateway({
      store: await openStore(),
      services: services(),
      limits: { maxSessionsPerAddress: users * 2, shutdownGraceMs: 30_000 },
      config: { logLevel: 'warn' },
    });
  const a = await gatewayOn();
  const b = await gatewayOn();
  let a2: TestGateway | undefined;
  let clients: WsMinitel[] = [];
  try {
    const surname = commonPlainSurname();
    // Half the users on each instance, as behind a load balancer.
    clients = await inBatches(users, (i) => placeUser((path) => (i % 2 === 0 ? a : b).wsUrl(path), i, surname, timeoutMs));
    const checkpointBytes = Object.fromEntries(PLACES.map((place) => [place, [] as number[]])) as Record<Place, number[]>;
    for (const state of [...a.gateway.sessionStates(), ...b.gateway.sessionStates()]) checkpointBytes[placeOfState(state)].push(JSON.stringify(state).length);
    const first = await restartOnto(
      () => a.stop(),
      (path) => b.wsUrl(path),
      clients.filter((_, i) => i % 2 === 0),
      timeoutMs,
    );
    a2 = await gatewayOn();
    const newA = a2;
    const second = await restartOnto(() => b.stop(), (path) => newA.wsUrl(path), [...first.back, ...clients.filter((_, i) => i % 2 === 1)], timeoutMs);
    clients.push(...first.back, ...second.back);
    return { users, steps: [first.step, second.step], checkpointBytes };
  } finally {
    for (const m of clients) m.close();
    await a.stop();
    await b.stop();
    await a2?.stop();
    for (const hub of hubs) hub.close();
  }
}
