/**
 * Commands typed in a room after a slash: /p (private message), /qui,
 * /ignore, /aide for everyone; the operators' ones are in moderation.ts.
 */
import { PSEUDO } from './hub.js';
import { SENT, type Chat, type ChatSession, type User } from './context.js';
import { sendPrivate, toggleIgnore } from './mail.js';
import { moderate } from './moderation.js';

export async function command(chat: Chat, s: ChatSession, roomName: string, text: string, system: (text: string) => void, redraw: () => void): Promise<void> {
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
      return system(SENT[await sendPrivate(chat, s, target, argument)](target));
    case 'qui': {
      const here = chat.hub.who(roomName).map((p) => p.pseudo);
      return system(`Ici : ${here.join(', ')}`);
    }
    case 'ignore':
      if (!needTarget()) return;
      return system(await toggleIgnore(chat, s, target));
    case 'aide':
      return system('GUIDE pour l’aide');
  }
  if (!user.operator) return system(`Commande inconnue : /${verb}`);
  if (!(await moderate(chat, s, { verb: verb.toLowerCase(), target, argument, roomName }, needTarget, system, redraw))) system(`Commande inconnue : /${verb}`);
}
