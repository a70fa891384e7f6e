/** `teletel serve`, the real command: in-process for its errors, as a child process for a full run. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { WsMinitel } from './test-support/minitel.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'teletel-serve-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await runCli(args, { stdin: new PassThrough(), stdout: new PassThrough(), stderr, cwd: dataDir, env: {} });
  return { code, stderr: text };
}

describe('teletel serve', () => {
  it('refuses to start on bad options, saying what to fix', async () => {
    const result = await cli(['serve', '--port', 'http', '--serial', '/dev/ttyUSB-none', '--data', join(dataDir, 'd')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port must be a port number from 0 to 65535/);
  });

  it('reports a serial device that does not exist', async () => {
    const result = await cli(['serve', '--port', '0', '--serial', '/dev/ttyUSB-none', '--data', join(dataDir, 'd')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no serial device at \/dev\/ttyUSB-none/);
  });

  it('runs the gateway, and on SIGTERM says on row 0 how to call back (the resume code), closes the sockets and exits 0', async () => {
    const child = serveChild(['--data', join(dataDir, 'run')]);
    try {
      const port = await listening(child);
      const m = await WsMinitel.connect(`ws://127.0.0.1:${port}/ws`);
      await m.waitFor(/Tapez le code du service/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      await m.waitForClose();
      expect(m.row(0)).toMatch(/Rappelez, tapez \*[A-Z0-9]{8} Envoi/);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('logs a promise a service left rejected and goes on serving, where Node would stop', async () => {
    const services = join(dataDir, 'services');
    mkdirSync(join(services, 'fuite'), { recursive: true });
    writeFileSync(
      join(services, 'fuite', 'index.js'),
      `export default {
  code: 'FUITE', name: 'Fuite', description: '', keywords: [], tariff: { perMinute: 0, currency: 'EUR' },
  async run(link) {
    Promise.reject(new Error('nobody waits for me'));
    link.wanted.writeString('\\x0c\\x1f\\x43\\x42Service FUITE');
    link.update();
    await new Promise((resolve) => link.closed.addEventListener('abort', resolve));
  },
};
`,
    );
    const child = serveChild(['--data', join(dataDir, 'fuite'), '--services', services]);
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      const port = await listening(child);
      const m = await WsMinitel.connect(`ws://127.0.0.1:${port}/ws`);
      await m.waitFor(/Tapez le code du service/);
      m.send('FUITE\x13A');
      await m.waitFor(/Service FUITE/);
      const other = await WsMinitel.connect(`ws://127.0.0.1:${port}/ws`);
      await other.waitFor(/Tapez le code du service/);
      expect(child.exitCode).toBe(null);
      expect(m.closed).toBe(false);
      await expect.poll(() => log).toContain('unhandled promise rejection');
      expect(log).toContain('nobody waits for me');
      other.close();
      m.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function serveChild(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--tcp-port', '0', '--host', '127.0.0.1', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The HTTP port once the child logs that it listens. */
function listening(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'teletel gateway listening' && entry.port) resolve(entry.port);
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}
