import { describe, expect, it } from 'vitest';
import { defineService } from './define.js';
import { connect } from './testing.js';
import type { ListResult } from './list.js';

const TOWNS = Array.from({ length: 45 }, (_, i) => `Ville ${i + 1}`);

describe('list paging', () => {
  function listService(options: { keys?: ('Retour' | 'Guide')[] } = {}) {
    const chosen: (string | ListResult<string>)[] = [];
    const service = defineService({
      code: 'LIST',
      name: 'List',
      async session(s) {
        if (options.keys === undefined) chosen.push(await s.list(TOWNS, { title: 'Villes', perPage: 10 }));
        else chosen.push(await s.list(TOWNS, { title: 'Villes', perPage: 10, keys: options.keys }));
        s.clear();
        s.print(5, 1, 'fin');
        await s.key();
      },
    });
    return { service, chosen };
  }

  it('shows the first page numbered, with the page count in the title bar', async () => {
    const { service } = listService();
    const m = connect(service);
    await m.idle();
    expect(m.rowText(1)).toMatch(/^ {2}Villes +1\/5$/);
    expect(m.rowText(3)).toBe(' 1 Ville 1');
    expect(m.rowText(12)).toBe('10 Ville 10');
    expect(m.rowText(13)).toBe('');
    expect(m.rowText(24)).toContain('Choix');
    expect(m.rowText(24)).toContain('SUITE RETOUR');
  });

  it('Suite and Retour turn the pages and a number + Envoi chooses on any page', async () => {
    const { service, chosen } = listService();
    const m = connect(service);
    await m.press('Suite', 'Suite');
    expect(m.rowText(1)).toMatch(/3\/5$/);
    expect(m.rowText(3)).toBe('21 Ville 21');
    await m.press('Retour');
    expect(m.rowText(3)).toBe('11 Ville 11');
    await m.type('3');
    await m.press('Envoi');
    expect(chosen).toEqual(['Ville 3']);
    expect(m.rowText(5)).toBe('fin');
  });

  it('stops at the last and first pages with a row-0 message', async () => {
    const { service } = listService();
    const m = connect(service);
    await m.press('Suite', 'Suite', 'Suite', 'Suite');
    expect(m.rowText(3)).toBe('41 Ville 41');
    expect(m.rowText(7)).toBe('45 Ville 45');
    expect(m.rowText(8)).toBe('');
    await m.press('Suite');
    expect(m.rowZero()).toBe('Dernière page');
    await m.press('Retour', 'Retour', 'Retour', 'Retour', 'Retour');
    expect(m.rowZero()).toBe('Première page');
  });

  it('an unknown number or an empty choice keeps the list open with a message', async () => {
    const { service, chosen } = listService();
    const m = connect(service);
    await m.type('99');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Numéro inconnu');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Tapez un numéro puis ENVOI');
    await m.type('45');
    await m.press('Envoi');
    expect(chosen).toEqual(['Ville 45']);
  });

  it('Retour on the first page ends the list when the service asks for it', async () => {
    const { service, chosen } = listService({ keys: ['Retour'] });
    const m = connect(service);
    await m.press('Suite', 'Retour');
    expect(chosen).toEqual([]);
    await m.press('Retour');
    expect(chosen).toEqual([{ key: 'Retour', item: undefined, index: -1, page: 0 }]);
  });

  it('says so when there is nothing to list', async () => {
    const service = defineService({
      code: 'EMPTY',
      name: 'Empty',
      async session(s) {
        await s.list([], { title: 'Rien', empty: 'Aucun résultat' });
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(3)).toBe(' Aucun résultat');
  });
});

describe('menu', () => {
  it('draws the choices and returns the value of the key typed + Envoi', async () => {
    const chosen: string[] = [];
    const service = defineService({
      code: 'MENU',
      name: 'Menu',
      async session(s) {
        chosen.push(
          await s.menu(
            [
              { label: 'Les nouvelles', value: 'news' },
              { label: 'La météo', value: 'meteo' },
              { key: 'Q', label: 'Quitter', value: 'quit' },
            ],
            { title: 'Sommaire' },
          ),
        );
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(4)).toBe('  1 Les nouvelles');
    expect(m.rowText(6)).toBe('  2 La météo');
    expect(m.rowText(8)).toBe('  Q Quitter');
    await m.type('7');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Choix inconnu');
    await m.press('Correction');
    await m.type('q');
    await m.press('Envoi');
    expect(chosen).toEqual(['quit']);
  });

  it('accepts a record of choices for a menu drawn on a frame page', async () => {
    const chosen: number[] = [];
    const frame = new TextEncoder().encode('\x0cChoisissez 1 ou 2');
    const service = defineService({
      code: 'MENU',
      name: 'Menu',
      async session(s) {
        chosen.push(await s.menu({ '1': 10, '2': 20 }, { frame, field: { row: 1, column: 30, length: 1 } }));
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(1)).toBe('Choisissez 1 ou 2            .');
    await m.type('2');
    await m.press('Envoi');
    expect(chosen).toEqual([20]);
  });
});
