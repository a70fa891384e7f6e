/**
 * What CHAT sessions share: who is connected where, the last lines of each
 * room, and live delivery of lines, alerts and kicks. Everything that
 * crosses sessions goes through the Bus (store/bus.ts), so several gateway
 * instances sharing a PostgreSQL bus see each other's users and lines; the
 * hub of each process keeps its view from the bus events.
 *
 * Bus topics and messages (JSON):
 *   chat.room      { type: 'line', room, line } | { type: 'erase', room, key, by }
 *   chat.presence  { type: 'here', instance, pseudo, room, operator } | { type: 'gone', instance, pseudo }
 *                  | { type: 'beat', instance, members: [{ pseudo, room, operator }…] } | { type: 'hello', instance }
 *   chat.user      { type: 'private', to, from } | { type: 'kick', to, by, reason, ban }
 *
 * Presence across instances: each hub re-announces its users in 'beat'
 * messages every `heartbeatMs`, and forgets a user not announced for
 * `expireMs`, so the users of an instance that crashed (no 'gone' ever
 * sent) disappear after that time, and a 'gone' lost while a bus
 * reconnected does no lasting harm. A hub that starts says 'hello' and the
 * others answer with a beat at once, so it knows who is there without
 * waiting. Expiry is measured on the receiving hub's clock from when a beat
 * arrived, so clocks of instances need not agree.
 *
 * Everything read from the bus is checked and its text sanitised again, so
 * a bad publisher cannot put control bytes on anyone's screen.
 */
import { randomUUID } from 'node:crypto';
import type { Bus } from '../../store/bus.js';
import { sanitizeText } from '../../videotex/text.js';

export const CHAT_LIMITS = {
  /** Lines kept per room for newcomers and redraws. */
  history: 40,
  /** A public line: the two rows of 38 of the input zone. */
  lineLength: 76,
  /** A private message: four rows of 38. */
  privateLength: 152,
  /**
   * Messages a BAL holds: past this, new ones are refused ("BAL pleine")
   * until its owner deletes some, so nobody can fill the store through
   * someone's mailbox. Also the most the BAL screen lists.
   */
  balMessages: 200,
  /**
   * Pseudonyms one user may ignore. A registered user's list is stored as one
   * key-value entry: without a bound it would grow until the store refused it
   * (64 KiB of JSON) and the visit failed.
   */
  ignored: 100,
  pseudoMin: 2,
  pseudoMax: 12,
  /** Flood guard: lines and private messages per window per session. */
  floodLines: 5,
  floodWindowMs: 10_000,
  /**
   * Wrong passwords (a protected pseudonym's or an operator's) before that
   * pseudonym is refused for the rest of the window, whatever is typed: five
   * typing slips are plenty, a guessing script gets five tries per quarter
   * hour instead of thousands.
   */
  loginFailuresPerPseudo: 5,
  /** Wrong passwords from one address (one gateway client IP) across pseudonyms, before that address is refused. */
  loginFailuresPerAddress: 20,
  loginWindowMs: 15 * 60_000,
  /** Pseudonyms and addresses whose failures are remembered; past this the oldest are forgotten, so memory stays bounded. */
  loginTrackedKeys: 10_000,
  /** Each instance re-announces its users this often… */
  heartbeatMs: 10_000,
  /** …and a user not announced for this long is gone (three beats missed: a crashed or cut-off instance). */
  expireMs: 30_000,
  /** Users per beat message: 40 × about 60 bytes stays well under a PostgreSQL NOTIFY (8000 bytes). */
  beatMembers: 40,
  /**
   * Users of other instances a hub keeps in its presence list: past this, new
   * ones are not added until some expire, so a publisher that invents
   * pseudonyms and instances cannot grow the list (and each 'who') without
   * end. This instance's own users are always added.
   */
  presenceMax: 10_000,
  /** A hub answers 'hello' at most this often, so a flood of hellos does not become a flood of beats. */
  helloAnswerMs: 1000,
} as const;

export interface ChatPresenceOptions {
  /** How often this hub re-announces its users, in ms (default CHAT_LIMITS.heartbeatMs). */
  heartbeatMs?: number;
  /** A user of another instance not announced for this long is gone, in ms (default CHAT_LIMITS.expireMs). */
  expireMs?: number;
}

/** A pseudonym: what an account name may be too (store/validate.ts), so any pseudonym can be registered. */
export const PSEUDO = /^[A-Za-z0-9][A-Za-z0-9_-]{1,11}$/;

export interface ChatLine {
  id: string;
  from: string;
  text: string;
  at: number;
}

export type ChatEvent =
  | { type: 'line'; room: string; line: ChatLine }
  | { type: 'erase'; room: string; key: string; by: string }
  | { type: 'presence' }
  | { type: 'private'; from: string }
  | { type: 'kick'; by: string; reason: string; ban: boolean };

export interface Presence {
  pseudo: string;
  room: string | null;
  operator: boolean;
}

const TOPIC = { room: 'chat.room', presence: 'chat.presence', user: 'chat.user' } as const;

export function pseudoKey(pseudo: string): string {
  return pseudo.toLowerCase();
}

function clean(text: unknown, max: number): string {
  return typeof text === 'string' ? sanitizeText(text, { maxLength: max }) : '';
}

function cleanPseudo(value: unknown): string | null {
  return typeof value === 'string' && PSEUDO.test(value) ? value : null;
}

/** Hub instance ids: ours are 12 hex digits; anything of this shape from the bus is accepted as a name. */
const INSTANCE = /^[A-Za-z0-9-]{1,64}$/;

function cleanInstance(value: unknown): string | null {
  return typeof value === 'string' && INSTANCE.test(value) ? value : null;
}

/** What the hub knows of a connected user: who, where, on which instance, and when last announced. */
interface PresenceEntry extends Presence {
  instance: string;
  seenAt: number;
}

/** One connected user of this process, as the hub knows them. */
export class ChatMember {
  room: string | null = null;

  constructor(
    private readonly hub: ChatHub,
    readonly pseudo: string,
    readonly operator: boolean,
    readonly listener: (event: ChatEvent) => void,
  ) {}

  get key(): string {
    return pseudoKey(this.pseudo);
  }

  /** Enters a room (or the lobby, null); returns the room's recent lines. */
  async enter(room: string | null): Promise<ChatLine[]> {
    this.room = room;
    await this.hub.announce(this);
    return room === null ? [] : this.hub.history(room);
  }

  /** Says a line in the current room; resolves once every session has it. */
  async say(text: string): Promise<void> {
    if (this.room === null) return;
    const line: ChatLine = { id: this.hub.newId(), from: this.pseudo, text: clean(text, CHAT_LIMITS.lineLength), at: Date.now() };
    await this.hub.bus.publish(TOPIC.room, { type: 'line', room: this.room, line });
  }

  async leave(): Promise<void> {
    await this.hub.remove(this);
  }
}

export class ChatHub {
  readonly rooms: readonly string[];
  /** This hub's name on the bus (and the prefix of its line ids). */
  readonly instance = randomUUID().replace(/-/g, '').slice(0, 12);
  private readonly lines = new Map<string, ChatLine[]>();
  private readonly presence = new Map<string, PresenceEntry>();
  /**
   * People per room, counted once after presence changes: every member of a
   * room redraws its header ("12 présents") on each presence event, and
   * counting with who() there (filter, sort, copy) made a wave of N logins
   * cost N² log N (found by the soak: 700 CHAT users logging in starved an
   * instance's event loop for seconds).
   */
  private roomCounts: Map<string | null, number> | undefined;
  /** This process's users, by pseudoKey: one each, join refuses a second. */
  private readonly members = new Map<string, ChatMember>();
  private counter = 0;
  private readonly unsubscribe: (() => void)[];
  private readonly heartbeatMs: number;
  private readonly expireMs: number;
  private readonly timer: NodeJS.Timeout;
  private lastHelloAnswer = 0;
  private closed = false;

  constructor(
    readonly bus: Bus,
    rooms: readonly string[],
    options: ChatPresenceOptions = {},
  ) {
    this.rooms = rooms.map((room) => clean(room, 20)).filter((room) => room !== '');
    this.heartbeatMs = positive(options.heartbeatMs, CHAT_LIMITS.heartbeatMs);
    this.expireMs = Math.max(positive(options.expireMs, CHAT_LIMITS.expireMs), this.heartbeatMs * 2);
    this.unsubscribe = [
      bus.subscribe(TOPIC.room, (message) => this.onRoom(message)),
      bus.subscribe(TOPIC.presence, (message) => this.onPresence(message)),
      bus.subscribe(TOPIC.user, (message) => this.onUser(message)),
    ];
    // Beats and expiry on one timer; unref'd so a hub never keeps a process alive on its own.
    this.timer = setInterval(() => {
      this.beat();
      this.expire();
    }, this.heartbeatMs);
    this.timer.unref();
    this.quietly(bus.publish(TOPIC.presence, { type: 'hello', instance: this.instance }));
  }

  newId(): string {
    return `${this.instance}-${++this.counter}`;
  }

  /** A user of this process joins the chat (in no room yet). Returns null when the pseudo is already connected. */
  async join(pseudo: string, operator: boolean, listener: (event: ChatEvent) => void): Promise<ChatMember | null> {
    if (this.isConnected(pseudo) || this.members.has(pseudoKey(pseudo))) return null;
    return this.add(new ChatMember(this, pseudo, operator, listener));
  }

  /**
   * A user whose session moved here from the hub `cameFrom` (a hand-over, a
   * restart) takes their pseudonym back. The presence that hub announced for
   * them may still be here (it crashed and its beats have not expired yet, or
   * its 'gone' is on its way): that one is theirs and does not stand in the
   * way. Null when the pseudonym is connected here, or through a third hub:
   * someone else took it while they were away.
   */
  async rejoin(pseudo: string, operator: boolean, cameFrom: string, listener: (event: ChatEvent) => void): Promise<ChatMember | null> {
    const key = pseudoKey(pseudo);
    const seen = this.presence.get(key);
    if (this.members.has(key) || (seen !== undefined && seen.instance !== cameFrom && seen.instance !== this.instance)) return null;
    return this.add(new ChatMember(this, pseudo, operator, listener));
  }

  private async add(member: ChatMember): Promise<ChatMember> {
    this.members.set(member.key, member);
    try {
      await this.announce(member);
    } catch (error) {
      // Not announced (the bus is down): not joined either, or the pseudonym would stay taken here and beat on forever.
      await this.remove(member).catch(() => {});
      throw error;
    }
    return member;
  }

  isConnected(pseudo: string): boolean {
    return this.presence.has(pseudoKey(pseudo));
  }

  /** Who is connected, on any instance, by pseudonym; in one room when given. */
  who(room?: string): Presence[] {
    return [...this.presence.values()]
      .filter((p) => room === undefined || p.room === room)
      .sort((a, b) => (pseudoKey(a.pseudo) < pseudoKey(b.pseudo) ? -1 : 1))
      .map((p) => ({ pseudo: p.pseudo, room: p.room, operator: p.operator }));
  }

  /** How many are in `room`, on any instance: what who(room).length says, without building the list. */
  present(room: string): number {
    if (this.roomCounts === undefined) {
      const counts = new Map<string | null, number>();
      for (const entry of this.presence.values()) counts.set(entry.room, (counts.get(entry.room) ?? 0) + 1);
      this.roomCounts = counts;
    }
    return this.roomCounts.get(room) ?? 0;
  }

  history(room: string): ChatLine[] {
    return [...(this.lines.get(room) ?? [])];
  }

  /** Tells a user a private message waits in their BAL (the message itself is in the store). */
  async alert(to: string, from: string): Promise<void> {
    await this.bus.publish(TOPIC.user, { type: 'private', to: pseudoKey(to), from });
  }

  async kick(to: string, by: string, reason: string, ban: boolean): Promise<void> {
    await this.bus.publish(TOPIC.user, { type: 'kick', to: pseudoKey(to), by, reason: clean(reason, 60), ban });
  }

  /** Removes a user's lines from a room (moderation); every session redraws. */
  async erase(room: string, pseudo: string, by: string): Promise<void> {
    await this.bus.publish(TOPIC.room, { type: 'erase', room, key: pseudoKey(pseudo), by });
  }

  async announce(member: ChatMember): Promise<void> {
    await this.bus.publish(TOPIC.presence, {
      type: 'here',
      instance: this.instance,
      pseudo: member.pseudo,
      room: member.room,
      operator: member.operator,
    });
  }

  async remove(member: ChatMember): Promise<void> {
    if (this.members.get(member.key) !== member) return;
    this.members.delete(member.key);
    await this.bus.publish(TOPIC.presence, { type: 'gone', instance: this.instance, pseudo: member.pseudo });
  }

  /**
   * Stops listening and beating. Sends nothing: users still connected here
   * disappear from other instances after `expireMs`, as after a crash
   * (a gateway that stops gracefully ends its sessions first, which says
   * 'gone' for each).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
  }

  // ---- presence across instances ------------------------------------------------

  /** Announces every user of this hub, in messages of at most CHAT_LIMITS.beatMembers users. */
  private beat(): void {
    if (this.closed) return;
    const all = [...this.members.values()].map((m) => ({ pseudo: m.pseudo, room: m.room, operator: m.operator }));
    for (let i = 0; i < all.length; i += CHAT_LIMITS.beatMembers) {
      this.quietly(this.bus.publish(TOPIC.presence, { type: 'beat', instance: this.instance, members: all.slice(i, i + CHAT_LIMITS.beatMembers) }));
    }
  }

  /** Forgets users of other instances not announced for expireMs; ours stay while connected here. */
  private expire(): void {
    const now = Date.now();
    let changed = false;
    for (const [key, entry] of this.presence) {
      if (entry.instance === this.instance && this.members.has(key)) {
        entry.seenAt = now;
        continue;
      }
      if (now - entry.seenAt > this.expireMs) {
        this.presence.delete(key);
        this.roomCounts = undefined;
        changed = true;
      }
    }
    if (changed) this.each(() => true, { type: 'presence' });
  }

  /**
   * A beat or hello that could not be sent is not retried: the next beat
   * comes within heartbeatMs, and the bus reports its own connection
   * problems (PostgresBus onError).
   */
  private quietly(publishing: Promise<void>): void {
    publishing.catch(() => {});
  }

  /** Records a user as seen now; true when that changed what `who` shows. */
  private see(instance: string, raw: unknown, now: number): boolean {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const pseudo = cleanPseudo(m.pseudo);
    if (pseudo === null) return false;
    const room = typeof m.room === 'string' && this.rooms.includes(m.room) ? m.room : null;
    const operator = m.operator === true;
    const key = pseudoKey(pseudo);
    // A user connected here is where this hub says: a late 'here' from the hub they came from does not move them back.
    if (instance !== this.instance && this.members.has(key)) return false;
    const before = this.presence.get(key);
    const ours = instance === this.instance && this.members.has(key);
    if (before === undefined && !ours && this.presence.size >= CHAT_LIMITS.presenceMax) return false;
    this.presence.set(key, { pseudo, room, operator, instance, seenAt: now });
    if (before === undefined || before.room !== room) this.roomCounts = undefined;
    return before === undefined || before.pseudo !== pseudo || before.room !== room || before.operator !== operator;
  }

  // ---- bus ------------------------------------------------------------------------

  private each(filter: (member: ChatMember) => boolean, event: ChatEvent): void {
    for (const member of this.members.values()) if (filter(member)) member.listener(event);
  }

  private onRoom(message: unknown): void {
    const m = message as Record<string, unknown>;
    const room = typeof m.room === 'string' && this.rooms.includes(m.room) ? m.room : null;
    if (room === null) return;
    if (m.type === 'line') {
      const raw = m.line as Record<string, unknown> | undefined;
      const from = cleanPseudo(raw?.from);
      if (raw === undefined || from === null) return;
      const line: ChatLine = {
        id: clean(raw.id, 40),
        from,
        text: clean(raw.text, CHAT_LIMITS.lineLength),
        at: typeof raw.at === 'number' ? raw.at : Date.now(),
      };
      const lines = this.lines.get(room) ?? [];
      lines.push(line);
      if (lines.length > CHAT_LIMITS.history) lines.splice(0, lines.length - CHAT_LIMITS.history);
      this.lines.set(room, lines);
      this.each((member) => member.room === room, { type: 'line', room, line });
    } else if (m.type === 'erase' && typeof m.key === 'string') {
      const key = m.key;
      this.lines.set(
        room,
        (this.lines.get(room) ?? []).filter((line) => pseudoKey(line.from) !== key),
      );
      this.each((member) => member.room === room, { type: 'erase', room, key, by: clean(m.by, CHAT_LIMITS.pseudoMax) });
    }
  }

  private onPresence(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    const instance = cleanInstance(m.instance);
    if (instance === null) return;
    const now = Date.now();
    let changed = false;
    if (m.type === 'here') {
      changed = this.see(instance, m, now);
    } else if (m.type === 'beat') {
      if (!Array.isArray(m.members)) return;
      for (const member of m.members.slice(0, CHAT_LIMITS.beatMembers)) changed = this.see(instance, member, now) || changed;
    } else if (m.type === 'gone') {
      const pseudo = cleanPseudo(m.pseudo);
      if (pseudo === null) return;
      const entry = this.presence.get(pseudoKey(pseudo));
      // Only the instance the user is on says they left: a late 'gone' from the instance
      // they left does not remove them from the one they have just joined.
      if (entry === undefined || entry.instance !== instance) return;
      this.presence.delete(pseudoKey(pseudo));
      this.roomCounts = undefined;
      changed = true;
    } else if (m.type === 'hello') {
      if (instance !== this.instance && now - this.lastHelloAnswer >= CHAT_LIMITS.helloAnswerMs) {
        this.lastHelloAnswer = now;
        this.beat();
      }
      return;
    } else {
      return;
    }
    if (changed) this.each(() => true, { type: 'presence' });
  }

  private onUser(message: unknown): void {
    const m = message as Record<string, unknown>;
    if (typeof m.to !== 'string') return;
    const to = m.to;
    const by = cleanPseudo(m.type === 'private' ? m.from : m.by);
    if (by === null) return;
    if (m.type === 'private') this.each((member) => member.key === to, { type: 'private', from: by });
    else if (m.type === 'kick') {
      this.each((member) => member.key === to, { type: 'kick', by, reason: clean(m.reason, 60), ban: m.ban === true });
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
