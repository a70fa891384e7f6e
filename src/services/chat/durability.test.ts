import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { probePostgres, skippedMessage, TEST_DATABASE_URL, TestSchemas } from '../../store/test-support/postgres.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'teletel-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));
const schemas = new TestSchemas();
afterAll(async () => {
  if (unreachable === null) await schemas.dropAll();
});

describe.each([
  { store: 'SQLite', skip: false, location: () => join(dir, 'data', 'teletel.db') },
  { store: 'PostgreSQL', skip: unreachable !== null, location: () => `${TEST_DATABASE_URL}?schema=${schemas.name()}` },
])('CHAT durability on $store', ({ skip, location }) => {
  it.skipIf(skip)('a private message shown as sent survives kill -9 of the server process', async () => {
    const db = location();
    const text = 'Survivra au kill -9';
    const sender = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'send-private.ts'), db, text], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sender.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => sender.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sender.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // The user has seen "envoyé": kill the process at once, without any chance to flush or close.
        if (out.includes('sent')) {
          sender.kill('SIGKILL');
          resolve();
        }
      });
      sender.on('exit', () => reject(new Error(`the sender ended before sending: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const screen = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', join(FIXTURES, 'read-bal.ts'), db], { timeout: 60_000 }, (error, stdout, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(stdout),
      );
    });
    expect(screen).toContain('De : ana');
    expect(screen).toContain(text);
  });
});
