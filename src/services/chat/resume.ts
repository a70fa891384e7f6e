/**
 * CHAT across a hand-over (defineService's `resume`): what of a visit is
 * checkpointed when its session moves to another instance, and how it is
 * read back. The visit's state holds more than JSON (the hub's member
 * object, a Set, the room's event listener), so `saveChat` gives its JSON
 * view: who the user is, whom they ignore, their flood-guard times, the room
 * they are in and where its screen is, and the hub they were connected
 * through. `readSavedChat` checks it field by field, as anything read from a
 * database; the resumed visit then takes the pseudonym back (login.ts
 * rejoin) and the room goes on writing the screen the user has (room.ts).
 */
import { CHAT_LIMITS, PSEUDO, pseudoKey } from './hub.js';
import { type ChatState, type RoomPlace, type User } from './context.js';
import { AREA_BOTTOM, AREA_TOP } from './room.js';

/** Flood-guard times kept at most (a configured flood guard may count more lines than CHAT_LIMITS.floodLines). */
const SENT_KEPT = 1000;

/** Bump when SavedChat changes shape: a checkpoint of another version starts the visit afresh, with the notice. */
export const CHAT_STATE_VERSION = 1;

interface SavedChat {
  user: User | null;
  ignored: string[];
  sent: number[];
  place: RoomPlace | null;
  /** The hub (ChatHub.instance) the user is connected through. */
  hub: string;
}

/** The JSON view of a visit's state, read when its session is checkpointed. */
export function saveChat(state: ChatState, hub: string): SavedChat {
  return {
    user: state.user === undefined ? null : { ...state.user },
    ignored: [...state.ignored],
    sent: [...state.sent],
    place: state.place === undefined ? null : { ...state.place },
    hub,
  };
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

function readUser(value: unknown): User | undefined {
  if (!isFields(value)) return undefined;
  const { pseudo, registered, operator } = value;
  if (typeof pseudo !== 'string' || !PSEUDO.test(pseudo) || typeof registered !== 'boolean' || typeof operator !== 'boolean') return undefined;
  return { pseudo, registered, operator };
}

function readPlace(value: unknown, rooms: readonly string[]): RoomPlace | undefined {
  if (!isFields(value)) return undefined;
  const { room, next, help, lastLine } = value;
  if (typeof room !== 'string' || !rooms.includes(room)) return undefined;
  if (typeof next !== 'number' || !Number.isSafeInteger(next) || next < AREA_TOP || next > AREA_BOTTOM) return undefined;
  if (typeof help !== 'boolean' || (lastLine !== null && !isId(lastLine))) return undefined;
  return { room, next, help, lastLine };
}

/**
 * The state a checkpointed SavedChat gives back, or undefined when any of it
 * is not what saveChat writes (the visit then starts afresh). A visit saved
 * before its login resumes at the login page.
 */
export function readSavedChat(value: unknown, rooms: readonly string[]): ChatState | undefined {
  if (!isFields(value) || !isId(value.hub) || !Array.isArray(value.ignored) || !Array.isArray(value.sent)) return undefined;
  if (value.ignored.length > CHAT_LIMITS.ignored || value.sent.length > SENT_KEPT) return undefined;
  if (!value.ignored.every((name) => typeof name === 'string' && PSEUDO.test(name))) return undefined;
  if (!value.sent.every((t) => typeof t === 'number' && Number.isFinite(t))) return undefined;
  const state: ChatState = { ignored: new Set(value.ignored.map((name) => pseudoKey(name as string))), sent: value.sent as number[], cameFrom: value.hub };
  if (value.user === null) return value.place === null ? state : undefined;
  const user = readUser(value.user);
  if (user === undefined) return undefined;
  state.user = user;
  if (value.place === null) return state;
  const place = readPlace(value.place, rooms);
  if (place === undefined) return undefined;
  state.place = place;
  return state;
}
