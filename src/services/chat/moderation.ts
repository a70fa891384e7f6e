/**
 * Operators' commands in a room: /kick (disconnect), /ban (exclude the
 * pseudonym, stored), /deban, /efface (erase someone's lines from the
 * room). Operators are named in the configuration or have the operator role.
 */
import { pseudoKey } from './hub.js';
import { NAMESPACE, type Chat, type ChatSession, type User } from './context.js';

export interface Moderation {
  verb: string;
  target: string;
  argument: string;
  roomName: string;
}

/** Runs an operator's command; false when the verb is not one. */
export async function moderate(
  chat: Chat,
  s: ChatSession,
  { verb, target, argument, roomName }: Moderation,
  needTarget: () => boolean,
  system: (text: string) => void,
  redraw: () => void,
): Promise<boolean> {
  const user = s.state.user as User;
  switch (verb) {
    case 'kick':
      if (!needTarget()) return true;
      await chat.hub.kick(target, user.pseudo, argument, false);
      system(`${target} déconnecté`);
      return true;
    case 'ban':
      if (!needTarget()) return true;
      await s.store.keyValue(NAMESPACE).set(`ban:${pseudoKey(target)}`, { by: user.pseudo, reason: argument, at: new Date().toISOString() });
      await chat.hub.kick(target, user.pseudo, argument, true);
      system(`${target} exclu`);
      return true;
    case 'deban':
      if (!needTarget()) return true;
      system((await s.store.keyValue(NAMESPACE).delete(`ban:${pseudoKey(target)}`)) ? `${target} réadmis` : `${target} n'était pas exclu`);
      return true;
    case 'efface':
      if (!needTarget()) return true;
      await chat.hub.erase(roomName, target, user.pseudo);
      redraw();
      system(`Lignes de ${target} effacées`);
      return true;
  }
  return false;
}
