import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teletel-config-'));
});
afterAll(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

const load = (flags: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  loadConfig({ flags: { data: join(dir, 'data'), ...flags }, env, cwd: dir });

async function problems(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('TELETEL_E_CONFIG');
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('serve configuration', () => {
  it('has the documented defaults', async () => {
    const config = await load();
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3615, tcpPort: 3616, serial: null, websocketSpeed: 0, tcpSpeed: 1200 });
    expect(config.limits).toEqual(DEFAULT_LIMITS);
  });

  it('takes flags over the environment over the config file', async () => {
    const file = join(dir, 'teletel.json');
    writeFileSync(file, JSON.stringify({ port: 4000, tcpPort: 4001, host: '127.0.0.1', limits: { maxSessions: 50 } }));
    const fromFile = await load({ config: file });
    expect(fromFile).toMatchObject({ port: 4000, tcpPort: 4001, host: '127.0.0.1' });
    expect(fromFile.limits.maxSessions).toBe(50);
    const fromEnv = await load({ config: file }, { TELETEL_PORT: '5000' });
    expect(fromEnv.port).toBe(5000);
    const fromFlag = await load({ config: file, port: '6000' }, { TELETEL_PORT: '5000' });
    expect(fromFlag.port).toBe(6000);
  });

  it('turns TCP off with --tcp-port off and reads times in seconds and minutes', async () => {
    const config = await load({ 'tcp-port': 'off', 'idle-timeout': '90', 'max-session': '30' });
    expect(config.tcpPort).toBeNull();
    expect(config.limits.idleTimeoutMs).toBe(90_000);
    expect(config.limits.maxSessionMs).toBe(1_800_000);
  });

  it('says what to fix for a bad port, and reports every problem at once', async () => {
    const found = await problems(load({ port: 'http', 'ws-speed': 'fast' }, { TELETEL_TCP_PORT: '70000' }));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/--port must be a port number from 0 to 65535/);
    expect(found[1]).toMatch(/TELETEL_TCP_PORT must be a port number/);
    expect(found[2]).toMatch(/--ws-speed must be a speed in baud/);
  });

  it('refuses the same port for HTTP and TCP', async () => {
    expect((await problems(load({ port: '4000', 'tcp-port': '4000' })))[0]).toMatch(/both 4000/);
  });

  it('says when the data folder is not writable', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const locked = join(dir, 'locked');
    await load({ data: locked });
    chmodSync(locked, 0o500);
    try {
      expect((await problems(load({ data: locked })))[0]).toMatch(/not writable.*--data/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('says when the data path is a file', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect((await problems(load({ data: file })))[0]).toMatch(/cannot be created|is a file/);
  });

  it('says when the serial device is missing or is not a device', async () => {
    expect((await problems(load({ serial: '/dev/ttyUSB-none' })))[0]).toMatch(/no serial device at \/dev\/ttyUSB-none/);
    const file = join(dir, 'not-a-tty');
    writeFileSync(file, '');
    expect((await problems(load({ serial: file })))[0]).toMatch(/is not a serial device/);
  });

  it('reports unknown keys and limits in the config file, and bad JSON', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ prot: 1, limits: { maxSession: 3, maxSessions: -1 } }));
    const found = await problems(load({ config: file }));
    expect(found.join('\n')).toMatch(/unknown key "prot"/);
    expect(found.join('\n')).toMatch(/unknown limit "maxSession"/);
    expect(found.join('\n')).toMatch(/"maxSessions" must be a whole number from 1/);
    writeFileSync(file, '{ port: 1 ');
    expect((await problems(load({ config: file })))[0]).toMatch(/not valid JSON/);
    expect((await problems(load({ config: join(dir, 'missing.json') })))[0]).toMatch(/does not exist/);
  });

  it('takes ./services when it exists, a folder from --services, TELETEL_SERVICES or the file, and refuses one that does not exist', async () => {
    expect((await load()).servicesDir).toBeUndefined();
    mkdirSync(join(dir, 'services'), { recursive: true });
    expect((await load()).servicesDir).toBe(join(dir, 'services'));
    mkdirSync(join(dir, 'autres'), { recursive: true });
    expect((await load({ services: 'autres' })).servicesDir).toBe(join(dir, 'autres'));
    expect((await load({}, { TELETEL_SERVICES: 'autres' })).servicesDir).toBe(join(dir, 'autres'));
    const file = join(dir, 'services.json');
    writeFileSync(file, JSON.stringify({ services: 'autres' }));
    expect((await load({ config: file })).servicesDir).toBe(join(dir, 'autres'));
    expect((await problems(load({ services: 'absent' })))[0]).toMatch(/^--services: .*absent is not a folder/);
    rmSync(join(dir, 'services'), { recursive: true });
  });

  it('accepts only the DIN speeds and framings for the serial line', async () => {
    const found = await problems(load({ 'serial-speed': '2400', 'serial-framing': '8e1' }));
    expect(found[0]).toMatch(/auto or one of 300, 1200, 4800, 9600/);
    expect(found[1]).toMatch(/one of auto, 7e1, 8n1/);
  });
});
