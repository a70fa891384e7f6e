import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type VirtualMinitel } from '../../sdk/testing.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite.js';
import { InProcessBus } from '../../store/bus.js';
import { AttemptLimiter } from './attempts.js';
import { chatService } from './index.js';

const LIMITS = { perPseudo: 3, perAddress: 5, windowMs: 60_000, trackedKeys: 100 };

describe('the wrong-password limiter', () => {
  it('refuses a pseudonym after its limit of failures until the oldest leaves the window', () => {
    let now = 0;
    const limiter = new AttemptLimiter(LIMITS, () => now);
    const ana = { pseudo: 'ana', address: '10.0.0.1' };
    for (let i = 0; i < 3; i++) {
      expect(limiter.waitFor(ana)).toBe(0);
      limiter.failed(ana);
      now += 1000;
    }
    expect(limiter.waitFor(ana)).toBe(60_000 - 3000);
    now = 60_000; // the first failure (at 0) has left the window
    expect(limiter.waitFor(ana)).toBe(0);
  });

  it('counts an address across pseudonyms, and a success clears only the pseudonym', () => {
    const limiter = new AttemptLimiter(LIMITS, () => 0);
    for (let i = 0; i < 5; i++) limiter.failed({ pseudo: `p${i}`, address: 'sweeper' });
    expect(limiter.waitFor({ pseudo: 'fresh', address: 'sweeper' })).toBeGreaterThan(0);
    expect(limiter.waitFor({ pseudo: 'fresh', address: 'elsewhere' })).toBe(0);
    const bob = { pseudo: 'bob', address: 'home' };
    limiter.failed(bob);
    limiter.failed(bob);
    limiter.succeeded(bob);
    limiter.failed(bob);
    limiter.failed(bob);
    expect(limiter.waitFor(bob)).toBe(0);
  });

  it('remembers a bounded number of keys, whatever a script tries', () => {
    const limiter = new AttemptLimiter(LIMITS, () => 0);
    for (let i = 0; i < 10_000; i++) limiter.failed({ pseudo: `p${i}`, address: `a${i}` });
    expect(limiter.size).toBeLessThanOrEqual(LIMITS.trackedKeys);
  });
});

describe('CHAT logins under the limiter', () => {
  let store: SqliteStore;
  let now: number;
  let chat: ReturnType<typeof chatService>;

  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    now = 1_000_000;
    chat = chatService({ bus: new InProcessBus(), operators: [{ name: 'Sysop', password: 'minuit' }], attempts: { perPseudo: 3, perAddress: 6 }, now: () => now });
    await store.accounts.create('ana', 'secret');
  });
  afterEach(async () => {
    chat.hub.close();
    await store.close();
  });

  async function tryLogin(m: VirtualMinitel, pseudo: string, password: string): Promise<string> {
    await m.waitForText('Bienvenue sur la messagerie');
    await m.type(pseudo);
    await m.press('Suite');
    await m.type(password);
    await m.press('Envoi');
    return m.rowZero();
  }

  it('refuses even the right password after three wrong ones for that pseudonym, then lets it in once the window passes', async () => {
    const m = connect(chat, { store, address: '192.0.2.7' });
    for (let i = 0; i < 3; i++) expect(await tryLogin(m, 'ana', `guess${i}`)).toContain('mot de passe faux');
    expect(await tryLogin(m, 'ana', 'secret')).toMatch(/Trop d'essais : réessayez dans 15 mn/);
    expect(m.logs.some((l) => l.level === 'warn' && l.message.includes('too many wrong passwords'))).toBe(true);
    now += 15 * 60_000;
    await tryLogin(m, 'ana', 'secret');
    await m.waitForText('Bonjour ana');
  });

  it("limits guesses at the operator's password the same way", async () => {
    const m = connect(chat, { store });
    for (let i = 0; i < 3; i++) expect(await tryLogin(m, 'Sysop', `guess${i}`)).toContain('Mot de passe incorrect');
    expect(await tryLogin(m, 'Sysop', 'minuit')).toContain("Trop d'essais");
  });

  it('limits one address sweeping several pseudonyms', async () => {
    await store.accounts.create('bob', 'secret');
    await store.accounts.create('cid', 'secret');
    const m = connect(chat, { store, address: '198.51.100.9' });
    for (const pseudo of ['ana', 'ana', 'bob', 'bob', 'cid', 'cid']) await tryLogin(m, pseudo, 'wrong');
    expect(await tryLogin(m, 'ana', 'secret')).toContain("Trop d'essais");
    // Another terminal may still log in as the pseudonyms that failed fewer than three times.
    const other = connect(chat, { store, address: '203.0.113.1' });
    await tryLogin(other, 'bob', 'secret');
    await other.waitForText('Bonjour bob');
  });
});
