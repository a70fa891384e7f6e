/** `teletel dump`: the decoded screen as text or JSON, from a file or stdin. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeIo, randomBytes, tempFolder } from '../../test-support/fake-io.js';
import { hex } from '../../test-support/videotex.js';
import { runCli } from '../cli.js';

/** The part of `dump --json` these tests read. */
interface DumpedScreen {
  rows: { cells: Record<string, unknown>[] }[];
  globalMask: boolean;
}

function dumped(text: string): DumpedScreen {
  return JSON.parse(text) as DumpedScreen;
}

/** A page: row 0 message, a blue zone with text, an accent, a mosaic. */
const PAGE = hex('1F 40 41 48 49 0A 0C 1F 43 41 1B 54 20 41 42 19 42 65 0E 7F');

describe('teletel dump', () => {
  it('prints the 25 rows of the decoded screen, row 0 first, accents as Unicode (p.88, p.97)', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'page.vdt'), PAGE);
    const io = fakeIo({ cwd: folder });
    expect(await runCli(['dump', 'page.vdt'], io)).toBe(0);
    const rows = io.stdoutText().split('\n');
    expect(rows[0]).toBe('HI');
    expect(rows[3]).toBe(' ABé');
    expect(rows).toHaveLength(26); // 25 rows and the final newline
  });

  it('reads standard input for -, and draws mosaics with --mosaics', async () => {
    const io = fakeIo({ input: PAGE });
    expect(await runCli(['dump', '-', '--mosaics'], io)).toBe(0);
    expect(io.stdoutText().split('\n')[3]).toBe(' ABé█');
  });

  it('gives every cell its effective attributes with --json (zones resolved, p.93)', async () => {
    const io = fakeIo({ input: PAGE });
    expect(await runCli(['dump', '-', '--json'], io)).toBe(0);
    const screen = dumped(io.stdoutText());
    const row3 = screen.rows[3];
    expect(row3.cells).toHaveLength(40);
    expect(row3.cells[0]).toMatchObject({ delimiter: true, bg: 4 });
    expect(row3.cells[1]).toMatchObject({ char: 'A', bg: 4, set: 'G0' });
    expect(row3.cells[3]).toMatchObject({ char: 'é' });
    expect(row3.cells[4]).toMatchObject({ set: 'G1', code: 0x7f });
    expect(screen.globalMask).toBe(true);
  });

  it('filters DRCS as a Minitel 1B with --model minitel1b', async () => {
    const io = fakeIo({ input: hex('0C 1B 28 20 42 41') });
    expect(await runCli(['dump', '-', '--json', '--model', 'minitel1b'], io)).toBe(0);
    expect(dumped(io.stdoutText()).rows[1].cells[0].set).toBe('G0');
  });

  it('says what is wrong, without a stack trace, for a missing file or a bad option', async () => {
    const missing = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['dump', 'nope.vdt'], missing)).toBe(1);
    expect(missing.stderrText()).toBe('teletel: nope.vdt: no such file or folder.\n');
    const bad = fakeIo();
    expect(await runCli(['dump', '-', '--model', 'minitel9'], bad)).toBe(2);
    expect(bad.stderrText()).toContain('--model must be one of minitel1b, minitel2, emulator');
    const none = fakeIo();
    expect(await runCli(['dump'], none)).toBe(2);
    expect(none.stderrText()).toContain("'dump' needs a file");
  });

  it('decodes empty input and a megabyte of random bytes without failing', async () => {
    expect(await runCli(['dump', '-'], fakeIo({ input: new Uint8Array(0) }))).toBe(0);
    const io = fakeIo({ input: randomBytes(1 << 20, 7) });
    expect(await runCli(['dump', '-', '--json'], io)).toBe(0);
    expect(dumped(io.stdoutText()).rows).toHaveLength(25);
  });
});

describe('teletel (the dispatcher)', () => {
  it('lists the commands with --help and exits 0; with no command it exits 2', async () => {
    const help = fakeIo();
    expect(await runCli(['--help'], help)).toBe(0);
    for (const name of ['dump', 'render', 'view', 'text', 'convert', 'lint', 'serve', 'new-service']) {
      expect(help.stdoutText()).toContain(`  ${name}`);
    }
    expect(await runCli([], fakeIo())).toBe(2);
  });

  it("prints a command's help for 'help NAME' and 'NAME --help'", async () => {
    const a = fakeIo();
    const b = fakeIo();
    expect(await runCli(['help', 'dump'], a)).toBe(0);
    expect(await runCli(['dump', '--help'], b)).toBe(0);
    expect(a.stdoutText()).toContain('Usage: teletel dump');
    expect(b.stdoutText()).toBe(a.stdoutText());
  });

  it('refuses an unknown command or help topic with exit code 2', async () => {
    const io = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderrText()).toContain("There is no command 'frobnicate'");
    expect(await runCli(['help', 'frobnicate'], fakeIo())).toBe(2);
  });

  it('prints its version', async () => {
    const io = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^teletel \d+\.\d+\.\d+\n$/);
  });
});
