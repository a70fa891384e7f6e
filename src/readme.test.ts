/**
 * Every shell command in the README's code blocks runs as written on a fresh
 * checkout, or is listed below with the reason it cannot run in a test. A
 * command added to the README without being either fails this test.
 *
 * `npx teletel` is run as `node --import tsx src/cli/main.ts`, the same
 * command from the sources (npx runs the build of them, dist/, which a test
 * run does not rebuild), in an empty folder that sees the repository's src/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { guideService } from './services/guide/index.js';
import { startTestGateway } from './server/test-support/gateway.js';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Commands that need what a test does not have, each with why. */
const NOT_RUN: readonly [RegExp, string][] = [
  [/^npm install && npm start$/, 'installs and starts a long-running server: what CI does with npm ci, and src/server/cli.test.ts runs the real serve'],
  [/^npm test( |$)/, 'this very suite'],
  [/^npm run bench( |$)/, 'benchmarks take minutes and print figures, they are not tests'],
  [/^npm run soak( |$)/, 'the soak runs real servers for minutes: .ci/run runs npm run soak -- --short after npm test'],
  [/^npx teletel connect localhost:3616$/, 'interactive, in a terminal: src/cli/commands/connect.test.ts drives the same client'],
  [/^npx teletel serve --dev( |$)/, 'a long-running server: src/server/user-services.test.ts runs serve --dev'],
  [/^npx teletel serve --minipavi /, 'a long-running server calling a remote service: src/server/minipavi/minipavi.test.ts runs serve --minipavi against a test service'],
  [/^sudo -u postgres /, 'administers a PostgreSQL server'],
  [/^TELETEL_DATABASE_URL=postgres:\/\/teletel:PASSWORD@db\.example/, 'needs the PostgreSQL server the README sets up: src/store/postgres.test.ts covers it'],
];

/** The lines of the README's sh code blocks, comments removed. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(repository, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command !== '') commands.push(command);
    }
  }
  return commands;
}

const folder = mkdtempSync(join(tmpdir(), 'teletel-readme-'));
symlinkSync(join(repository, 'src'), join(folder, 'src'));
symlinkSync(join(repository, 'node_modules'), join(folder, 'node_modules'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function run(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const fromSources = command.replaceAll('npx teletel', `"${process.execPath}" --import tsx src/cli/main.ts`);
  return new Promise((resolve) => {
    execFile('sh', ['-c', fromSources], { cwd: folder, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the README', () => {
  const commands = readmeCommands();
  const runnable = commands.filter((c) => !NOT_RUN.some(([pattern]) => pattern.test(c)));

  it('has every command either run here or listed with its reason', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const c of runnable) expect(c, 'a README command this test does not know how to run').toMatch(/^(npx teletel |printf )/);
  });

  for (const command of runnable.filter((c) => c.startsWith('npx teletel '))) {
    it(`runs: ${command}`, async () => {
      const { code, stderr } = await run(command);
      // Progress and summaries go to stderr; an error would start with 'teletel:'.
      expect(stderr).not.toMatch(/^teletel:/m);
      expect(code).toBe(0);
    });
  }

  it('made the files its commands say', () => {
    // Runs after the commands above, in file order.
    expect(existsSync(join(folder, 'mire.png'))).toBe(true);
    expect(existsSync(join(folder, 'pattern.vdt'))).toBe(true);
    expect(readdirSync(join(folder, 'converted'))).toEqual(['test-pattern.vdt']);
    expect(existsSync(join(folder, 'services', 'meteo', 'index.ts'))).toBe(true);
    expect(existsSync(join(folder, 'services', 'pluie', 'service.json'))).toBe(true);
  });

  it('drives GUIDE with the piped connect it shows, against a real gateway', async () => {
    const piped = runnable.find((c) => c.startsWith('printf '));
    expect(piped).toBeDefined();
    const server = await startTestGateway({ services: [guideService()] });
    try {
      const { code, stdout } = await run((piped ?? '').replace('localhost:3616', `127.0.0.1:${server.address.tcpPort}`));
      expect(code).toBe(0);
      expect(stdout).toContain('Trouvez un service');
    } finally {
      await server.stop();
    }
  });
});
