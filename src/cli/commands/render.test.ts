import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { decodePng } from '../../render/png.js';
import { bytes } from '../../test-support/render.js';
import { fakeIo, randomBytes, tempFolder } from '../../test-support/fake-io.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A folder holding one page file; returns the folder. */
function folderWith(name: string, content: Uint8Array): string {
  const dir = tempFolder();
  writeFileSync(join(dir, name), content);
  return dir;
}

const PAGE = bytes('0C 1B 41 1B 54 20 41 42 43');
const BLINKING = bytes('0C 1B 48 41 42 43');

describe('teletel render', () => {
  it('explains itself: teletel help render', async () => {
    const io = fakeIo();
    expect(await runCli(['help', 'render'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^Usage: teletel render FILE/);
    expect(io.stdoutText()).toContain('--blink on|off');
    expect(io.stdoutText()).toContain('default: FILE with .vdt replaced by .png (or .png added)');
  });

  it('writes page.png next to page.vdt by default, 320×250 pixels', async () => {
    const dir = folderWith('page.vdt', PAGE);
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt'], io)).toBe(0);
    const png = decodePng(new Uint8Array(readFileSync(join(dir, 'page.png'))));
    expect([png.width, png.height]).toEqual([320, 250]);
    // (1,2) is A: its top-left pixel is zone blue (the glyph starts lower).
    const i = (10 * 320 + 8) * 4;
    expect(Array.from(png.data.subarray(i, i + 3))).toEqual([0, 0, 255]);
  });

  it('adds .png to names without a .vdt extension (corpus names contain dots)', async () => {
    const dir = folderWith('E.SOMMAIRE', PAGE);
    expect(await runCli(['render', 'E.SOMMAIRE'], fakeIo({ cwd: dir }))).toBe(0);
    expect(existsSync(join(dir, 'E.SOMMAIRE.png'))).toBe(true);
  });

  it('writes the PNG to standard output with -o -', async () => {
    const dir = folderWith('page.vdt', PAGE);
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt', '-o', '-'], io)).toBe(0);
    expect(Array.from(io.stdoutBytes().subarray(0, 8))).toEqual(PNG_SIGNATURE);
  });

  it('reads standard input with -, but then needs -o', async () => {
    const io = fakeIo({ input: PAGE });
    expect(await runCli(['render', '-', '-o', '-'], io)).toBe(0);
    expect(Array.from(io.stdoutBytes().subarray(0, 8))).toEqual(PNG_SIGNATURE);
    const without = fakeIo({ input: PAGE });
    expect(await runCli(['render', '-'], without)).toBe(2);
    expect(without.stderrText()).toMatch(/-o FILE/);
  });

  it('applies --scale, --border and --grey', async () => {
    const dir = folderWith('page.vdt', PAGE);
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt', '-o', '-', '--scale', '2', '--border', '4', '--grey'], io)).toBe(0);
    const png = decodePng(io.stdoutBytes());
    expect([png.width, png.height]).toEqual([656, 516]);
    const i = (((4 + 10) * 2) * 656 + (4 + 8) * 2) * 4; // (1,2) top-left, blue zone = grey 40 %
    expect(Array.from(png.data.subarray(i, i + 3))).toEqual([102, 102, 102]);
  });

  it('animates blinking pages with --blink on (APNG), and only those', async () => {
    const blinkDir = folderWith('blink.vdt', BLINKING);
    const io = fakeIo({ cwd: blinkDir });
    expect(await runCli(['render', 'blink.vdt', '-o', '-', '--blink', 'on'], io)).toBe(0);
    expect(Buffer.from(io.stdoutBytes()).includes('acTL')).toBe(true);
    const still = fakeIo({ cwd: blinkDir });
    expect(await runCli(['render', 'blink.vdt', '-o', '-', '--blink', 'off'], still)).toBe(0);
    expect(Buffer.from(still.stdoutBytes()).includes('acTL')).toBe(false);
    const steadyDir = folderWith('page.vdt', PAGE);
    const steady = fakeIo({ cwd: steadyDir });
    expect(await runCli(['render', 'page.vdt', '-o', '-', '--blink', 'on'], steady)).toBe(0);
    expect(Buffer.from(steady.stdoutBytes()).includes('acTL')).toBe(false);
  });

  it('draws the cursor with --cursor when the page shows it', async () => {
    const dir = folderWith('page.vdt', bytes('0C 11'));
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt', '-o', '-', '--cursor'], io)).toBe(0);
    const png = decodePng(io.stdoutBytes());
    expect(Array.from(png.data.subarray(10 * 320 * 4, 10 * 320 * 4 + 3))).toEqual([255, 255, 255]);
  });

  it('reports a missing file in one line with exit code 1', async () => {
    const io = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['render', 'nowhere.vdt'], io)).toBe(1);
    expect(io.stderrText()).toBe('teletel: nowhere.vdt: no such file or folder.\n');
  });

  it.each([
    [['--scale', '0']],
    [['--scale', 'big']],
    [['--border', '-1']],
    [['--blink', 'sometimes']],
    [['--colour']],
  ])('refuses a bad option %j with exit code 2 and no stack trace', async (extra) => {
    const dir = folderWith('page.vdt', PAGE);
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt', ...extra], io)).toBe(2);
    expect(io.stderrText()).toMatch(/^teletel: /);
    expect(io.stderrText()).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['1 MB of random bytes', randomBytes(1 << 20, 1)],
    ['a 10 MB file', randomBytes(10 << 20, 2)],
  ])('renders %s without crashing', async (_name, content) => {
    const dir = folderWith('page.vdt', content);
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['render', 'page.vdt', '-o', '-'], io)).toBe(0);
    expect(Array.from(io.stdoutBytes().subarray(0, 8))).toEqual(PNG_SIGNATURE);
  });
});
