/**
 * CHAT's door: the pseudonym and optional password (a password given the
 * first time registers the pseudonym as an account), operators from the
 * configuration or the account's role, bans, one connection per pseudonym,
 * and the limit on wrong passwords (attempts.ts). Once in, the hub's events
 * for this user (private-message alerts, kicks, room events) come to onEvent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isStoreError } from '../../store/errors.js';
import { CHAT_LIMITS, PSEUDO, pseudoKey, type ChatEvent, type ChatMember } from './hub.js';
import { frame, NAMESPACE, type Chat, type ChatSession, type User } from './context.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export async function login(chat: Chat, s: ChatSession): Promise<void> {
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
    const user = await authenticate(chat, s, pseudo, motdepasse);
    if (user === null) continue;
    const member = await chat.hub.join(user.pseudo, user.operator, (event) => onEvent(s, event));
    if (member === null) {
      s.notify(`${user.pseudo} est déjà connecté`, { bell: true });
      continue;
    }
    if (user.registered) {
      const ignored = await s.store.keyValue(NAMESPACE).get<string[]>(`ignore:${pseudoKey(user.pseudo)}`);
      // Bounded on write, checked again on read: the store may hold what an older version or another tool wrote.
      const names = Array.isArray(ignored) ? ignored.filter((name): name is string => typeof name === 'string' && PSEUDO.test(name)) : [];
      s.state.ignored = new Set(names.slice(0, CHAT_LIMITS.ignored).map(pseudoKey));
    }
    connected(s, user, member);
    return;
  }
}

/** The user is in: the hub's events reach this visit, leaving the service leaves the chat, and the keyboard types lower case. */
function connected(s: ChatSession, user: User, member: ChatMember): void {
  s.state.user = user;
  s.state.member = member;
  s.onEnd(() => member.leave());
  s.keyboard({ lowercase: true });
}

/**
 * A visit resumed from another instance (resume.ts) takes the user's
 * pseudonym back without a login, silently: the others see no one leave or
 * arrive. False, after telling the user, when someone else has taken the
 * pseudonym meanwhile: the visit then starts at the login page.
 */
export async function rejoin(chat: Chat, s: ChatSession): Promise<boolean> {
  const user = s.state.user as User;
  const member = await chat.hub.rejoin(user.pseudo, user.operator, s.state.cameFrom ?? '', (event) => onEvent(s, event));
  if (member === null) {
    s.state = { ignored: new Set(), sent: [] };
    s.notify(`${user.pseudo} est déjà connecté`, { bell: true });
    return false;
  }
  connected(s, user, member);
  return true;
}

/** The user, or null after telling them why not (on row 0). */
export async function authenticate(chat: Chat, s: ChatSession, pseudo: string, password: string): Promise<User | null> {
  if (!PSEUDO.test(pseudo)) {
    s.notify('Pseudo : 2 à 12 lettres ou chiffres', { bell: true });
    return null;
  }
  const attempt = { pseudo: pseudoKey(pseudo), address: s.link.address };
  /** Refuses a password check for a pseudonym or an address that failed too often (attempts.ts). */
  const tooManyTries = (): boolean => {
    const wait = chat.attempts.waitFor(attempt);
    if (wait <= 0) return false;
    s.log.warn('CHAT password check refused: too many wrong passwords', { pseudo, address: attempt.address });
    s.notify(`Trop d'essais : réessayez dans ${Math.ceil(wait / 60_000)} mn`, { bell: true });
    return true;
  };
  const wrongPassword = (message: string): null => {
    chat.attempts.failed(attempt);
    s.log.warn('CHAT wrong password', { pseudo, address: attempt.address });
    s.notify(message, { bell: true });
    return null;
  };
  const configured = chat.operators.find((o) => pseudoKey(o.name) === pseudoKey(pseudo));
  if (configured !== undefined) {
    if (tooManyTries()) return null;
    if (password === '' || !sameSecret(password, configured.password)) return wrongPassword('Mot de passe incorrect');
    chat.attempts.succeeded(attempt);
    return { pseudo: configured.name, registered: true, operator: true };
  }
  const ban = await s.store.keyValue(NAMESPACE).get<{ by: string }>(`ban:${pseudoKey(pseudo)}`);
  if (ban !== undefined) {
    s.notify('Ce pseudo est exclu de la messagerie', { bell: true });
    return null;
  }
  const account = await s.store.accounts.get(pseudo);
  if (account !== null) {
    if (tooManyTries()) return null;
    const verified = password === '' ? null : await s.store.accounts.verify(pseudo, password);
    if (verified === null) return wrongPassword('Pseudo protégé : mot de passe faux');
    chat.attempts.succeeded(attempt);
    return { pseudo: verified.name, registered: true, operator: verified.role === 'operator' };
  }
  if (password === '') return { pseudo, registered: false, operator: false };
  // Someone uses this pseudonym without a password right now: registering it would take it, and their BAL, from them.
  if (chat.hub.isConnected(pseudo)) {
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

export function onEvent(s: ChatSession, event: ChatEvent): void {
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
