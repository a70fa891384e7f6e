import { describe, expect, it } from 'vitest';
import { connect } from '../sdk/testing.js';
import { openSqliteStore } from '../store/sqlite.js';
import { builtInServices } from './index.js';

describe('builtInServices', () => {
  it('offers GUIDE, CHAT, ANNU, JOURNAL and GALERIE with unique codes and descriptions', () => {
    const services = builtInServices();
    expect(services.map((s) => s.code)).toEqual(['GUIDE', 'CHAT', 'ANNU', 'JOURNAL', 'GALERIE']);
    for (const service of services) {
      expect(service.description.length, service.code).toBeGreaterThan(20);
      expect(service.keywords.length, service.code).toBeGreaterThan(0);
      expect(typeof service.run).toBe('function');
    }
    expect(builtInServices({ only: ['CHAT'] }).map((s) => s.code)).toEqual(['CHAT']);
  });

  it('GUIDE finds the other built-in services', async () => {
    const services = builtInServices();
    const store = openSqliteStore(':memory:');
    const m = connect(services[0], { store, services: () => services });
    await m.waitForText('Trouvez un service');
    await m.type('annuaire');
    await m.press('Envoi');
    expect(m.rowText(3)).toBe(' 1 ANNU     L\'annuaire');
    await m.hangUp();
    await store.close();
  });
});
