/** `teletel lint`, run in-process with fake streams. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { fakeIo, randomBytes, tempFolder } from '../test-support/fake-io.js';
import { hex } from '../test-support/videotex.js';

function folderWith(files: Record<string, Uint8Array>): string {
  const dir = tempFolder('teletel-lint-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const CLEAN = hex('0C 1F 42 41 41 42 43');
const WARNS = hex('0C 0E 7F'); // ends in G1
const ERRS = hex('0C 41 E9 FF'); // Latin-1 é and padding

describe('teletel lint', () => {
  it('explains itself, with the rule table and the exit codes', async () => {
    const io = fakeIo();
    expect(await runCli(['help', 'lint'], io)).toBe(0);
    const help = io.stdoutText();
    expect(help).toMatch(/^Usage: teletel lint FILE/);
    expect(help).toContain('warnings alone give 0');
    expect(help).toMatch(/latin1-accent +error +p\.88–90/);
  });

  it('prints the line time and "clean", exit 0, for a clean page', async () => {
    const io = fakeIo({ cwd: folderWith({ 'p.vdt': CLEAN }) });
    expect(await runCli(['lint', 'p.vdt'], io)).toBe(0);
    expect(io.stdoutText()).toBe('p.vdt: 7 bytes, 0.06 s at 1200 baud (0.01 s at 4800, 0.01 s at 9600)\n  clean\n');
  });

  it('exits 0 with warnings only, 1 with errors', async () => {
    const dir = folderWith({ 'w.vdt': WARNS, 'e.vdt': ERRS });
    const warned = fakeIo({ cwd: dir });
    expect(await runCli(['lint', 'w.vdt'], warned)).toBe(0);
    expect(warned.stdoutText()).toMatch(/warning +ends-in-g1 +×1 .* — at 3 \[/);
    const failed = fakeIo({ cwd: dir });
    expect(await runCli(['lint', 'e.vdt'], failed)).toBe(1);
    expect(failed.stdoutText()).toMatch(/error +latin1-accent +×1 .*first: E9 is Latin-1 'é'.* — at 2 \[p\.88–90/);
    expect(failed.stdoutText()).toContain('2 errors, 0 warnings');
  });

  it('groups a rule that fires many times into one line, errors first, and --verbose lists each finding', async () => {
    // Twenty G1 codes 0x40 (blank in STUM1B) after SO, then a Latin-1 é in G0 text.
    const page = Uint8Array.from([0x0c, 0x0e, ...Array<number>(20).fill(0x40), 0x0f, 0x41, 0xe9]);
    const dir = folderWith({ 'many.vdt': page });
    const grouped = fakeIo({ cwd: dir });
    expect(await runCli(['lint', 'many.vdt'], grouped)).toBe(1);
    const lines = grouped.stdoutText().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^ {2}error +latin1-accent +×1 /);
    expect(lines[2]).toMatch(/^ {2}warning +g1-blank +×20 +G1 code 0x40–0x5F.* — at 2, 3, 4, … \[p\.101–102/);
    expect(lines[3]).toBe('  1 error, 20 warnings');
    const verbose = fakeIo({ cwd: dir });
    expect(await runCli(['lint', 'many.vdt', '--verbose'], verbose)).toBe(1);
    expect(verbose.stdoutText().match(/offset \d+ .*g1-blank/g)).toHaveLength(20);
    expect(verbose.stdoutText()).toContain('error    offset 24 (0x18)');
  });

  it('ends with a summary line when it lints several pages', async () => {
    const io = fakeIo({ cwd: folderWith({ 'c.vdt': CLEAN, 'w.vdt': WARNS, 'e.vdt': ERRS }) });
    expect(await runCli(['lint', '.'], io)).toBe(1);
    expect(io.stdoutText().trimEnd().split('\n').pop()).toBe('3 pages: 1 with errors, 1 with warnings only, 1 clean (2 errors, 1 warning in all)');
  });

  it('prints JSON with --json: one object for one file, an array for a folder', async () => {
    const dir = folderWith({ 'e.vdt': ERRS, 'w.vdt': WARNS });
    const one = fakeIo({ cwd: dir });
    expect(await runCli(['lint', 'e.vdt', '--json'], one)).toBe(1);
    const report = JSON.parse(one.stdoutText()) as { seconds: Record<string, number>; findings: unknown[] };
    expect(report).toMatchObject({ file: 'e.vdt', bytes: 4, errors: 2, warnings: 0, counts: { 'latin1-accent': 1, 'trailing-ff': 1 } });
    expect(report.seconds['1200']).toBe(40 / 1200);
    expect(report.findings[0]).toMatchObject({ offset: 2, rule: 'latin1-accent', severity: 'error', reference: 'p.88–90, docs §11' });
    const all = fakeIo({ cwd: dir });
    expect(await runCli(['lint', '.', '--json'], all)).toBe(1);
    expect((JSON.parse(all.stdoutText()) as { file: string }[]).map((r) => r.file)).toEqual(['e.vdt', 'w.vdt']);
  });

  it('reads standard input with -', async () => {
    const io = fakeIo({ input: CLEAN });
    expect(await runCli(['lint', '-'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^standard input: 7 bytes/);
  });

  it('says so in one line for a missing file, exit 1, and goes on with the others', async () => {
    const io = fakeIo({ cwd: folderWith({ 'p.vdt': CLEAN }) });
    expect(await runCli(['lint', 'missing.vdt', 'p.vdt'], io)).toBe(1);
    expect(io.stderrText()).toBe('teletel: missing.vdt: no such file or folder.\n');
    expect(io.stdoutText()).toContain('p.vdt: 7 bytes');
  });

  it('gives a result, never a crash, for empty, binary garbage and 10 MB files', async () => {
    const dir = folderWith({ 'empty.vdt': new Uint8Array(0), 'garbage.vdt': randomBytes(4096, 5), 'big.vdt': randomBytes(10 * 1024 * 1024, 6) });
    for (const name of ['empty.vdt', 'garbage.vdt', 'big.vdt']) {
      const io = fakeIo({ cwd: dir });
      const code = await runCli(['lint', name], io);
      expect(io.stderrText()).toBe('');
      expect(io.stdoutText()).toMatch(new RegExp(`^${name.replace('.', '\\.')}: \\d+ bytes`));
      expect(code).toBe(name === 'empty.vdt' ? 0 : 1);
    }
  });
});
