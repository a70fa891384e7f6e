/**
 * Session recording: every byte the screen receives, in order, as a .vdt file
 * (docs §11: a raw, headerless capture of what a server sent), so a session
 * can be replayed by this emulator, `teletel render` or any Minitel tool.
 */
import { LIMITS } from './limits.js';

export class SessionRecorder {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private on = false;
  private full = false;

  constructor(private readonly maxBytes: number = LIMITS.recordingBytes) {}

  get recording(): boolean {
    return this.on;
  }

  /** Bytes recorded so far. */
  get length(): number {
    return this.size;
  }

  /** True when the recording reached its size limit and stopped keeping bytes. */
  get truncated(): boolean {
    return this.full;
  }

  /** Starts a new recording, dropping the previous one. */
  start(): void {
    this.chunks.length = 0;
    this.size = 0;
    this.full = false;
    this.on = true;
  }

  /** Stops recording and returns what was recorded. */
  stop(): Uint8Array<ArrayBuffer> {
    this.on = false;
    return this.bytes();
  }

  /** Records received bytes (a copy: the caller's array may be a view it reuses). */
  record(bytes: Uint8Array): void {
    if (!this.on || this.full || bytes.length === 0) return;
    const room = this.maxBytes - this.size;
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    if (kept.length < bytes.length) this.full = true;
    if (kept.length === 0) return;
    this.chunks.push(kept.slice());
    this.size += kept.length;
  }

  /** Everything recorded, as one array. */
  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
