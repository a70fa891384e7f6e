import { afterEach, describe, expect, it } from 'vitest';
import { restoreScreen } from '../videotex/screen-snapshot.js';
import { startTestGateway, type TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';
import { PAID } from './test-support/services.js';
import { readSessionState, type SessionState } from './session-state.js';

let server: TestGateway | undefined;
const clients: WsMinitel[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = undefined;
});

async function stateAfter(keys: string, shows: RegExp): Promise<{ state: SessionState; minitel: WsMinitel }> {
  server = await startTestGateway();
  const minitel = await WsMinitel.connect(server.wsUrl('/ws'));
  clients.push(minitel);
  await minitel.waitFor(/Code :/);
  if (keys !== '') minitel.send(keys);
  await minitel.waitFor(shows);
  const [state] = server.gateway.sessionStates();
  return { state, minitel };
}

describe("a session's state", () => {
  it('at the home page: where the router is, the terminal, and the screen the user sees, cell for cell', async () => {
    const { state, minitel } = await stateAfter('AN', /AN\.\.\./);
    expect(state.router).toEqual({ page: 'home', typed: 'AN', guideIndex: 0 });
    expect(state.transport).toBe('websocket');
    expect(state.meter).toEqual({ visits: 0, spent: {} });
    expect(restoreScreen(state.screen).equals(minitel.terminal.screen, { cursor: true })).toBe(true);
  });

  it('in a service: the visit and the meter running, and it survives JSON whole', async () => {
    const { state } = await stateAfter(`${PAID.code}\x13A`, /Service PAYANT/);
    expect(state.router).toMatchObject({ page: 'visit', service: PAID.code });
    expect(state.meter.visit).toMatchObject({ service: PAID.code, perMinute: PAID.tariff.perMinute, currency: PAID.tariff.currency });
    const parsed: unknown = JSON.parse(JSON.stringify(state));
    expect(readSessionState(parsed)).toEqual(state);
  });

  it('read back only when every field is one a session writes', async () => {
    const { state } = await stateAfter('', /Code :/);
    const good: unknown = JSON.parse(JSON.stringify(state));
    expect(readSessionState(good)).toBeDefined();
    const damaged: unknown[] = [
      null,
      [],
      { ...state, id: '' },
      { ...state, transport: 'carrier-pigeon' },
      { ...state, bytesIn: -1 },
      { ...state, capabilities: { ...state.capabilities, drcs: 'yes' } },
      { ...state, router: { page: 'visit', typed: '', guideIndex: 0 } },
      { ...state, router: { page: 'home', typed: 'x'.repeat(300), guideIndex: 0 } },
      { ...state, meter: { visits: 0, spent: { USD: 1 } } },
      { ...state, meter: { visits: 1, spent: {}, visit: { service: 'X', perMinute: -1, currency: 'EUR', start: 0, bytesIn: 0, bytesOut: 0 } } },
      { ...state, screen: { ...state.screen, cells: [1, 0] } },
    ];
    for (const value of damaged) expect(readSessionState(value), JSON.stringify(value).slice(0, 80)).toBeUndefined();
  });
});
