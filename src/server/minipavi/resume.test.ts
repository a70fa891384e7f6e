/**
 * A MiniPavi visit whose session moves to another instance (a restart, a
 * deploy) goes on with the service where it was: the same next URL and
 * context, the input zone of the page on the screen, and no new CNX, as if
 * the user had stayed on MiniPavi. Real sockets, two gateways on one SQLite
 * file, the in-repo test MiniPavi service.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../test-support/gateway.js';
import { resumePath, SharedDatabaseGateways } from '../test-support/shared-database.js';
import { readResumeToken } from '../resume-token.js';
import { miniPaviService } from './service.js';
import { startTestService, type TestService } from './test-support/service.js';
import { MiniPaviVisits } from './visits.js';

const shared = new SharedDatabaseGateways();
let pavi: TestService | undefined;
afterEach(async () => {
  await shared.cleanup();
  await pavi?.close();
  pavi = undefined;
});

async function twoInstances(url: (service: TestService) => string): Promise<[TestGateway, TestGateway]> {
  pavi = await startTestService();
  const file = shared.database();
  const gateway = (): Promise<TestGateway> => shared.instance(file, { services: [miniPaviService({ code: 'PAVI', url: url(pavi!) }, new MiniPaviVisits('PAVI'))] });
  return [await gateway(), await gateway()];
}

describe('a MiniPavi visit handed over to another instance', () => {
  it('goes on at the same page with the same next URL and context: the zone takes a message, Envoi calls the service, no new CNX', async () => {
    const [a, b] = await twoInstances((service) => service.url('/'));
    const m = await shared.dial(a, '/ws?url=PAVI');
    await m.waitFor(/Bienvenue sur PAVITEST/);
    m.key('Envoi');
    await m.waitFor(/Bonjour ana/);
    const back = await shared.handedOver(a, b, m);
    back.type('salut');
    back.key('Envoi');
    await back.waitFor(/ana a dit :/);
    await back.waitFor(/salut/);
    const fctns = pavi!.calls.map((c) => c.fctn);
    // CNX once, at the start on A; the Envoi on B carried the context A's last answer gave.
    expect(fctns.filter((f) => f === 'CNX')).toHaveLength(1);
    const last = pavi!.calls.at(-1)!;
    expect(last).toMatchObject({ fctn: 'ENVOI', context: JSON.stringify({ name: 'ana' }) });
    expect(last.content[0]).toBe('salut');
    // The same user for the service on both instances.
    expect(new Set(pavi!.calls.map((c) => c.uniqueId)).size).toBe(1);
  });

  it('starts again with CNX and the notice when the kept place is not usable (a next URL to a host no longer allowed)', async () => {
    const [a, b] = await twoInstances((service) => service.url('/'));
    const m = await shared.dial(a, '/ws?url=PAVI');
    await m.waitFor(/Bienvenue sur PAVITEST/);
    await m.waitFor(() => m.resumeToken !== undefined);
    // Forge the checkpoint's kept next to another host, as a damaged or hostile row could.
    await shared.stop(a);
    const row = await b.store.checkpoints.get(m.resumeToken!.split('.')[0]);
    const state = JSON.parse(row!.state) as { router: { serviceState: { state: { next: string } } } };
    state.router.serviceState.state.next = 'http://evil.example/';
    await b.store.checkpoints.saveMany([{ checkpoint: { ...row!, state: JSON.stringify(state) }, tokenHash: readResumeToken(m.resumeToken)!.hash }]);
    const back = await shared.dial(b, resumePath(m.resumeToken!));
    await back.waitFor(/Bienvenue sur PAVITEST/);
    await back.waitFor(() => back.row(0).includes('Reprise : le service redémarre'));
    expect(pavi!.calls.filter((c) => c.fctn === 'CNX')).toHaveLength(2);
    // The forged URL was never called.
    expect(pavi!.calls.every((c) => c.path === '/')).toBe(true);
  });
});
