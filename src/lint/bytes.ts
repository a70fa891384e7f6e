/** Byte helpers for lint messages and the parity check. */

export function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

export function oddWeight(b: number): boolean {
  let v = b & 0x7f;
  v ^= v >> 4;
  v ^= v >> 2;
  v ^= v >> 1;
  return (v & 1) === 1;
}

/** Latin-1 letters with an accent (0xC0–0xFE minus × and ÷); 0xFF is left out: padding far more often than ÿ. */
export function isLatin1Letter(b: number): boolean {
  return b >= 0xc0 && b < 0xff && b !== 0xd7 && b !== 0xf7;
}

/** What a Minitel shows for a byte once bit 7 is dropped, for messages. */
export function shownAs(b: number): string {
  const low = b & 0x7f;
  if (low === 0x7f) return 'a full block (DEL)';
  if (low < 0x20) return `control ${hex(low)}`;
  return `'${String.fromCharCode(low)}'`;
}
