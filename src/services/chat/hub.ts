/**
 * What CHAT sessions share: who is connected where, the last lines of each
 * room, and live delivery of lines, alerts and kicks. Everything that
 * crosses sessions goes through the Bus (store/bus.ts), so several gateway
 * instances sharing a Redis or PostgreSQL bus would see each other's users
 * and lines; the hub of each process keeps its view from the bus events.
 *
 * Bus topics and messages (JSON):
 *   chat.room      { type: 'line', room, line } | { type: 'erase', room, key, by }
 *   chat.presence  { type: 'here', pseudo, room, operator } | { type: 'gone', pseudo }
 *   chat.user      { type: 'private', to, from } | { type: 'kick', to, by, reason, ban }
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
  pseudoMin: 2,
  pseudoMax: 12,
  /** Flood guard: lines per window per session. */
  floodLines: 5,
  floodWindowMs: 10_000,
} as const;

export const PSEUDO = /^[A-Za-z0-9_-]{2,12}$/;

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
  private readonly lines = new Map<string, ChatLine[]>();
  private readonly presence = new Map<string, Presence>();
  private readonly members = new Map<string, Set<ChatMember>>();
  private readonly instance = randomUUID().slice(0, 8);
  private counter = 0;
  private readonly unsubscribe: (() => void)[];

  constructor(
    readonly bus: Bus,
    rooms: readonly string[],
  ) {
    this.rooms = rooms.map((room) => clean(room, 20)).filter((room) => room !== '');
    this.unsubscribe = [
      bus.subscribe(TOPIC.room, (message) => this.onRoom(message)),
      bus.subscribe(TOPIC.presence, (message) => this.onPresence(message)),
      bus.subscribe(TOPIC.user, (message) => this.onUser(message)),
    ];
  }

  newId(): string {
    return `${this.instance}-${++this.counter}`;
  }

  /** A user of this process joins the chat (in no room yet). Returns null when the pseudo is already connected. */
  async join(pseudo: string, operator: boolean, listener: (event: ChatEvent) => void): Promise<ChatMember | null> {
    if (this.isConnected(pseudo) || this.members.has(pseudoKey(pseudo))) return null;
    const member = new ChatMember(this, pseudo, operator, listener);
    let set = this.members.get(member.key);
    if (set === undefined) {
      set = new Set();
      this.members.set(member.key, set);
    }
    set.add(member);
    await this.announce(member);
    return member;
  }

  isConnected(pseudo: string): boolean {
    return this.presence.has(pseudoKey(pseudo));
  }

  /** Who is connected, by pseudonym; in one room when given. */
  who(room?: string): Presence[] {
    return [...this.presence.values()]
      .filter((p) => room === undefined || p.room === room)
      .sort((a, b) => (pseudoKey(a.pseudo) < pseudoKey(b.pseudo) ? -1 : 1));
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
    await this.bus.publish(TOPIC.presence, { type: 'here', pseudo: member.pseudo, room: member.room, operator: member.operator });
  }

  async remove(member: ChatMember): Promise<void> {
    const set = this.members.get(member.key);
    if (set === undefined || !set.delete(member)) return;
    if (set.size === 0) this.members.delete(member.key);
    await this.bus.publish(TOPIC.presence, { type: 'gone', pseudo: member.pseudo });
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }

  // ---- bus ------------------------------------------------------------------------

  private each(filter: (member: ChatMember) => boolean, event: ChatEvent): void {
    for (const set of this.members.values()) {
      for (const member of set) if (filter(member)) member.listener(event);
    }
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
    const m = message as Record<string, unknown>;
    const pseudo = cleanPseudo(m.pseudo);
    if (pseudo === null) return;
    if (m.type === 'here') {
      const room = typeof m.room === 'string' && this.rooms.includes(m.room) ? m.room : null;
      this.presence.set(pseudoKey(pseudo), { pseudo, room, operator: m.operator === true });
    } else if (m.type === 'gone') {
      this.presence.delete(pseudoKey(pseudo));
    } else {
      return;
    }
    this.each(() => true, { type: 'presence' });
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
