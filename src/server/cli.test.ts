/** `teletel serve`, the real command: in-process for its errors, as a child process for a full run. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('runs the gateway, and on SIGTERM says goodbye on row 0, closes the sockets and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--tcp-port', '0', '--host', '127.0.0.1', '--data', join(dataDir, 'run')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
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
      const m = await WsMinitel.connect(`ws://127.0.0.1:${port}/ws`);
      await m.waitFor(/Tapez le code du service/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      await m.waitForClose();
      expect(m.row(0)).toMatch(/maintenance/);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
