/**
 * CHAT presence across instances: hubs sharing a bus (one InProcessBus
 * standing for several processes, then real PostgreSQL buses) see each
 * other's users, learn who is there when they start, and forget the users
 * of an instance that stopped answering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus, type Bus } from '../../store/bus.js';
import { openPostgresBus } from '../../store/postgres-bus.js';
import { probePostgres, skippedMessage, TEST_DATABASE_URL } from '../../store/test-support/postgres.js';
import { ChatHub, CHAT_LIMITS, type ChatEvent } from './hub.js';

const ROOMS = ['Accueil', 'Bretagne'];
const FAST = { heartbeatMs: 40, expireMs: 150 };

const hubs: ChatHub[] = [];
const buses: Bus[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) hub.close();
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

function hub(bus: Bus, options = FAST): ChatHub {
  const h = new ChatHub(bus, ROOMS, options);
  hubs.push(h);
  return h;
}

function names(h: ChatHub, room?: string): string[] {
  return h.who(room).map((p) => p.pseudo);
}

function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (test()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
      else setTimeout(check, 5);
    };
    check();
  });
}

const ignore = (): void => {};

describe('CHAT presence across instances', () => {
  it('each hub lists the users of the others, with their rooms', async () => {
    const bus = new InProcessBus();
    const a = hub(bus);
    const b = hub(bus);
    const ana = await a.join('ana', false, ignore);
    await b.join('Bob', true, ignore);
    await ana?.enter('Bretagne');
    expect(a.who()).toEqual([
      { pseudo: 'ana', room: 'Bretagne', operator: false },
      { pseudo: 'Bob', room: null, operator: true },
    ]);
    expect(b.who()).toEqual(a.who());
    expect(names(b, 'Bretagne')).toEqual(['ana']);
    expect(await b.join('ANA', false, ignore)).toBeNull(); // taken on the other instance
  });

  it('counts people per room as who() lists them, through joins, moves, leaves and expiry, without listing them', async () => {
    const bus = new InProcessBus();
    const a = hub(bus);
    const b = hub(bus);
    const agree = (): void => {
      for (const h of [a, b]) for (const room of ROOMS) expect(h.present(room)).toBe(h.who(room).length);
    };
    const members = [];
    for (let i = 0; i < 30; i++) members.push(await (i % 2 === 0 ? a : b).join(`u${i}`, false, ignore));
    agree();
    for (const [i, m] of members.entries()) await m?.enter(ROOMS[i % 3 === 0 ? 0 : 1]);
    agree();
    expect(a.present('Accueil')).toBe(10);
    expect(b.present('Bretagne')).toBe(20);
    await members[0]?.enter('Bretagne');
    await members[1]?.leave();
    agree();
    expect(a.present('Bretagne')).toBe(20);
    // b stops answering: a forgets its users after expireMs, and its counts follow.
    b.close();
    await until(() => a.who().every((p) => Number(p.pseudo.slice(1)) % 2 === 0));
    for (const room of ROOMS) expect(a.present(room)).toBe(a.who(room).length);
  });

  it('a hub that starts learns at once who is connected elsewhere', async () => {
    const bus = new InProcessBus();
    const a = hub(bus, { heartbeatMs: 60_000, expireMs: 120_000 });
    await a.join('ana', false, ignore);
    const late = hub(bus, { heartbeatMs: 60_000, expireMs: 120_000 });
    await until(() => names(late).includes('ana'));
  });

  it('forgets the users of an instance that crashed, after the expiry time, and tells the screens', async () => {
    const bus = new InProcessBus();
    const a = hub(bus);
    const b = hub(bus);
    const events: ChatEvent[] = [];
    await a.join('ana', false, (e) => events.push(e));
    await b.join('bob', false, ignore);
    await until(() => names(a).length === 2);
    // Wait past several expiry times: users still connected are kept alive by their beats.
    await new Promise((resolve) => setTimeout(resolve, FAST.expireMs * 3));
    expect(names(a)).toEqual(['ana', 'bob']);
    b.close(); // no 'gone' for bob: as if the process died
    const before = events.length;
    await until(() => !names(a).includes('bob'), 2000);
    expect(names(a)).toEqual(['ana']);
    expect(events.slice(before)).toContainEqual({ type: 'presence' });
    expect(await a.join('bob', false, ignore)).not.toBeNull(); // the pseudonym is free again
  });

  it('a late "gone" from the instance a user left does not remove them from the one they joined', async () => {
    const bus = new InProcessBus();
    const a = hub(bus);
    const b = hub(bus);
    const onA = await a.join('ana', false, ignore);
    // ana's line dropped on A; she comes back on B before A's 'gone' is out.
    await bus.publish('chat.presence', { type: 'here', instance: b.instance, pseudo: 'ana', room: null, operator: false });
    await bus.publish('chat.presence', { type: 'gone', instance: 'someone-else', pseudo: 'ana' });
    expect(names(b)).toEqual(['ana']);
    await onA?.leave();
    expect(names(b)).toEqual(['ana']);
  });

  it('ignores presence messages that are not ours, whatever their shape', async () => {
    const bus = new InProcessBus();
    const a = hub(bus);
    for (const message of [
      null,
      'here',
      [],
      { type: 'here', pseudo: 'eve', room: null },
      { type: 'here', instance: 'x y', pseudo: 'eve' },
      { type: 'here', instance: 'x', pseudo: '\u001b[2J' },
      { type: 'here', instance: 'x', pseudo: 'e'.repeat(40) },
      { type: 'beat', instance: 'x', members: 'eve' },
      { type: 'beat', instance: 'x', members: [null, 7, { pseudo: ['eve'] }] },
      { type: 'gone', instance: 'x' },
      { type: 'party', instance: 'x', pseudo: 'eve' },
    ]) {
      await bus.publish('chat.presence', message);
    }
    expect(a.who()).toEqual([]);
    await bus.publish('chat.presence', { type: 'here', instance: 'x', pseudo: 'eve', room: 'Nowhere', operator: 'yes' });
    expect(a.who()).toEqual([{ pseudo: 'eve', room: null, operator: false }]);
    // As many users as a bus message can carry (under 8000 bytes), five times a beat's share.
    const many = Array.from({ length: 5 * CHAT_LIMITS.beatMembers }, (_, i) => ({ pseudo: `u${i}`, room: 'Accueil' }));
    await bus.publish('chat.presence', { type: 'beat', instance: 'y', members: many });
    expect(a.who('Accueil')).toHaveLength(CHAT_LIMITS.beatMembers);
  });

  it('keeps at most CHAT_LIMITS.presenceMax users of other instances, however many a publisher invents, and still its own', async () => {
    const bus = new InProcessBus();
    const a = hub(bus, { heartbeatMs: 60_000, expireMs: 120_000 });
    const beats = CHAT_LIMITS.presenceMax / CHAT_LIMITS.beatMembers + 5;
    for (let i = 0; i < beats; i++) {
      const members = Array.from({ length: CHAT_LIMITS.beatMembers }, (_, n) => ({ pseudo: `u${i}x${n}` }));
      await bus.publish('chat.presence', { type: 'beat', instance: `fake${i}`, members });
    }
    expect(a.who()).toHaveLength(CHAT_LIMITS.presenceMax);
    await a.join('ana', false, ignore);
    expect(a.isConnected('ana')).toBe(true);
  });

  it('answers a flood of hellos with at most one beat a second', async () => {
    const bus = new InProcessBus();
    const a = hub(bus, { heartbeatMs: 60_000, expireMs: 120_000 });
    await a.join('ana', false, ignore);
    let beats = 0;
    bus.subscribe('chat.presence', (m) => {
      if ((m as { type?: unknown }).type === 'beat') beats++;
    });
    for (let i = 0; i < 100; i++) await bus.publish('chat.presence', { type: 'hello', instance: `i${i}` });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(beats).toBe(1);
  });
});

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));

describe.skipIf(unreachable !== null)('CHAT presence on PostgreSQL buses', () => {
  it('two processes’ hubs see each other’s users, and forget those of one that stopped', async () => {
    const channel = `teletel_test.presence.${process.pid}.${Date.now()}`;
    const busA = await openPostgresBus(TEST_DATABASE_URL, { channel });
    const busB = await openPostgresBus(TEST_DATABASE_URL, { channel });
    buses.push(busA, busB);
    const a = hub(busA, { heartbeatMs: 50, expireMs: 200 });
    const b = hub(busB, { heartbeatMs: 50, expireMs: 200 });
    await a.join('ana', false, ignore);
    await b.join('bob', false, ignore);
    await until(() => names(a).length === 2 && names(b).length === 2);
    b.close();
    await busB.close();
    await until(() => names(a).length === 1);
    expect(names(a)).toEqual(['ana']);
  });
});
