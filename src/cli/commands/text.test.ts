import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { ascii, bytes } from '../../test-support/render.js';
import { fakeIo, randomBytes, tempFolder } from '../../test-support/fake-io.js';

function folderWith(content: Uint8Array): string {
  const dir = tempFolder();
  writeFileSync(join(dir, 'page.vdt'), content);
  return dir;
}

describe('teletel text', () => {
  it('explains itself: teletel help text', async () => {
    const io = fakeIo();
    expect(await runCli(['help', 'text'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^Usage: teletel text FILE/);
  });

  it('prints rows 1–24 as text, accents composed, mosaics and trailing blank rows left out', async () => {
    const page = bytes(`0C ${ascii('Caf')} 19 42 65 0E 7F 7F 0F 1F 43 41 1B 41 ${ascii('Menu')}`);
    const io = fakeIo({ cwd: folderWith(page) });
    expect(await runCli(['text', 'page.vdt'], io)).toBe(0);
    expect(io.stdoutText()).toBe('Café\n\nMenu\n');
  });

  it('puts row 0 first when it holds text (p.97)', async () => {
    const page = bytes(`0C ${ascii('Page')} 1F 40 41 ${ascii('Service')} 0A`);
    const io = fakeIo({ cwd: folderWith(page) });
    expect(await runCli(['text', 'page.vdt'], io)).toBe(0);
    expect(io.stdoutText()).toBe('Service\nPage\n');
  });

  it('leaves masked zones out unless --reveal (p.94)', async () => {
    const page = bytes(`0C ${ascii('Code:')} 1B 58 20 ${ascii('1234')}`);
    const hidden = fakeIo({ cwd: folderWith(page) });
    expect(await runCli(['text', 'page.vdt'], hidden)).toBe(0);
    expect(hidden.stdoutText()).toBe('Code:\n');
    const shown = fakeIo({ cwd: folderWith(page) });
    expect(await runCli(['text', 'page.vdt', '--reveal'], shown)).toBe(0);
    expect(shown.stdoutText()).toBe('Code: 1234\n');
  });

  it('reports a missing file with exit code 1 and an unknown option with 2', async () => {
    const missing = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['text', 'absent.vdt'], missing)).toBe(1);
    expect(missing.stderrText()).toBe('teletel: absent.vdt: no such file or folder.\n');
    const bad = fakeIo({ cwd: folderWith(new Uint8Array(0)) });
    expect(await runCli(['text', 'page.vdt', '--json'], bad)).toBe(2);
  });

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['1 MB of random bytes', randomBytes(1 << 20, 4)],
  ])('handles %s without crashing', async (_name, content) => {
    const io = fakeIo({ cwd: folderWith(content) });
    expect(await runCli(['text', 'page.vdt'], io)).toBe(0);
  });
});
