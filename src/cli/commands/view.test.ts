import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { ascii, bytes } from '../../test-support/render.js';
import { fakeIo, randomBytes, tempFolder } from '../../test-support/fake-io.js';

const visible = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

function folderWith(content: Uint8Array): string {
  const dir = tempFolder();
  writeFileSync(join(dir, 'page.vdt'), content);
  return dir;
}

const PAGE = bytes(`0C 1B 41 ${ascii('Bonjour')} 0E 1B 42 21 35 7F`);

describe('teletel view', () => {
  it('explains itself: teletel help view', async () => {
    const io = fakeIo();
    expect(await runCli(['help', 'view'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^Usage: teletel view FILE/);
  });

  it('prints the 25 rows with 24-bit colours and sextant mosaics', async () => {
    const io = fakeIo({ cwd: folderWith(PAGE) });
    expect(await runCli(['view', 'page.vdt'], io)).toBe(0);
    const lines = io.stdoutText().split('\n');
    expect(lines).toHaveLength(26);
    expect(visible(lines[1])).toBe(`Bonjour\u{1FB00}▌█${' '.repeat(30)}`);
    expect(lines[1]).toContain('\x1b[0;38;2;255;0;0;48;2;0;0;0mBonjour');
  });

  it('uses quadrant blocks with --ascii and grey levels with --grey', async () => {
    const io = fakeIo({ cwd: folderWith(PAGE) });
    expect(await runCli(['view', 'page.vdt', '--ascii', '--grey'], io)).toBe(0);
    const lines = io.stdoutText().split('\n');
    expect(visible(lines[1]).trimEnd()).toBe('Bonjour▘▌█');
    expect(lines[1]).toContain('38;2;128;128;128');
  });

  it('replays at the line speed with --speed, redrawing changed rows in place', async () => {
    // 16 bytes at 9600 baud (960 characters per second) take about 17 ms.
    const io = fakeIo({ cwd: folderWith(bytes(`0C ${ascii('AB')} 1F 43 41 ${ascii('CD')} 1F 40 41 ${ascii('Z')} 0A`)) });
    const started = performance.now();
    expect(await runCli(['view', 'page.vdt', '--speed', '9600'], io)).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    const out = io.stdoutText();
    // The first picture is the power-on screen; then rows 1, 3 and 0 are redrawn by moving up 24, 22 and 25 rows.
    expect(out).toContain('\x1b[24A\r');
    expect(out).toContain('\x1b[22A\r');
    expect(out).toContain('\x1b[25A\r');
    expect(out.endsWith('\r')).toBe(true);
  });

  it('paces 1200 baud at 120 characters per second (10 bits per character, p.47)', async () => {
    const io = fakeIo({ cwd: folderWith(bytes(ascii('0123456789AB'))) });
    const started = performance.now();
    expect(await runCli(['view', 'page.vdt', '--speed', '1200'], io)).toBe(0);
    // 12 characters: the last arrives at 100 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it.each([[['--speed', '0']], [['--speed', 'fast']], [['--speed', '1200.5']], [['--colour']]])(
    'refuses a bad option %j with exit code 2',
    async (extra) => {
      const io = fakeIo({ cwd: folderWith(PAGE) });
      expect(await runCli(['view', 'page.vdt', ...extra], io)).toBe(2);
      expect(io.stderrText()).toMatch(/^teletel: /);
    },
  );

  it('reports a missing file in one line with exit code 1', async () => {
    const io = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['view', 'missing.vdt'], io)).toBe(1);
    expect(io.stderrText()).toBe('teletel: missing.vdt: no such file or folder.\n');
  });

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['1 MB of random bytes', randomBytes(1 << 20, 3)],
  ])('shows %s without crashing', async (_name, content) => {
    const io = fakeIo({ cwd: folderWith(content) });
    expect(await runCli(['view', 'page.vdt'], io)).toBe(0);
    expect(io.stdoutText().split('\n')).toHaveLength(26);
  });
});
