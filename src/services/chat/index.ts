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
import { defineService, type Service } from '../../sdk/index.js';
import { InProcessBus } from '../../store/bus.js';
import { AttemptLimiter, DEFAULT_ATTEMPT_LIMITS, type AttemptLimits } from './attempts.js';
import { DEFAULT_ROOMS, help, type Chat, type ChatOptions, type ChatState } from './context.js';
import { ChatHub, CHAT_LIMITS } from './hub.js';
import { lobby } from './lobby.js';
import { login, rejoin } from './login.js';
import { CHAT_STATE_VERSION, readSavedChat, saveChat } from './resume.js';
import { room } from './room.js';

export { DEFAULT_ROOMS, mailbox, type ChatOperator, type ChatOptions } from './context.js';

/**
 * The service, in files by job: login.ts (pseudonym, password, operators,
 * attempt limits), lobby.ts (menu pages), room.ts (live lines),
 * commands.ts and moderation.ts (slash commands), mail.ts (private
 * messages, BAL, ignore), context.ts (what they share), hub.ts (presence and
 * delivery across sessions and instances).
 */
export function chatService(options: ChatOptions & { attempts?: Partial<AttemptLimits>; now?: () => number } = {}): Service & { hub: ChatHub } {
  const bus = options.bus ?? new InProcessBus();
  const hub = new ChatHub(bus, options.rooms ?? DEFAULT_ROOMS, options.presence);
  const chat: Chat = {
    hub,
    operators: options.operators ?? [],
    flood: options.flood ?? { lines: CHAT_LIMITS.floodLines, windowMs: CHAT_LIMITS.floodWindowMs },
    attempts: new AttemptLimiter({ ...DEFAULT_ATTEMPT_LIMITS, ...options.attempts }, options.now),
  };

  const service = defineService<ChatState>({
    code: 'CHAT',
    name: 'La messagerie',
    description: 'Discutez en direct dans les salons, envoyez des messages privés, retrouvez-les dans votre BAL.',
    keywords: ['messagerie', 'dialogue', 'salon', 'bal', 'message', 'rencontre', 'discussion'],
    help: help(),
    state: () => ({ ignored: new Set(), sent: [] }),
    // A visit handed over to another instance comes back in the room it was in, its screen as it was, without a new login.
    resume: { version: CHAT_STATE_VERSION, check: (saved) => readSavedChat(saved, hub.rooms), save: (state) => saveChat(state, hub.instance) },
    async session(s) {
      if (s.resumed && s.state.user !== undefined && s.state.member === undefined && (await rejoin(chat, s)) && s.state.place !== undefined) {
        await room(chat, s, s.state.place.room, s.state.place);
      }
      if (s.state.user === undefined) await login(chat, s);
      await lobby(chat, s);
    },
  });
  return Object.assign(service, { hub });
}
