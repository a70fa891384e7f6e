/**
 * WebSocket framing of a Videotex stream. The line carries 7-bit bytes (p.47);
 * over a WebSocket they travel either as binary frames, one byte per byte, or
 * as text frames, one character per byte (Latin-1: character U+00xx is byte
 * xx). Text frames are what most community servers send and expect. The
 * string is never encoded as UTF-8 bytes: that would turn one byte into two as
 * soon as a server sets the parity bit, and corrupt every accent sequence.
 */

/** How the emulator frames what it sends: 'auto' sends text until the server sends binary. */
export type FrameMode = 'auto' | 'text' | 'binary';

export const FRAME_MODES: readonly FrameMode[] = ['auto', 'text', 'binary'];

const SUB = 0x1a;

/**
 * The bytes of a text frame. A character above U+00FF cannot be a byte: it is
 * a line error, shown as a Minitel shows one, the SUB error block (p.48, p.99).
 */
export function bytesOfText(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[i] = code <= 0xff ? code : SUB;
  }
  return bytes;
}

/** A text frame for bytes: one character per byte. */
export function textOfBytes(bytes: ArrayLike<number>): string {
  let text = '';
  // Chunked so a long recording does not overflow the argument limit of fromCharCode.
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const end = Math.min(bytes.length, i + CHUNK);
    const part = new Array<number>(end - i);
    for (let j = i; j < end; j++) part[j - i] = bytes[j] & 0xff;
    text += String.fromCharCode(...part);
  }
  return text;
}

/** The bytes of a received message: a text frame (string) or a binary one (ArrayBuffer or view). */
export function bytesOfMessage(data: unknown): Uint8Array | undefined {
  if (typeof data === 'string') return bytesOfText(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return undefined;
}
