/** readAtMost: a size limit that holds whatever the file does between the check and the read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAtMost } from './bounded-read.js';

const folder = mkdtempSync(join(tmpdir(), 'teletel-bounded-read-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('readAtMost', () => {
  it('reads a file up to the limit whole, an empty one as empty, and refuses one byte more', async () => {
    const file = join(folder, 'page.vdt');
    writeFileSync(file, Buffer.alloc(1000, 0x41));
    expect(await readAtMost(file, 1000)).toEqual(new Uint8Array(1000).fill(0x41));
    expect(await readAtMost(file, 999)).toBeUndefined();
    writeFileSync(file, '');
    expect(await readAtMost(file, 10)).toEqual(new Uint8Array(0));
  });

  it('never reads more than the limit and one byte of an endless file', async () => {
    // /dev/zero has no end: a read of the whole file would never return.
    expect(await readAtMost('/dev/zero', 4096)).toBeUndefined();
  });

  it('says why a file cannot be read', async () => {
    await expect(readAtMost(join(folder, 'missing.vdt'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
