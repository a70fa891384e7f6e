import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { guideService } from '../../services/guide/index.js';
import { startTestGateway, type TestGateway } from '../../server/test-support/gateway.js';
import { fakeIo } from '../../test-support/fake-io.js';
import { runCli } from '../cli.js';
import { parseTarget } from '../connect/link.js';

let server: TestGateway | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Runs `teletel connect` with `typed` piped on standard input; resolves with what it printed. */
async function connectWith(target: string, typed: string): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const stdin = new PassThrough();
  io.stdin = stdin;
  stdin.end(typed);
  const code = await runCli(['connect', target], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('teletel connect', () => {
  it('reads where to connect as a user types it', () => {
    expect(parseTarget('localhost')).toEqual({ kind: 'tcp', host: 'localhost', port: 3616 });
    expect(parseTarget('minitel.example:23')).toEqual({ kind: 'tcp', host: 'minitel.example', port: 23 });
    expect(parseTarget('[::1]:3616')).toEqual({ kind: 'tcp', host: '::1', port: 3616 });
    expect(parseTarget('ws://127.0.0.1:3615/ws')).toEqual({ kind: 'ws', url: 'ws://127.0.0.1:3615/ws' });
    for (const bad of ['', 'host:0', 'host:70000', 'a b', 'ws://']) expect(parseTarget(bad)).toBeUndefined();
  });

  it('shows the home page over TCP, types a code and Envoi, and shows the service', async () => {
    server = await startTestGateway({ services: [guideService()] });
    const { code, out, err } = await connectWith(`127.0.0.1:${server.address.tcpPort}`, 'GUIDE\r');
    expect(err).toBe('');
    expect(code).toBe(0);
    const screens = out.split(`${'-'.repeat(40)}\n`);
    expect(screens[0]).toContain('Tapez le code du service');
    expect(out).toContain('Trouvez un service');
  });

  it('does the same over a WebSocket', async () => {
    server = await startTestGateway({ services: [guideService()] });
    const { code, out } = await connectWith(server.wsUrl('/ws'), 'GUIDE\r');
    expect(code).toBe(0);
    expect(out).toContain('Trouvez un service');
  });

  it('says in one line when nothing answers, and exits 1', async () => {
    const { code, err } = await connectWith('127.0.0.1:1', '');
    expect(code).toBe(1);
    expect(err).toMatch(/^teletel: cannot reach 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('refuses a target that is not one, with the forms it takes', async () => {
    const { code, err } = await connectWith('not a host', '');
    expect(code).toBe(2);
    expect(err).toContain("'not a host' is not a server: give HOST, HOST:PORT or a ws:// URL.");
  });
});
