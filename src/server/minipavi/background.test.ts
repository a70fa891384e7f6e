/**
 * BackgroundCall: calls a service schedules for later, through the gateway
 * with real sockets (the BGCALL request, its push, the simulated typing) and
 * the scheduler's bounds on their own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceLogger } from '../../sdk/service.js';
import { InProcessBus } from '../../store/bus.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { WsMinitel } from '../test-support/minitel.js';
import { BackgroundCalls } from './background.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { minipaviBackground } from './metrics.js';
import { readAnswer, type BackgroundEntry } from './protocol.js';
import { miniPaviService } from './service.js';
import { startTestService, type TestService } from './test-support/service.js';
import { MiniPaviVisits } from './visits.js';

const services: TestService[] = [];
const gateways: TestGateway[] = [];
const clients: WsMinitel[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const g of gateways.splice(0)) await g.stop();
  for (const s of services.splice(0)) await s.close();
});

async function testService(): Promise<TestService> {
  const service = await startTestService();
  services.push(service);
  return service;
}

/** A gateway with PAVI at `url`; instances given the same bus share the service's visits. */
async function gatewayFor(url: string, bus = new InProcessBus()): Promise<TestGateway> {
  const gateway = await startTestGateway({ services: [miniPaviService({ code: 'PAVI', url }, new MiniPaviVisits('PAVI', bus))] });
  gateways.push(gateway);
  return gateway;
}

async function visit(gateway: TestGateway): Promise<WsMinitel> {
  const m = await WsMinitel.connect(gateway.wsUrl('/ws'));
  clients.push(m);
  await m.waitFor(/Code :/);
  m.type('PAVI');
  m.key('Envoi');
  await m.waitFor(/Rappels/);
  return m;
}

/** The /bgcall URL of the test service with these parameters. */
function bgcall(service: TestService, params: Record<string, string>): string {
  return service.url(`/bgcall?${new URLSearchParams(params).toString()}`);
}

/** Envoi on /bgcall: the answer carries the BackgroundCall. */
async function schedule(m: WsMinitel): Promise<void> {
  m.key('Envoi');
  await m.waitFor(/Rappel programme|Simule/);
}

const outcome = async (name: string): Promise<number> =>
  (await minipaviBackground.get()).values.find((v) => v.labels.service === 'PAVI' && v.labels.outcome === name)?.value ?? 0;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundCall through the gateway', () => {
  it('calls the URL at its time with fctn BGCALL and the uniqueId, and carries out its PushServiceMsg only', async () => {
    const service = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '2' }));
    const a = await visit(gateway);
    const b = await visit(gateway);
    const scheduled = Date.now();
    await schedule(b);
    const bId = service.calls.find((c) => c.fctn === 'ENVOI')!.uniqueId;
    await a.waitFor(() => a.row(0).includes(`Rappel pour ${bId}`), 5000);
    const call = service.calls.find((c) => c.fctn === 'BGCALL')!;
    expect(call).toMatchObject({ path: '/bgtarget', uniqueId: bId, content: [], context: '' });
    // Due at a whole second 1 to 2 s after the command.
    expect(Date.now() - scheduled).toBeGreaterThanOrEqual(900);
    // The answer's page is nobody's: the caller still sees its own.
    expect(b.text).toContain('Rappel programme');
    expect(b.text).not.toContain('Jamais vu');
    expect(a.text).not.toContain('Jamais vu');
  });

  it('ignores any other command in the answer to BGCALL, with a log line', async () => {
    const service = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '-5', target: service.url('/bgother') }));
    const b = await visit(gateway);
    await schedule(b);
    await expect.poll(() => gateway.logs.some((l) => l.msg.startsWith('MiniPavi BackgroundCall answer: only PushServiceMsg'))).toBe(true);
    expect(b.text).not.toContain('Jamais vu');
  });

  it('simulate: types the URL into the visit, whose next is called with BGCALL-SIMU and its answer shown', async () => {
    const service = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '0', simulate: '1' }));
    const b = await visit(gateway);
    await schedule(b);
    await b.waitFor(/Simule BGCALL-SIMU RAPPEL/);
    const simu = service.calls.find((c) => c.fctn === 'BGCALL-SIMU')!;
    expect(simu).toMatchObject({ path: '/bgsimu', content: ['RAPPEL'] });
    expect(simu.uniqueId).toBe(service.calls[0].uniqueId);
  });

  it("simulate for a visit on another instance: offered over the bus, that visit's screen changes", async () => {
    const service = await testService();
    const bus = new InProcessBus();
    const here = await gatewayFor(service.url('/bgcall'), bus);
    const a = await visit(here);
    const aId = service.calls[0].uniqueId;
    const there = await gatewayFor(bgcall(service, { delay: '0', simulate: '1', uniqueid: aId }), bus);
    const b = await visit(there);
    await schedule(b);
    await a.waitFor(/Simule BGCALL-SIMU RAPPEL/);
    expect(there.logs.some((l) => l.msg.startsWith('MiniPavi BackgroundCall simulate: no such visit on this instance'))).toBe(true);
    expect(b.text).not.toContain('Simule');
  });

  it('never calls a URL on a host the service may not reach', async () => {
    const service = await testService();
    const elsewhere = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '-1', target: elsewhere.url('/bgtarget') }));
    const before = await outcome('refused_host');
    const b = await visit(gateway);
    await schedule(b);
    await expect.poll(() => gateway.logs.some((l) => l.msg.startsWith('MiniPavi BackgroundCall refused') && /not an allowed host/.test(l.msg))).toBe(true);
    expect(await outcome('refused_host')).toBe(before + 1);
    await sleep(300);
    expect(elsewhere.calls).toEqual([]);
    expect(service.calls.some((c) => c.fctn === 'BGCALL')).toBe(false);
  });

  it('refuses entries beyond the first 50 and times more than 24 h ahead, each with a log line and a count', async () => {
    const service = await testService();
    const many = await gatewayFor(bgcall(service, { delay: '3600', count: '60' }));
    const beyond = await outcome('refused_entries');
    await schedule(await visit(many));
    await expect.poll(() => many.logs.some((l) => l.msg === 'MiniPavi BackgroundCall: 10 entries beyond the first 50 refused')).toBe(true);
    expect(await outcome('refused_entries')).toBe(beyond + 10);
    const metrics = await (await fetch(many.httpUrl('/metrics'))).text();
    expect(metrics).toMatch(/teletel_minipavi_background_total\{service="PAVI",outcome="refused_entries"\} [1-9]/);

    const far = await gatewayFor(bgcall(service, { delay: String(25 * 3600) }));
    const time = await outcome('refused_time');
    await schedule(await visit(far));
    await expect.poll(() => far.logs.some((l) => l.msg === 'MiniPavi BackgroundCall refused: a time more than 24 h ahead')).toBe(true);
    expect(await outcome('refused_time')).toBe(time + 1);
  });

  it('tries a failing call 3 times, then gives up with a log line', async () => {
    const service = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '-1', target: service.url('/status') }));
    await schedule(await visit(gateway));
    await expect.poll(() => gateway.logs.some((l) => l.msg.startsWith('MiniPavi BackgroundCall failed: HTTP 500'))).toBe(true);
    expect(service.calls.filter((c) => c.path === '/status').length).toBe(MINIPAVI_LIMITS.backgroundTries);
  });

  it('clears the waiting calls when the gateway stops: no request after', async () => {
    const service = await testService();
    const gateway = await gatewayFor(bgcall(service, { delay: '2' }));
    const cancelled = await outcome('cancelled');
    const b = await visit(gateway);
    await schedule(b);
    b.close();
    await gateway.stop();
    expect(await outcome('cancelled')).toBe(cancelled + 1);
    await sleep(2500);
    expect(service.calls.some((c) => c.fctn === 'BGCALL')).toBe(false);
  });
});

describe('the background call scheduler', () => {
  const lines: string[] = [];
  const log: ServiceLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const now = 1_700_000_000_000;
  const entry = (over: Partial<BackgroundEntry> = {}): BackgroundEntry => ({ url: 'http://svc.example/bg', time: now / 1000 + 3600, uniqueId: '1', simulate: false, ...over });

  it(`holds at most ${MINIPAVI_LIMITS.backgroundPending} waiting calls per service, refuses the rest, and stop clears them`, () => {
    lines.length = 0;
    const calls = new BackgroundCalls({ code: 'PAVI', allowedHosts: new Set(['svc.example']), now: () => now }, new MiniPaviVisits('PAVI'));
    const entries = Array.from({ length: MINIPAVI_LIMITS.backgroundPending + 2 }, () => entry());
    calls.schedule({ name: 'BackgroundCall', entries, beyond: 0 }, log);
    expect(calls.pending).toBe(MINIPAVI_LIMITS.backgroundPending);
    expect(lines.filter((l) => l.includes('1000 calls already waiting')).length).toBe(2);
    calls.stop();
    expect(calls.pending).toBe(0);
    // Stopped: nothing more is scheduled.
    calls.schedule({ name: 'BackgroundCall', entries: [entry()], beyond: 0 }, log);
    expect(calls.pending).toBe(0);
  });

  it('refuses no time, a time past the bound, and a URL not allowed; a simulate URL is typed, not called, so any host is taken', () => {
    lines.length = 0;
    const calls = new BackgroundCalls({ code: 'PAVI', allowedHosts: new Set(['svc.example']), now: () => now }, new MiniPaviVisits('PAVI'));
    const refused = [entry({ time: 0 }), entry({ time: now / 1000 + 24 * 3600 + 1 }), entry({ url: 'http://169.254.169.254/' }), entry({ url: 'file:///etc/passwd' })];
    calls.schedule({ name: 'BackgroundCall', entries: refused, beyond: 0 }, log);
    expect(calls.pending).toBe(0);
    expect(lines).toHaveLength(4);
    calls.schedule({ name: 'BackgroundCall', entries: [entry({ time: now / 1000 + 24 * 3600 }), entry({ url: 'ANY TEXT', simulate: true })], beyond: 0 }, log);
    expect(calls.pending).toBe(2);
    calls.stop();
  });
});

describe('reading a BackgroundCall', () => {
  it("reads MiniPaviCli's parallel arrays entry by entry, only true as simulate, and counts the entries past the bound", () => {
    const command = readAnswer({
      content: '',
      COMMAND: { name: 'BackgroundCall', param: { url: ['http://a/', 'X', ...Array.from({ length: 60 }, () => 'u')], time: [1700000000, '1700000001'], uniqueid: ['1', 123456789012345, { id: 3 }], simulate: [false, 'true', true] } },
    }).command;
    expect(command).toMatchObject({ name: 'BackgroundCall', beyond: 12 });
    if (command?.name !== 'BackgroundCall') throw new Error('not read');
    expect(command.entries).toHaveLength(MINIPAVI_LIMITS.backgroundEntries);
    expect(command.entries[0]).toEqual({ url: 'http://a/', time: 1700000000, uniqueId: '1', simulate: false });
    // A numeric string is a time, a number a uniqueId (services keep them as numbers); only true simulates.
    expect(command.entries[1]).toEqual({ url: 'X', time: 1700000001, uniqueId: '123456789012345', simulate: false });
    expect(command.entries[2]).toMatchObject({ time: 0, uniqueId: '', simulate: true });
  });
});
