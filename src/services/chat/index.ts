/**
 * CHAT: a messagerie as in the 1980s.
 *
 * - A pseudonym; a password is optional and, when given the first time,
 *   registers the pseudonym (an account) so nobody else can take it or read
 *   its mailbox. Operators (from the configuration, or accounts with the
 *   operator role) moderate.
 * - Rooms with live public lines, the list of who is connected and where.
 * - Private messages go to the recipient's mailbox (BAL), stored durably
 *   before the sender is told "envoyé"; a connected recipient gets a row-0
 *   alert at once, an absent one finds them at the next visit.
 * - Ignore: lines and messages from an ignored pseudonym are not shown, and
 *   the BAL of a registered user (whose ignore list is stored) does not keep
 *   them.
 * - Moderation commands in a room: /kick, /ban, /deban, /efface.
 *
 * Every text a user typed reaches other terminals only through sanitizeText
 * and encodeText: no control byte crosses from one Minitel to another.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { defineService, fit, pad, titleBar, wrapText, Painter, type Service, type Session } from '../../sdk/index.js';
import { InProcessBus, type Bus } from '../../store/bus.js';
import { isStoreError } from '../../store/errors.js';
import type { MailMessage } from '../../store/store.js';
import { ChatHub, CHAT_LIMITS, PSEUDO, pseudoKey, type ChatEvent, type ChatLine, type ChatMember, type ChatPresenceOptions } from './hub.js';

export interface ChatOperator {
  name: string;
  password: string;
}

export interface ChatOptions {
  /** Live delivery between sessions (default: a bus for this process only). */
  bus?: Bus;
  /** Room names (default: Accueil, Bretagne, Cinéma, Informatique, Rencontres). */
  rooms?: readonly string[];
  /** Operators from the configuration; accounts with the 'operator' role are operators too. */
  operators?: readonly ChatOperator[];
  /** Flood guard: at most `lines` public lines per `windowMs` per user (default 5 per 10 s). */
  flood?: { lines: number; windowMs: number };
  /** Presence across instances: heartbeat and expiry (defaults in CHAT_LIMITS). */
  presence?: ChatPresenceOptions;
}

export const DEFAULT_ROOMS = ['Accueil', 'Bretagne', 'Cinéma', 'Informatique', 'Rencontres'];
const NAMESPACE = 'CHAT';
export const mailbox = (pseudo: string): string => `CHAT:${pseudoKey(pseudo)}`;

interface User {
  pseudo: string;
  registered: boolean;
  operator: boolean;
}

interface ChatState {
  user?: User;
  member?: ChatMember;
  ignored: Set<string>;
  /** The screen showing now gets the hub's events. */
  onEvent?: (event: ChatEvent) => void;
  sent: number[];
}

type ChatSession = Session<ChatState>;

/** What became of a private message, and how the sender is told. */
type Sent = 'sent' | 'full' | 'flood';
const SENT: Record<Sent, (to: string) => string> = {
  sent: (to) => `Message envoyé à ${to}`,
  full: (to) => `La BAL de ${to} est pleine`,
  flood: () => 'Doucement : un message à la fois',
};

/** Message area of a room: rows 3–20, written round and round so each new line costs only its own bytes. */
const AREA_TOP = 3;
const AREA_BOTTOM = 20;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function frame(p: Painter, title: string, right = 'MESSAGERIE '): Painter {
  p.clearScreen();
  titleBar(p, title, right);
  return p;
}

function help(): Painter {
  const p = frame(new Painter(), 'AIDE');
  const lines: [string, string][] = [
    ['ENVOI', 'envoie votre ligne au salon'],
    ['CORRECTION', 'efface une lettre'],
    ['ANNULATION', 'efface la ligne'],
    ['SOMMAIRE', 'revient au menu'],
    ['/p ANA bonjour', 'message privé à ANA'],
    ['/qui', 'qui est dans ce salon'],
    ['/ignore ANA', 'ignorer ANA (ou ne plus)'],
  ];
  lines.forEach(([key, what], i) => p.at(4 + i * 2, 2).text(key, { fg: 'yellow' }).style({ fg: 'white' }).text(` ${what}`));
  p.at(19, 2).text('Opérateurs :', { fg: 'cyan' });
  p.at(20, 2).text('/kick ANA, /ban ANA, /deban ANA,');
  p.at(21, 2).text('/efface ANA (ses lignes du salon)');
  p.at(24, 2).text('Une touche pour revenir', { fg: 'cyan' });
  return p;
}

export function chatService(options: ChatOptions = {}): Service & { hub: ChatHub } {
  const bus = options.bus ?? new InProcessBus();
  const hub = new ChatHub(bus, options.rooms ?? DEFAULT_ROOMS, options.presence);
  const operators = options.operators ?? [];
  const flood = options.flood ?? { lines: CHAT_LIMITS.floodLines, windowMs: CHAT_LIMITS.floodWindowMs };

  const service = defineService<ChatState>({
    code: 'CHAT',
    name: 'La messagerie',
    description: 'Discutez en direct dans les salons, envoyez des messages privés, retrouvez-les dans votre BAL.',
    keywords: ['messagerie', 'dialogue', 'salon', 'bal', 'message', 'rencontre', 'discussion'],
    help: help(),
    state: () => ({ ignored: new Set(), sent: [] }),
    async session(s) {
      if (s.state.user === undefined) await login(s);
      await lobby(s);
    },
  });

  // ---- login -------------------------------------------------------------------

  async function login(s: ChatSession): Promise<void> {
    for (;;) {
      s.draw((p) => {
        frame(p, 'MESSAGERIE', 'TELETEL ');
        p.at(4, 4).text('Bienvenue sur la messagerie', { size: 'tall', fg: 'yellow' });
        p.at(7, 2).text('Choisissez un pseudo (2 à 12 lettres ou');
        p.at(8, 2).text('chiffres). Un mot de passe le protège,');
        p.at(9, 2).text('ainsi que votre BAL : facultatif.');
        p.at(24, 2).text('Suite : champ suivant   puis ').text(' ENVOI ', { inverse: true });
      });
      const { pseudo, motdepasse } = await s.form({
        pseudo: { row: 13, column: 17, length: CHAT_LIMITS.pseudoMax, label: 'Pseudo :', allowed: /^[A-Za-z0-9_-]$/, required: true, minLength: 2 },
        motdepasse: { row: 16, column: 17, length: 16, label: 'Mot de passe :', hidden: true },
      });
      const user = await authenticate(s, pseudo, motdepasse);
      if (user === null) continue;
      const member = await hub.join(user.pseudo, user.operator, (event) => onEvent(s, event));
      if (member === null) {
        s.notify(`${user.pseudo} est déjà connecté`, { bell: true });
        continue;
      }
      s.state.user = user;
      s.state.member = member;
      s.onEnd(() => member.leave());
      if (user.registered) {
        const ignored = await s.store.keyValue(NAMESPACE).get<string[]>(`ignore:${pseudoKey(user.pseudo)}`);
        s.state.ignored = new Set(Array.isArray(ignored) ? ignored : []);
      }
      s.keyboard({ lowercase: true });
      return;
    }
  }

  /** The user, or null after telling them why not (on row 0). */
  async function authenticate(s: ChatSession, pseudo: string, password: string): Promise<User | null> {
    if (!PSEUDO.test(pseudo)) {
      s.notify('Pseudo : 2 à 12 lettres ou chiffres', { bell: true });
      return null;
    }
    const configured = operators.find((o) => pseudoKey(o.name) === pseudoKey(pseudo));
    if (configured !== undefined) {
      if (password === '' || !sameSecret(password, configured.password)) {
        s.notify('Mot de passe incorrect', { bell: true });
        return null;
      }
      return { pseudo: configured.name, registered: true, operator: true };
    }
    const ban = await s.store.keyValue(NAMESPACE).get<{ by: string }>(`ban:${pseudoKey(pseudo)}`);
    if (ban !== undefined) {
      s.notify('Ce pseudo est exclu de la messagerie', { bell: true });
      return null;
    }
    const account = await s.store.accounts.get(pseudo);
    if (account !== null) {
      const verified = password === '' ? null : await s.store.accounts.verify(pseudo, password);
      if (verified === null) {
        s.notify('Pseudo protégé : mot de passe faux', { bell: true });
        return null;
      }
      return { pseudo: verified.name, registered: true, operator: verified.role === 'operator' };
    }
    if (password === '') return { pseudo, registered: false, operator: false };
    // Someone uses this pseudonym without a password right now: registering it would take it, and their BAL, from them.
    if (hub.isConnected(pseudo)) {
      s.notify(`${pseudo} est déjà connecté`, { bell: true });
      return null;
    }
    try {
      const created = await s.store.accounts.create(pseudo, password);
      s.notify(`Pseudo ${created.name} enregistré`);
      return { pseudo: created.name, registered: true, operator: false };
    } catch (error) {
      if (isStoreError(error, 'TELETEL_E_ACCOUNT_EXISTS')) {
        s.notify('Ce pseudo vient d’être pris', { bell: true });
        return null;
      }
      throw error;
    }
  }

  function onEvent(s: ChatSession, event: ChatEvent): void {
    if (event.type === 'private') {
      if (s.state.ignored.has(pseudoKey(event.from))) return;
      s.notify(`Message de ${event.from} dans votre BAL`, { bell: true });
      return;
    }
    if (event.type === 'kick') {
      s.notify(`${event.ban ? 'Exclu' : 'Déconnecté'} par ${event.by}${event.reason === '' ? '' : ` : ${event.reason}`}`, { bell: true });
      s.interrupt();
      return;
    }
    s.state.onEvent?.(event);
  }

  // ---- lobby -------------------------------------------------------------------

  async function lobby(s: ChatSession): Promise<void> {
    const user = s.state.user as User;
    for (;;) {
      const { unread } = await s.store.mail.count(mailbox(user.pseudo));
      const frameBytes = new Painter();
      frame(frameBytes, 'MESSAGERIE', 'TELETEL ');
      frameBytes.at(3, 2).text(`Bonjour ${user.pseudo} !`, { fg: 'yellow' });
      if (user.operator) frameBytes.text(' (opérateur)', { fg: 'cyan' });
      frameBytes.at(4, 2).text(
        unread === 0 ? 'Pas de nouveau message.' : `${unread} nouveau${unread > 1 ? 'x' : ''} message${unread > 1 ? 's' : ''} dans votre BAL.`,
        { fg: unread === 0 ? 'white' : 'green' },
      );
      const items: [string, string][] = [
        ['1', 'Les salons'],
        ['2', 'Qui est connecté ?'],
        ['3', 'Votre boîte aux lettres (BAL)'],
        ['4', 'Écrire un message privé'],
        ['5', 'Ignorer quelqu’un'],
      ];
      items.forEach(([key, label], i) => frameBytes.at(7 + i * 2, 4).text(` ${key} `, { inverse: true }).style({ inverse: false }).text(` ${label}`));
      frameBytes.at(24, 2).text('Votre choix').at(24, 18).text(' ENVOI ', { inverse: true });
      const choice = await s.menu({ '1': 'rooms', '2': 'who', '3': 'bal', '4': 'write', '5': 'ignore' }, { frame: frameBytes, field: { row: 24, column: 14, length: 2 } });
      if (choice === 'rooms') await chooseRoom(s);
      else if (choice === 'who') await who(s);
      else if (choice === 'bal') await bal(s);
      else if (choice === 'write') await write(s);
      else await ignore(s);
    }
  }

  async function chooseRoom(s: ChatSession): Promise<void> {
    const result = await s.list(hub.rooms, {
      title: 'LES SALONS',
      render: (room) => {
        const here = hub.who(room).length;
        return `${pad(room, 20)}${here === 0 ? 'vide' : `${here} présent${here > 1 ? 's' : ''}`}`;
      },
      keys: ['Retour'],
    });
    if (result.key === 'Envoi') await room(s, result.item);
  }

  async function who(s: ChatSession): Promise<void> {
    const people = hub.who();
    const result = await s.list(people, {
      title: `CONNECTÉS : ${people.length}`,
      render: (p) => `${pad(p.pseudo, 13)}${pad(p.room ?? '(menu)', 14)}${p.operator ? 'opérateur' : ''}`,
      keys: ['Retour'],
      prompt: 'Écrire à',
    });
    if (result.key === 'Envoi') await write(s, result.item.pseudo);
  }

  // ---- rooms -------------------------------------------------------------------

  async function room(s: ChatSession, name: string): Promise<void> {
    const member = s.state.member as ChatMember;
    const me = member.pseudo;
    let next = AREA_TOP;
    let paused = false;

    const rowsOf = (line: ChatLine): { head: string; body: string; own: boolean }[] => {
      const wrapped = wrapText(`${line.from}> ${line.text}`, 39);
      return wrapped.map((text, i) => (i === 0 ? { head: `${line.from}>`, body: text.slice(line.from.length + 1), own: line.from === me } : { head: '', body: text, own: false }));
    };
    const paintRow = (p: Painter, row: number, content: { head: string; body: string; own: boolean; system?: boolean }): void => {
      p.clearRow(row).at(row, 2);
      if (content.system) p.text(fit(content.body, 39), { fg: 'magenta' });
      else if (content.head !== '') p.text(content.head, { fg: content.own ? 'cyan' : 'yellow' }).style({ fg: 'white' }).text(content.body);
      else p.text(content.body);
    };
    const add = (p: Painter, content: { head: string; body: string; own: boolean; system?: boolean }): void => {
      paintRow(p, next, content);
      next = next === AREA_BOTTOM ? AREA_TOP : next + 1;
      p.clearRow(next).at(next, 1).text('-', { fg: 'blue' });
    };
    const header = (p: Painter): void => {
      const here = hub.who(name).length;
      titleBar(p, `SALON ${name}`, `${here} présent${here > 1 ? 's' : ''} `);
    };
    const visible = (line: ChatLine): boolean => !s.state.ignored.has(pseudoKey(line.from));
    const redraw = (history: ChatLine[]): void => {
      const p = new Painter().clearScreen();
      header(p);
      p.at(22, 2).text('ENVOI', { fg: 'cyan' }).style({ fg: 'white' }).text(' parler  ').text('GUIDE', { fg: 'cyan' }).style({ fg: 'white' }).text(' aide  ').text('SOMMAIRE', { fg: 'cyan' }).style({ fg: 'white' }).text(' menu');
      const rows = history.filter(visible).flatMap(rowsOf);
      next = AREA_TOP;
      for (const content of rows.slice(-(AREA_BOTTOM - AREA_TOP))) add(p, content);
      s.write(p);
    };
    const system = (text: string): void => {
      const p = new Painter();
      for (const line of wrapText(`* ${text}`, 39)) add(p, { head: '', body: line, own: false, system: true });
      s.write(p);
    };

    s.state.onEvent = (event) => {
      if (paused) return;
      if (event.type === 'line' && event.room === name && visible(event.line)) {
        const p = new Painter();
        for (const content of rowsOf(event.line)) add(p, content);
        s.write(p);
      } else if (event.type === 'erase' && event.room === name) {
        redraw(hub.history(name));
      } else if (event.type === 'presence') {
        const p = new Painter();
        header(p);
        s.write(p);
      }
    };
    try {
      redraw(await member.enter(name));
      for (;;) {
        const { values, key } = await s.form(
          { texte: { row: 23, column: 2, length: 38, lines: 2 } },
          { keys: ['Guide'] },
        );
        if (key === 'Guide') {
          paused = true;
          await s.show(help());
          await s.key({ handles: ['Sommaire', 'Guide'] });
          paused = false;
          redraw(hub.history(name));
          continue;
        }
        const text = values.texte;
        if (text === '') continue;
        if (text.startsWith('/')) await command(s, name, text, system, () => redraw(hub.history(name)));
        else if (flooding(s)) s.notify('Doucement : une ligne à la fois', { bell: true });
        else await member.say(text);
      }
    } finally {
      s.state.onEvent = undefined;
      await member.enter(null);
    }
  }

  function flooding(s: ChatSession): boolean {
    const now = Date.now();
    s.state.sent = s.state.sent.filter((t) => now - t < flood.windowMs);
    if (s.state.sent.length >= flood.lines) return true;
    s.state.sent.push(now);
    return false;
  }

  async function command(s: ChatSession, roomName: string, text: string, system: (text: string) => void, redraw: () => void): Promise<void> {
    const user = s.state.user as User;
    const [verb, target = '', ...rest] = text.slice(1).split(/\s+/);
    const argument = rest.join(' ');
    const needTarget = (): boolean => {
      if (PSEUDO.test(target)) return true;
      system(`Pseudo attendu : /${verb} ANA`);
      return false;
    };
    switch (verb.toLowerCase()) {
      case 'p':
      case 'm':
        if (!needTarget()) return;
        if (argument === '') return system(`Message vide : /p ${target} bonjour`);
        return system(SENT[await sendPrivate(s, target, argument)](target));
      case 'qui': {
        const here = hub.who(roomName).map((p) => p.pseudo);
        return system(`Ici : ${here.join(', ')}`);
      }
      case 'ignore':
        if (!needTarget()) return;
        return system(await toggleIgnore(s, target));
      case 'aide':
        return system('GUIDE pour l’aide');
    }
    if (!user.operator) return system(`Commande inconnue : /${verb}`);
    switch (verb.toLowerCase()) {
      case 'kick':
        if (!needTarget()) return;
        await hub.kick(target, user.pseudo, argument, false);
        return system(`${target} déconnecté`);
      case 'ban':
        if (!needTarget()) return;
        await s.store.keyValue(NAMESPACE).set(`ban:${pseudoKey(target)}`, { by: user.pseudo, reason: argument, at: new Date().toISOString() });
        await hub.kick(target, user.pseudo, argument, true);
        return system(`${target} exclu`);
      case 'deban':
        if (!needTarget()) return;
        return system((await s.store.keyValue(NAMESPACE).delete(`ban:${pseudoKey(target)}`)) ? `${target} réadmis` : `${target} n'était pas exclu`);
      case 'efface':
        if (!needTarget()) return;
        await hub.erase(roomName, target, user.pseudo);
        redraw();
        return system(`Lignes de ${target} effacées`);
    }
    return system(`Commande inconnue : /${verb}`);
  }

  // ---- private messages and the BAL -----------------------------------------------

  /**
   * Stores the message (durably) in the recipient's BAL, then alerts them if
   * connected; unless the sender is flooding, ignored (not kept, though
   * reported sent) or the BAL is full. (Two senders
   * at once may both pass the count: a BAL can go past the limit by the
   * messages in flight, never far.)
   */
  async function sendPrivate(s: ChatSession, to: string, text: string): Promise<Sent> {
    const user = s.state.user as User;
    if (flooding(s)) return 'flood';
    // A registered recipient who ignores the sender would never see the message, nor be able to delete it to
    // make room: it is not kept. The sender is not told (that is what ignoring means).
    const ignoring = await s.store.keyValue(NAMESPACE).get<unknown>(`ignore:${pseudoKey(to)}`);
    if (Array.isArray(ignoring) && ignoring.includes(pseudoKey(user.pseudo))) return 'sent';
    const box = mailbox(to);
    if ((await s.store.mail.count(box)).total >= CHAT_LIMITS.balMessages) return 'full';
    await s.store.mail.send({ mailbox: box, from: user.pseudo, body: fit(text, CHAT_LIMITS.privateLength) });
    // Stored, so sent: the sender must hear so, or they would send it again. The alert is only a courtesy;
    // when the bus cannot carry it, the recipient finds the message in the BAL all the same.
    await hub.alert(to, user.pseudo).catch((error: unknown) => {
      s.log.warn('CHAT could not alert the recipient of a private message', { error: error instanceof Error ? error.message : String(error) });
    });
    return 'sent';
  }

  async function write(s: ChatSession, to = ''): Promise<void> {
    s.draw((p) => {
      frame(p, 'MESSAGE PRIVÉ');
      p.at(4, 2).text('Le message attend dans sa BAL s’il');
      p.at(5, 2).text('n’est pas connecté.');
      p.at(10, 2).text('Message :');
      p.at(24, 2).text('Suite : champ suivant   puis ').text(' ENVOI ', { inverse: true });
    });
    let values: { a: string; message: string };
    for (;;) {
      values = await s.form(
        {
          a: { row: 8, column: 8, length: CHAT_LIMITS.pseudoMax, label: 'Pour :', allowed: /^[A-Za-z0-9_-]$/, required: true, minLength: 2, default: to, title: 'Destinataire' },
          message: { row: 12, column: 2, length: 38, lines: 4, required: true, title: 'Message' },
        },
        { focus: to === '' ? 'a' : 'message' },
      );
      if (PSEUDO.test(values.a)) break;
      s.notify('Pseudo : 2 à 12 lettres ou chiffres', { bell: true });
    }
    const sent = await sendPrivate(s, values.a, values.message);
    s.draw((p) => p.clearRow(20).at(20, 2).text(`${SENT[sent](values.a)}.`, { fg: sent === 'sent' ? 'green' : 'red' }).at(22, 2).text('Une touche pour continuer'));
    await s.key({ handles: ['Retour', 'Envoi'] });
  }

  async function bal(s: ChatSession): Promise<void> {
    const user = s.state.user as User;
    const box = mailbox(user.pseudo);
    let page = 0;
    for (;;) {
      const messages = (await s.store.mail.list(box, { limit: CHAT_LIMITS.balMessages })).filter((m) => !s.state.ignored.has(pseudoKey(m.from)));
      const result = await s.list(messages, {
        title: `BAL de ${user.pseudo}`,
        rowsPerItem: 2,
        render: (m) => `${m.readAt === null ? '*' : ' '}${pad(m.from, 13)}${when(m.sentAt)}\n  ${fit(m.body.replace(/\s+/g, ' '), 34)}`,
        empty: 'Votre boîte aux lettres est vide.',
        keys: ['Retour'],
        page,
      });
      if (result.key !== 'Envoi') return;
      page = result.page;
      const action = await read(s, result.item);
      if (action === 'reply') await write(s, result.item.from);
      else if (action === 'delete') {
        await s.store.mail.delete(box, result.item.id);
        s.notify('Message effacé');
      }
    }
  }

  async function read(s: ChatSession, message: MailMessage): Promise<'reply' | 'delete' | 'back'> {
    const user = s.state.user as User;
    await s.store.mail.markRead(mailbox(user.pseudo), message.id);
    s.draw((p) => {
      frame(p, 'VOTRE BAL');
      p.at(3, 2).text('De : ', { fg: 'cyan' }).style({ fg: 'yellow' }).text(message.from);
      p.at(4, 2).text('Le : ', { fg: 'cyan' }).style({ fg: 'white' }).text(when(message.sentAt));
      wrapText(message.body, 38)
        .slice(0, 14)
        .forEach((line, i) => p.at(6 + i, 2).text(line));
      p.at(24, 1).text(' ENVOI ', { inverse: true }).style({ inverse: false }).text('répondre ').text(' ANNULATION ', { inverse: true }).style({ inverse: false }).text('effacer');
      p.at(23, 1).text(' RETOUR ', { inverse: true }).style({ inverse: false }).text('la liste');
    });
    const key = await s.waitKey('Envoi', 'Annulation', 'Retour');
    return key === 'Envoi' ? 'reply' : key === 'Annulation' ? 'delete' : 'back';
  }

  async function ignore(s: ChatSession): Promise<void> {
    s.draw((p) => {
      frame(p, 'IGNORER');
      p.at(4, 2).text('Vous ne verrez plus ses lignes ni ses');
      p.at(5, 2).text('messages. Tapez-le à nouveau pour');
      p.at(6, 2).text('ne plus l’ignorer.');
      const list = [...s.state.ignored].join(', ');
      if (list !== '') wrapText(`Ignorés : ${list}`, 38).slice(0, 4).forEach((line, i) => p.at(14 + i, 2).text(line, { fg: 'cyan' }));
    });
    const { pseudo } = await s.form({ pseudo: { row: 10, column: 11, length: CHAT_LIMITS.pseudoMax, label: 'Pseudo :', allowed: /^[A-Za-z0-9_-]$/, required: true, minLength: 2 } });
    s.notify(await toggleIgnore(s, pseudo));
  }

  async function toggleIgnore(s: ChatSession, pseudo: string): Promise<string> {
    const user = s.state.user as User;
    const key = pseudoKey(pseudo);
    const now = !s.state.ignored.has(key);
    if (now && s.state.ignored.size >= CHAT_LIMITS.ignored) return `Vous ignorez déjà ${CHAT_LIMITS.ignored} pseudos`;
    if (now) s.state.ignored.add(key);
    else s.state.ignored.delete(key);
    if (user.registered) await s.store.keyValue(NAMESPACE).set(`ignore:${pseudoKey(user.pseudo)}`, [...s.state.ignored]);
    return now ? `${pseudo} est ignoré` : `${pseudo} n'est plus ignoré`;
  }

  return Object.assign(service, { hub });
}

/** "27/11 14:05" */
function when(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getDate())}/${two(date.getMonth() + 1)} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
