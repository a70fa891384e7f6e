import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connect } from '../testing.js';
import hello from './hello.js';

describe('the README example (hello.ts)', () => {
  it('is the code shown in the README, line for line', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Write a service'));
    const shown = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const file = readFileSync(new URL('./hello.ts', import.meta.url), 'utf8');
    expect(shown).toBe(file.replace("from '../index.js'", "from 'teletel/sdk'"));
    expect(file.split('\n').length).toBeLessThan(40);
  });

  it('runs its three pages: a form with editing keys, a greeting, a list', async () => {
    const m = connect(hello);
    await m.waitForText('Bonjour !');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Prénom : obligatoire');
    await m.type('Zox');
    await m.press('Correction');
    await m.type('é');
    expect(m.rowZero()).toBe(''); // the form's message goes once the user types again
    await m.press('Suite');
    await m.type('Brest');
    await m.press('Envoi');
    expect(m.screenText()).toContain('Enchanté, Zoé !');
    expect(m.screenText()).toContain('Il fait beau à Brest ?');
    await m.press('Suite');
    await m.waitForText('Un dessert ?');
    expect(m.rowText(4)).toBe(' 2 Far breton');
    await m.type('2');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Far breton, excellent choix !');
    await m.press('Sommaire');
    expect(m.screenText()).toContain('Bonjour !');
    expect(m.encoderMismatches).toEqual([]);
  });

  it('greets the user by name (the test shown in the README)', async () => {
    const m = connect(hello);
    await m.waitForText('Bonjour !');
    await m.type('Zoé');
    await m.press('Envoi');
    expect(m.screenText()).toContain('Enchanté, Zoé !');
  });
});
