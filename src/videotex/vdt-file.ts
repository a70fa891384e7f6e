/**
 * `.vdt` files are raw captures of what a server sent, with no header or
 * terminator (docs/videotex.md §11). Some tools padded them with 0xFF or ended
 * them with a DOS end-of-file 0x1A; masked to 7 bits these would draw a block,
 * so they are removed before decoding.
 */
const PADDING = 0xff;
const DOS_EOF = 0x1a;

/** The page's bytes without trailing 0xFF padding and one final 0x1A. */
export function stripFilePadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === PADDING) end--;
  if (end > 0 && bytes[end - 1] === DOS_EOF) end--;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}
