/**
 * Every built-in service under a stream of hostile input: over-long text,
 * control bytes, emoji, right-to-left text, combining marks, raw UTF-8 on a
 * 7-bit line, and function keys in any order. Whatever field or screen the
 * service is on, it must keep running, log no error, and only ever show
 * Minitel characters within 40 columns.
 */
import { describe, expect, it } from 'vitest';
import { connect, type VirtualMinitel } from '../sdk/testing.js';
import { openSqliteStore } from '../store/sqlite.js';
import { random } from './annu/generate.js';
import { builtInServices } from './index.js';
import type { FunctionKeyName } from '../videotex/keyboard.js';

const HOSTILE = [
  'x'.repeat(120),
  'émoji 😀👍🏽 fin',
  'שלום مرحبا RTL',
  'e\u0301 a\u0308 c\u0327 n\u0303 combinés',
  '\u0000\u0007\u001b[2J\u001f@A\u0013A fin',
  '漢字 ñ ø Æ €',
  '12',
  'ana',
  '/p bob ' + 'y'.repeat(200),
  '/kick ana',
];
const KEYS: FunctionKeyName[] = ['Envoi', 'Envoi', 'Suite', 'Retour', 'Correction', 'Annulation', 'Sommaire', 'Guide', 'Repetition'];

function expectSane(m: VirtualMinitel, where: string): void {
  for (let row = 0; row <= 24; row++) {
    const text = m.rowText(row);
    expect(text.length, `${where}, row ${row}`).toBeLessThanOrEqual(40);
    expect(/[\u0000-\u001f\u007f]/.test(text), `${where}, row ${row}: ${JSON.stringify(text)}`).toBe(false);
  }
  expect(m.encoderMismatches, where).toEqual([]);
}

/** Steps that take each service past its first screen before the random walk. */
const SETUP: Record<string, (m: VirtualMinitel) => Promise<void>> = {
  GUIDE: async (m) => m.press('Envoi'),
  CHAT: async (m) => {
    await m.type('ana');
    await m.press('Envoi');
    await m.type('1');
    await m.press('Envoi');
    await m.type('1');
    await m.press('Envoi');
    await m.waitForText('SALON');
  },
  ANNU: async (m) => {
    await m.type('martin');
    await m.press('Envoi');
  },
  JOURNAL: async (m) => {
    await m.type('1');
    await m.press('Envoi');
  },
  GALERIE: async (m) => {
    await m.type('1');
    await m.press('Envoi');
  },
};

describe('built-in services under hostile input', () => {
  for (const code of Object.keys(SETUP)) {
    it(`${code} keeps running and shows only Minitel text`, async () => {
      const services = builtInServices({ chat: { flood: { lines: 1000, windowMs: 1000 } } });
      const service = services.find((s) => s.code === code);
      if (service === undefined) throw new Error(code);
      const store = openSqliteStore(':memory:');
      const m = connect(service, { store, services: () => services });
      await m.idle();
      await SETUP[code](m);
      expectSane(m, `${code} after setup`);
      const next = random(code.length * 7919);
      for (let step = 0; step < 120 && m.active; step++) {
        const choice = next();
        if (choice < 0.35) await m.type(HOSTILE[Math.floor(next() * HOSTILE.length)]);
        else if (choice < 0.45) await m.send(new TextEncoder().encode(HOSTILE[Math.floor(next() * HOSTILE.length)]));
        else if (choice < 0.55) await m.type(String(1 + Math.floor(next() * 5)));
        else await m.press(KEYS[Math.floor(next() * KEYS.length)]);
        expectSane(m, `${code} step ${step}`);
      }
      expect(m.active).toBe(true);
      expect(m.error).toBeUndefined();
      expect((m as VirtualMinitel & { logs: unknown[] }).logs).toEqual([]);
      await m.hangUp();
      await store.close();
    });
  }
});
