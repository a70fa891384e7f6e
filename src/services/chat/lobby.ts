/**
 * CHAT's menu pages: the lobby (new messages, the five choices), the list
 * of rooms and who is connected.
 */
import { Painter, pad } from '../../sdk/index.js';
import { frame, mailbox, type Chat, type ChatSession, type User } from './context.js';
import { bal, ignore, write } from './mail.js';
import { room } from './room.js';

export async function lobby(chat: Chat, s: ChatSession): Promise<void> {
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
    if (choice === 'rooms') await chooseRoom(chat, s);
    else if (choice === 'who') await who(chat, s);
    else if (choice === 'bal') await bal(chat, s);
    else if (choice === 'write') await write(chat, s);
    else await ignore(chat, s);
  }
}

export async function chooseRoom(chat: Chat, s: ChatSession): Promise<void> {
  const result = await s.list(chat.hub.rooms, {
    title: 'LES SALONS',
    render: (room) => {
      const here = chat.hub.present(room);
      return `${pad(room, 20)}${here === 0 ? 'vide' : `${here} présent${here > 1 ? 's' : ''}`}`;
    },
    keys: ['Retour'],
  });
  if (result.key === 'Envoi') await room(chat, s, result.item);
}

export async function who(chat: Chat, s: ChatSession): Promise<void> {
  const people = chat.hub.who();
  const result = await s.list(people, {
    title: `CONNECTÉS : ${people.length}`,
    render: (p) => `${pad(p.pseudo, 13)}${pad(p.room ?? '(menu)', 14)}${p.operator ? 'opérateur' : ''}`,
    keys: ['Retour'],
    prompt: 'Écrire à',
  });
  if (result.key === 'Envoi') await write(chat, s, result.item.pseudo);
}
