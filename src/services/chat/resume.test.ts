/**
 * CHAT across a hand-over: a user in a room whose instance stops comes back
 * on another one in the same room, screen as it was cell for cell, without a
 * new login, and the room goes on from there. Real sockets, two gateways on
 * one SQLite file and one bus, our Terminal as the Minitel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../store/bus.js';
import { restoreScreen, snapshotScreen } from '../../videotex/screen-snapshot.js';
import type { TestGateway } from '../../server/test-support/gateway.js';
import type { WsMinitel } from '../../server/test-support/minitel.js';
import { resumePath, SharedDatabaseGateways } from '../../server/test-support/shared-database.js';
import { ChatHub } from './hub.js';
import { chatService } from './index.js';
import { readSavedChat, saveChat } from './resume.js';
import type { Screen } from '../../videotex/screen.js';

const shared = new SharedDatabaseGateways();
const hubs: ChatHub[] = [];
afterEach(async () => {
  await shared.cleanup();
  for (const hub of hubs.splice(0)) hub.close();
});

/** Two gateways on one database whose CHATs share one bus, as instances behind a balancer. */
async function twoInstances(): Promise<[TestGateway, TestGateway]> {
  const bus = new InProcessBus();
  const file = shared.database();
  const gateway = async (): Promise<TestGateway> => {
    const chat = chatService({ bus, flood: { lines: 100, windowMs: 10_000 } });
    hubs.push(chat.hub);
    return shared.instance(file, { services: [chat] });
  };
  return [await gateway(), await gateway()];
}

async function inRoom(g: TestGateway, pseudo: string): Promise<WsMinitel> {
  const m = await shared.dial(g, '/ws?url=CHAT');
  await m.waitFor(/Bienvenue sur la messagerie/);
  m.type(pseudo);
  m.key('Envoi');
  await m.waitFor(new RegExp(`Bonjour ${pseudo}`));
  m.type('1');
  m.key('Envoi');
  await m.waitFor(/LES SALONS/);
  m.type('1');
  m.key('Envoi');
  await m.waitFor(/SALON Accueil/);
  return m;
}

async function say(m: WsMinitel, text: string): Promise<void> {
  m.type(text);
  m.key('Envoi');
  await m.waitFor(() => m.text.includes(text));
}

const screenOf = (m: WsMinitel): Screen => restoreScreen(snapshotScreen(m.terminal.screen));

describe('CHAT resumed on another instance', () => {
  it('a user in a room comes back in it, screen as it was cell for cell, and the room goes on round its rows', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    const bob = await inRoom(b, 'bob');
    await ana.waitFor(/2 présents/);
    // More rows than the area holds: the lines have gone round it once.
    for (let i = 1; i <= 20; i++) await say(i % 2 === 0 ? bob : ana, `ligne ${i}`);
    await ana.waitFor(() => ana.text.includes('bob> ligne 20'));
    const before = screenOf(ana);

    const { back } = await shared.handOver(a, b, ana);
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    expect(back.row(0)).not.toContain('Reprise');
    expect(back.row(0)).not.toContain('déjà connecté');

    // The next line goes where the marker was, as it would have there.
    const marker = [...Array(25).keys()].find((row) => back.row(row).startsWith('-'));
    expect(marker).toBeDefined();
    await say(back, 'toujours ici');
    expect(back.row(marker!)).toBe(' ana> toujours ici');
    await bob.waitFor(/ana> toujours ici/);
    await back.waitFor(/2 présents/);
    await bob.waitFor(/2 présents/);
  });

  it('twice resumed (A stopped, then B): the room header still follows who comes and goes', async () => {
    const bus = new InProcessBus();
    const file = shared.database();
    const gateway = async (): Promise<TestGateway> => {
      const chat = chatService({ bus, flood: { lines: 100, windowMs: 10_000 } });
      hubs.push(chat.hub);
      return shared.instance(file, { services: [chat] });
    };
    const a = await gateway();
    const b = await gateway();
    const ana = await inRoom(a, 'ana');
    const bob = await inRoom(a, 'bob');
    await ana.waitFor(/2 présents/);
    await bob.waitFor(/2 présents/);
    await ana.waitFor(() => ana.resumeToken !== undefined);
    await bob.waitFor(() => bob.resumeToken !== undefined);
    await shared.stop(a);
    await ana.waitForClose();
    const ana2 = await shared.dial(b, resumePath(ana.resumeToken!));
    const bob2 = await shared.dial(b, resumePath(bob.resumeToken!));
    await ana2.waitFor(/2 présents/);
    await bob2.waitFor(/2 présents/);
    await ana2.waitFor(() => ana2.resumeToken !== undefined);
    await bob2.waitFor(() => bob2.resumeToken !== undefined);
    const c = await gateway();
    await shared.stop(b);
    const ana3 = await shared.dial(c, resumePath(ana2.resumeToken!));
    await ana3.waitFor(/SALON Accueil/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bob3 = await shared.dial(c, resumePath(bob2.resumeToken!));
    await bob3.waitFor(/SALON Accueil/);
    await ana3.waitFor(/2 présents/);
    await bob3.waitFor(/2 présents/);
    const carl = await inRoom(c, 'carl');
    await carl.waitFor(/3 présents/);
    await ana3.waitFor(/3 présents/);
  });

  it('a line half typed at the hand-over is still in the input zone, screen as it was, and Envoi says it', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    ana.type('je tape encore');
    await ana.waitFor(/je tape encore/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = screenOf(ana);
    const { back } = await shared.handOver(a, b, ana);
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    back.type(' et fini');
    back.key('Envoi');
    await back.waitFor(/ana> je tape encore et fini/);
  });

  it('lines said while the user was away are added when the new instance has them', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    const bob = await inRoom(b, 'bob');
    await say(bob, 'bienvenue');
    await ana.waitFor(/bob> bienvenue/);
    const { back } = await shared.handOver(a, b, ana, () => say(bob, 'tu es la ?'));
    await back.waitFor(/bob> tu es la \?/);
    expect(back.text).toContain('bob> bienvenue');
    expect(back.row(0)).not.toContain('Reprise');
  });

  it('lines said while the user was away in a room that was empty are added too', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    const bob = await inRoom(b, 'bob');
    // Nobody has said anything in the room yet: ana's screen has taken in no line.
    const { back } = await shared.handOver(a, b, ana, () => say(bob, 'premier !'));
    await back.waitFor(/bob> premier !/);
    expect(back.row(0)).not.toContain('Reprise');
  });

  it('the help page showing at the hand-over is there again, and a key goes back to the room', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    await say(ana, 'avant aide');
    ana.key('Guide');
    await ana.waitFor(/Une touche pour revenir/);
    const before = screenOf(ana);
    const { back } = await shared.handOver(a, b, ana);
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    back.key('Guide');
    await back.waitFor(/ana> avant aide/);
    await back.waitFor(/SALON Accueil/);
  });

  it('a pseudonym someone else took while the user was away is not taken back: the user is told and logs in again', async () => {
    const [a, b] = await twoInstances();
    const ana = await inRoom(a, 'ana');
    const { back } = await shared.handOver(a, b, ana, async () => {
      const other = await inRoom(b, 'ana');
      await other.waitFor(/SALON Accueil/);
    });
    await back.waitFor(/ana est déjà connecté/);
    await back.waitFor(/Bienvenue sur la messagerie/);
  });
});

describe('CHAT state as checkpointed', () => {
  const rooms = ['Accueil', 'Bretagne'];
  const saved = saveChat(
    {
      user: { pseudo: 'ana', registered: true, operator: false },
      ignored: new Set(['bob']),
      sent: [1, 2],
      place: { room: 'Bretagne', next: 7, help: false, lastLine: 'abc-3' },
      onEvent: () => {},
    },
    'hub1',
  );

  it('is plain JSON read back as it was, listeners and member left out', () => {
    const json = JSON.parse(JSON.stringify(saved)) as unknown;
    expect(readSavedChat(json, rooms)).toEqual({
      user: { pseudo: 'ana', registered: true, operator: false },
      ignored: new Set(['bob']),
      sent: [1, 2],
      place: { room: 'Bretagne', next: 7, help: false, lastLine: 'abc-3' },
      cameFrom: 'hub1',
    });
  });

  it('refuses what saveChat does not write: bad pseudonyms, unknown rooms, rows off the area, oversized lists', () => {
    const forged: unknown[] = [
      null,
      'ana',
      { ...saved, hub: 42 },
      { ...saved, user: { pseudo: 'a\u001b[2J', registered: false, operator: false } },
      { ...saved, user: { pseudo: 'ana', registered: 'yes', operator: false } },
      { ...saved, place: { ...saved.place, room: 'Ailleurs' } },
      { ...saved, place: { ...saved.place, next: 21 } },
      { ...saved, place: { ...saved.place, next: 2.5 } },
      { ...saved, place: { ...saved.place, lastLine: 'x'.repeat(65) } },
      { ...saved, user: null },
      { ...saved, ignored: ['not a pseudo!'] },
      { ...saved, ignored: Array.from({ length: 101 }, (_, i) => `user${i}`) },
      { ...saved, sent: ['1'] },
    ];
    for (const value of forged) expect(readSavedChat(value, rooms), JSON.stringify(value)).toBeUndefined();
  });

  it('a visit saved before its login comes back to the login page', () => {
    expect(readSavedChat(saveChat({ ignored: new Set(), sent: [] }, 'hub1'), rooms)).toEqual({ ignored: new Set(), sent: [], cameFrom: 'hub1' });
  });
});

describe('a hub taking a moved user back', () => {
  it('lets the user past a presence the hub they came from still announces, not past one of a third hub', async () => {
    const bus = new InProcessBus();
    const b = new ChatHub(bus, ['Accueil']);
    hubs.push(b);
    // Hub A crashed with ana and carl connected: its beats are still remembered.
    await bus.publish('chat.presence', { type: 'beat', instance: 'hubA', members: [{ pseudo: 'ana', room: 'Accueil', operator: false }] });
    await bus.publish('chat.presence', { type: 'here', instance: 'hubC', pseudo: 'carl', room: null, operator: false });
    expect(await b.join('ana', false, () => {})).toBeNull();
    const ana = await b.rejoin('ana', false, 'hubA', () => {});
    expect(ana).not.toBeNull();
    expect(await b.rejoin('carl', false, 'hubA', () => {})).toBeNull();
    // A late 'here' from hub A does not move ana back there, nor its 'gone' remove her.
    await bus.publish('chat.presence', { type: 'here', instance: 'hubA', pseudo: 'ana', room: null, operator: false });
    await bus.publish('chat.presence', { type: 'gone', instance: 'hubA', pseudo: 'ana' });
    await ana!.enter('Accueil');
    expect(b.who('Accueil').map((p) => p.pseudo)).toEqual(['ana']);
    expect(await b.rejoin('ana', false, 'hubA', () => {})).toBeNull();
  });
});
