/**
 * What the parts of CHAT share: the options, the hub and the limits one
 * instance of the service holds (Chat), the per-visit state, the store
 * namespace and mailbox names, and the frame and help screens every part
 * draws on.
 */
import { Painter, titleBar, type Session } from '../../sdk/index.js';
import type { ChatHub, ChatEvent, ChatMember, ChatPresenceOptions } from './hub.js';
import { pseudoKey } from './hub.js';
import type { Bus } from '../../store/bus.js';
import type { AttemptLimiter } from './attempts.js';

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
export const NAMESPACE = 'CHAT';
export const mailbox = (pseudo: string): string => `CHAT:${pseudoKey(pseudo)}`;

export interface User {
  pseudo: string;
  registered: boolean;
  operator: boolean;
}

/** Where a user in a room is, as far as their screen goes: what a resumed visit needs to go on writing it. */
export interface RoomPlace {
  room: string;
  /** The row the next line goes to (lines go round and round rows 3–20). */
  next: number;
  /** The help page is showing. */
  help: boolean;
  /** The id of the newest line of the room this screen has taken into account, null before any. */
  lastLine: string | null;
}

export interface ChatState {
  user?: User;
  member?: ChatMember;
  ignored: Set<string>;
  /** The screen showing now gets the hub's events. */
  onEvent?: (event: ChatEvent) => void;
  sent: number[];
  /** In a room: where (kept across a hand-over, resume.ts). */
  place?: RoomPlace;
  /** A resumed visit: the hub the user was connected through before (resume.ts). */
  cameFrom?: string;
}

export type ChatSession = Session<ChatState>;

/** What became of a private message, and how the sender is told. */
export type Sent = 'sent' | 'full' | 'flood';
export const SENT: Record<Sent, (to: string) => string> = {
  sent: (to) => `Message envoyé à ${to}`,
  full: (to) => `La BAL de ${to} est pleine`,
  flood: () => 'Doucement : un message à la fois',
};

export function frame(p: Painter, title: string, right = 'MESSAGERIE '): Painter {
  p.clearScreen();
  titleBar(p, title, right);
  return p;
}

export function help(): Painter {
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

/** One CHAT service: its hub, operators, flood guard and password-attempt limits, shared by every visit. */
export interface Chat {
  readonly hub: ChatHub;
  readonly operators: readonly ChatOperator[];
  readonly flood: { lines: number; windowMs: number };
  readonly attempts: AttemptLimiter;
}

/** Lines and private messages a user sends: at most `flood.lines` per `flood.windowMs`. */
export function flooding(chat: Chat, s: ChatSession): boolean {
  const now = Date.now();
  s.state.sent = s.state.sent.filter((t) => now - t < chat.flood.windowMs);
  if (s.state.sent.length >= chat.flood.lines) return true;
  s.state.sent.push(now);
  return false;
}

/** "27/11 14:05" */
export function when(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getDate())}/${two(date.getMonth() + 1)} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
