import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type VirtualMinitel } from '../../sdk/testing.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite.js';
import { InProcessBus, type Bus } from '../../store/bus.js';
import { StoreError } from '../../store/errors.js';
import { CHAT_LIMITS } from './hub.js';
import { chatService, mailbox } from './index.js';

let store: SqliteStore;
let bus: InProcessBus;
let chat: ReturnType<typeof chatService>;

beforeEach(() => {
  store = openSqliteStore(':memory:');
  bus = new InProcessBus();
  chat = chatService({ bus, operators: [{ name: 'Sysop', password: 'minuit' }], flood: { lines: 100, windowMs: 10_000 } });
});
afterEach(async () => {
  chat.hub.close();
  await store.close();
});

function minitel(): VirtualMinitel {
  return connect(chat, { store });
}

async function login(m: VirtualMinitel, pseudo: string, password = ''): Promise<void> {
  await m.waitForText('Bienvenue sur la messagerie');
  await m.type(pseudo);
  if (password !== '') {
    await m.press('Suite');
    await m.type(password);
  }
  await m.press('Envoi');
  await m.waitForText(`Bonjour ${pseudo}`);
}

async function enterRoom(m: VirtualMinitel, number = 1): Promise<void> {
  await m.type('1');
  await m.press('Envoi');
  await m.waitForText('LES SALONS');
  await m.type(String(number));
  await m.press('Envoi');
  await m.waitForText('SALON');
}

/** From the lobby: option 4, the recipient, the message, Envoi. */
async function writePrivate(m: VirtualMinitel, to: string, text: string): Promise<void> {
  await m.type('4');
  await m.press('Envoi');
  await m.waitForText('MESSAGE PRIV');
  await m.type(to);
  await m.press('Suite');
  await m.type(text);
  await m.press('Envoi');
}

async function say(m: VirtualMinitel, text: string): Promise<void> {
  await m.type(text);
  await m.press('Envoi');
}

describe('CHAT rooms', () => {
  it('two users chatting: each sees the other’s message', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(ana);
    await enterRoom(bob);
    expect(ana.rowText(1)).toMatch(/SALON Accueil +2 présents$/);
    await say(ana, 'bonjour bob, ça va ?');
    await bob.waitForText('ana> bonjour bob, ça va ?');
    await say(bob, 'très bien, et toi ?');
    await ana.waitForText('bob> très bien, et toi ?');
    expect(ana.screenText()).toContain('ana> bonjour bob, ça va ?');
    expect(ana.encoderMismatches).toEqual([]);
    expect(bob.encoderMismatches).toEqual([]);
  });

  it('shows the room’s recent lines to a newcomer and keeps rooms apart', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    await enterRoom(ana, 1);
    await say(ana, 'premier !');
    const bob = minitel();
    await login(bob, 'bob');
    await enterRoom(bob, 1);
    expect(bob.screenText()).toContain('ana> premier !');
    const eve = minitel();
    await login(eve, 'eve');
    await enterRoom(eve, 2);
    expect(eve.rowText(1)).toContain('SALON Bretagne');
    await say(ana, 'seulement pour Accueil');
    await bob.waitForText('seulement pour Accueil');
    expect(eve.screenText()).not.toContain('seulement');
  });

  it('writes new lines round the message area, so a line costs only its own bytes', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(ana);
    await enterRoom(bob);
    for (let i = 1; i <= 25; i++) await say(ana, `ligne ${i}`);
    await bob.waitForText('ana> ligne 25');
    expect(bob.screenText()).toContain('ana> ligne 24');
    const before = bob.bytesSent;
    await say(ana, 'une de plus');
    await bob.waitForText('ana> une de plus');
    expect(bob.bytesSent - before).toBeLessThan(80);
  });

  it('lists who is connected and where', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(bob, 3);
    await ana.type('2');
    await ana.press('Envoi');
    await ana.waitForText('CONNECTES : 2'); // no capital accents on a Minitel
    expect(ana.screenText()).toMatch(/ana +\(menu\)/);
    expect(ana.screenText()).toMatch(/bob +Cinéma/);
  });

  it('refuses a pseudonym already connected', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    const other = minitel();
    await other.waitForText('Bienvenue');
    await other.type('ANA');
    await other.press('Envoi');
    expect(other.rowZero()).toBe('ANA est déjà connecté');
  });

  it('does not let someone register the pseudonym of a user connected without a password', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    const other = minitel();
    await other.waitForText('Bienvenue');
    await other.type('ana');
    await other.press('Suite');
    await other.type('volé');
    await other.press('Envoi');
    expect(other.rowZero()).toBe('ana est déjà connecté');
    expect(await store.accounts.get('ana')).toBeNull();
  });
});

describe('CHAT when the bus fails', () => {
  /** The test bus, refusing the first message that `fails` picks, as a PostgreSQL bus does while its connection is down. */
  function failingOnce(fails: (topic: string, message: unknown) => boolean): Bus {
    let failed = false;
    return {
      publish: (topic, message) => {
        if (!failed && fails(topic, message)) {
          failed = true;
          return Promise.reject(new StoreError('TELETEL_E_STORE_UNAVAILABLE', 'the bus lost its connection'));
        }
        return bus.publish(topic, message);
      },
      subscribe: (topic, handler) => bus.subscribe(topic, handler),
      close: () => bus.close(),
    };
  }

  it('a login whose announcement could not be sent leaves no ghost: the pseudonym is free again', async () => {
    chat.hub.close();
    chat = chatService({ bus: failingOnce((topic, message) => topic === 'chat.presence' && (message as { type?: unknown }).type === 'here') });
    const first = minitel();
    await first.waitForText('Bienvenue sur la messagerie');
    await first.type('ana');
    await first.press('Envoi');
    await first.done;
    const again = minitel();
    await login(again, 'ana');
    expect(chat.hub.who().map((p) => p.pseudo)).toEqual(['ana']);
  });

  it('a private message stored while the bus cannot alert the recipient is shown as sent, once', async () => {
    chat.hub.close();
    chat = chatService({ bus: failingOnce((topic) => topic === 'chat.user') });
    const ana = minitel();
    await login(ana, 'ana');
    await writePrivate(ana, 'zoe', 'Bien arrivé ?');
    await ana.waitForText('Message envoyé à zoe.');
    expect(ana.active).toBe(true);
    expect((await store.mail.list(mailbox('zoe'))).map((m) => m.body)).toEqual(['Bien arrivé ?']);
  });
});

describe('CHAT private messages and BAL', () => {
  it('a private message to an absent user is found in the BAL when they connect', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    await writePrivate(ana, 'zoe', 'Rendez-vous demain à 8 h devant la gare.');
    await ana.waitForText('Message envoyé à zoe.');
    // Durable before "envoyé" was shown.
    expect((await store.mail.list(mailbox('zoe'))).map((m) => m.body)).toEqual(['Rendez-vous demain à 8 h devant la gare.']);

    const zoe = minitel();
    await login(zoe, 'zoe');
    expect(zoe.screenText()).toContain('1 nouveau message dans votre BAL.');
    await zoe.type('3');
    await zoe.press('Envoi');
    await zoe.waitForText('BAL de zoe');
    expect(zoe.rowText(3)).toMatch(/^ 1 \*ana +\d\d\/\d\d \d\d:\d\d$/);
    expect(zoe.rowText(4)).toContain('Rendez-vous demain');
    await zoe.type('1');
    await zoe.press('Envoi');
    await zoe.waitForText('De : ana');
    expect(zoe.screenText()).toContain('Rendez-vous demain à 8 h devant la');
    await zoe.press('Retour');
    expect(zoe.rowText(3)).toMatch(/^ 1 {2}ana/); // read now
    expect(await store.mail.count(mailbox('zoe'))).toEqual({ total: 1, unread: 0 });
  });

  it('alerts a connected recipient on row 0 when a private message arrives', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(ana);
    await enterRoom(bob);
    await say(ana, '/p bob on se voit ce soir ?');
    await ana.waitForText('* Message envoyé à bob');
    await bob.waitForText('Message de ana dans votre BAL', { row: 0 });
    expect(bob.screenText()).not.toContain('on se voit');
    await bob.press('Sommaire');
    await bob.waitForText('1 nouveau message');
  });

  it('replies from the BAL and deletes a message', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    await store.mail.send({ mailbox: mailbox('ana'), from: 'bob', body: 'Tu viens ?' });
    await ana.type('3');
    await ana.press('Envoi');
    await ana.type('1');
    await ana.press('Envoi');
    await ana.waitForText('De : bob');
    await ana.press('Envoi'); // répondre
    await ana.waitForText('MESSAGE PRIV');
    expect(ana.screenText()).toContain('Pour : bob');
    await ana.type('Oui !');
    await ana.press('Envoi');
    await ana.waitForText('Message envoyé à bob.');
    expect((await store.mail.list(mailbox('bob'))).map((m) => [m.from, m.body])).toEqual([['ana', 'Oui !']]);
    await ana.press('Envoi');
    await ana.waitForText('BAL de ana');
    await ana.type('1');
    await ana.press('Envoi');
    await ana.press('Annulation');
    await ana.waitForText('Votre boîte aux lettres est vide.');
  });

  it('a password registers the pseudonym and protects its BAL', async () => {
    const ana = minitel();
    await login(ana, 'ana', 'secret');
    expect(await store.accounts.get('ana')).toMatchObject({ name: 'ana' });
    await ana.hangUp();
    await store.mail.send({ mailbox: mailbox('ana'), from: 'bob', body: 'privé' });
    const thief = minitel();
    await thief.waitForText('Bienvenue');
    await thief.type('ana');
    await thief.press('Envoi');
    expect(thief.rowZero()).toBe('Pseudo protégé : mot de passe faux');
    await thief.type('ana');
    await thief.press('Suite');
    await thief.type('devine');
    await thief.press('Envoi');
    expect(thief.rowZero()).toBe('Pseudo protégé : mot de passe faux');
    const back = minitel();
    await login(back, 'ana', 'secret');
    expect(back.screenText()).toContain('1 nouveau message');
  });

  it('a full BAL takes no more messages, and the sender is told so', async () => {
    for (let i = 0; i < CHAT_LIMITS.balMessages; i++) await store.mail.send({ mailbox: mailbox('zoe'), from: 'bob', body: `n° ${i}` });
    const ana = minitel();
    await login(ana, 'ana');
    await writePrivate(ana, 'zoe', 'Encore un');
    await ana.waitForText('La BAL de zoe est pleine.');
    expect(ana.screenText()).not.toContain('Message envoyé');
    await ana.press('Envoi');
    await enterRoom(ana);
    await say(ana, '/p zoe et un autre');
    await ana.waitForText('* La BAL de zoe est pleine');
    expect(await store.mail.count(mailbox('zoe'))).toEqual({ total: CHAT_LIMITS.balMessages, unread: CHAT_LIMITS.balMessages });
  });

  it('private messages count against the flood guard too', async () => {
    chat.hub.close();
    chat = chatService({ bus, flood: { lines: 3, windowMs: 60_000 } });
    const ana = minitel();
    await login(ana, 'ana');
    await enterRoom(ana);
    for (const text of ['un', 'deux', 'trois', 'quatre']) await say(ana, `/p bob ${text}`);
    await ana.waitForText('* Doucement : un message à la fois');
    expect((await store.mail.list(mailbox('bob'))).map((m) => m.body)).toEqual(['trois', 'deux', 'un']);
  });

  it('refuses a recipient no pseudonym can be', async () => {
    const ana = minitel();
    await login(ana, 'ana');
    await writePrivate(ana, '_zoe', 'Perdu ?');
    expect(ana.rowZero()).toBe('Pseudo : 2 à 12 lettres ou chiffres');
    expect(ana.screenText()).not.toContain('Message envoyé');
    expect(await store.mail.count(mailbox('_zoe'))).toEqual({ total: 0, unread: 0 });
  });

  it('ignoring someone hides their lines and their messages', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(ana);
    await enterRoom(bob);
    await say(bob, '/ignore ana');
    await bob.waitForText('* ana est ignoré');
    await say(ana, 'tu m’entends ?');
    await say(ana, '/p bob hého');
    await say(bob, 'silence');
    await ana.waitForText('bob> silence');
    expect(bob.screenText()).not.toContain('entends');
    expect(bob.rowZero()).toBe('');
    await say(bob, '/ignore ana');
    await say(ana, 'et maintenant ?');
    await bob.waitForText('ana> et maintenant ?');
  });
});

describe('CHAT ignore lists against a full BAL', () => {
  it('a registered user’s BAL does not take messages from someone they ignore, which they could neither see nor delete', async () => {
    const zoe = minitel();
    await login(zoe, 'zoe', 'secret');
    await enterRoom(zoe);
    await say(zoe, '/ignore ana');
    await zoe.waitForText('* ana est ignoré');
    await zoe.hangUp();
    const ana = minitel();
    await login(ana, 'ana');
    await enterRoom(ana);
    await say(ana, '/p zoe tu me lis ?');
    // Ana is not told she is ignored.
    await ana.waitForText('* Message envoyé à zoe');
    expect(await store.mail.count(mailbox('zoe'))).toEqual({ total: 0, unread: 0 });
    await say(ana, '/p bob et toi ?');
    await ana.waitForText('* Message envoyé à bob');
    expect(await store.mail.count(mailbox('bob'))).toEqual({ total: 1, unread: 1 });
  });
});

describe('CHAT ignore list size', () => {
  /** Zoe, registered, with `stored` as her ignore list in the store, logged in and in a room. */
  async function zoeIgnoring(stored: unknown[]): Promise<VirtualMinitel> {
    await store.accounts.create('zoe', 'secret');
    await store.keyValue('CHAT').set('ignore:zoe', stored);
    const zoe = minitel();
    await login(zoe, 'zoe', 'secret');
    await enterRoom(zoe);
    return zoe;
  }

  it('ignores at most CHAT_LIMITS.ignored pseudonyms, and can still stop ignoring one', async () => {
    const full = Array.from({ length: CHAT_LIMITS.ignored }, (_, i) => `u${i}`);
    const zoe = await zoeIgnoring(full);
    await say(zoe, '/ignore ana');
    await zoe.waitForText(`* Vous ignorez déjà ${CHAT_LIMITS.ignored} pseudos`);
    expect(await store.keyValue('CHAT').get('ignore:zoe')).toEqual(full);
    await say(zoe, '/ignore u0');
    await zoe.waitForText("* u0 n'est plus ignoré");
    expect(await store.keyValue('CHAT').get('ignore:zoe')).toEqual(full.slice(1));
  });

  it('keeps at most CHAT_LIMITS.ignored pseudonyms of a stored list, and drops entries that are not pseudonyms', async () => {
    // What another tool or an older version wrote: too many names, and values that are not names at all.
    const zoe = await zoeIgnoring([42, null, { a: 1 }, 'x\u001b9', ...Array.from({ length: 5000 }, (_, i) => `u${i}`)]);
    await say(zoe, '/ignore ana');
    await zoe.waitForText(`* Vous ignorez déjà ${CHAT_LIMITS.ignored} pseudos`);
    await say(zoe, '/ignore u0');
    await zoe.waitForText("* u0 n'est plus ignoré");
    // Before, the whole stored list was taken as it was, and saved back whole: 5,003 entries, non-names included.
    const after = (await store.keyValue('CHAT').get('ignore:zoe')) as unknown[];
    expect(after).toHaveLength(CHAT_LIMITS.ignored - 1);
    expect(after.every((name) => typeof name === 'string' && /^u\d+$/.test(name))).toBe(true);
  });
});

describe('CHAT moderation', () => {
  async function three(): Promise<[VirtualMinitel, VirtualMinitel, VirtualMinitel]> {
    const sysop = minitel();
    const ana = minitel();
    const bob = minitel();
    await login(sysop, 'Sysop', 'minuit');
    expect(sysop.screenText()).toContain('(opérateur)');
    await login(ana, 'ana');
    await login(bob, 'bob');
    for (const m of [sysop, ana, bob]) await enterRoom(m);
    return [sysop, ana, bob];
  }

  it('an operator kicks a user, whose visit ends with a message on row 0', async () => {
    const [sysop, , bob] = await three();
    await say(sysop, '/kick bob du calme');
    await sysop.waitForText('* bob déconnecté');
    await bob.done;
    expect(bob.active).toBe(false);
    expect(bob.rowZero()).toBe('Déconnecté par Sysop : du calme');
  });

  it('a banned pseudonym cannot come back until the operator lifts the ban', async () => {
    const [sysop, , bob] = await three();
    await say(sysop, '/ban bob insultes');
    await bob.done;
    const again = minitel();
    await again.waitForText('Bienvenue');
    await again.type('bob');
    await again.press('Envoi');
    expect(again.rowZero()).toBe('Ce pseudo est exclu de la messagerie');
    await say(sysop, '/deban bob');
    await sysop.waitForText('* bob réadmis');
    await again.type('bob');
    await again.press('Envoi');
    await again.waitForText('Bonjour bob');
  });

  it('an operator erases a user’s lines from the room on every screen', async () => {
    const [sysop, ana, bob] = await three();
    await say(bob, 'un message à effacer');
    await ana.waitForText('bob> un message à effacer');
    await say(sysop, '/efface bob');
    await sysop.waitForText('* Lignes de bob effacées');
    expect(ana.screenText()).not.toContain('un message à effacer');
    expect(chat.hub.history('Accueil').some((line) => line.from === 'bob')).toBe(false);
  });

  it('a wrong operator password is refused and users cannot moderate', async () => {
    const fake = minitel();
    await fake.waitForText('Bienvenue');
    await fake.type('sysop');
    await fake.press('Suite');
    await fake.type('midi');
    await fake.press('Envoi');
    expect(fake.rowZero()).toBe('Mot de passe incorrect');
    const ana = minitel();
    await login(ana, 'ana');
    await enterRoom(ana);
    await say(ana, '/kick bob');
    await ana.waitForText('* Commande inconnue : /kick');
  });
});

describe('CHAT flood guard', () => {
  it('refuses more than the allowed lines in the window, with a row-0 message', async () => {
    chat.hub.close();
    chat = chatService({ bus, flood: { lines: 3, windowMs: 60_000 } });
    const ana = minitel();
    await login(ana, 'ana');
    await enterRoom(ana);
    for (const text of ['un', 'deux', 'trois', 'quatre']) await say(ana, text);
    expect(ana.rowZero()).toBe('Doucement : une ligne à la fois');
    expect(chat.hub.history('Accueil').map((line) => line.text)).toEqual(['un', 'deux', 'trois']);
  });
});

describe('CHAT bad input', () => {
  it('user text never carries a control byte to another terminal, whatever is typed or sent', async () => {
    const ana = minitel();
    const bob = minitel();
    await login(ana, 'ana');
    await login(bob, 'bob');
    await enterRoom(ana);
    await enterRoom(bob);
    await ana.type('emoji 😀 RTL שלום e\u0301');
    await ana.send(new TextEncoder().encode(' \u001b[2J\u0007 ok'));
    await ana.sendEvents({ type: 'char', char: '\u001b' }, { type: 'char', char: '😀' }, { type: 'char', char: '!' });
    await ana.press('Envoi');
    const line = chat.hub.history('Accueil').at(-1);
    expect(line?.text).toBeDefined();
    expect(/[\u0000-\u001f\u007f]/.test(line?.text ?? '')).toBe(false);
    await bob.waitForText('ana> emoji');
    // A hostile publisher on the bus: control bytes, a bad pseudonym, an over-long line.
    await bus.publish('chat.room', { type: 'line', room: 'Accueil', line: { id: 'x', from: 'eve', text: `\u001b\u0013A\u0007${'x'.repeat(500)}`, at: 0 } });
    await bus.publish('chat.room', { type: 'line', room: 'Accueil', line: { id: 'y', from: '\u001bevil', text: 'nope', at: 0 } });
    await bob.waitForText('??A?xxxxxxxx');
    expect(bob.screenText()).toContain('eve>');
    expect(bob.screenText()).not.toContain('nope');
    expect(chat.hub.history('Accueil').at(-1)?.text).toHaveLength(76);
    expect(bob.encoderMismatches).toEqual([]);
  });

  it('refuses a pseudonym that starts with - or _, which no account can have, even with a password', async () => {
    const m = minitel();
    await m.waitForText('Bienvenue');
    for (const pseudo of ['_ana', '-bob']) {
      await m.type(pseudo);
      await m.press('Suite');
      await m.type('secret');
      await m.press('Envoi');
      expect(m.rowZero()).toBe('Pseudo : 2 à 12 lettres ou chiffres');
    }
    expect(m.active).toBe(true);
    expect(m.error).toBeUndefined();
    await m.type('ana_-');
    await m.press('Suite');
    await m.type('secret');
    await m.press('Envoi');
    await m.waitForText('Bonjour ana_-');
    expect(await store.accounts.get('ana_-')).toMatchObject({ name: 'ana_-' });
  });

  it('refuses invalid pseudonyms and caps message lengths', async () => {
    const m = minitel();
    await m.waitForText('Bienvenue');
    await m.type('a');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Pseudo : 2 caractères minimum');
    await m.type('é ù😀/<>bcdefghijklmnop');
    await m.press('Envoi');
    await m.waitForText('Bonjour abcdefghijkl');
    await enterRoom(m);
    await m.type('y'.repeat(100));
    await m.press('Envoi');
    expect(chat.hub.history('Accueil').at(-1)?.text).toBe('y'.repeat(76));
  });
});
