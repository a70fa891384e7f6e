/**
 * A simulated Minitel user: the project's Terminal over a real WebSocket,
 * going home → GUIDE → CHAT (a line in a room, a private message, the BAL
 * read and emptied) → ANNU → JOURNAL → GALERIE → Connexion/Fin, again and
 * again, with pauses a person would make. A link that drops (an instance
 * killed) is dialled again; a screen that does not come is a failure,
 * recorded with what the screen showed.
 */
import { WsMinitel } from '../src/server/test-support/minitel.js';
import type { FunctionKeyName } from '../src/videotex/keyboard.js';
import type { Ledger } from './ledger.js';
import { hostileText, watchForLeaks, type LeakWatch } from './hostile.js';

export interface Instance {
  name: string;
  /** Which store its CHAT mail goes to: users private-message peers on the same one. */
  store: string;
  url(): string;
  /** A fault on it now (killed, database cut): failures during it are expected, and counted apart. */
  faultUntil: number;
}

export interface Stats {
  keys: number;
  bytesReceived: number;
  connections: number;
  steps: Map<string, number>;
  /** Failures by kind: a screen that did not come, outside and during faults. */
  failures: Map<string, number>;
  failuresDuringFaults: Map<string, number>;
  /** When each failure outside faults happened (ms since the epoch), to see whether they bunch. */
  failureTimes: number[];
  /** One screen per failure kind, to see what the user saw (outside faults, and during them). */
  samples: Map<string, string>;
  faultSamples: Map<string, string>;
  roomLines: number;
  hostileSent: number;
}

export function newStats(): Stats {
  return {
    keys: 0,
    bytesReceived: 0,
    connections: 0,
    steps: new Map(),
    failures: new Map(),
    failuresDuringFaults: new Map(),
    failureTimes: [],
    samples: new Map(),
    faultSamples: new Map(),
    roomLines: 0,
    hostileSent: 0,
  };
}

export interface World {
  ledger: Ledger;
  stats: Stats;
  leaks: LeakWatch;
  /** Pseudonyms of the users on each store, for private messages. */
  peers: Map<string, string[]>;
  /** Share of lines and messages carrying control bytes and escape sequences. */
  hostileShare: number;
  stepTimeoutMs: number;
  /** Mean pause of a user between two screens, in ms (reading, thinking). */
  thinkMs: number;
}

const ANNU_NAMES = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'PETIT', 'DURAND', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA'];
const WORDS = ['bonjour', 'salut a tous', 'quelqu un de Rennes ?', 'le 3615 revit', 'vive le minitel', 'qui a un M1B ?', 'bonne soiree', 'ca marche bien'];

class Failure extends Error {
  constructor(
    readonly kind: string,
    readonly screen: string,
  ) {
    super(kind);
  }
}

const HOME = /Tapez le code du service/;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SimulatedUser {
  private m: WsMinitel | undefined;
  private stopped = false;

  constructor(
    readonly pseudo: string,
    readonly instance: Instance,
    private readonly world: World,
  ) {}

  stop(): void {
    this.stopped = true;
    this.m?.close();
  }

  /** Rounds of the whole flow until `until` (ms since the epoch). */
  async run(until: number): Promise<void> {
    let backoff = 500;
    while (!this.stopped && Date.now() < until) {
      try {
        await this.connect();
        await this.round(until);
        backoff = 500;
        await pause(500 + Math.random() * 2000);
      } catch (error) {
        this.fail(error);
        this.m?.close();
        await pause(backoff + Math.random() * backoff);
        backoff = Math.min(backoff * 2, 8000);
      }
    }
    this.m?.close();
  }

  /** Logs in and reads (and empties) the BAL until no message of `ids` is left unread. */
  async readMail(ids: ReadonlySet<string>): Promise<void> {
    await this.connect();
    await this.open('CHAT', /Bienvenue sur la messagerie/);
    await this.login();
    await this.readBal(ids.size + 5);
    this.m?.close();
  }

  private async connect(): Promise<void> {
    this.m?.close();
    const m = await WsMinitel.connect(this.instance.url());
    this.m = m;
    this.world.stats.connections++;
    const write = m.terminal.write.bind(m.terminal);
    const watch = watchForLeaks(this.world.leaks, m.terminal);
    m.terminal.write = (bytes: Uint8Array) => {
      this.world.stats.bytesReceived += bytes.length;
      watch(bytes);
      write(bytes);
    };
    await this.expect(HOME, 'home page');
  }

  private async round(until: number): Promise<void> {
    const steps: [string, () => Promise<void>][] = [
      ['GUIDE', () => this.guide()],
      ['CHAT', () => this.chat()],
      ['ANNU', () => this.annu()],
      ['JOURNAL', () => this.journal()],
      ['GALERIE', () => this.galerie()],
    ];
    for (const [name, step] of steps) {
      if (this.stopped || Date.now() >= until) break;
      await step();
      this.count(name);
      await this.think();
    }
    this.press('ConnexionFin');
    await this.expect(() => this.m!.closed || this.m!.row(0).includes('Au revoir'), 'goodbye');
    this.count('Connexion/Fin');
  }

  private async guide(): Promise<void> {
    await this.open('GUIDE', /Tapez un mot/);
    this.typeText('chat');
    this.press('Envoi');
    await this.expect(/Services : chat/, 'GUIDE results');
    this.typeText('1');
    this.press('Envoi');
    await this.expect(/3615\s+CHAT/, 'GUIDE card');
    await this.home();
  }

  private async chat(): Promise<void> {
    await this.open('CHAT', /Bienvenue sur la messagerie/);
    await this.login();
    // A room: one line, seen come back.
    this.choose('1');
    await this.expect(/LES SALONS/, 'room list');
    this.choose(String(1 + Math.floor(Math.random() * 5)));
    await this.expect(/SALON /, 'room');
    await this.think();
    const hostile = Math.random() < this.world.hostileShare;
    const line = hostile ? hostileText(30) : pick(WORDS);
    if (hostile) this.world.stats.hostileSent++;
    this.typeText(line);
    this.press('Envoi');
    await this.expect(() => this.m!.text.includes(`${this.pseudo}>`) || this.m!.row(0).includes('Doucement'), 'own room line');
    this.world.stats.roomLines++;
    await this.think();
    this.press('Sommaire');
    await this.expect(new RegExp(`Bonjour ${this.pseudo} !`), 'CHAT menu after the room');
    await this.sendPrivate();
    await this.readBal(3);
    await this.home();
  }

  private async login(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.typeText(this.pseudo);
      this.press('Envoi');
      await this.expect(() => this.m!.text.includes(`Bonjour ${this.pseudo} !`) || this.m!.row(0).includes('déjà connecté'), 'CHAT login');
      if (!this.m!.row(0).includes('déjà connecté')) return;
      // The presence of a link that just dropped may not have ended yet on the hub.
      this.count('CHAT login retried (pseudonym still connected)');
      if (attempt === 10) throw new Failure('pseudonym stays "déjà connecté"', this.m!.text);
      // The login form is drawn again, empty, under the row-0 message: type the pseudonym again.
      await pause(3000);
    }
  }

  private async sendPrivate(): Promise<void> {
    const peers = this.world.peers.get(this.instance.store) ?? [];
    const to = pick(peers.filter((p) => p !== this.pseudo));
    if (to === undefined) return;
    this.choose('4');
    await this.expect(/Pour :/, 'private message form');
    const id = this.world.ledger.newId();
    const hostile = Math.random() < this.world.hostileShare;
    if (hostile) this.world.stats.hostileSent++;
    const body = `${id} ${hostile ? hostileText(40) : pick(WORDS)}`;
    this.world.ledger.sent({ id, from: this.pseudo, to, store: this.instance.store });
    this.typeText(to);
    this.press('Suite');
    this.typeText(body);
    this.press('Envoi');
    await this.expect(/Message envoyé à|La BAL de .* est pleine|Doucement|Pseudo : 2/, 'private message sent');
    if (/Message envoyé à/.test(this.m!.text)) this.world.ledger.confirmed(id);
    else this.world.ledger.refused++;
    this.press('Retour');
    await this.expect(new RegExp(`Bonjour ${this.pseudo} !`), 'CHAT menu after the message');
  }

  /** Opens the BAL, reads the first message and deletes it, up to `max` times. */
  private async readBal(max: number): Promise<void> {
    this.choose('3');
    await this.expect(new RegExp(`BAL de ${this.pseudo}`), 'BAL');
    for (let i = 0; i < max; i++) {
      if (/Votre boîte aux lettres est vide/.test(this.m!.text)) break;
      this.choose('1');
      await this.expect(/De : /, 'BAL message');
      const shown = this.m!.text;
      for (const id of shown.match(/\bZM\d{6}\b/g) ?? []) this.world.ledger.delivered(id, this.pseudo);
      this.press('Annulation');
      await this.expect(new RegExp(`BAL de ${this.pseudo}`), 'BAL after deleting');
    }
    this.press('Retour');
    await this.expect(new RegExp(`Bonjour ${this.pseudo} !`), 'CHAT menu after the BAL');
  }

  private async annu(): Promise<void> {
    await this.open('ANNU', /Nom :/);
    this.typeText(pick(ANNU_NAMES));
    this.press('Envoi');
    await this.expect(/réponse|Aucun abonné|précisez/, 'ANNU answers');
    if (/ réponses? /.test(this.m!.text)) {
      this.typeText('1');
      this.press('Envoi');
      await this.expect(/Tél\./, 'ANNU card');
    }
    await this.home();
  }

  private async journal(): Promise<void> {
    await this.open('JOURNAL', /LE JOURNAL/);
    if (!/Aucun article/.test(this.m!.text)) {
      this.typeText('1');
      this.press('Envoi');
      await this.expect(() => / RETOUR /.test(this.m!.row(24)), 'JOURNAL article');
      await this.think();
      this.press('Suite');
    }
    await this.home();
  }

  private async galerie(): Promise<void> {
    await this.open('GALERIE', /LA GALERIE/);
    if (!/La galerie est vide/.test(this.m!.text)) {
      this.typeText('1');
      this.press('Envoi');
      await this.expect(() => /^\s*1\/\d+/.test(this.m!.row(0)), 'GALERIE page');
      await this.think();
      this.press('Suite');
      await this.expect(() => /^\s*2\/\d+/.test(this.m!.row(0)) || this.m!.row(0).includes('dernière'), 'GALERIE next page');
    }
    await this.home();
  }

  /** From the home page, a code and Envoi. */
  private async open(code: string, screen: RegExp): Promise<void> {
    this.typeText(code);
    this.press('Envoi');
    await this.expect(screen, `${code} first page`);
  }

  /** Connexion/Fin in a service: back to the home page. */
  private async home(): Promise<void> {
    this.press('ConnexionFin');
    await this.expect(HOME, 'home page after Connexion/Fin');
  }

  private choose(key: string): void {
    this.typeText(key);
    this.press('Envoi');
  }

  private typeText(text: string): void {
    this.world.stats.keys += text.length;
    this.m!.type(text);
  }

  private press(key: FunctionKeyName): void {
    this.world.stats.keys++;
    this.m!.key(key);
  }

  private think(): Promise<void> {
    return pause(this.world.thinkMs * (0.3 + Math.random() * 1.4));
  }

  private count(step: string): void {
    this.world.stats.steps.set(step, (this.world.stats.steps.get(step) ?? 0) + 1);
  }

  private async expect(screen: RegExp | (() => boolean), what: string): Promise<void> {
    const m = this.m!;
    const test = typeof screen === 'function' ? screen : () => screen.test(m.text);
    // A service that fails sends the user home with a row-0 message ("Service momentanément indisponible").
    const sentHome = (): boolean => !what.startsWith('home page') && HOME.test(m.text) && m.row(0).trim() !== '';
    try {
      await m.waitFor(() => m.closed || test() || sentHome(), this.world.stepTimeoutMs);
    } catch {
      throw new Failure(`no ${what}`, m.text);
    }
    if (test()) return;
    if (m.closed) throw new Failure(`link lost waiting for ${what}`, m.text);
    throw new Failure(`sent home with "${m.row(0).trim()}" instead of ${what}`, m.text);
  }

  private fail(error: unknown): void {
    const { stats } = this.world;
    const kind = error instanceof Failure ? error.kind : `error: ${(error as Error).message?.split('\n')[0] ?? String(error)}`;
    const during = Date.now() < this.instance.faultUntil;
    const map = during ? stats.failuresDuringFaults : stats.failures;
    if (!during) stats.failureTimes.push(Date.now());
    map.set(kind, (map.get(kind) ?? 0) + 1);
    const samples = during ? stats.faultSamples : stats.samples;
    if (error instanceof Failure && !samples.has(kind)) samples.set(kind, `${this.instance.name}:\n${error.screen}`);
  }
}
