/** The built-in services (src/services) run on the gateway: each opens, draws, and gives the user back on Connexion/Fin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInServices } from '../services/index.js';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';

let server: TestGateway;
const services = builtInServices();

beforeAll(async () => {
  server = await startTestGateway({ services });
});
afterAll(async () => {
  await server.stop();
});

describe('built-in services on the gateway', () => {
  it('are listed by the Guide key', async () => {
    const m = await WsMinitel.connect(server.wsUrl());
    try {
      await m.waitFor(/Code :/);
      m.key('Guide');
      await m.waitFor(/Guide des services/);
      for (const service of services) expect(m.text).toContain(service.code);
    } finally {
      m.close();
    }
  });

  for (const service of services) {
    it(`${service.code} opens from its code, draws a page, and Connexion/Fin comes back home`, async () => {
      const m = await WsMinitel.connect(server.wsUrl());
      try {
        await m.waitFor(/Code :/);
        const home = m.text;
        m.type(`3615 ${service.code}`);
        m.key('Envoi');
        await m.waitFor(() => !/Tapez le code du service/.test(m.text) && m.text.trim() !== '' && m.text !== home);
        m.key('ConnexionFin');
        await m.waitFor(/Tapez le code du service/);
      } finally {
        m.close();
      }
    });
  }
});
