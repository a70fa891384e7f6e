import { describe, expect, it } from 'vitest';
import { connect } from '../../sdk/testing.js';
import { FREE, TARIFF_3615, type ServiceInfo } from '../../sdk/index.js';
import { guideService, searchServices } from './index.js';

const SERVICES: ServiceInfo[] = [
  { code: 'CHAT', name: 'La messagerie', description: 'Discutez en direct, salons et BAL.', tariff: TARIFF_3615, keywords: ['dialogue', 'rencontre'] },
  { code: 'METEO', name: 'Météo de France', description: 'Le temps qu’il fera demain.', tariff: FREE, keywords: ['pluie', 'soleil'] },
  { code: 'JOURNAL', name: 'Le journal', description: 'Les articles du jour, dont l’histoire du Minitel.', tariff: FREE, keywords: ['presse'] },
  { code: 'CHATON', name: 'Les chatons', description: 'Des chats à adopter.', tariff: FREE, keywords: [] },
];

describe('searchServices', () => {
  it('finds by code, name, keyword or description, without case or accents, best first', () => {
    expect(searchServices(SERVICES, 'chat').map((s) => s.code)).toEqual(['CHAT', 'CHATON']);
    expect(searchServices(SERVICES, 'METEO').map((s) => s.code)).toEqual(['METEO']);
    expect(searchServices(SERVICES, 'météo').map((s) => s.code)).toEqual(['METEO']);
    expect(searchServices(SERVICES, 'soleil').map((s) => s.code)).toEqual(['METEO']);
    expect(searchServices(SERVICES, 'minitel').map((s) => s.code)).toEqual(['JOURNAL']);
  });

  it('needs every word to match and lists everything for an empty query', () => {
    expect(searchServices(SERVICES, 'le journal presse').map((s) => s.code)).toEqual(['JOURNAL']);
    expect(searchServices(SERVICES, 'chat pluie')).toEqual([]);
    expect(searchServices(SERVICES, '  ').map((s) => s.code)).toEqual(['CHAT', 'CHATON', 'JOURNAL', 'METEO']);
  });
});

describe('GUIDE through a virtual Minitel', () => {
  it('prompts "puis ENVOI" with a plain space before the inverse key label, as the home page does', async () => {
    const guide = guideService();
    const m = connect(guide, { services: () => [guide] });
    await m.waitForText('Trouvez un service');
    expect(m.rowText(24)).toMatch(/^ puis {2}ENVOI/);
    expect(m.terminal.screen.appearance(24, 6).inverse).toBe(false);
    expect(m.terminal.screen.appearance(24, 7).inverse).toBe(true);
  });

  it('searches by word, lists the services and shows one with its tariff', async () => {
    const guide = guideService();
    const m = connect(guide, { services: () => [guide, ...SERVICES] });
    await m.waitForText('Trouvez un service');
    await m.type('chat');
    await m.press('Envoi');
    expect(m.rowText(1)).toContain('Services : chat');
    expect(m.rowText(3)).toBe(' 1 CHAT     La messagerie');
    expect(m.rowText(4)).toBe(' 2 CHATON   Les chatons');
    await m.type('1');
    await m.press('Envoi');
    const screen = await m.waitForText('Fiche du service');
    expect(screen).toMatch(/3615 +CHAT/);
    expect(screen).toContain('Discutez en direct, salons et BAL.');
    expect(screen).toContain('Tarif : 1,29 F/min');
    expect(screen).toContain('Mots-clés : dialogue, rencontre');
    await m.press('Retour');
    expect(m.rowText(3)).toBe(' 1 CHAT     La messagerie');
    await m.press('Retour');
    expect(m.screenText()).toContain('Trouvez un service');
  });

  it('lists every service for an empty search and says when nothing matches', async () => {
    const guide = guideService();
    const m = connect(guide, { services: () => [guide, ...SERVICES] });
    await m.press('Envoi');
    expect(m.screenText()).toContain('GUIDE    Le guide des services');
    expect(m.screenText()).toContain('METEO    Météo de France');
    await m.press('Sommaire');
    await m.type('xylophone');
    await m.press('Envoi');
    expect(m.rowText(3)).toBe(' Aucun service ne répond à ce mot.');
  });
});
