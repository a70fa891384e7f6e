/**
 * `teletel drain`: finds the `teletel serve` of a data folder and stops it
 * as SIGTERM does, waiting until it has gone; its resumable sessions are
 * handed over. A real serve process, a WebSocket Minitel holding a token.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { WsMinitel } from '../../server/test-support/minitel.js';
import { startServeProcess, stopServeProcess, type ServeProcess } from '../../server/test-support/serve-process.js';

const root = mkdtempSync(join(tmpdir(), 'teletel-drain-'));
const servers: ServeProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await stopServeProcess(server);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function drain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(['drain', ...args], { stdin: new PassThrough(), stdout, stderr, cwd: root, env: {} });
  return { code, out, err };
}

function expectFailure(result: { code: number; err: string }, code: number, message: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.err).toMatch(message);
}

describe('teletel drain', () => {
  it('stops the instance of the data folder as SIGTERM does, once its sessions are handed over, and removes its record', { timeout: 120_000 }, async () => {
    const data = join(root, 'one');
    const server = await startServeProcess(data);
    servers.push(server);
    // Written just after the 'listening' line the helper waits for.
    await expect.poll(() => existsSync(join(data, 'instances', `${server.port}.json`)), { timeout: 10_000 }).toBe(true);
    const m = await WsMinitel.resumable(`ws://127.0.0.1:${server.port}/ws`);
    await m.waitFor(/Tapez le code du service/, 30_000);
    m.type('CHA');
    await m.waitFor(() => m.resumeToken !== undefined, 30_000);

    const result = await drain(['--data', data]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(new RegExp(`draining teletel serve \\(pid ${server.child.pid}, port ${server.port}\\)`));
    expect(result.out).toMatch(/stopped in \d+\.\d s/);
    // It had gone when drain returned.
    expect(await server.ended).toEqual({ code: 0, signal: null });
    await m.waitForClose();
    expect(m.closeCode).toBe(1012);
    expect(server.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 1 });
    expect(existsSync(join(data, 'instances', `${server.port}.json`))).toBe(false);
    m.close();
  });

  it('says so when nothing runs on the folder, and forgets the record of a process that died', async () => {
    const data = join(root, 'none');
    expectFailure(await drain(['--data', data]), 1, /no teletel serve is running with the data folder/);
    // A record left by a process that no longer exists (a crash).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(data, 'instances'), { recursive: true });
    writeFileSync(join(data, 'instances', '3615.json'), JSON.stringify({ pid: dead, port: 3615, tcpPort: null, startedAt: Date.now() }));
    writeFileSync(join(data, 'instances', '3616.json'), 'half written');
    expectFailure(await drain(['--data', data]), 1, /no teletel serve is running/);
    expect(readdirSync(join(data, 'instances'))).toEqual([]);
  });

  it('asks which one when several share the folder, and refuses a port none of them has', async () => {
    const data = join(root, 'two');
    mkdirSync(join(data, 'instances'), { recursive: true });
    // Live processes that must not be signalled: this one and its parent stand for two instances.
    for (const [port, pid] of [
      [3615, process.pid],
      [3625, process.ppid],
    ]) {
      writeFileSync(join(data, 'instances', `${port}.json`), JSON.stringify({ pid, port, tcpPort: null, startedAt: Date.now() }));
    }
    expectFailure(await drain(['--data', data]), 2, /ports 3615, 3625\): give --port N/);
    expectFailure(await drain(['--data', data, '--port', '8080']), 1, /no teletel serve on port 8080/);
    expectFailure(await drain(['--data', data, '--timeout', '0']), 2, /--timeout must be/);
  });
});
