/**
 * Private messages and the BAL: a message is stored durably in the
 * recipient's mailbox before the sender is told "envoyé", the recipient
 * alerted if connected; reading, answering, deleting; the ignore list.
 */
import { fit, pad, wrapText } from '../../sdk/index.js';
import type { MailMessage } from '../../store/store.js';
import { CHAT_LIMITS, PSEUDO, pseudoKey } from './hub.js';
import { flooding, frame, mailbox, NAMESPACE, SENT, when, type Chat, type ChatSession, type Sent, type User } from './context.js';

/**
 * Stores the message (durably) in the recipient's BAL, then alerts them if
 * connected; unless the sender is flooding, ignored (not kept, though
 * reported sent) or the BAL is full. (Two senders
 * at once may both pass the count: a BAL can go past the limit by the
 * messages in flight, never far.)
 */
export async function sendPrivate(chat: Chat, s: ChatSession, to: string, text: string): Promise<Sent> {
  const user = s.state.user as User;
  if (flooding(chat, s)) return 'flood';
  // A registered recipient who ignores the sender would never see the message, nor be able to delete it to
  // make room: it is not kept. The sender is not told (that is what ignoring means).
  const ignoring = await s.store.keyValue(NAMESPACE).get<unknown>(`ignore:${pseudoKey(to)}`);
  if (Array.isArray(ignoring) && ignoring.includes(pseudoKey(user.pseudo))) return 'sent';
  const box = mailbox(to);
  if ((await s.store.mail.count(box)).total >= CHAT_LIMITS.balMessages) return 'full';
  await s.store.mail.send({ mailbox: box, from: user.pseudo, body: fit(text, CHAT_LIMITS.privateLength) });
  // Stored, so sent: the sender must hear so, or they would send it again. The alert is only a courtesy;
  // when the bus cannot carry it, the recipient finds the message in the BAL all the same.
  await chat.hub.alert(to, user.pseudo).catch((error: unknown) => {
    s.log.warn('CHAT could not alert the recipient of a private message', { error: error instanceof Error ? error.message : String(error) });
  });
  return 'sent';
}

export async function write(chat: Chat, s: ChatSession, to = ''): Promise<void> {
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
  const sent = await sendPrivate(chat, s, values.a, values.message);
  s.draw((p) => p.clearRow(20).at(20, 2).text(`${SENT[sent](values.a)}.`, { fg: sent === 'sent' ? 'green' : 'red' }).at(22, 2).text('Une touche pour continuer'));
  await s.key({ handles: ['Retour', 'Envoi'] });
}

export async function bal(chat: Chat, s: ChatSession): Promise<void> {
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
    const action = await read(chat, s, result.item);
    if (action === 'reply') await write(chat, s, result.item.from);
    else if (action === 'delete') {
      await s.store.mail.delete(box, result.item.id);
      s.notify('Message effacé');
    }
  }
}

export async function read(chat: Chat, s: ChatSession, message: MailMessage): Promise<'reply' | 'delete' | 'back'> {
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

export async function ignore(chat: Chat, s: ChatSession): Promise<void> {
  s.draw((p) => {
    frame(p, 'IGNORER');
    p.at(4, 2).text('Vous ne verrez plus ses lignes ni ses');
    p.at(5, 2).text('messages. Tapez-le à nouveau pour');
    p.at(6, 2).text('ne plus l’ignorer.');
    const list = [...s.state.ignored].join(', ');
    if (list !== '') wrapText(`Ignorés : ${list}`, 38).slice(0, 4).forEach((line, i) => p.at(14 + i, 2).text(line, { fg: 'cyan' }));
  });
  const { pseudo } = await s.form({ pseudo: { row: 10, column: 11, length: CHAT_LIMITS.pseudoMax, label: 'Pseudo :', allowed: /^[A-Za-z0-9_-]$/, required: true, minLength: 2 } });
  s.notify(await toggleIgnore(chat, s, pseudo));
}

export async function toggleIgnore(chat: Chat, s: ChatSession, pseudo: string): Promise<string> {
  const user = s.state.user as User;
  const key = pseudoKey(pseudo);
  const now = !s.state.ignored.has(key);
  if (now && s.state.ignored.size >= CHAT_LIMITS.ignored) return `Vous ignorez déjà ${CHAT_LIMITS.ignored} pseudos`;
  if (now) s.state.ignored.add(key);
  else s.state.ignored.delete(key);
  if (user.registered) await s.store.keyValue(NAMESPACE).set(`ignore:${pseudoKey(user.pseudo)}`, [...s.state.ignored]);
  return now ? `${pseudo} est ignoré` : `${pseudo} n'est plus ignoré`;
}
