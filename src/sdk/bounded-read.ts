/**
 * Reading a file that must stay under a size, without trusting a stat taken
 * before: the file is read through one handle, in chunks sized from its
 * current length, at most `maxBytes` + 1 bytes in all, so a file that grew
 * between the size check and the read (a page being copied in, a log) is
 * refused, never read whole, and a small file costs a small buffer.
 */
import { open } from 'node:fs/promises';

/** Largest chunk read at once. */
const CHUNK_MAX = 64 * 1024;

/** The file's bytes, or undefined when it holds more than `maxBytes`. */
export async function readAtMost(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // One byte past the size seen, so the end shows at once; a file that grew gets whole chunks, up to the limit.
      const expected = size + 1 - total;
      const want = Math.min(maxBytes + 1 - total, expected > 0 ? Math.min(CHUNK_MAX, expected) : CHUNK_MAX);
      const chunk = new Uint8Array(want);
      const { bytesRead } = await handle.read(chunk, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return undefined;
    }
    // A plain Uint8Array, as the callers compare and slice it, not a Buffer.
    return new Uint8Array(Buffer.concat(chunks, total));
  } finally {
    await handle.close();
  }
}
