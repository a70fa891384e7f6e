/** `teletel convert`, run in-process with fake streams. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { fakeIo, randomBytes, tempFolder } from '../test-support/fake-io.js';
import { Terminal } from '../videotex/terminal.js';
import { convertPng } from './convert.js';
import { pngBytes, solidImage } from './fixtures/images.js';
import { testPattern } from './fixtures/pattern.js';

const PICTURE = pngBytes(testPattern(160, 120));

function folderWith(files: Record<string, Uint8Array | string>): string {
  const dir = tempFolder('teletel-convert-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('teletel convert', () => {
  it('explains itself: teletel help convert, saying JPEG is not supported', async () => {
    const io = fakeIo();
    expect(await runCli(['help', 'convert'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^Usage: teletel convert PICTURE\.png/);
    expect(io.stdoutText()).toContain('JPEG and other formats are not supported');
    expect(io.stdoutText()).toContain('--region');
    expect(io.stdoutText()).toContain('PICTURE with .png replaced by .vdt (or .vdt added)');
  });

  it('writes photo.vdt next to photo.png by default, a full page', async () => {
    const dir = folderWith({ 'photo.png': PICTURE });
    expect(await runCli(['convert', 'photo.png'], fakeIo({ cwd: dir }))).toBe(0);
    const page = new Uint8Array(readFileSync(join(dir, 'photo.vdt')));
    expect(page[0]).toBe(0x0c);
    expect(page.every((b) => b < 0x80)).toBe(true);
  });

  it('writes the page to standard output with -o -, and reads standard input with -', async () => {
    const io = fakeIo({ input: PICTURE });
    expect(await runCli(['convert', '-', '-o', '-', '--grey', '--dither', 'none'], io)).toBe(0);
    const terminal = new Terminal();
    terminal.write(io.stdoutBytes());
    expect(io.stdoutBytes()[0]).toBe(0x0c);
    expect(terminal.idle).toBe(true);
    expect(terminal.screen.rowText(12, { mosaics: true }).length).toBe(40);
  });

  it('draws only in --region, with no FF', async () => {
    const dir = folderWith({ 'photo.png': PICTURE });
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['convert', 'photo.png', '-o', '-', '--region', '5,21,10,20'], io)).toBe(0);
    const page = io.stdoutBytes();
    expect(Array.from(page.subarray(0, 3))).toEqual([0x1f, 0x45, 0x55]);
    expect(page.includes(0x0c)).toBe(false);
  });

  it('refuses a bad --region with the message that says what is allowed', async () => {
    for (const region of ['0,1,2,3', '1,1,25,1', '1,40,1,2', '1,2,3', 'a,b,c,d', '1,1,0,4', '']) {
      const io = fakeIo({ cwd: folderWith({ 'p.png': PICTURE }) });
      expect(await runCli(['convert', 'p.png', '--region', region], io)).toBe(2);
      expect(io.stderrText()).toMatch(/^teletel: --region must be row,col,rows,cols inside rows 1–24 and columns 1–40/);
    }
  });

  it('refuses a bad --dither', async () => {
    const io = fakeIo();
    expect(await runCli(['convert', 'x.png', '--dither', 'atkinson'], io)).toBe(2);
    expect(io.stderrText()).toBe("teletel: --dither must be one of floyd, none, not 'atkinson'.\n");
  });

  it('says so in one line for a missing file', async () => {
    const io = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['convert', 'missing.png'], io)).toBe(1);
    expect(io.stderrText()).toBe('teletel: missing.png: no such file or folder.\n');
  });

  it('says "not a PNG image" in one line for empty, garbage, JPEG and 10 MB inputs', async () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46);
    const inputs: Record<string, Uint8Array> = {
      'empty.png': new Uint8Array(0),
      'garbage.png': randomBytes(5000, 3),
      'photo.jpg': jpeg,
      'big.png': randomBytes(10 * 1024 * 1024, 4),
    };
    const dir = folderWith(inputs);
    for (const name of Object.keys(inputs)) {
      const io = fakeIo({ cwd: dir });
      expect(await runCli(['convert', name, '-o', '-'], io)).toBe(1);
      expect(io.stderrText()).toMatch(new RegExp(`^teletel: ${name.replace('.', '\\.')}: not a PNG image[^\\n]*\\.\\n$`));
      expect(io.stdoutBytes().length).toBe(0);
    }
  });

  it('asks for -o when reading standard input', async () => {
    const io = fakeIo({ input: PICTURE });
    expect(await runCli(['convert', '-'], io)).toBe(2);
    expect(io.stderrText()).toContain('-o FILE');
  });
});

describe('teletel convert FOLDER', () => {
  it('converts every picture and reports failures per file without stopping', async () => {
    const dir = folderWith({
      'a.png': PICTURE,
      'b.png': pngBytes(solidImage(8, 6, [255, 0, 0])),
      'broken.png': randomBytes(300, 1),
      'photo.jpeg': Uint8Array.of(0xff, 0xd8, 0xff, 0xdb),
      'notes.txt': 'not a picture',
    });
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.', '-o', 'pages'], io)).toBe(1);
    expect(existsSync(join(dir, 'pages', 'a.vdt'))).toBe(true);
    expect(existsSync(join(dir, 'pages', 'b.vdt'))).toBe(true);
    expect(existsSync(join(dir, 'pages', 'broken.vdt'))).toBe(false);
    const lines = io.stderrText().trim().split('\n');
    expect(lines).toEqual([
      'teletel: ./broken.png: not a PNG image.',
      'teletel: ./photo.jpeg: not a PNG image (a JPEG image; only PNG is supported: convert it to PNG first).',
      'converted 2 of 4 pictures into pages (2 failed)',
    ]);
  });

  it('does not let two pictures overwrite one page: photo.png and photo.PNG', async () => {
    const dir = folderWith({ 'photo.PNG': PICTURE, 'photo.png': pngBytes(solidImage(8, 6, [255, 0, 0])) });
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.', '-o', 'pages'], io)).toBe(1);
    expect(io.stderrText().trim().split('\n')).toEqual([
      'teletel: ./photo.png: its page photo.vdt is already written from photo.PNG.',
      'converted 1 of 2 pictures into pages (1 failed)',
    ]);
    expect(new Uint8Array(readFileSync(join(dir, 'pages', 'photo.vdt')))).toEqual(convertPng(PICTURE).bytes);
  });

  it('exits 0 when every picture converts, and writes into an existing folder', async () => {
    const dir = folderWith({ 'a.png': PICTURE });
    mkdirSync(join(dir, 'out'));
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.', '-o', 'out', '--grey'], io)).toBe(0);
    expect(readFileSync(join(dir, 'out', 'a.vdt'))[0]).toBe(0x0c);
    expect(io.stderrText()).toBe('converted 1 of 1 pictures into out\n');
  });

  it('draws a progress bar on standard error only when it is a terminal', async () => {
    const dir = folderWith({ 'a.png': PICTURE, 'b.png': PICTURE });
    const io = fakeIo({ cwd: dir });
    (io.stderr as { isTTY?: boolean }).isTTY = true;
    expect(await runCli(['convert', '.', '-o', 'out'], io)).toBe(0);
    expect(io.stderrText()).toContain('\r\x1b[K████████████░░░░░░░░░░░░ 2/2 b.png');
    const quiet = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.', '-o', 'out2'], quiet)).toBe(0);
    expect(quiet.stderrText()).not.toContain('\r');
  });

  it('needs -o for a folder, and a folder for -o', async () => {
    const dir = folderWith({ 'a.png': PICTURE, 'file.vdt': 'x' });
    const io = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.'], io)).toBe(2);
    expect(io.stderrText()).toContain('-o FOLDER');
    const io2 = fakeIo({ cwd: dir });
    expect(await runCli(['convert', '.', '-o', 'file.vdt'], io2)).toBe(2);
    expect(io2.stderrText()).toContain('must be a folder');
  });

  it('says when a folder has no pictures', async () => {
    const io = fakeIo({ cwd: folderWith({ 'notes.txt': 'x' }) });
    expect(await runCli(['convert', '.', '-o', 'out'], io)).toBe(0);
    expect(io.stderrText()).toMatch(/^teletel: no pictures in \. \(looked for \.png/);
  });
});
