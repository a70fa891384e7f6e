/** MiniPavi services through the gateway: real sockets, our Terminal as the Minitel, a test service over HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../cli/command.js';
import { createServeCommand } from '../../cli/commands/serve.js';
import { fakeIo, tempFolder } from '../../test-support/fake-io.js';
import { loadConfig } from '../config.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { WsMinitel } from '../test-support/minitel.js';
import { USER_AGENT } from './client.js';
import { miniPaviService, type MiniPaviServiceOptions } from './service.js';
import { startTestService, type TestService } from './test-support/service.js';
import { MiniPaviVisits } from './visits.js';
import { InProcessBus } from '../../store/bus.js';

let service: TestService | undefined;
let gateway: TestGateway | undefined;
const others: TestGateway[] = [];
const clients: WsMinitel[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway?.stop();
  for (const g of others.splice(0)) await g.stop();
  await service?.close();
  gateway = undefined;
  service = undefined;
});

async function serve(options: Partial<MiniPaviServiceOptions> & { path?: string } = {}): Promise<TestService> {
  service = await startTestService();
  const visits = new MiniPaviVisits('PAVI');
  gateway = await startTestGateway({ services: [miniPaviService({ code: 'PAVI', url: service.url(options.path ?? '/?from=test'), ...options }, visits)] });
  return service;
}

/** Ends one serve() within a test, so the next can start: its Minitel, its gateway, its service. */
async function endServe(m: WsMinitel): Promise<void> {
  m.close();
  await gateway!.stop();
  await service!.close();
  gateway = undefined;
  service = undefined;
}

async function visit(on: TestGateway = gateway!, code = 'PAVI'): Promise<WsMinitel> {
  const m = await WsMinitel.connect(on.wsUrl('/ws'));
  clients.push(m);
  await m.waitFor(/Code :/);
  m.type(code);
  m.key('Envoi');
  return m;
}

describe('a MiniPavi service on the gateway', () => {
  it('runs the whole flow: CNX, a page, an input zone with echo and editing, the context round trip, paging keys', async () => {
    const pavi = await serve();
    const m = await visit();
    await m.waitFor(/Bienvenue sur PAVITEST/);
    await m.waitFor(() => m.row(10).includes('Nom :   ana.....'));
    const cnx = pavi.calls[0];
    expect(cnx).toMatchObject({ fctn: 'CNX', content: [], context: '', urlParams: { from: 'test' } });
    expect(cnx.userAgent).toContain('MiniPAVI');
    expect(cnx.userAgent).toBe(USER_AGENT);
    // Digits, as MiniPavi's are; the ENQROM identifier as the Minitel sent it.
    expect(cnx.uniqueId).toMatch(/^\d{15}$/);
    expect(cnx.versionminitel).toMatch(/^[\x20-\x7e]{3}$/);
    expect(cnx.versionminitel).not.toBe('???');
    for (let i = 0; i < 3; i++) m.key('Correction');
    await m.waitFor(() => m.row(10).includes('Nom :   ........'));
    m.type('bob');
    await m.waitFor(() => m.row(10).includes('bob.....'));
    m.key('Envoi');
    await m.waitFor(/Bonjour BOB|Bonjour bob/);
    expect(pavi.calls[1]).toMatchObject({ fctn: 'ENVOI', context: 'step1' });
    expect(pavi.calls[1].content[0]).toMatch(/^bob$/i);
    m.key('Suite');
    await m.waitFor(/Page 2 de/);
    expect(pavi.calls[2].fctn).toBe('SUITE');
    expect(JSON.parse(pavi.calls[2].context)).toMatchObject({ name: pavi.calls[1].content[0] });
  });

  it('sends what an InputMsg holds, one string per line, and pushes a row-0 message to another user', async () => {
    const pavi = await serve();
    const a = await visit();
    await a.waitFor(/Bienvenue/);
    const b = await visit();
    await b.waitFor(/Bienvenue/);
    b.key('Envoi');
    await b.waitFor(/Bonjour/);
    b.type('SALUT');
    b.key('Envoi');
    await b.waitFor(/a dit :/);
    const sent = pavi.calls.at(-1)!;
    expect(sent.content).toEqual(['SALUT', '']);
    await a.waitFor(() => /ana dit : SALUT|ANA dit : SALUT/i.test(a.row(0)));
  });

  /** b says SALUT in the test service, which pushes "… dit : SALUT" to every other uniqueId it has seen. */
  async function say(b: WsMinitel): Promise<void> {
    b.key('Envoi');
    await b.waitFor(/Bonjour/);
    b.type('SALUT');
    b.key('Envoi');
    await b.waitFor(/a dit :/);
  }

  it("pushes to the service's user on another instance, over the bus the instances share", async () => {
    service = await startTestService();
    const bus = new InProcessBus();
    const on = async (): Promise<TestGateway> =>
      startTestGateway({ services: [miniPaviService({ code: 'PAVI', url: service!.url('/') }, new MiniPaviVisits('PAVI', bus))] });
    gateway = await on();
    others.push(await on());
    const a = await visit(gateway);
    await a.waitFor(/Bienvenue/);
    const b = await visit(others[0]);
    await b.waitFor(/Bienvenue/);
    await say(b);
    await a.waitFor(() => /dit : SALUT/i.test(a.row(0)));
  });

  it('never pushes to a user of another service, whatever uniqueIds the service names', async () => {
    service = await startTestService();
    const bus = new InProcessBus();
    // Both codes lead to the same remote service, which pushes to every uniqueId it has seen, both codes' users included.
    const services = ['PAVI', 'PAVJ'].map((code) => miniPaviService({ code, url: service!.url('/') }, new MiniPaviVisits(code, bus)));
    gateway = await startTestGateway({ services });
    const elsewhere = await visit(gateway, 'PAVJ');
    await elsewhere.waitFor(/Bienvenue/);
    const here = await visit(gateway, 'PAVI');
    await here.waitFor(/Bienvenue/);
    const b = await visit(gateway, 'PAVI');
    await b.waitFor(/Bienvenue/);
    await say(b);
    await here.waitFor(() => /dit : SALUT/i.test(here.row(0)));
    // The push to PAVJ's user went out with the one to PAVI's; by now it would have arrived.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(elsewhere.row(0)).not.toMatch(/dit :/);
  });

  it('tells the service when the user leaves with Connexion/Fin (FIN)', async () => {
    const pavi = await serve();
    const m = await visit();
    await m.waitFor(/Bienvenue/);
    m.key('ConnexionFin');
    await m.waitFor(/Code :/);
    await expect.poll(() => pavi.calls.map((c) => c.fctn)).toContain('FIN');
  });

  const failures: [string, Partial<MiniPaviServiceOptions> & { path: string }, string][] = [
    ['a timeout', { path: '/slow', timeoutMs: 300 }, 'timeout'],
    ['a non-2xx status', { path: '/status' }, 'status'],
    ['an answer that is not JSON', { path: '/notjson' }, 'json'],
    ['another protocol version', { path: '/version' }, 'version'],
    ['content that is not base64', { path: '/base64' }, 'base64'],
    ['an oversized answer', { path: '/big' }, 'size'],
    ['a redirect loop', { path: '/loop' }, 'redirect'],
    ['a next URL on a host not allowed (no SSRF)', { path: '/evil' }, 'host'],
  ];
  for (const [what, options, kind] of failures) {
    it(`survives ${what}: a row-0 message, Sommaire goes home, a log line and a metric`, async () => {
      await serve(options);
      const m = await visit();
      await m.waitFor(() => m.row(0).includes('Service indisponible'));
      expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi service failed') && l.kind === kind)).toBe(true);
      const metrics = await (await fetch(gateway!.httpUrl('/metrics'))).text();
      expect(metrics).toMatch(new RegExp(`teletel_minipavi_errors_total\\{service="PAVI",kind="${kind}"\\} [1-9]`));
      m.key('Sommaire');
      await m.waitFor(/Code :/);
    });
  }

  it('stops a chain of direct calls after 5 and waits for the user, as MiniPavi does, without failing', async () => {
    const pavi = await serve({ path: '/direct' });
    const m = await visit();
    await m.waitFor(/Again 6/);
    expect(pavi.calls.map((c) => c.fctn)).toEqual(['CNX', 'DIRECT', 'DIRECT', 'DIRECT', 'DIRECT', 'DIRECT']);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi direct calls stopped after 5'))).toBe(true);
    m.key('Envoi');
    await m.waitFor(/Again 7/);
    expect(m.row(0)).not.toContain('indisponible');
  });

  it("takes MiniPaviCli's answers as MiniPavi does: version 1.1, an empty body, an empty context, setParam", async () => {
    await serve({ path: '/v11' });
    const v11 = await visit();
    await v11.waitFor(/Version 1\.1/);
    expect(v11.row(0)).not.toContain('indisponible');
    await endServe(v11);

    const empty = await serve({ path: '/empty' });
    const m = await visit();
    await m.waitFor(/Vide/);
    m.type('abc');
    m.key('Envoi');
    await expect.poll(() => empty.calls.map((c) => c.fctn)).toEqual(['CNX', 'ENVOI']);
    m.key('Envoi');
    await expect.poll(() => empty.calls.length).toBe(3);
    expect(m.text).toContain('Vide');
    expect(m.row(0)).not.toContain('indisponible');
    await endServe(m);

    const params = await serve({ path: '/params' });
    const p = await visit();
    await p.waitFor(/Etape 1/);
    p.key('Envoi');
    await p.waitFor(/Etape 2/);
    p.key('Envoi');
    // Step 2 answered an empty context: the service's 'c1' is kept.
    await p.waitFor(/Etape 3 c1/);
    // URLPARAMS is the query of each URL called, and left out when there is none.
    expect(params.calls.map((c) => c.urlParams)).toEqual([undefined, { step: '2', lang: 'fr' }, undefined]);
    await endServe(p);

    await serve({ path: '/setparam' });
    const s = await visit();
    await s.waitFor(/Reglages/);
    expect(gateway!.logs.some((l) => l.msg.startsWith('MiniPavi command refused'))).toBe(false);
  });

  it('keeps the keys typed while the service is being called and sends them after its answer, in order', async () => {
    const pavi = await serve({ path: '/sluggish' });
    const m = await visit();
    // The CNX call takes 400 ms: Suite then Retour are pressed meanwhile.
    await expect.poll(() => pavi.calls.length).toBe(1);
    m.key('Suite');
    m.key('Retour');
    await m.waitFor(/Appel 3 RETOUR/);
    expect(pavi.calls.map((c) => c.fctn)).toEqual(['CNX', 'SUITE', 'RETOUR']);
  });

  it('tells the service the user left only after the answer it was writing, with that answer\'s context', async () => {
    const pavi = await serve({ path: '/sluggish' });
    const m = await visit();
    await m.waitFor(/Appel 1 CNX/);
    m.key('Suite');
    await expect.poll(() => pavi.calls.length).toBe(2);
    // The SUITE call is out (400 ms): the user leaves meanwhile.
    m.key('ConnexionFin');
    await m.waitFor(/Code :/);
    await expect.poll(() => pavi.calls.map((c) => c.fctn)).toEqual(['CNX', 'SUITE', 'FIN']);
    expect(pavi.calls[2].context).toBe('sluggish 2');
  });

  it('calls again as a new connection for directcall yes-cnx (DIRECTCNX)', async () => {
    const pavi = await serve({ path: '/chain' });
    const m = await visit();
    await m.waitFor(/Puis DIRECTCNX/);
    expect(pavi.calls.map((c) => c.fctn)).toEqual(['CNX', 'DIRECTCNX']);
  });

  it('libCnx: the service is done with the user, who is back on the home page, still connected; FIN is sent', async () => {
    const pavi = await serve({ path: '/bye' });
    const m = await visit();
    await m.waitFor(/Code :/);
    await expect.poll(() => pavi.calls.map((c) => c.fctn)).toEqual(['CNX', 'FIN']);
    expect(m.closed).toBe(false);
  });

  it('carries out the pushes of the answer to FIN: the others hear that a user left', async () => {
    await serve();
    const a = await visit();
    await a.waitFor(/Bienvenue/);
    const b = await visit();
    await b.waitFor(/Bienvenue/);
    b.key('Envoi');
    await b.waitFor(/Bonjour/);
    b.key('ConnexionFin');
    await b.waitFor(/Code :/);
    await a.waitFor(() => /est parti/.test(a.row(0)));
  });

  it('sends ??? as versionminitel for a terminal that did not answer ENQROM', async () => {
    const pavi = await serve();
    const m = await WsMinitel.connect(gateway!.wsUrl('/ws?url=PAVI'), { answers: false });
    clients.push(m);
    await m.waitFor(/Bienvenue/);
    expect(pavi.calls[0].versionminitel).toBe('???');
  });

  it('refuses a command it does not carry out (duplicateStream), shows the page, and says so in the log', async () => {
    await serve({ path: '/refused' });
    const m = await visit();
    await m.waitFor(/Duplicate/);
    expect(gateway!.logs.some((l) => l.msg.startsWith("MiniPavi command refused: sends one user's stream"))).toBe(true);
    expect(m.row(0)).not.toContain('Service indisponible');
  });

  it('refuses at start a configured URL that is not http(s), with the setting named', async () => {
    await expect(loadConfig({ flags: { minipavi: ['METEO=ftp://example.org/'] }, env: {}, cwd: tempFolder() })).rejects.toThrow(/--minipavi: METEO must be an http/);
    await expect(loadConfig({ flags: { minipavi: ['no-equals'] }, env: {}, cwd: tempFolder() })).rejects.toThrow(/is not CODE=URL/);
    const config = await loadConfig({ flags: { minipavi: ['meteo=http://127.0.0.1:9/x'] }, env: {}, cwd: tempFolder() });
    expect(config.minipavi).toEqual([{ code: 'METEO', url: 'http://127.0.0.1:9/x' }]);
  });

  it('works as the README shows it: teletel serve --minipavi CODE=URL', async () => {
    service = await startTestService();
    const io = fakeIo({ cwd: tempFolder() });
    let stop: (signal: string) => void = () => {};
    let listening: (port: number) => void = () => {};
    const port = new Promise<number>((resolve) => (listening = resolve));
    const command = createServeCommand({
      services: async () => [],
      stopSignal: () => new Promise<string>((resolve) => (stop = resolve)),
      onListening: (_gateway, address) => listening(address.port),
    });
    const args = parseCommandArgs(command, ['--port=0', '--tcp-port=off', '--host=127.0.0.1', `--data=${io.cwd}/data`, `--minipavi=PAVI=${service.url('/')}`]);
    const run = command.run(args, io);
    const m = await WsMinitel.connect(`ws://127.0.0.1:${await port}/ws`);
    clients.push(m);
    await m.waitFor(/Code :/);
    m.type('PAVI');
    m.key('Envoi');
    await m.waitFor(/Bienvenue sur PAVITEST/);
    m.close();
    stop('test');
    expect(await run).toBe(0);
  });
});
